package servicing_test

import (
	"context"
	"fmt"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/collections"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/party"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/lendcore/servicing/workflow"
	"github.com/rickb777/date/v2"
)

// The examples below use the mortgage of losPayload: 200,000.00 at 6 %
// for 30 years, 1,199.10 due on the 1st from 1 Mar 2024, 15 days' grace,
// a late fee of 5 % × 1,199.10 = 59.955, rounded half away from zero to
// 59.96. Unless an example pays, nothing is paid: the loan is delinquent
// from 2 Mar, and a late fee is charged on the 17th of each month (the
// 1st + 15 days' grace + 1).

// apr is a day of April 2024 (the month most examples work in).
func apr(day int) date.Date { return date.New(2024, time.April, day) }

// borrowerEngine is exampleEngine with a party vault, and the mortgage
// boarded under each of ids too.
func borrowerEngine(ids ...servicing.LoanID) (*servicing.Engine, context.Context) {
	ctx := context.Background()
	tick := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	e, err := servicing.New(servicing.Config{
		Store:   servicingtest.NewMemStore(),
		Now:     func() time.Time { tick = tick.Add(time.Second); return tick },
		Parties: servicingtest.NewMemVault(),
	})
	if err != nil {
		panic(err)
	}
	for _, id := range append([]servicing.LoanID{"MTG-1"}, ids...) {
		req, err := loan.ParseBoarding([]byte(losPayload))
		if err != nil {
			panic(err)
		}
		if _, err := e.Board(ctx, id, req, keyEx("board-"+string(id))); err != nil {
			panic(err)
		}
	}
	return e, ctx
}

// must panics on a command's error: an example's setup cannot fail.
func must(r servicing.Result, err error) servicing.Result {
	if err != nil {
		panic(err)
	}
	return r
}

// withParties is the borrower engine with a borrower (P1) and a
// co-borrower (P2, who asked not to be contacted in April 2024) on MTG-1.
func withParties() (*servicing.Engine, context.Context) {
	e, ctx := borrowerEngine()
	alice := party.Contact{Name: "Alice Example", Email: "alice@example.com", Preferred: party.Email}
	bob := party.Contact{Name: "Bob Example", Phone: "+1 555 0101",
		DoNotContact: []party.Window{{From: apr(1), To: date.New(2024, time.May, 1)}}}
	must(e.SetParty(ctx, "MTG-1", date.New(2024, time.January, 15), party.Party{ID: "P1", Role: party.Borrower}, alice, keyEx("p1")))
	must(e.SetParty(ctx, "MTG-1", date.New(2024, time.January, 15), party.Party{ID: "P2", Role: party.CoBorrower}, bob, keyEx("p2")))
	return e, ctx
}

// A change of the borrower's e-mail: the contact data goes to the vault
// and the log records only the name of the field that changed.
func ExampleEngine_SetParty() {
	e, ctx := withParties()
	c := party.Contact{Name: "Alice Example", Email: "alice@new.example.com", Preferred: party.Email}
	r := must(e.SetParty(ctx, "MTG-1", date.New(2024, time.March, 5), party.Party{ID: "P1", Role: party.Borrower}, c,
		servicing.Meta{IdempotencyKey: "p1-email", Actor: "agent-7", Reason: "borrower request"}))
	ch := r.Events[0].Payload.(loan.PartyChanged)
	fmt.Println(r.Events[0].Kind, ch.Party.ID, ch.Fields)
	// Output:
	// party_changed P1 [email]
}

// The parties in the order they were added, each with its contact data
// from the vault and one version (the change that added it).
func ExampleEngine_Parties() {
	e, ctx := withParties()
	ps, err := e.Parties(ctx, "MTG-1")
	if err != nil {
		panic(err)
	}
	for _, p := range ps {
		fmt.Println(p.ID, p.Role, p.Contact.Name, len(p.Versions))
	}
	// Output:
	// P1 borrower Alice Example 1
	// P2 co_borrower Bob Example 1
}

// Taking the co-borrower off the loan: the party stays in the list as
// removed, with its two versions (added, removed) and no contact data.
func ExampleEngine_RemoveParty() {
	e, ctx := withParties()
	must(e.RemoveParty(ctx, "MTG-1", date.New(2024, time.June, 1), "P2", keyEx("rm-p2")))
	ps, _ := e.Parties(ctx, "MTG-1")
	fmt.Println(ps[1].ID, ps[1].Removed, len(ps[1].Versions), ps[1].Contact.Name == "")
	// Output:
	// P2 true 2 true
}

