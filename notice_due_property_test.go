package servicing_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/lendcore/servicing"
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestNoticeDueMatchesCalendar: for random histories (randomLog's, without
// reversals, which rewrite the days before them; with an escrow account
// on some) boarded with every calendar notice in Terms.NoticeDue, and a
// random date T, the notice_due events of the fold through T are the
// calendar's own:
//
//   - the periodic and escrow statements reported are exactly those
//     State.Notices lists on T, each once, on the day it opens;
//   - the early intervention notices reported are exactly those
//     State.Notices listed on some day through T, at its end, before its
//     events or between them (it lists only the current delinquency's),
//     each once, on the first day it was listed;
//   - folding the history one day at a time, or in random pieces, reports
//     the same events (each day's once, whatever the grouping).
func TestNoticeDueMatchesCalendar(t *testing.T) {
	folded, reported := 0, 0
	for seed := range uint64(24) {
		l := randomLog(seed, 40)
		r := rand.New(rand.NewPCG(seed, 21))
		b := l.events[0].Payload.(loan.Boarded)
		b.Terms.NoticeDue = loan.NoticeDueKinds
		if b.Terms.Accrual == loan.AccrualScheduled && r.IntN(2) == 0 {
			b.Terms.EscrowPayment = usd("250.00")
		}
		if b.Terms.ARM == nil && r.IntN(2) == 0 {
			// Change Dates soon enough for the history to reach their
			// notices (they open up to 240 days before each change).
			arm := &accrual.ARM{InitialRate: b.Terms.AnnualRate, FirstChangeOn: b.Terms.FundingDate + date.Date(30+r.IntN(300)),
				ChangeEveryMonths: []int{0, 1, 6, 12}[r.IntN(4)]}
			if t2 := b.Terms; true {
				t2.ARM = arm
				if t2.Validate() == nil {
					b.Terms = t2
				}
			}
		}
		evs := []loan.Event{}
		for i, e := range l.events {
			if i == 0 {
				e.Payload = b
			}
			if e.Kind != loan.KindPaymentReversed {
				evs = append(evs, e)
			}
		}
		if n, ok := checkNoticeDue(t, r, seed, b.Terms, evs); ok {
			folded++
			reported += n
		}
	}
	require.Greater(t, folded, 12, "most random histories fold")
	require.Greater(t, reported, 100)
}

// TestNoticeDueMatchesCalendarShapes: checkNoticeDue on a line of credit
// (statements are the line's own; early intervention from its minimum
// payments) and on a mortgage with a down payment due at funding (no
// periodic statement for it), paid at random.
func TestNoticeDueMatchesCalendarShapes(t *testing.T) {
	reported := 0
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 0x5ba))
		terms := creditLine()
		amounts := []string{"60.00", "200.00", "25.00", "1.00"}
		if seed%2 == 1 {
			terms = mortgage()
			terms.DownPayment = usd("5000.00")
			amounts = []string{"1199.10", "1199.10", "5000.00", "600.00", "2398.20"}
		}
		terms.NoticeDue = loan.NoticeDueKinds
		nt, err := terms.Normalized()
		require.NoError(t, err)
		l := newLog(nt)
		on := nt.FundingDate
		for range 24 {
			on += date.Date(5 + r.IntN(40))
			if nt.Line != nil && r.IntN(4) == 0 {
				l.add(on, loan.Drawn{Amount: usd("300.00")})
				continue
			}
			l.pay(on, amounts[r.IntN(len(amounts))])
		}
		n, ok := checkNoticeDue(t, r, seed, nt, l.events)
		require.True(t, ok, "seed %d folds", seed)
		reported += n
	}
	require.Greater(t, reported, 40)
}

// checkNoticeDue folds evs (boarded with terms, which list every kind in
// NoticeDue) through a random date after the last event and checks the
// notice_due events against the calendar as TestNoticeDueMatchesCalendar
// says. It returns the number of notices reported, and false when the
// history is refused.
func checkNoticeDue(t *testing.T, r *rand.Rand, seed uint64, terms loan.Terms, evs []loan.Event) (int, bool) {
	t.Helper()
	static := []notice.Kind{notice.KindPeriodicStatement, notice.KindEscrowInitial, notice.KindEscrowAnnual, notice.KindEscrowShortYear,
		notice.KindARMInitial, notice.KindARMPaymentChange}
	early := []notice.Kind{notice.KindLiveContact, notice.KindWrittenNotice}
	last := slices.MaxFunc(evs, func(a, b loan.Event) int { return int(a.EffectiveOn - b.EffectiveOn) }).EffectiveOn
	asOf := last + date.Date(r.IntN(400))
	st, dom, err := loan.Fold(loan.Initial(terms), evs, asOf)
	if err != nil {
		return 0, false // some random histories are refused
	}
	got := map[string]loan.DomainEvent{}
	for _, de := range dom {
		if de.Type != loan.DomainNoticeDue {
			continue
		}
		_, twice := got[de.NoticeKey]
		require.False(t, twice, "seed %d: %s reported twice", seed, de.NoticeKey)
		got[de.NoticeKey] = de
	}

	// The statements: those the calendar lists on asOf.
	ns, err := st.Notices(evs, loan.NoticeOptions{Kinds: static})
	require.NoError(t, err)
	want := map[string]date.Date{}
	for _, n := range ns {
		want[n.Key()] = n.Opens
	}

	// Early intervention, and the pieces: one day at a time.
	byDay := map[date.Date][]loan.Event{}
	for _, e := range evs {
		byDay[e.EffectiveOn] = append(byDay[e.EffectiveOn], e)
	}
	var pieces []loan.DomainEvent
	s := loan.Initial(terms)
	for day := terms.FundingDate; day <= asOf; day++ {
		states := []loan.State{}
		if day > terms.FundingDate {
			// Before the day's events, and between them.
			for i := range byDay[day] {
				st, err := loan.ReplayFrom(s, byDay[day][:i], day)
				require.NoError(t, err)
				states = append(states, st)
			}
		}
		var de []loan.DomainEvent
		s, de, err = loan.Fold(s, byDay[day], day)
		require.NoError(t, err, "seed %d day %s", seed, day)
		pieces = append(pieces, de...)
		for _, st := range append(states, s) {
			listed, err := st.Notices(evs, loan.NoticeOptions{Kinds: early})
			require.NoError(t, err)
			for _, n := range listed {
				if _, ok := want[n.Key()]; !ok {
					want[n.Key()] = day // the first day listed
				}
			}
		}
	}
	var extra []string
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, k)
		}
	}
	require.Empty(t, extra, "seed %d: reported, never listed", seed)
	require.Len(t, got, len(want), "seed %d", seed)
	for k, on := range want {
		require.Contains(t, got, k, "seed %d", seed)
		require.Equal(t, on, got[k].On, "seed %d: %s", seed, k)
	}
	require.Equal(t, noticeKeys(dom), noticeKeys(pieces), "seed %d: day by day", seed)

	// Random pieces.
	var chunks []loan.DomainEvent
	s = loan.Initial(terms)
	for day := terms.FundingDate; day <= asOf; {
		end := min(asOf, day+date.Date(r.IntN(90)))
		var part []loan.Event
		for d := day; d <= end; d++ {
			part = append(part, byDay[d]...)
		}
		var de []loan.DomainEvent
		s, de, err = loan.Fold(s, part, end)
		require.NoError(t, err)
		chunks = append(chunks, de...)
		day = end + 1
	}
	require.Equal(t, noticeKeys(dom), noticeKeys(chunks), "seed %d: in pieces", seed)
	return len(got), true
}

