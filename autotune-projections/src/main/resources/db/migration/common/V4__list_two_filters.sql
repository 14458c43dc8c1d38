-- The dashboard filters the list by scenario and status at once. With only (status, number) SQLite checked the
-- scenario row by row for the page and for the total (p95 ~120 ms at a deep offset over 10,000 experiments);
-- this index answers both filters and keeps the rows in number order, the default sort.
CREATE INDEX experiment_list_by_scenario_status ON experiment_list (scenario, status, number);
