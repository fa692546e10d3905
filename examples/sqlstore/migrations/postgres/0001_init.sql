-- Loans: one row per loan, its current version (number of events). The
-- compare-and-swap on this row is the optimistic-concurrency check.
CREATE TABLE loans (
    loan_id TEXT   PRIMARY KEY,
    version BIGINT NOT NULL CHECK (version >= 0)
);

-- Events: append-only; never updated or deleted. body is the event's
-- canonical JSON (servicing.Event.MarshalJSON); the other columns are copies
-- for people and reports.
CREATE TABLE events (
    loan_id         TEXT        NOT NULL,
    seq             BIGINT      NOT NULL CHECK (seq >= 1),
    kind            TEXT        NOT NULL,
    effective_on    DATE        NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    idempotency_key TEXT        NOT NULL,
    body            JSONB       NOT NULL,
    PRIMARY KEY (loan_id, seq)
);

-- Checkpoints: snapshots replay may start from; through is the date's day
-- number (servicing date.Date), so date.Max() compares too.
CREATE TABLE checkpoints (
    loan_id TEXT   NOT NULL,
    through BIGINT NOT NULL,
    version BIGINT NOT NULL,
    state   BYTEA  NOT NULL,
    PRIMARY KEY (loan_id, through, version)
);

-- Idempotency records: the first result of each command key, per loan.
CREATE TABLE idempotency (
    loan_id      TEXT   NOT NULL,
    key          TEXT   NOT NULL,
    payload_hash BYTEA  NOT NULL,
    version      BIGINT NOT NULL,
    result       BYTEA  NOT NULL,
    PRIMARY KEY (loan_id, key)
);

-- Events are append-only: refuse edits and deletes at the database too.
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'servicing events are append-only';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();
