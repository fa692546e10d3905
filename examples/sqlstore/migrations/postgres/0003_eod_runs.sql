-- Sharded end of day (see Runs): one run per business day, split into
-- shards that are contiguous ranges of loan ids, [from_loan, to_loan) with
-- to_loan '' for no upper bound; together they cover every possible id. Workers claim a shard with
-- SELECT ... FOR UPDATE SKIP LOCKED and hold it by a lease (lease_until, on
-- the database's clock); token grows with every claim, so a worker whose
-- lease was taken over can no longer record progress (fencing).
CREATE TABLE eod_runs (
    business_day DATE        PRIMARY KEY,
    shards       INTEGER     NOT NULL CHECK (shards >= 1),
    loans        BIGINT      NOT NULL CHECK (loans >= 0),
    planned_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE eod_shards (
    business_day DATE        NOT NULL REFERENCES eod_runs,
    shard        INTEGER     NOT NULL CHECK (shard >= 0),
    from_loan    TEXT        NOT NULL,
    to_loan      TEXT        NOT NULL,
    loans        BIGINT      NOT NULL CHECK (loans >= 0),
    status       TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done')),
    owner        TEXT        NOT NULL DEFAULT '',
    token        BIGINT      NOT NULL DEFAULT 0,
    lease_until  TIMESTAMPTZ,
    cursor       TEXT        NOT NULL DEFAULT '',
    done         BIGINT      NOT NULL DEFAULT 0,
    failed       BIGINT      NOT NULL DEFAULT 0,
    takeovers    INTEGER     NOT NULL DEFAULT 0,
    last_error   TEXT        NOT NULL DEFAULT '',
    started_at   TIMESTAMPTZ,
    finished_at  TIMESTAMPTZ,
    PRIMARY KEY (business_day, shard)
);
