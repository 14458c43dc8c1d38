-- Read models. Each table belongs to one projection; all of them can be dropped and rebuilt from the events.
-- Numbers are assigned in event-log order, so a rebuild gives every experiment the same short id again.

-- How far the projections have read the event log; commands wait on it to see their own writes.
CREATE TABLE projection_position (
    processor_name VARCHAR(64) PRIMARY KEY,
    position       BIGINT NOT NULL
);

-- ListProjection: one row per experiment, what `list` and `export` show.
CREATE TABLE experiment_list (
    experiment_id     VARCHAR(64) PRIMARY KEY,
    number            INTEGER     NOT NULL UNIQUE,
    scenario          TEXT        NOT NULL,
    backend           TEXT,
    status            VARCHAR(16) NOT NULL,
    source            VARCHAR(16) NOT NULL,
    run_id            VARCHAR(64),
    knobs_json        TEXT        NOT NULL,
    metrics_json      TEXT        NOT NULL,
    report_sha256     TEXT,
    config_sha256     TEXT,
    notes             TEXT,
    runner_pid        BIGINT,
    runner_host       TEXT,
    runner_started_at TEXT,
    started_at        TEXT        NOT NULL,
    ended_at          TEXT,
    failure_category  TEXT
);
CREATE INDEX experiment_list_by_scenario ON experiment_list (scenario, number);
CREATE INDEX experiment_list_by_status ON experiment_list (status, number);
CREATE INDEX experiment_list_by_report ON experiment_list (report_sha256);

-- DetailProjection: everything `show` and `diff` need about one experiment.
CREATE TABLE experiment_detail (
    experiment_id    VARCHAR(64) PRIMARY KEY,
    number           INTEGER     NOT NULL UNIQUE,
    scenario         TEXT        NOT NULL,
    backend          TEXT,
    status           VARCHAR(16) NOT NULL,
    source           VARCHAR(16) NOT NULL,
    run_id           VARCHAR(64),
    config_path      TEXT,
    config_sha256    TEXT,
    notes            TEXT,
    config_json      TEXT        NOT NULL,
    metadata_json    TEXT        NOT NULL,
    metrics_json     TEXT        NOT NULL,
    started_at       TEXT        NOT NULL,
    ended_at         TEXT,
    failure_category TEXT,
    failure_message  TEXT,
    exit_code        INTEGER,
    log_path         TEXT
);

CREATE TABLE experiment_report (
    experiment_id VARCHAR(64) NOT NULL,
    seq           INTEGER     NOT NULL,
    path          TEXT        NOT NULL,
    sha256        TEXT        NOT NULL,
    format        TEXT        NOT NULL,
    warnings_json TEXT        NOT NULL,
    parsed_at     TEXT        NOT NULL,
    PRIMARY KEY (experiment_id, seq)
);

CREATE TABLE experiment_timeline (
    experiment_id VARCHAR(64) NOT NULL,
    seq           INTEGER     NOT NULL,
    event_type    TEXT        NOT NULL,
    at            TEXT        NOT NULL,
    detail        TEXT        NOT NULL,
    PRIMARY KEY (experiment_id, seq)
);

-- BudgetProjection: the metrics of finished experiments, one row per metric, for `check`.
CREATE TABLE budget_experiment (
    experiment_id VARCHAR(64) PRIMARY KEY,
    number        INTEGER     NOT NULL UNIQUE,
    scenario      TEXT        NOT NULL,
    status        VARCHAR(16) NOT NULL
);
CREATE TABLE budget_metric (
    experiment_id VARCHAR(64)      NOT NULL,
    metric        VARCHAR(64)      NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (experiment_id, metric)
);

-- RecommendationProjection: knob values and metrics of completed experiments, for `recommend`.
CREATE TABLE tuning_point (
    experiment_id VARCHAR(64) PRIMARY KEY,
    number        INTEGER     NOT NULL UNIQUE,
    scenario      TEXT        NOT NULL,
    completed     INTEGER     NOT NULL,
    knobs_json    TEXT        NOT NULL,
    metrics_json  TEXT        NOT NULL
);
