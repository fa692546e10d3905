// Package servicingtest helps hosts test their storage for the servicing
// engine: [MemStore] is the in-memory reference store, [Faulty] wraps any
// store to inject failures, ambiguous successes and latency, and [TestStore]
// is the conformance suite a host store must pass, in the manner of
// testing/fstest.TestFS. MemStore also keeps the transactional outbox
// (servicing.OutboxReader), and TestStore checks the outbox of any store
// that implements it. Faulty forwards only the Store methods, so a wrapped
// store is not an OutboxReader.
//
// # Determinism
//
// MemStore and Faulty do nothing at random: a fault happens at a given call
// index, so a failing run can be repeated exactly.
//
// # Errors
//
// Stores return the servicing sentinels (servicing.ErrNotFound,
// servicing.ErrVersionConflict, servicing.ErrDuplicateKey,
// servicing.ErrInvalidBatch) or the context's error; Faulty adds
// [ErrInjected].
package servicingtest
