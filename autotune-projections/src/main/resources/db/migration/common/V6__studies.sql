-- StudyProjection: searches over declared spaces (issue 10). Both tables belong to that projection and are
-- rebuilt from the Study events like every other read model. Numbers follow event-log order, as for experiments.

CREATE TABLE studies (
    study_id         VARCHAR(64) PRIMARY KEY,
    number           INTEGER     NOT NULL UNIQUE,
    name             TEXT        NOT NULL,
    scenario         TEXT        NOT NULL,
    strategy         TEXT        NOT NULL,
    seed             BIGINT      NOT NULL,
    space_json       TEXT        NOT NULL,
    trial_count      INTEGER     NOT NULL,
    started_at       TEXT        NOT NULL,
    finish_reason    VARCHAR(32),
    finish_message   TEXT,
    finished_at      TEXT
);

CREATE TABLE trials (
    study_id         VARCHAR(64) NOT NULL,
    trial            INTEGER     NOT NULL,
    config_json      TEXT        NOT NULL,
    strategy         TEXT        NOT NULL,
    reason           TEXT,
    expectation_json TEXT,
    repeated         INTEGER     NOT NULL,
    proposed_at      TEXT        NOT NULL,
    experiment_id    VARCHAR(64),
    linked_at        TEXT,
    PRIMARY KEY (study_id, trial)
);
-- `tell` and the study page look a trial up by the experiment that measured it
CREATE INDEX trials_by_experiment ON trials (experiment_id);
