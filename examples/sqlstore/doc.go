// Package sqlstore is a [servicing.Store] on database/sql: the storage a host
// would actually run the engine on. [OpenSQLite] is the embedded default
// (modernc.org/sqlite, pure Go, no cgo); [OpenPostgres] is for production
// (github.com/jackc/pgx/v5 through its database/sql driver). Both pass
// servicingtest.TestStore.
//
// # Representation
//
// Six tables, created by migrations embedded in the binary and applied on
// open (schema_migrations records which ran):
//
//   - loans: one row per loan with its version (the number of its events);
//   - events: append-only (triggers refuse UPDATE and DELETE), keyed by
//     (loan_id, seq); body is the event's canonical JSON, the other columns
//     are copies for reports;
//   - checkpoints: opaque state snapshots keyed by (loan_id, through,
//     version), through being the date's day number; a state is stored
//     DEFLATE-compressed when that is smaller (state_encoding 1: about 40%
//     smaller), compressed by the committing goroutine;
//   - idempotency: the first result of each command key, per loan;
//   - outbox: each commit's domain events (servicing.Batch.Outbox), written
//     in the commit's transaction, keyed by (loan_id, version, idx), ordered
//     by position, with an acked flag: the store is a
//     [servicing.OutboxReader];
//   - day_closes: one row per portfolio end of day that ran without error,
//     keyed by the day and the digest of its loans: the store is a
//     [servicing.DayCloser], so a quiet loan-day (accrual only) writes
//     nothing.
//
// On PostgreSQL, [Runs] adds the tables of sharded end of day (eod_runs,
// eod_shards).
//
// # Concurrency
//
// A commit is one transaction: a compare-and-swap on the loan's version row
// (UPDATE ... WHERE version = expected, or INSERT for a new loan), then the
// idempotency record (a key already present is [servicing.ErrDuplicateKey]),
// the events and the checkpoint. On PostgreSQL the row lock taken by the
// UPDATE serializes writers of one loan and lets writers of different loans
// run in parallel; a writer that loses the race updates no row and gets
// [servicing.ErrVersionConflict]. On SQLite, which has one writer at a time, the
// store owns the file (exclusive locking, one connection) and groups
// commits: concurrent Commit calls queue, and one goroutine writes whatever
// has queued (yielding the processor a few times first, so that commits
// about to arrive join) in one transaction, each commit in a savepoint of its own, so
// the per-transaction cost is paid once per group. With
// [SQLiteOptions].Cache the store also answers the engine's reads (version,
// latest checkpoint, the events after it, whether a key exists) from a
// write-through cache, coherent because no other process can write the file.
//
// # Errors
//
// Methods return the servicing sentinels (ErrNotFound, ErrVersionConflict,
// ErrDuplicateKey, ErrInvalidBatch) wrapped with the loan and key, the
// context's error when it is done, or the driver's error wrapped with what
// was being done.
package sqlstore
