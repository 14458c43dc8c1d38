-- ListProjection: each experiment's summary JSON as GET /api/experiments sends it (SummaryJson), written with the
-- list row, so a page of the API joins stored bytes instead of decoding and encoding 100 rows on every request.
-- A table of its own, not a column of experiment_list: the terminal list and every count read that table and would
-- drag these bytes along. The same on both stores, in each vendor folder like V11 and V12.
-- Nothing needs replaying: a row without an entry here (every row recorded before this migration, until the
-- projection writes it again) is rendered from its list row as before, at the old cost; `autotune rebuild` stores
-- them all. A later migration that changes what a list row's summary shows must empty this table.
CREATE TABLE experiment_list_page (
    number       INTEGER PRIMARY KEY,
    summary_json TEXT    NOT NULL
);

-- A page sorted by a metric, with the excluded experiments left out (the default), looks up each metric row's list
-- row for that; V12's partial index on (number) alone made that a read of the wide list row (its JSON columns).
-- With the column in the index the lookup answers from the index, and the count and the newest-first pages that
-- used the old one use this one.
DROP INDEX experiment_list_included;
CREATE INDEX experiment_list_included ON experiment_list (number, excluded_reason) WHERE excluded_reason IS NULL;
