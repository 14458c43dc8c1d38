-- One owner for the short experiment numbers, and the duplicate-report check in SQL.

-- ExperimentNumbers: the number of each experiment, assigned once in event-log order. The other read models
-- copy it into their own rows; before, each counted on its own.
CREATE TABLE experiment_number (
    experiment_id VARCHAR(64) PRIMARY KEY,
    number        INTEGER     NOT NULL UNIQUE
);

-- ListProjection: the SHA-256 of the canonical knobs JSON, so "the same report with the same config" is one
-- indexed lookup instead of re-parsing the knobs of every earlier experiment with that report.
ALTER TABLE experiment_list ADD COLUMN knobs_sha256 TEXT;
DROP INDEX experiment_list_by_report;
CREATE INDEX experiment_list_by_report ON experiment_list (report_sha256, scenario, knobs_sha256);

-- Both can only be filled from the events. Empty every read model and forget how far they had read, so the
-- next command replays the log into all of them (what `autotune rebuild` does).
DELETE FROM experiment_list;
DELETE FROM experiment_list_metric;
DELETE FROM experiment_detail;
DELETE FROM experiment_report;
DELETE FROM experiment_timeline;
DELETE FROM budget_experiment;
DELETE FROM budget_metric;
DELETE FROM tuning_point;
DELETE FROM projection_position;
DELETE FROM TokenEntry WHERE processorName = 'projections';