// noticeKeys are the event keys of the notice_due events, sorted.
func noticeKeys(des []loan.DomainEvent) []string {
	var out []string
	for _, de := range des {
		if de.Type == loan.DomainNoticeDue {
			out = append(out, de.Key())
		}
	}
	slices.Sort(out)
	return out
}

// TestNoticeDueThroughOutbox: random commands (payments, fees, ends of
// day, at random dates) run through the engine in date order and in two
// random orders, backdated ones refolding the history (the refold reports
// what it changed, retractions included). Net of retractions, the outbox a
// relay reads holds each notice_due event of the stored log's fold once
// and nothing else: exactly once across backdated inserts. (Commands of
// the same day in another order make another log: the notices listed
// between two receipts of a day depend on which came first.)
func TestNoticeDueThroughOutbox(t *testing.T) {
	ctx := context.Background()
	products := []func() loan.Terms{mortgage, consumerLoan, autoLoan}
	sets, reported := 0, 0
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 0x21b))
		terms := products[seed%3]()
		if r.IntN(3) == 0 {
			// The status ladder, without a charge-off within the
			// commands' dates (as TestDifferentialDomainEventOrder).
			terms = ladder(terms, delinquency.StatusPolicy{DelinquentDays: 1, DefaultDays: 30, NonAccrualDays: 45 + r.IntN(20),
				ChargeOffDays: 400, ChargeOff: delinquency.ChargeOffRegular})
		}
		terms.NoticeDue = loan.NoticeDueKinds
		if terms.Accrual == loan.AccrualScheduled && r.IntN(2) == 0 {
			terms.EscrowPayment = usd("250.00")
		}
		nt, err := terms.Normalized()
		require.NoError(t, err)
		cmds := randomCommands(r, nt, 6)
		last := slices.MaxFunc(cmds, func(a, b diffCommand) int { return int(a.on - b.on) }).on + 1
		run := func(order []int) {
			store := servicingtest.NewMemStore()
			e := newEngine(t, store)
			board(t, e, "L", nt)
			for _, i := range order {
				_, err := cmds[i].run(e, "L", cmds[i].on, key(fmt.Sprint("c", i)))
				require.NoError(t, err, "seed %d command %d", seed, i)
			}
			_, err := e.EndOfDay(ctx, "L", last, servicing.Meta{})
			require.NoError(t, err)
			net := map[string]int{}
			_, err = servicing.DrainOutbox(ctx, store, 50, func(_ context.Context, recs []servicing.OutboxRecord) error {
				for _, rec := range recs {
					if rec.Event.Type != loan.DomainNoticeDue {
						continue
					}
					k := rec.Event
					k.Retracted = false
					if rec.Event.Retracted {
						net[k.Key()]--
					} else {
						net[k.Key()]++
					}
				}
				return nil
			})
			require.NoError(t, err)
			for k, n := range net {
				if n == 0 {
					delete(net, k)
				}
			}
			evs, err := store.Events(ctx, "L", 1)
			require.NoError(t, err)
			_, dom, err := loan.Fold(loan.Initial(nt), evs, last)
			require.NoError(t, err)
			want := map[string]int{}
			for _, k := range noticeKeys(dom) {
				want[k]++
			}
			require.Equal(t, want, net, "seed %d %s: order %v", seed, nt.Accrual, order)
			reported += len(want)
		}
		byDate := make([]int, len(cmds))
		for i := range byDate {
			byDate[i] = i
		}
		slices.SortStableFunc(byDate, func(a, b int) int { return int(cmds[a].on - cmds[b].on) })
		run(byDate)
		for range 2 {
			run(r.Perm(len(cmds)))
		}
		sets++
	}
	t.Logf("%d command sets in three orders each (%d notices reported)", sets, reported)
}
