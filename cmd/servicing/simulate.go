package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/internal/strictjson"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/product"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/revolving"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/rickb777/date/v2"
)

func init() {
	commands["simulate"] = command{
		summary: "run a scenario (terms, dated commands, as-of dates) through the engine; JSON out",
		run:     runSimulate,
	}
}

// scenario is the input of servicing simulate.
type scenario struct {
	// Loan is the loan id (loan-1 when absent).
	Loan string `json:"loan"`
	// Boarding is the LOS payload, read by loan.ParseBoarding, or by the
	// catalogue when it names a product.
	Boarding json.RawMessage `json:"boarding"`
	// Commands are run in order, each as its type says.
	Commands []json.RawMessage `json:"commands"`
	// AsOf are dates to report the loan's state on.
	AsOf []date.Date `json:"as_of"`
	// PayoffOn are dates to quote a payoff for.
	PayoffOn []date.Date `json:"payoff_on"`
	// EscrowStatementOn are dates to give the annual escrow statement on
	// (Reg X §1024.17(i); a loan with escrow items).
	EscrowStatementOn []date.Date `json:"escrow_statement_on"`
}

// scenarioCommand is one command of a scenario, every member any type
// takes; commandMembers says which a type takes.
type scenarioCommand struct {
	// Type is the command: payment, reverse_payment, fee, waive_fee,
	// rate_change, modify, pause, draw, charge_off, recovery, adjust,
	// escrow_disbursement, rate_cap, index_reset, refund_credit,
	// refund_escrow, escrow_analysis, migrate_rules or end_of_day.
	Type string `json:"type"`
	// On is the command's effective date (it may be backdated).
	On date.Date `json:"on"`
	// Key is the idempotency key; simulate gives a command without one
	// its own (prefix scenario:, reserved).
	Key string `json:"key"`
	// Amount is the command's amount, bare or with the loan's currency
	// code; signed for adjust.
	Amount string `json:"amount"`
	// PaymentSeq is the sequence number of the payment a reversal undoes
	// (a result's seq).
	PaymentSeq int64 `json:"payment_seq"`
	// NSFFee is the returned-payment fee charged with a reversal.
	NSFFee string `json:"nsf_fee"`
	// FeeType is the fee assessed or waived: late, nsf, other, or a host's
	// own.
	FeeType string `json:"fee_type"`
	// Rate is the new rate (rate_change), the SCRA cap (rate_cap) or the
	// index value (index_reset), with its unit: "6%", "600bp".
	Rate string `json:"rate"`
	// Modification is a modify command's change: type (recast,
	// re_amortize, re_age, deferment, forbearance, term_extension), rate,
	// extend_installments, defer_installments.
	Modification *loan.Modified `json:"modification"`
	// Pause is a pause's end (to, exclusive), type, interest treatment and
	// keep_due_dates.
	Pause *loan.Paused `json:"pause"`
	// Bucket is the balance an adjust command moves: principal, interest,
	// fees, escrow or suspense.
	Bucket string `json:"bucket"`
	// Payee is who an escrow disbursement paid.
	Payee string `json:"payee"`
	// To is the end of an SCRA rate cap.
	To date.Date `json:"to"`
	// Behavior is a charge-off's behaviour: regular, stop_interest or
	// accelerate_maturity.
	Behavior string `json:"behavior"`
	// PaymentType is the transaction type choosing the waterfall
	// (repayment, payoff, goodwill_credit, or one the loan's rules name).
	PaymentType string `json:"payment_type"`
	// Extra is what money beyond what is due does for this receipt:
	// pay_ahead, curtail, reduce_term, recast or hold.
	Extra string `json:"extra"`
	// Method and Reference describe the receipt (ACH, check number).
	Method    string `json:"method"`
	Reference string `json:"reference"`
	// Rules is the servicing rules version migrate_rules moves the loan to.
	Rules int `json:"rules"`
}

