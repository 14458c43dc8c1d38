-- Corrections made after the fact (issue 14): tags and exclusion, projected from their events by the projection
-- that owns each table. Amended scenario, backend and knob values land in the existing columns. Every experiment
-- recorded before this version has no tags and is not excluded, which the defaults say, so nothing is replayed.
ALTER TABLE experiment_list ADD COLUMN tags_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE experiment_list ADD COLUMN excluded_reason TEXT;
ALTER TABLE experiment_detail ADD COLUMN tags_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE experiment_detail ADD COLUMN excluded_reason TEXT;
ALTER TABLE budget_experiment ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tuning_point ADD COLUMN excluded INTEGER NOT NULL DEFAULT 0;