// Erasing the borrower's personal data: the vault forgets it, while the
// log, and so the state hash, are exactly as before.
func ExampleEngine_RedactParty() {
	e, ctx := withParties()
	before, _ := e.State(ctx, "MTG-1", apr(30))
	if err := e.RedactParty(ctx, "MTG-1", "P1", servicing.Meta{Actor: "privacy", Reason: "erasure request"}); err != nil {
		panic(err)
	}
	after, _ := e.State(ctx, "MTG-1", apr(30))
	ps, _ := e.Parties(ctx, "MTG-1")
	fmt.Println(ps[0].Redacted, ps[0].Contact.Name == "", before.Hash() == after.Hash())
	// Output:
	// true true true
}

// The co-borrower's do-not-contact window is [1 Apr, 1 May): the loan may
// not be contacted on 30 Apr and may again on 1 May.
func ExampleEngine_DoNotContact() {
	e, ctx := withParties()
	blocked := e.DoNotContact(ctx)
	fmt.Println(blocked("MTG-1", date.New(2024, time.March, 31)), blocked("MTG-1", apr(30)), blocked("MTG-1", date.New(2024, time.May, 1)))
	// Output:
	// false true false
}

// A promise made on 5 Apr to pay 1,199.10 by 12 Apr, with nothing paid:
// pending through the end of 12 Apr, broken on the 13th (the day after
// the promised date), the whole 1,199.10 short.
func ExampleEngine_RecordPromise() {
	e, ctx := borrowerEngine()
	must(e.RecordPromise(ctx, "MTG-1", apr(5), loan.PromiseMade{Amount: usdEx("1199.10"), On: apr(12), Channel: "phone"}, keyEx("ptp")))
	for _, day := range []int{12, 13} {
		v, _ := e.Collections(ctx, "MTG-1", apr(day))
		j := v.Promises[0].Judgement
		fmt.Println(day, j.Outcome, j.Short.Format())
	}
	// Output:
	// 12 pending USD 0.00
	// 13 broken USD 1199.10
}

// The March installment is paid on 11 Apr, inside a promise made on 5 Apr
// to pay 1,199.10 by 12 Apr: the promise is kept on 11 Apr. The payment
// goes to the oldest installment (1 Mar), so on 20 Apr the loan is
// delinquent from the April due date only: 20 − 1 = 19 days past due.
func ExampleEngine_Collections() {
	e, ctx := borrowerEngine()
	must(e.RecordPromise(ctx, "MTG-1", apr(5), loan.PromiseMade{Amount: usdEx("1199.10"), On: apr(12), Channel: "phone"}, keyEx("ptp")))
	must(e.PostPayment(ctx, "MTG-1", apr(11), usdEx("1199.10"), keyEx("pay")))
	v, err := e.Collections(ctx, "MTG-1", apr(20))
	if err != nil {
		panic(err)
	}
	j := v.Promises[0].Judgement
	fmt.Println(j.Outcome, j.On, j.Paid.Format(), v.DaysPastDue, v.Status)
	// Output:
	// kept 2024-04-11 USD 1199.10 19 delinquent
}

// Three unpaid loans on 22 Apr 2024, each 52 days past due (1 Mar → 1 Apr
// is 31 days, then 21 more). MTG-2's promise to pay by 20 Apr broke on
// 21 Apr, so it is worked first; MTG-3's promise, due 30 Apr, is pending,
// which keeps it out; MTG-1 follows on its days past due.
func ExampleEngine_CollectionsQueue() {
	e, ctx := borrowerEngine("MTG-2", "MTG-3")
	must(e.RecordPromise(ctx, "MTG-2", apr(15), loan.PromiseMade{Amount: usdEx("1199.10"), On: apr(20)}, keyEx("ptp-2")))
	must(e.RecordPromise(ctx, "MTG-3", apr(15), loan.PromiseMade{Amount: usdEx("1199.10"), On: apr(30)}, keyEx("ptp-3")))
	q, err := e.CollectionsQueue(ctx, []servicing.LoanID{"MTG-1", "MTG-2", "MTG-3"}, apr(22), collections.QueuePolicy{}, e.DoNotContact(ctx))
	if err != nil {
		panic(err)
	}
	for _, en := range q {
		fmt.Println(en)
	}
	// Output:
	// MTG-2 broken_promise 52 dpd
	// MTG-1 days_past_due 52 dpd
}

// A right-party call on 2 Apr under a policy of one attempt every 3 days:
// the loan is out of the queue on 4 Apr and back on 5 Apr (2 + 3).
func ExampleEngine_RecordContact() {
	e, ctx := borrowerEngine()
	must(e.RecordContact(ctx, "MTG-1", apr(2), loan.ContactAttempted{Channel: "phone", Outcome: loan.ContactRightParty}, keyEx("call")))
	v, _ := e.Collections(ctx, "MTG-1", apr(4))
	fmt.Println(v.Contacts, v.LastLiveContact)
	every3 := collections.QueuePolicy{ContactEveryDays: 3}
	for _, day := range []int{4, 5} {
		q, _ := e.CollectionsQueue(ctx, []servicing.LoanID{"MTG-1"}, apr(day), every3, nil)
		fmt.Println(day, len(q))
	}
	// Output:
	// 1 2024-04-02
	// 4 0
	// 5 1
}