// commandMembers lists, per command type, the members it takes besides
// type, on and key, and which of them are required.
var commandMembers = map[string]struct{ allowed, required []string }{
	"payment":             {[]string{"amount", "payment_type", "extra", "method", "reference"}, []string{"amount"}},
	"reverse_payment":     {[]string{"payment_seq", "nsf_fee"}, []string{"payment_seq"}},
	"fee":                 {[]string{"fee_type", "amount"}, []string{"fee_type", "amount"}},
	"waive_fee":           {[]string{"fee_type", "amount"}, []string{"fee_type", "amount"}},
	"rate_change":         {[]string{"rate"}, []string{"rate"}},
	"modify":              {[]string{"modification"}, []string{"modification"}},
	"pause":               {[]string{"pause"}, []string{"pause"}},
	"draw":                {[]string{"amount"}, []string{"amount"}},
	"charge_off":          {[]string{"behavior"}, nil},
	"recovery":            {[]string{"amount"}, []string{"amount"}},
	"adjust":              {[]string{"bucket", "amount"}, []string{"bucket", "amount"}},
	"escrow_disbursement": {[]string{"amount", "payee"}, []string{"amount"}},
	"rate_cap":            {[]string{"rate", "to"}, []string{"rate"}},
	"index_reset":         {[]string{"rate"}, []string{"rate"}},
	"refund_credit":       {[]string{"amount"}, []string{"amount"}},
	"refund_escrow":       {[]string{"amount"}, []string{"amount"}},
	"escrow_analysis":     {nil, nil},
	"migrate_rules":       {[]string{"rules"}, []string{"rules"}},
	"end_of_day":          {nil, nil},
}

// autoKeyPrefix starts the idempotency keys simulate gives commands
// without one; a scenario's own keys may not use it, so the two can never
// collide and silently drop a command.
const autoKeyPrefix = "scenario:"

// readScenario parses a scenario strictly and checks every command before
// anything runs: unknown members at any level (a command's members are
// those its type takes), impossible dates, amounts and rates that do not
// parse, missing members and reserved keys are each reported with their
// path ("commands[3].nsf_fees"), all at once.
func readScenario(in []byte) (scenario, []scenarioCommand, error) {
	var sc scenario
	if err := strictjson.Decode(in, &sc); err != nil {
		return scenario{}, nil, fmt.Errorf("scenario: %w", err)
	}
	var l field.List
	if sc.Boarding == nil {
		l.Add("boarding", nil, field.ErrRequired, "")
	}
	cmds := make([]scenarioCommand, len(sc.Commands))
	for i, raw := range sc.Commands {
		p := fmt.Sprintf("commands[%d]", i)
		if err := strictjson.DecodeAt(p, raw, &cmds[i]); err != nil {
			l.Append(err)
			continue
		}
		var members map[string]json.RawMessage
		_ = json.Unmarshal(raw, &members)
		checkCommand(&l, p, cmds[i], members)
	}
	return sc, cmds, l.Err(nil)
}

// checkCommand checks one command's members against its type.
func checkCommand(l *field.List, p string, c scenarioCommand, members map[string]json.RawMessage) {
	spec, ok := commandMembers[c.Type]
	if !ok {
		types := make([]string, 0, len(commandMembers))
		for t := range commandMembers {
			types = append(types, t)
		}
		sort.Strings(types)
		l.Add(p+".type", c.Type, field.ErrNotSupported, strings.Join(types, ", "))
		return
	}
	allowed := map[string]bool{"type": true, "on": true, "key": true}
	for _, m := range spec.allowed {
		allowed[m] = true
	}
	names := make([]string, 0, len(members))
	for m := range members {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		if !allowed[m] {
			l.Add(p+"."+m, nil, field.ErrNotSupported, fmt.Sprintf("not a member of a %s command (it takes: on, key, %s)", c.Type, strings.Join(spec.allowed, ", ")))
		}
	}
	if _, ok := members["on"]; !ok {
		l.Add(p+".on", nil, field.ErrRequired, "the command's effective date")
	}
	for _, m := range spec.required {
		if _, ok := members[m]; !ok {
			l.Add(p+"."+m, nil, field.ErrRequired, "")
		}
	}
	if strings.HasPrefix(c.Key, autoKeyPrefix) {
		l.Add(p+".key", c.Key, field.ErrInvalid, "the prefix "+autoKeyPrefix+" is simulate's own")
	}
	for _, r := range []struct{ name, v string }{{"rate", c.Rate}} {
		if _, ok := members[r.name]; ok {
			if _, err := rate.Parse(r.v); err != nil {
				l.Add(p+"."+r.name, r.v, field.ErrInvalid, err.Error())
			}
		}
	}
}

