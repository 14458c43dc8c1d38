-- BudgetProfileProjection: the named budget profiles as the BudgetProfile events left them (issue 14). One row per
-- saved profile; a deleted profile has no row. Rebuilt from the events like every other read model.

CREATE TABLE budget_profiles (
    name          VARCHAR(64) PRIMARY KEY,
    budgets_json  TEXT        NOT NULL,
    saved_at      TEXT        NOT NULL
);
