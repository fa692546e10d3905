-- Outbox: the domain events of each commit, written in its transaction.
-- (loan_id, version, idx) is the record's stable id; position orders the
-- records (per loan, in commit order: the commit's row lock on loans is held
-- before the identity is drawn). acked is the one column ever updated.
CREATE TABLE outbox (
    position BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id  TEXT    NOT NULL,
    version  BIGINT  NOT NULL CHECK (version >= 1),
    idx      INTEGER NOT NULL CHECK (idx >= 0),
    body     JSONB   NOT NULL,
    acked    BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (loan_id, version, idx)
);
CREATE INDEX outbox_pending ON outbox (position) WHERE acked = FALSE;
