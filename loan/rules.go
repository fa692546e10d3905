package loan

// RulesVersion is the version of the servicing rules this release boards
// loans under. A loan keeps the version it was boarded with (Boarded.Rules)
// until a RulesMigrated event moves it to a later one, so a release that
// changes a rule never changes an old loan's numbers silently.
//
// Rules 1 are the first release's. Rules 2 change, for loans boarded under
// them or migrated to them:
//
//   - Billing: each installment is billed by amortize.Biller from the
//     terms' table (periodic or day-count interest, the odd first period as
//     the terms say), the rate in force over the installment's own period
//     (State.Rates) and the payment in force for it (State.Payments); rules 1
//     billed every unpaid installment at the rate and payment in force when
//     it was billed, and recast with a periodic solve on the whole principal.
//   - Payoff: a receipt that covers the payoff quote for its date is applied
//     as a payoff (payment.Payoff transaction type) and closes the loan; money
//     beyond the quote is a credit balance. A receipt of exactly what the
//     cycle asks for (or more, when the cycle takes in the last installment)
//     is a periodic payment all the same, unless its type is payoff. Scheduled
//     interest in the quote is priced at the rates the periods are billed at.
//     Rules 1 split it into installments with a full period's interest each.
//   - Allocation: the daily simple interest preset is payment.Consumer, which
//     takes the past-due installments before the current cycle's interest;
//     rules 1 took every installment's interest first (a payment within
//     grace could leave the past-due installment short).
//   - Late fees: no late fee on an installment whose only shortfall is late
//     charges taken from the borrower's payments, however many installments
//     the shortfall has rolled through (Reg Z §1026.36(c)(2), 16 CFR 444.4);
//     a payment within the delinquency policy's tolerance is a full periodic
//     payment for days past due, late fees and statements, not only for the
//     waterfall.
//   - Per diem: one day's interest over accrual.DayCount.DaysInYear, not a
//     360 or 365 picked from the convention's name.
//   - Late fee on a sweep day: an installment's late fee falling on the day
//     suspense is offered again for the next installment is decided after
//     the sweep; rules 1 never decided it (nor any after it).
//   - Ladder thresholds: non-accrual and charge-off reached on a day count
//     that day's receipts first (end of day, as package delinquency
//     counts); rules 1 applied them before the day's receipts.
const RulesVersion = 2

// rules2 reports whether the loan is folded under rules 2 or later.
func (s *State) rules2() bool { return s.Rules >= 2 }
