-- The duplicate checks on every ingest ask for the first experiment (min(number)) with a report hash or a run
-- fingerprint in a scenario. With an index that ends before `number`, SQLite's planner answers min(number) by
-- walking experiment_list_by_scenario in number order instead, reading every row of the scenario when nothing
-- matches (the usual case): the check grew with the history. Ending each lookup index in `number` makes both
-- checks one index seek (issue 12, the ingest throughput target).

-- duplicateOf (report, scenario, knobs) and withReport (report, scenario): the few rows of one report in one
-- scenario are read through the index; the knobs hash is checked on them.
DROP INDEX experiment_list_by_report;
CREATE INDEX experiment_list_by_report ON experiment_list (report_sha256, scenario, number);

-- sameRun: only reports of tools that state a run fingerprint are indexed, so an ingest of any other format
-- adds no entry to this index (one page less to write per commit).
DROP INDEX experiment_list_by_run;
CREATE INDEX experiment_list_by_run ON experiment_list (run_fingerprint, scenario, number)
    WHERE run_fingerprint IS NOT NULL;
