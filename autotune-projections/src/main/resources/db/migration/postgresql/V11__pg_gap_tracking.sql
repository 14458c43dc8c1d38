-- Concurrent writers on PostgreSQL (issue 15): no write section shared by every writer any more.
--
-- projected_event: one row per event the read models include above their settled position
-- (projection_position), inserted in the transaction that projects the event, before it does. Writers project
-- their own events in their own transaction, so events commit, and are projected, out of globalIndex order;
-- the primary key makes every event projected exactly once (a second claim of the same index waits for the
-- first and then finds it taken). projection_position.position is the settled position: every event at or
-- below it that will ever be committed is projected (see AxonStore.advance).
CREATE TABLE projected_event (
    global_index BIGINT PRIMARY KEY
);

-- Experiment numbers on PostgreSQL are taken from this sequence when ExperimentStarted is published and travel
-- in the event's metadata (autotune.experimentNumber), so no writer waits on a counter row and a rebuild gives
-- every experiment the number it was given. Events without one (recorded before this migration, or on SQLite)
-- are numbered max + 1 in log order, as before: start after them.
CREATE SEQUENCE experiment_number_seq;
SELECT CASE WHEN n > 0 THEN setval('experiment_number_seq', n) ELSE 0 END
FROM (SELECT count(*) AS n FROM DomainEventEntry
      WHERE payloadType = 'dev.autotune.domain.ExperimentApi$ExperimentStarted') started;
