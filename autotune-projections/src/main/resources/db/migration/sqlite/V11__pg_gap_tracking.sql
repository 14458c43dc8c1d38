-- PostgreSQL only (concurrent writers, see db/migration/postgresql/V11): SQLite has one writer at a time and
-- keeps its single read-model position. This file keeps both stores at the same schema version.
SELECT 1;
