package servicing

import (
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/lendcore/servicing/field"
)

// Config configures an Engine. Zero mechanical limits mean documented
// defaults; the clock has no default, on purpose.
type Config struct {
	// Store is where loans live. Required.
	Store Store
	// Now is the clock stamped on events as RecordedAt. Required: the engine
	// never reads the wall clock by itself, so tests and simulations control
	// time (pass time.Now in production).
	Now func() time.Time
	// CheckpointEvery saves a checkpoint when at least this many events
	// have been committed since the last one (0: 32). End of day saves one
	// when it has domain events to report (a late fee, a status change, a
	// milestone); a quiet day writes only its marker event and idempotency
	// record.
	CheckpointEvery int
	// MaxRetries bounds the reload-and-retry loop on version conflicts
	// (0: 16).
	MaxRetries int
	// Workers is the portfolio end-of-day pool size (0: 4).
	Workers int
	// HeadStates bounds the loans whose latest state the engine keeps in
	// memory, about 2 KB each (0: 16,384; negative: none). The next command
	// on such a loan folds only its own event when the store's log still
	// ends where the kept state does; otherwise, and for a backdated
	// command, the loan is folded from its checkpoint as usual, with the
	// same result.
	HeadStates int
	// Notify, when set, receives the problems the engine worked around
	// without failing the call, so the host can see and alert on them: a
	// *CheckpointError when a stored checkpoint could not be decoded and
	// the loan was folded from its log instead (the log is the truth; the
	// checkpoint is a cache). Nil ignores them. It is called synchronously
	// and must be safe for concurrent use; it runs while a command holds
	// its loan (commands on one loan queue), so it must not run commands
	// on the engine itself.
	Notify func(error)
	// Logger, when set, receives a record of every command (Debug; Info
	// when the input was refused, Warn when it failed), of retries, of
	// checkpoint fallbacks and of slow end-of-day loans (Warn). Records
	// carry the command kind, loan id, date, outcome, duration and field
	// paths, never a borrower, actor, reason, idempotency key or amount.
	// Nil logs nothing.
	Logger *slog.Logger
	// Observer, when set, sees every command, retry, checkpoint fallback
	// and slow end of day, for metrics and traces (see Observer). Nil, with
	// no Logger, means the engine does no observation work.
	Observer Observer
	// SlowLoan is the end-of-day duration above which a loan is reported
	// to the Observer and the Logger (0: 1 second).
	SlowLoan time.Duration
	// Parties is where the personal data of the people on a loan is kept
	// (see PartyVault), outside the log and its hashes. Nil: the party
	// commands return ErrNoVault.
	Parties PartyVault
}

// Engine runs commands and queries against a Store. It is safe for
// concurrent use. The only per-loan state it keeps in memory is a bounded
// cache of states it folded (Config.HeadStates), used only when the store
// shows them current.
type Engine struct {
	store           Store
	now             func() time.Time
	checkpointEvery int
	maxRetries      int
	workers         int
	notify          func(error)
	obs             Observer // nil: no Observer and no Logger
	slowLoan        time.Duration
	parties         PartyVault
	terms           *termsCache
	heads           *headCache
	lanes           *lanes
	noSplit         bool          // tests: fold backdated commands from the stored checkpoint
	noQuiet         bool          // tests: fold every day-close end of day (no quietDay)
	quietAnswered   *atomic.Int64 // tests: counts the days quietDay answered
	pieceEvents     int           // foldPieces' piece length (snapEvery; tests set less)
}

// New returns an engine for cfg. It returns an error wrapping
// ErrInvalidConfig if Store or Now is nil or a limit other than HeadStates
// is negative.
func New(cfg Config) (*Engine, error) {
	var l field.List
	if cfg.Store == nil {
		l.Add("Config.Store", nil, field.ErrRequired, "")
	}
	if cfg.Now == nil {
		l.Add("Config.Now", nil, field.ErrRequired, "inject a clock; the engine has no wall-clock default")
	}
	if cfg.CheckpointEvery < 0 {
		l.Add("Config.CheckpointEvery", cfg.CheckpointEvery, field.ErrOutOfRange, "")
	}
	if cfg.MaxRetries < 0 {
		l.Add("Config.MaxRetries", cfg.MaxRetries, field.ErrOutOfRange, "")
	}
	if cfg.Workers < 0 {
		l.Add("Config.Workers", cfg.Workers, field.ErrOutOfRange, "")
	}
	if cfg.SlowLoan < 0 {
		l.Add("Config.SlowLoan", cfg.SlowLoan, field.ErrOutOfRange, "")
	}
	if err := l.Err(ErrInvalidConfig); err != nil {
		return nil, fmt.Errorf("servicing.New: %w", err)
	}
	e := &Engine{store: cfg.Store, now: cfg.Now, checkpointEvery: cfg.CheckpointEvery, maxRetries: cfg.MaxRetries,
		workers: cfg.Workers, notify: cfg.Notify, terms: newTermsCache(),
		parties: cfg.Parties}
	if cfg.HeadStates == 0 {
		cfg.HeadStates = defaultHeadStates
	}
	e.heads = newHeadCache(cfg.HeadStates) // negative: none
	e.lanes = newLanes()
	e.pieceEvents = snapEvery
	if e.checkpointEvery == 0 {
		e.checkpointEvery = 32
	}
	if e.maxRetries == 0 {
		e.maxRetries = 16
	}
	if e.workers == 0 {
		e.workers = 4
	}
	e.obs, e.slowLoan = newObservers(cfg), cfg.SlowLoan
	if e.slowLoan == 0 {
		e.slowLoan = time.Second
	}
	return e, nil
}

// report hands a problem the engine worked around to Config.Notify and
// the Observer.
func (e *Engine) report(err error) {
	if e.notify != nil {
		e.notify(err)
	}
	var ce *CheckpointError
	if e.obs != nil && errors.As(err, &ce) {
		e.obs.CheckpointFallback(ce)
	}
}
