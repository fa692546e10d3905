package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	servicing "github.com/lendcore/servicing"
)

// maxGroup bounds the commits one SQLite transaction carries.
const maxGroup = 128

// maxYields bounds the times the writer yields the processor to let more
// commits join a group before writing it.
const maxYields = 8

// errClosed is returned by Commit after Close.
var errClosed = errors.New("sqlstore: store is closed")

// request is one Commit waiting for the group writer.
type request struct {
	ctx      context.Context
	loan     servicing.LoanID
	expected int64
	b        servicing.Batch
	evs      []encoded
	cp       packedState
	reply    chan error
}

// groupWriter is SQLite's group commit: Commit calls queue here and one
// goroutine writes whatever has queued in one transaction, each commit in a
// savepoint of its own (so a commit that fails, for example on a version
// conflict, rolls back alone), then commits the transaction once. SQLite
// admits one writer at a time anyway; grouping pays the per-transaction
// cost (the WAL append of each changed page, the lock handoff) once per
// group instead of once per commit. A commit is acknowledged only after its
// group's transaction committed; if that fails, every commit of the group
// gets the error and none of them is written.
type groupWriter struct {
	s     *Store
	queue chan *request
	done  chan struct{} // closed by stop
	wg    sync.WaitGroup
	once  sync.Once
}

func newGroupWriter(s *Store) *groupWriter {
	g := &groupWriter{s: s, queue: make(chan *request, maxGroup), done: make(chan struct{})}
	g.wg.Add(1)
	go g.run()
	return g
}

// commit queues r and waits for its outcome. It waits even when r.ctx ends
// meanwhile: the writer skips a request whose context is done before it is
// applied, and once applied the outcome is the group's, so the caller always
// learns what happened.
func (g *groupWriter) commit(r *request) error {
	select {
	case g.queue <- r:
	case <-g.done:
		return errClosed
	case <-r.ctx.Done():
		return r.ctx.Err()
	}
	return <-r.reply
}

func (g *groupWriter) stop() {
	g.once.Do(func() { close(g.done) })
	g.wg.Wait()
}

func (g *groupWriter) run() {
	defer g.wg.Done()
	group := make([]*request, 0, maxGroup)
	for {
		select {
		case <-g.done:
			// Fail whatever is still queued.
			for {
				select {
				case r := <-g.queue:
					r.reply <- errClosed
				default:
					return
				}
			}
		case r := <-g.queue:
			group = append(group[:0], r)
		}
		// Take what has queued; then, while yielding the processor lets
		// more commits arrive (goroutines that were about to commit), take
		// those too: a transaction's cost is mostly the pages it writes, and
		// commits of one group share many of them.
		for yields := 0; len(group) < maxGroup && yields < maxYields; yields++ {
			n := len(group)
		drain:
			for len(group) < maxGroup {
				select {
				case r := <-g.queue:
					group = append(group, r)
				default:
					break drain
				}
			}
			if len(group) == n && yields > 0 {
				break
			}
			runtime.Gosched()
		}
		g.write(group)
	}
}

// write commits a group in one transaction. The transaction runs on a
// background context: one caller's cancellation must not undo the others'
// commits; each request's own context is checked before it is applied.
func (g *groupWriter) write(group []*request) {
	ctx := context.Background()
	errs := make([]error, len(group))
	fail := func(err error) {
		for i, r := range group {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("sqlstore: commit loan %q: %w", r.loan, err)
			}
			r.reply <- errs[i]
		}
	}
	tx, err := g.s.write.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	applied := 0
	for i, r := range group {
		if err := r.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if _, err := tx.StmtContext(ctx, g.s.savepoint).ExecContext(ctx); err != nil {
			_ = tx.Rollback()
			fail(fmt.Errorf("savepoint: %w", err))
			return
		}
		newVersion := r.expected + int64(len(r.b.Events))
		if err := g.s.commitTx(ctx, tx, r.loan, r.expected, newVersion, r.b, r.evs, r.cp); err != nil {
			errs[i] = err
			if _, err := tx.StmtContext(ctx, g.s.rollbackTo).ExecContext(ctx); err != nil {
				_ = tx.Rollback()
				fail(fmt.Errorf("rollback to savepoint: %w", err))
				return
			}
		} else {
			applied++
		}
		if _, err := tx.StmtContext(ctx, g.s.release).ExecContext(ctx); err != nil {
			_ = tx.Rollback()
			fail(fmt.Errorf("release savepoint: %w", err))
			return
		}
	}
	if applied == 0 {
		_ = tx.Rollback()
	} else if err := tx.Commit(); err != nil {
		if c := g.s.cache; c != nil {
			ids := make([]servicing.LoanID, len(group))
			for i, r := range group {
				ids[i] = r.loan
			}
			c.forget(ids)
		}
		fail(err)
		return
	}
	if c := g.s.cache; c != nil {
		for i, r := range group {
			if errs[i] == nil {
				c.committed(r.loan, r.expected+int64(len(r.b.Events)), r.b)
			}
		}
	}
	for i, r := range group {
		r.reply <- errs[i]
	}
}