// commandResult is what one command did.
type commandResult struct {
	// Index is the command's position in the scenario, from 0.
	Index int `json:"index"`
	// Type and On are the command's.
	Type string    `json:"type"`
	On   date.Date `json:"on"`
	// Seq is the sequence number of the first event the command wrote
	// (what reverse_payment's payment_seq names).
	Seq int64 `json:"seq,omitempty"`
	// Version is the loan's version after the command.
	Version int64 `json:"version"`
	// Domain are the command's domain events, dated by the business date
	// they happened on; those a change of history undid are retracted.
	Domain []loan.DomainEvent `json:"domain"`
	// Error is why the command was refused; the scenario goes on.
	Error string `json:"error,omitempty"`
}

// stateOut is the loan's state on an as-of date (loan.State's figures).
type stateOut struct {
	AsOf            date.Date            `json:"as_of"`
	Status          loan.ServicingStatus `json:"status"`
	Principal       money.Amount         `json:"principal"`
	AccruedInterest money.Amount         `json:"accrued_interest"`
	Rate            rate.Rate            `json:"rate"`
	Payment         money.Amount         `json:"payment"`
	NextInstallment int                  `json:"next_installment"`
	NextDueDate     *date.Date           `json:"next_due_date,omitempty"`
	DaysPastDue     int                  `json:"days_past_due"`
	DelinquentSince *date.Date           `json:"delinquent_since,omitempty"`
	Suspense        money.Amount         `json:"suspense"`
	LateFees        money.Amount         `json:"late_fees"`
	NSFFees         money.Amount         `json:"nsf_fees"`
	OtherFees       money.Amount         `json:"other_fees"`
	Escrow          money.Amount         `json:"escrow"`
	CreditBalance   money.Amount         `json:"credit_balance"`
	ChargedOff      money.Amount         `json:"charged_off"`
	PaidPrincipal   money.Amount         `json:"paid_principal"`
	PaidInterest    money.Amount         `json:"paid_interest"`
	EscrowAdvance   money.Amount         `json:"escrow_advance"`
	InterestForgive money.Amount         `json:"interest_forgiven"`
	NonAccrualInt   money.Amount         `json:"non_accrual_interest"`
	ChargeOff       string               `json:"charge_off,omitempty"`
	Rebated         money.Amount         `json:"rebated"`
	// DeferredInterest and InterestWaived appear once a pause deferred or
	// waived interest.
	DeferredInterest money.Amount `json:"deferred_interest,omitzero"`
	InterestWaived   money.Amount `json:"interest_waived,omitzero"`
	// Draws and Undrawn appear for a multi-disbursement loan or a line:
	// drawn after funding, and what is left of the commitment or limit.
	Draws       money.Amount   `json:"draws,omitzero"`
	Undrawn     *money.Amount  `json:"undrawn,omitempty"`
	Delinquency delinquencyOut `json:"delinquency"`
	Hash        string         `json:"hash"`
}

// delinquencyOut is the delinquency package's assessment of a state.
type delinquencyOut struct {
	Method       string       `json:"method"`
	Days         int          `json:"days"`
	Bucket       string       `json:"bucket"`
	BringCurrent money.Amount `json:"bring_current"`
	// Paused is the kind of pause covering the date, if any.
	Paused string `json:"paused,omitempty"`
}