// plan is an arrangement agreed on 30 Apr 2024 with the loan 60 days past
// due (1 Mar → 30 Apr: 31 + 29): 1,800.00 on 10 May and on 10 Jun.
func plan(holdLateFees bool) loan.ArrangementMade {
	return loan.ArrangementMade{Payments: []collections.Planned{
		{On: date.New(2024, time.May, 10), Amount: usdEx("1800.00")},
		{On: date.New(2024, time.June, 10), Amount: usdEx("1800.00")},
	}, HoldLateFees: holdLateFees, HoldContacts: true}
}

// 1,800.00 paid on 10 May meets the May date, so on 20 May the plan is
// still pending (holding, its last date to come); nothing comes on
// 10 Jun, so it breaks on 11 Jun, 1,800.00 short of the 3,600.00 due by
// then.
func ExampleEngine_RecordArrangement() {
	e, ctx := borrowerEngine()
	must(e.RecordArrangement(ctx, "MTG-1", apr(30), plan(false), keyEx("plan")))
	must(e.PostPayment(ctx, "MTG-1", date.New(2024, time.May, 10), usdEx("1800.00"), keyEx("pay-may")))
	for _, day := range []date.Date{date.New(2024, time.May, 20), date.New(2024, time.June, 11)} {
		v, _ := e.Collections(ctx, "MTG-1", day)
		fmt.Println(day, v.Plan.Outcome, v.Plan.Paid.Format(), v.Plan.Short.Format())
	}
	// Output:
	// 2024-05-20 pending USD 1800.00 USD 0.00
	// 2024-06-11 broken USD 1800.00 USD 1800.00
}

// The same plan, holding late fees: the late fee charged on 17 May
// (59.96) is waived that day because the plan is kept; on 17 Jun the plan
// is broken and the June fee stands (nothing to waive). The fees owed are
// then those of 17 Mar, 17 Apr and 17 Jun: 3 × 59.96 = 179.88 (the
// payment went to the installments, not the fees).
func ExampleEngine_WaiveHeldLateFees() {
	e, ctx := borrowerEngine()
	must(e.RecordArrangement(ctx, "MTG-1", apr(30), plan(true), keyEx("plan")))
	must(e.PostPayment(ctx, "MTG-1", date.New(2024, time.May, 10), usdEx("1800.00"), keyEx("pay-may")))
	r := must(e.WaiveHeldLateFees(ctx, "MTG-1", date.New(2024, time.May, 17), keyEx("hold-0517")))
	fmt.Println(r.Events[0].Kind, r.Events[0].Payload.(loan.FeeWaived).Amount.Format())
	r = must(e.WaiveHeldLateFees(ctx, "MTG-1", date.New(2024, time.June, 17), keyEx("hold-0617")))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, time.June, 17))
	fmt.Println(len(r.Events), s.LateFees.Format())
	// Output:
	// fee_waived USD 59.96
	// 0 USD 179.88
}

// A loss mitigation application received on Thursday 4 Apr 2024 is
// acknowledged within 5 days excluding weekends and holidays (Reg X
// §1024.41(b)(2)(i)(B)): Fri 5 (1), Mon 8 (2), Tue 9 (3), Wed 10 (4),
// Thu 11 Apr (5).
func ExampleEngine_ReceiveRequest() {
	e, ctx := borrowerEngine()
	r := must(e.ReceiveRequest(ctx, "MTG-1", apr(4), loan.RequestLossMitigation, keyEx("lm")))
	for _, d := range r.Domain {
		if d.Type == loan.DomainNoticeDue {
			fmt.Println(d.Notice, d.By)
		}
	}
	// Output:
	// loss_mitigation_ack 2024-04-11
}

// The Reg X §1024.39(b) written notice is due "no later than the 45th day
// of a borrower's delinquency": 1 Mar + 45 days = 15 Apr. Sent on 12 Apr
// and marked so, the calendar shows it sent.
func ExampleEngine_MarkNoticeSent() {
	e, ctx := borrowerEngine()
	only := loan.NoticeOptions{Kinds: []notice.Kind{notice.KindWrittenNotice}}
	ns, _ := e.Notices(ctx, "MTG-1", apr(12), only)
	fmt.Println(ns[0].Due, ns[0].Sent)
	must(e.MarkNoticeSent(ctx, "MTG-1", apr(12), ns[0].Key(), keyEx("sent-"+ns[0].Key())))
	ns, _ = e.Notices(ctx, "MTG-1", apr(12), only)
	fmt.Println(ns[0].Due, ns[0].Sent, ns[0].SentOn)
	// Output:
	// 2024-04-15 false
	// 2024-04-15 true 2024-04-12
}

