-- What a report states beside its metrics (issue 12): the workload facts, when the benchmark ran (measured_at,
-- beside started_at, when it was recorded) and the run's fingerprint across the formats its tool saved it in.
-- Events before ReportParsed revision 2 state none of them, so the new columns start empty and nothing needs
-- replaying; happened_at, the time history views order by, is the start time until a report says otherwise.

-- ListProjection
ALTER TABLE experiment_list ADD COLUMN measured_at TEXT;
ALTER TABLE experiment_list ADD COLUMN happened_at TEXT;
ALTER TABLE experiment_list ADD COLUMN facts_json TEXT;
ALTER TABLE experiment_list ADD COLUMN run_fingerprint TEXT;
UPDATE experiment_list SET happened_at = started_at;
CREATE INDEX experiment_list_by_happened ON experiment_list (happened_at, number);
-- the duplicate-run check: one indexed lookup on the fingerprint, like the report hash's
CREATE INDEX experiment_list_by_run ON experiment_list (run_fingerprint, scenario);

-- DetailProjection: per report, as each states them
ALTER TABLE experiment_report ADD COLUMN facts_json TEXT;
ALTER TABLE experiment_report ADD COLUMN measured_at TEXT;
ALTER TABLE experiment_report ADD COLUMN run_fingerprint TEXT;
