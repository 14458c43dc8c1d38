-- Paging and sorting the experiment list in SQL (the HTTP API and dashboard page through 10,000+ rows).

-- ListProjection: one row per metric of each experiment, so "sort by latency_p95_ms" walks an index in
-- portable SQL instead of parsing metrics_json in every row. (number, not experiment_id: integer joins.)
CREATE TABLE experiment_list_metric (
    number INTEGER          NOT NULL,
    metric VARCHAR(64)      NOT NULL,
    value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (number, metric)
);
-- every sort key has an index ending in the number, the tie-breaker, so a page is read in index order
CREATE INDEX experiment_list_metric_by_value ON experiment_list_metric (metric, value, number);
CREATE INDEX experiment_list_by_backend ON experiment_list (backend, number);
CREATE INDEX experiment_list_by_started ON experiment_list (started_at, number);
CREATE INDEX experiment_list_by_ended ON experiment_list (ended_at, number);

-- The new table can only be filled from the events. Empty every read model and forget how far they had
-- read, so the next command replays the log into all of them (what `autotune rebuild` does).
DELETE FROM experiment_list;
DELETE FROM experiment_detail;
DELETE FROM experiment_report;
DELETE FROM experiment_timeline;
DELETE FROM budget_experiment;
DELETE FROM budget_metric;
DELETE FROM tuning_point;
DELETE FROM projection_position;
DELETE FROM TokenEntry WHERE processorName = 'projections';
