-- Day closes (servicing.DayCloser): one row per portfolio end of day that
-- ran without error, keyed by the business day's number (date.Date) and the
-- SHA-256 digest of the loans it closed. A quiet loan-day writes no event;
-- this row is its record.
CREATE TABLE day_closes (
    business_day BIGINT NOT NULL,
    loans        BYTEA  NOT NULL CHECK (length(loans) = 32),
    PRIMARY KEY (business_day, loans)
);
