-- Loans: one row per loan, its current version (number of events). The
-- compare-and-swap on this row is the optimistic-concurrency check.
CREATE TABLE loans (
    loan_id TEXT    PRIMARY KEY,
    version INTEGER NOT NULL CHECK (version >= 0)
) WITHOUT ROWID;

-- Events: append-only; never updated or deleted. body is the event's
-- canonical JSON (servicing.Event.MarshalJSON); the other columns are copies
-- for people and reports.
CREATE TABLE events (
    loan_id         TEXT    NOT NULL,
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    kind            TEXT    NOT NULL,
    effective_on    TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    body            BLOB    NOT NULL,
    PRIMARY KEY (loan_id, seq)
) WITHOUT ROWID;

-- Checkpoints: snapshots replay may start from; through is the date's day
-- number (servicing date.Date), so date.Max() compares too.
CREATE TABLE checkpoints (
    loan_id TEXT    NOT NULL,
    through INTEGER NOT NULL,
    version INTEGER NOT NULL,
    state   BLOB    NOT NULL,
    PRIMARY KEY (loan_id, through, version)
) WITHOUT ROWID;

-- Idempotency records: the first result of each command key, per loan.
CREATE TABLE idempotency (
    loan_id      TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    payload_hash BLOB    NOT NULL,
    version      INTEGER NOT NULL,
    result       BLOB    NOT NULL,
    PRIMARY KEY (loan_id, key)
) WITHOUT ROWID;

-- Events are append-only: refuse edits and deletes at the database too.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'servicing events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'servicing events are append-only');
END;