// simulation is simulate's output.
type simulation struct {
	// Loan is the loan id.
	Loan string `json:"loan"`
	// Results are the commands' results, in command order.
	Results []commandResult `json:"results"`
	// Schedule is the contractual projection (amortize's table of the
	// terms as boarded); empty for a line of credit.
	Schedule []amortize.Row `json:"schedule"`
	// States are the loan's states on the as_of dates.
	States []stateOut `json:"states"`
	// Transactions are the money movements to the last date the scenario
	// names, with their allocation lines.
	Transactions []loan.Transaction `json:"transactions"`
	// Delinquency are the loan's delinquency changes (episodes).
	Delinquency []loan.DelinquencyChange `json:"delinquency"`
	// Payoffs are the payoff quotes for the payoff_on dates.
	Payoffs []loan.Payoff `json:"payoff_quotes"`
	// Statements are a line of credit's periodic statements (Reg Z
	// §1026.7 figures), absent for closed-end loans.
	Statements []revolving.Statement `json:"statements,omitempty"`
	// EscrowAnalyses are the analyses escrow_analysis commands ran (Reg X
	// §1024.17: projection, trial balances, surplus / shortage /
	// deficiency and the options allowed), in command order.
	EscrowAnalyses []escrow.Result `json:"escrow_analyses,omitempty"`
	// EscrowStatements are the statements asked for by escrow_statement_on.
	EscrowStatements []loan.EscrowStatement `json:"escrow_statements,omitempty"`
	// Audit is the loan's audit trail to the last reported date: recorded
	// events with actor, reason, key and recorded time, and the engine's
	// own movements with the command whose fold made them.
	Audit []servicing.AuditEntry `json:"audit"`
}

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	products := fs.String("products", "", "a catalogue `FILE` (servicing products' format) to look a boarding's product up in, instead of the built-in one")
	inSchema := fs.Bool("schema", false, "print the JSON Schema of the scenario (the input) and exit")
	outSchema := fs.Bool("output-schema", false, "print the JSON Schema of the output and exit")
	fs.Usage = func() {
		fprintln(stderr, "Usage: servicing simulate [-products FILE] FILE.json   (- reads stdin)")
		fprintln(stderr, "       servicing simulate --schema | --output-schema")
		fprintln(stderr, "Runs the scenario's commands in order through the engine (in memory, with a")
		fprintln(stderr, "deterministic clock) and prints states, schedule, transactions with")
		fprintln(stderr, "allocations, delinquency episodes and payoff quotes as JSON. A boarding")
		fprintln(stderr, "that names a product (\"product\") gives only the loan's own terms.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case *inSchema && *outSchema:
		fprintln(stderr, "servicing simulate: --schema and --output-schema are two documents; ask for one")
		return 2
	case *inSchema:
		return printSchema(stdout, stderr, scenarioSchemaJSON)
	case *outSchema:
		return printSchema(stdout, stderr, simulationSchemaJSON)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	var in []byte
	var err error
	if fs.Arg(0) == "-" {
		in, err = io.ReadAll(os.Stdin)
	} else {
		in, err = os.ReadFile(fs.Arg(0))
	}
	if err != nil {
		fprintln(stderr, "servicing simulate:", err)
		return 1
	}
	cat := product.Builtin()
	if *products != "" {
		if cat, err = readCatalogue(*products); err != nil {
			fprintln(stderr, "servicing simulate:", err)
			return 1
		}
	}
	out, err := simulateWith(context.Background(), in, cat)
	if err != nil {
		fprintln(stderr, "servicing simulate:", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fprintln(stderr, "servicing simulate:", err)
		return 1
	}
	return 0
}

// simulate runs a scenario, its boarding's product (if any) looked up in
// the built-in catalogue.
func simulate(ctx context.Context, in []byte) (simulation, error) {
	return simulateWith(ctx, in, product.Builtin())
}

// simulateWith runs a scenario. A command that fails is reported in its
// result and the scenario goes on; a bad boarding payload stops it. A
// boarding naming a product is read by the catalogue (its defaults under
// the loan's values), any other by loan.ParseBoarding; both strictly.
func simulateWith(ctx context.Context, in []byte, cat product.Catalogue) (simulation, error) {
	eng, err := newEngine()
	if err != nil {
		return simulation{}, err
	}
	pl, err := play(ctx, eng, in, cat)
	if err != nil {
		return simulation{}, err
	}
	sc, req, id := pl.sc, pl.req, pl.id
	out := simulation{Loan: sc.Loan, Results: pl.results, States: []stateOut{}, Payoffs: []loan.Payoff{}, EscrowAnalyses: pl.analyses}
	if out.Schedule, err = projection(req.Terms); err != nil {
		return simulation{}, err
	}
	last := req.Terms.FundingDate
	for _, d := range sc.AsOf {
		s, err := eng.State(ctx, id, d)
		if err != nil {
			return simulation{}, fmt.Errorf("state as of %s: %w", d, err)
		}
		out.States = append(out.States, stateOf(s))
		last = max(last, d)
	}
	for _, d := range sc.EscrowStatementOn {
		st, err := eng.EscrowStatement(ctx, id, d)
		if err != nil {
			return simulation{}, fmt.Errorf("escrow statement on %s: %w", d, err)
		}
		out.EscrowStatements = append(out.EscrowStatements, st)
	}
	for _, d := range sc.PayoffOn {
		p, err := eng.PayoffQuote(ctx, id, d)
		if err != nil {
			return simulation{}, fmt.Errorf("payoff on %s: %w", d, err)
		}
		out.Payoffs = append(out.Payoffs, p)
	}
	h, err := eng.History(ctx, id, last)
	if err != nil {
		return simulation{}, err
	}
	out.Transactions, out.Delinquency, out.Statements = h.Transactions, h.Delinquency, h.Statements
	if out.Audit, err = eng.AuditTrail(ctx, id, servicing.AuditFilter{To: last}); err != nil {
		return simulation{}, err
	}
	return out, nil
}

// newEngine is an engine on a fresh in-memory store with a deterministic
// clock (one second per reading from 1 Jan 2000).
func newEngine() (*servicing.Engine, error) {
	tick := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	return servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: func() time.Time {
		tick = tick.Add(time.Second)
		return tick
	}})
}

