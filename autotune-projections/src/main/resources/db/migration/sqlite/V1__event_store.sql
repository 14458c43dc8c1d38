-- Axon's JDBC event store, token store and snapshot table, with Axon's default names.
-- Payloads are stored as TEXT so the log stays readable (and json_extract-able) with the sqlite3 shell.

CREATE TABLE DomainEventEntry (
    globalIndex         INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255),
    eventIdentifier     VARCHAR(255) NOT NULL UNIQUE,
    metaData            TEXT,
    payload             TEXT         NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    UNIQUE (aggregateIdentifier, sequenceNumber)
);

-- The event log is the source of truth: appended, never changed.
CREATE TRIGGER DomainEventEntry_is_append_only_update BEFORE UPDATE ON DomainEventEntry
BEGIN
    SELECT RAISE(ABORT, 'events are immutable: DomainEventEntry rows cannot be updated');
END;

CREATE TRIGGER DomainEventEntry_is_append_only_delete BEFORE DELETE ON DomainEventEntry
BEGIN
    SELECT RAISE(ABORT, 'events are immutable: DomainEventEntry rows cannot be deleted');
END;

CREATE TABLE SnapshotEventEntry (
    aggregateIdentifier VARCHAR(255) NOT NULL,
    sequenceNumber      BIGINT       NOT NULL,
    type                VARCHAR(255) NOT NULL,
    eventIdentifier     VARCHAR(255) NOT NULL UNIQUE,
    metaData            TEXT,
    payload             TEXT         NOT NULL,
    payloadRevision     VARCHAR(255),
    payloadType         VARCHAR(255) NOT NULL,
    timeStamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (aggregateIdentifier, sequenceNumber)
);

CREATE TABLE TokenEntry (
    processorName VARCHAR(255) NOT NULL,
    segment       INTEGER      NOT NULL,
    token         TEXT,
    tokenType     VARCHAR(255),
    timestamp     VARCHAR(255),
    owner         VARCHAR(255),
    PRIMARY KEY (processorName, segment)
);