// Day 36 of delinquency is 6 Apr 2024 (1 Mar + 36 days): the end of day
// that reaches it reports the milestone, and a rule on it queues the Reg X
// §1024.39(a) live-contact call for that day.
func ExampleEngine_Tasks() {
	e, ctx := borrowerEngine()
	rules := []workflow.Rule{{Name: "live-contact", On: workflow.Trigger{Event: loan.DomainMilestone, DaysPastDue: 36},
		Then: workflow.Action{Task: "call", Queue: "collections"}}}
	r := must(e.EndOfDay(ctx, "MTG-1", apr(6), keyEx("eod-0406")))
	tasks, err := e.Tasks(ctx, "MTG-1", apr(6), r.Domain, rules, loan.NoticeOptions{})
	if err != nil {
		panic(err)
	}
	for _, t := range tasks {
		fmt.Println(t.Rule, t.On, t.Action.Task, t.Action.Queue)
	}
	// Output:
	// live-contact 2024-04-06 call collections
}

// A transfer decided on 10 Mar 2024, effective 1 Apr: the transferor's
// notice is due 15 days before the transfer (17 Mar) and the transferee's
// 15 days after it (16 Apr), Reg X §1024.33(b)(3).
func ExampleEngine_TransferServicing() {
	e, ctx := borrowerEngine()
	r := must(e.TransferServicing(ctx, "MTG-1", date.New(2024, time.March, 10),
		loan.ServicingTransferred{From: "Old Servicing", To: "New Servicing", TransferOn: apr(1)}, keyEx("xfer")))
	for _, d := range r.Domain {
		if d.Type == loan.DomainNoticeDue {
			fmt.Println(d.Notice, d.By)
		}
	}
	// Output:
	// transfer_notice_transferor 2024-03-17
	// transfer_notice_transferee 2024-04-16
}

// The package on 1 Apr 2024, after the March installment was paid on
// time: 1,199.10 paid 1,000.00 of interest (200,000.00 × 6 % / 12) and
// 199.10 of principal, leaving 199,800.90; April is due that day, so 0
// days past due. The log holds the boarding, the payment and the transfer.
func ExampleEngine_TransferOut() {
	e, ctx := borrowerEngine()
	must(e.PostPayment(ctx, "MTG-1", date.New(2024, time.March, 1), usdEx("1199.10"), keyEx("pay-mar")))
	must(e.TransferServicing(ctx, "MTG-1", date.New(2024, time.March, 10),
		loan.ServicingTransferred{From: "Old Servicing", To: "New Servicing", TransferOn: apr(1)}, keyEx("xfer")))
	p, err := e.TransferOut(ctx, "MTG-1", apr(1))
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Version, p.Principal.Format(), p.NextDueDate, p.DaysPastDue)
	// Output:
	// 3 USD 199800.90 2024-04-01 0
}

// Reg X §1024.33(c)(1): for 60 days from the 1 Apr 2024 transfer (through
// 30 May) a payment the old servicer received on time may not be treated
// as late. The May installment reached the old servicer on 28 Apr and
// the new one only on 20 May, after the grace period: it is credited as
// of 28 Apr, with no late fee and no days past due on 31 May.
func ExampleEngine_PostPriorServicerPayment() {
	e, ctx := borrowerEngine()
	must(e.PostPayment(ctx, "MTG-1", date.New(2024, time.March, 1), usdEx("1199.10"), keyEx("pay-mar")))
	must(e.TransferServicing(ctx, "MTG-1", date.New(2024, time.March, 10),
		loan.ServicingTransferred{From: "Old Servicing", To: "New Servicing", TransferOn: apr(1)}, keyEx("xfer")))
	must(e.PostPayment(ctx, "MTG-1", apr(1), usdEx("1199.10"), keyEx("pay-apr")))
	r := must(e.PostPriorServicerPayment(ctx, "MTG-1", date.New(2024, time.May, 20), apr(28), usdEx("1199.10"), servicing.PaymentOptions{}, keyEx("pay-may")))
	s, _ := e.State(ctx, "MTG-1", date.New(2024, time.May, 31))
	fmt.Println(r.Events[0].EffectiveOn, s.LateFees.Format(), s.DaysPastDue())
	// Output:
	// 2024-04-28 USD 0.00 0
}