// played is a scenario run into an engine: its loan, boarding and the
// commands' results (and the escrow analyses its escrow_analysis commands
// ran).
type played struct {
	sc       scenario
	req      loan.BoardingRequest
	id       servicing.LoanID
	results  []commandResult
	analyses []escrow.Result
	// last is the latest date the scenario names (a command's, an as-of,
	// payoff or escrow-statement date; at least the funding date).
	last date.Date
}

// play boards a scenario's loan in eng and runs its commands in order. A
// command that fails is reported in its result and the scenario goes on;
// a bad scenario or boarding stops it.
func play(ctx context.Context, eng *servicing.Engine, in []byte, cat product.Catalogue) (played, error) {
	sc, cmds, err := readScenario(in)
	if err != nil {
		return played{}, err
	}
	if sc.Loan == "" {
		sc.Loan = "loan-1"
	}
	req, err := parseBoarding(sc.Boarding, cat)
	if err != nil {
		return played{}, fmt.Errorf("boarding: %w", err)
	}
	if err := checkAmounts(cmds, req.Terms.Currency()); err != nil {
		return played{}, err
	}
	id := servicing.LoanID(sc.Loan)
	pl := played{sc: sc, req: req, id: id, results: []commandResult{}, last: req.Terms.FundingDate}
	for _, c := range cmds {
		pl.last = max(pl.last, c.On)
	}
	for _, d := range slices.Concat(sc.AsOf, sc.PayoffOn, sc.EscrowStatementOn) {
		pl.last = max(pl.last, d)
	}
	if _, err := eng.Board(ctx, id, req, servicing.Meta{IdempotencyKey: "board", Actor: "simulate"}); err != nil {
		return played{}, fmt.Errorf("boarding: %w", err)
	}
	cur := req.Terms.Currency()
	for i, c := range cmds {
		if c.Type == "escrow_analysis" {
			if a, _, err := eng.EscrowAnalysis(ctx, id, c.On); err == nil {
				pl.analyses = append(pl.analyses, a)
			}
		}
		r, err := runCommand(ctx, eng, id, cur, i, c)
		cr := commandResult{Index: i, Type: c.Type, On: c.On, Version: r.Version, Domain: r.Domain}
		if cr.Domain == nil {
			cr.Domain = []loan.DomainEvent{}
		}
		if len(r.Events) > 0 {
			cr.Seq = r.Events[0].Seq
		}
		if err != nil {
			cr.Error = err.Error()
		}
		pl.results = append(pl.results, cr)
	}
	return pl, nil
}

