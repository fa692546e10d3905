-- Outbox: the domain events of each commit, written in its transaction.
-- (loan_id, version, idx) is the record's stable id; position orders the
-- records (one writer at a time, so in commit order). acked is the one
-- column ever updated.
CREATE TABLE outbox (
    position INTEGER PRIMARY KEY,
    loan_id  TEXT    NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    idx      INTEGER NOT NULL CHECK (idx >= 0),
    body     BLOB    NOT NULL,
    acked    INTEGER NOT NULL DEFAULT FALSE,
    UNIQUE (loan_id, version, idx)
);
CREATE INDEX outbox_pending ON outbox (position) WHERE acked = FALSE;
