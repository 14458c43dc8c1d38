-- The list query engine (ListEngine) pages every sortable field along an index ending in the number, the
-- tie-breaker, and continues after a cursor with a seek to (value, number). source and measured_at had none.
CREATE INDEX experiment_list_by_source ON experiment_list (source, number);
CREATE INDEX experiment_list_by_measured ON experiment_list (measured_at, number);
-- Every page counts the rows that match its filter, and by default the excluded experiments are left out: without
-- this index that count read every row of the table (its JSON columns included) on each request.
CREATE INDEX experiment_list_included ON experiment_list (number) WHERE excluded_reason IS NULL;
