package servicing

import (
	"context"
	"hash/maphash"
)

// lanes runs one engine's commands on the same loan one at a time. Two
// commands on one loan cannot both commit (the store's version check lets
// one through), so running them together only makes the loser fold again;
// queued, each folds once. Loans share a lane by hash; commands on other
// engines still meet at the store's version check. Waiting for a lane ends
// when the command's context does.
type lanes struct {
	seed maphash.Seed
	ch   [256]chan struct{}
}

func newLanes() *lanes {
	l := &lanes{seed: maphash.MakeSeed()}
	for i := range l.ch {
		l.ch[i] = make(chan struct{}, 1)
	}
	return l
}

// enter waits for loan id's lane; the caller must call leave with the
// returned lane.
func (l *lanes) enter(ctx context.Context, id LoanID) (chan struct{}, error) {
	c := l.ch[maphash.String(l.seed, string(id))%uint64(len(l.ch))]
	select {
	case c <- struct{}{}:
		return c, nil
	default:
	}
	select {
	case c <- struct{}{}:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func leave(c chan struct{}) { <-c }
