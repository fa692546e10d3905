package servicing_test

import (
	"fmt"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

// A payoff request received on Friday 5 Apr 2024 is due within 7 business
// days (Reg Z §1026.36(c)(3)); the host sends it and marks it sent.
func ExampleEngine_Notices() {
	e, ctx := exampleEngine()
	if _, err := e.ReceiveRequest(ctx, "MTG-1", date.New(2024, time.April, 5), loan.RequestPayoff, servicing.Meta{IdempotencyKey: "req-1"}); err != nil {
		panic(err)
	}
	only := loan.NoticeOptions{From: date.New(2024, time.April, 1), Kinds: []notice.Kind{notice.KindPayoffStatement}}
	ns, err := e.Notices(ctx, "MTG-1", date.New(2024, time.April, 8), only)
	if err != nil {
		panic(err)
	}
	for _, n := range ns {
		fmt.Println(n.Kind, n.Due, n.Rule, n.Sent)
		if _, err := e.MarkNoticeSent(ctx, "MTG-1", date.New(2024, time.April, 8), n.Key(), servicing.Meta{IdempotencyKey: "sent-" + n.Key()}); err != nil {
			panic(err)
		}
	}
	ns, _ = e.Notices(ctx, "MTG-1", date.New(2024, time.April, 8), only)
	fmt.Println(len(ns), ns[0].Sent, ns[0].SentOn)
	// Output:
	// payoff_statement 2024-04-16 12 CFR 1026.36(c)(3) false
	// 1 true 2024-04-08
}

// A loan moves between two engines: the transfer is recorded, the log goes
// out as a package and is boarded on the other side, folding to the same
// state hash. The first payment of 1,199.10 paid 1,000.00 of interest
// (200,000.00 × 6 % / 12), so 199,800.90 of principal is outstanding.
func ExampleEngine_BoardTransfer() {
	a, ctx := exampleEngine()
	usd := func(s string) money.Amount { return money.MustParse(s, money.USD) }
	if _, err := a.PostPayment(ctx, "MTG-1", date.New(2024, time.March, 1), usd("1199.10"), servicing.Meta{IdempotencyKey: "pay-1"}); err != nil {
		panic(err)
	}
	if _, err := a.TransferServicing(ctx, "MTG-1", date.New(2024, time.March, 10),
		loan.ServicingTransferred{From: "Old Servicing", To: "New Servicing", TransferOn: date.New(2024, time.April, 1)},
		servicing.Meta{IdempotencyKey: "xfer"}); err != nil {
		panic(err)
	}
	pkg, err := a.TransferOut(ctx, "MTG-1", date.New(2024, time.April, 1))
	if err != nil {
		panic(err)
	}
	b, _ := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: time.Now})
	if _, err := b.BoardTransfer(ctx, pkg, servicing.Meta{IdempotencyKey: "board-in"}); err != nil {
		panic(err)
	}
	sa, _ := a.State(ctx, "MTG-1", date.New(2024, time.April, 1))
	sb, _ := b.State(ctx, "MTG-1", date.New(2024, time.April, 1))
	fmt.Println(pkg.Version, pkg.Principal.Format(), sa.Hash() == sb.Hash())
	// Output:
	// 3 USD 199800.90 true
}