// parseBoarding reads a scenario's boarding: through the catalogue when it
// names a product, through loan.ParseBoarding otherwise.
func parseBoarding(b json.RawMessage, cat product.Catalogue) (loan.BoardingRequest, error) {
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) == nil && members["product"] != nil {
		return cat.ParseBoarding(b)
	}
	return loan.ParseBoarding(b)
}

func runCommand(ctx context.Context, e *servicing.Engine, id servicing.LoanID, cur money.Currency, i int, c scenarioCommand) (servicing.Result, error) {
	m := servicing.Meta{IdempotencyKey: c.Key, Actor: "simulate"}
	if m.IdempotencyKey == "" {
		m.IdempotencyKey = fmt.Sprintf("%s%d", autoKeyPrefix, i)
	}
	amount := func(s string) (money.Amount, error) {
		a := money.Zero(cur)
		if s == "" {
			return a, nil
		}
		err := a.UnmarshalText([]byte(s))
		return a, err
	}
	a, err := amount(c.Amount)
	if err != nil {
		return servicing.Result{}, fmt.Errorf("amount: %w", err)
	}
	switch c.Type {
	case "payment":
		return e.PostPaymentWith(ctx, id, c.On, a, servicing.PaymentOptions{Type: payment.TransactionType(c.PaymentType),
			Extra: payment.Extra(c.Extra), Method: c.Method, Reference: c.Reference}, m)
	case "refund_credit":
		return e.RefundCredit(ctx, id, c.On, a, m)
	case "refund_escrow":
		return e.RefundEscrow(ctx, id, c.On, a, m)
	case "escrow_analysis":
		return e.AnalyzeEscrow(ctx, id, c.On, m)
	case "migrate_rules":
		return e.MigrateRules(ctx, id, c.On, c.Rules, m)
	case "reverse_payment":
		fee, err := amount(c.NSFFee)
		if err != nil {
			return servicing.Result{}, fmt.Errorf("nsf_fee: %w", err)
		}
		return e.ReversePayment(ctx, id, c.On, c.PaymentSeq, fee, m)
	case "fee":
		return e.AssessFee(ctx, id, c.On, loan.FeeType(c.FeeType), a, m)
	case "waive_fee":
		return e.WaiveFee(ctx, id, c.On, loan.FeeType(c.FeeType), a, m)
	case "rate_change":
		r, err := rate.Parse(c.Rate)
		if err != nil {
			return servicing.Result{}, fmt.Errorf("rate: %w", err)
		}
		return e.ChangeRate(ctx, id, c.On, r, m)
	case "modify":
		if c.Modification == nil {
			return servicing.Result{}, fmt.Errorf("modify: no modification")
		}
		return e.Modify(ctx, id, c.On, *c.Modification, m)
	case "draw":
		return e.Draw(ctx, id, c.On, a, m)
	case "pause":
		if c.Pause == nil {
			return servicing.Result{}, fmt.Errorf("pause: no pause")
		}
		return e.Pause(ctx, id, c.On, *c.Pause, m)
	case "charge_off":
		return e.ChargeOffWith(ctx, id, c.On, servicing.ChargeOffOptions{Behavior: delinquency.ChargeOffBehavior(c.Behavior)}, m)
	case "recovery":
		return e.Recover(ctx, id, c.On, a, m)
	case "adjust":
		return e.Adjust(ctx, id, c.On, loan.Adjustment{Bucket: loan.Balance(c.Bucket), Amount: a}, m)
	case "escrow_disbursement":
		return e.DisburseEscrow(ctx, id, c.On, loan.EscrowDisbursed{Amount: a, Payee: c.Payee}, m)
	case "rate_cap":
		r, err := rate.Parse(c.Rate)
		if err != nil {
			return servicing.Result{}, fmt.Errorf("rate: %w", err)
		}
		return e.CapRate(ctx, id, c.On, loan.RateCapped{Max: r, To: c.To}, m)
	case "index_reset":
		r, err := rate.Parse(c.Rate)
		if err != nil {
			return servicing.Result{}, fmt.Errorf("rate: %w", err)
		}
		return e.ResetIndex(ctx, id, c.On, r, m)
	case "end_of_day":
		if c.Key == "" {
			m.IdempotencyKey = ""
		}
		return e.EndOfDay(ctx, id, c.On, m)
	}
	return servicing.Result{}, fmt.Errorf("unknown command type %q", c.Type)
}

// checkAmounts parses every command's amounts in the loan's currency (a bare
// decimal or one with the loan's code), naming each bad one.
func checkAmounts(cmds []scenarioCommand, cur money.Currency) error {
	var l field.List
	for i, c := range cmds {
		for _, a := range []struct{ name, v string }{{"amount", c.Amount}, {"nsf_fee", c.NSFFee}} {
			if a.v == "" {
				continue
			}
			x := money.Zero(cur)
			if err := x.UnmarshalText([]byte(a.v)); err != nil {
				l.Add(fmt.Sprintf("commands[%d].%s", i, a.name), a.v, field.ErrInvalid, err.Error())
			}
		}
	}
	return l.Err(nil)
}

// projection is the contractual schedule: amortize.Compute of the very
// amortize terms the engine bills from (the boarded terms as the engine
// normalizes them).
func projection(t loan.Terms) ([]amortize.Row, error) {
	nt, err := t.Normalized()
	if err != nil {
		return nil, fmt.Errorf("schedule projection: %w", err)
	}
	if nt.Line != nil {
		return []amortize.Row{}, nil // a line's bills are its statements
	}
	tb, err := amortize.Compute(nt.Terms)
	if err != nil {
		return nil, fmt.Errorf("schedule projection: %w", err)
	}
	return tb.Rows, nil
}

func stateOf(s loan.State) stateOut {
	h := s.Hash()
	o := stateOut{AsOf: s.AsOf, Status: s.Status, Principal: s.Principal, AccruedInterest: s.AccruedInterest,
		Rate: s.Rate, Payment: s.Payment, NextInstallment: s.NextInstallment, DaysPastDue: s.DaysPastDue(),
		Suspense: s.Suspense, LateFees: s.LateFees, NSFFees: s.NSFFees, OtherFees: s.OtherFees, Escrow: s.Escrow,
		CreditBalance: s.CreditBalance, ChargedOff: s.ChargedOff, PaidPrincipal: s.PaidPrincipal,
		PaidInterest: s.PaidInterest, EscrowAdvance: s.EscrowAdvance, InterestForgive: s.InterestForgiven,
		NonAccrualInt: s.NonAccrualInterest, ChargeOff: string(s.ChargeOff),
		Rebated: s.Rebated, DeferredInterest: s.DeferredInterest, InterestWaived: s.InterestWaived,
		Hash: hex.EncodeToString(h[:])}
	if a, err := s.Delinquency(); err == nil {
		o.Delinquency = delinquencyOut{Method: string(a.Method), Days: a.Days, Bucket: a.Bucket.Name, BringCurrent: a.BringCurrent, Paused: string(a.Paused)}
	}
	if d, ok := s.NextDueDate(); ok {
		o.NextDueDate = &d
	}
	if s.Terms.Draws != nil || s.Terms.Line != nil {
		u := s.Undrawn()
		o.Draws, o.Undrawn = s.Draws, &u
	}
	if s.DelinquentSince != 0 {
		ds := s.DelinquentSince
		o.DelinquentSince = &ds
	}
	return o
}
