// Package investor computes the monthly investor remittance of a pool of
// loans: what the servicer passes through to the investor, keeps as its
// servicing fee, pays the guarantor, advances of its own money for
// delinquent loans, and recovers of those advances from later collections,
// reconciled to the cent against the cash collected.
//
// # Remittance types
//
// A [Pool] names one of the three remittance types of the agency servicing
// guides (Fannie Mae Selling Guide C1-3-01; ANSI X12 element 1408 codes
// 01–03):
//
//   - [ScheduledScheduled] (S/S, the only type for agency MBS): the investor
//     gets each loan's scheduled interest at the net (pass-through) rate and
//     its scheduled principal whether or not the borrower paid, plus every
//     curtailment and payoff actually collected. What the borrower did not
//     pay of the month's installment is advanced by the servicer: the
//     principal, the investor's net interest and the guaranty fee.
//   - [ScheduledActual] (S/A): scheduled net interest, actual principal
//     (everything collected: installments, late ones, curtailments,
//     payoffs). Only the net interest and the guaranty fee are advanced.
//   - [ActualActual] (A/A): only what was collected, net of the fee strips.
//     Nothing is advanced.
//
// # The month of a loan
//
// The caller describes each loan's month with a [LoanMonth] (or has
// [FromStates] fill one from the loan's [loan.State] at the start and end of
// the month): its note rate, its scheduled balance at the start of the
// month (the balance as if every installment had been paid as scheduled;
// the loan's UPB less the principal of its past-due installments), the
// principal and interest of the installment due in the month, what was
// collected for scheduled installments, curtailments, and a payoff.
//
// The package asks, never re-derives: the scheduled principal and interest
// are the loan's billing ([loan.State.ScheduledDue], amortize's rows), the
// payoff interest is what the loan's payoff quote collected (accrual's day
// count to the payoff date), and the monthly fee strip is asked of
// [accrual.SimpleInterest] over one twelfth of a year.
//
// Collections for scheduled installments pay the oldest first: the
// installments left unpaid in earlier months (the [Carry]), then the
// month's own. Money for installments falling due in a later month is not
// accepted: like the guides' custodial rule (payments received in advance
// are remitted when due), the caller holds it and reports it in the month
// the installment falls due.
//
// # Fees
//
// The servicing fee and the guaranty fee are annual rates on the loan's
// scheduled balance at the start of the month, each taken as a monthly
// strip: balance × rate / 12, rounded to the minor unit with
// [Pool.FeeRounding]. The investor's net interest of the month is the
// scheduled interest less the two strips, so the three always sum to the
// interest the borrower was billed; it equals balance × net rate / 12 to
// within the two roundings. The net rate is the note rate less both fee
// rates; a loan whose note rate is below the fees is refused. Should the
// rounded strips exceed the scheduled interest (an installment that bills
// less than a month's interest), the servicing fee gives way first, then the
// guaranty fee: the strips never take more than the interest they come
// from and the investor's share is never negative.
//
// A payoff's interest to the payoff date (collected at the note rate for
// the days the loan's own payoff quote counted) is split on the same days
// basis: the servicing and guaranty fees are that interest × fee rate / note
// rate, each rounded with FeeRounding (balance × fee rate × days / year up
// to the rounding), and the investor keeps the rest, its interest at the
// net rate to the payoff date. The agencies' MBS rule that the investor is
// owed a full month's interest on a prepaid loan (compensating interest
// from the servicer's own funds) is not modelled: every method pays
// interest to the payoff date.
//
// The servicing fee is never advanced: under every method the servicer
// keeps the fee strip of the interest it actually collected (a late
// installment's fee when it is paid). The guaranty fee is owed with the
// scheduled interest under S/S and S/A and advanced with it; under A/A it
// is paid from collections only. A collection that covers only part of the
// interest owed is split between investor, servicer and guarantor in
// proportion to their shares of it (money.Amount.Allocate: largest
// remainder, ties to the investor, then the servicer), so the parts always
// sum to the cash.
//
// # Advances and recoveries
//
// What a loan leaves unpaid of its installment stays owed: the [Carry]
// holds, per loan, the scheduled balance after the month and the unpaid
// principal and interest (by investor, servicer and guarantor share), and
// the advances outstanding against them (the unpaid principal under S/S;
// the unpaid net interest and guaranty fee under S/S and S/A). Remit takes
// the previous month's Carry and returns the next: the function stays pure
// and a month can be recomputed from its inputs alone. (The unpaid amounts
// of several months are one sum per share, so a partial late payment is
// shared in proportion to those sums, not month by month.) A later collection
// on the loan (a late payment, or the past-due installments a payoff
// collects) pays the unpaid installments first, and the part of it the
// servicer advanced is recovered: kept by the servicer, not remitted
// again. A payoff must collect every unpaid installment and retire the
// scheduled balance; a short payoff, a liquidation with a loss, a
// charge-off or a stop-advance decision (non-recoverable advances) is not
// handled here and is refused.
//
// # Reconciliation
//
// Each loan's figures, and the pool's totals, satisfy, to the minor unit:
//
//	Collected = Remitted + Retained + GuarantyFee + Recovered − Advanced
//
// where Collected is the borrowers' cash of the month (installments,
// curtailments, payoffs), Remitted the investor's principal and net
// interest, Retained the servicing fee the servicer keeps, GuarantyFee what
// the guarantor is paid, Advanced the servicer's own money put into the
// remittance and guaranty fee for what borrowers did not pay, and
// Recovered the part of the collections that reimbursed earlier advances.
// (The "collected = remitted + retained + advanced − recovered"
// reads Advanced and Recovered as flows of the custodial account in the
// other direction; with Advanced as money the servicer puts in, it is
// subtracted.) [Reconciliation.Check] verifies it; Remit verifies it for
// every loan and the totals and fails with [ErrInvariant] rather than
// return figures that do not tie out.
//
// # Representation
//
// Amounts are money.Amount (exact minor units), rates rate.Rate, dates
// date.Date; a month is the half-open interval [From, To). JSON tags are
// snake_case. [Remittance.Header] and [Remittance.Rows] (and the Carry's)
// give each report as labelled text columns for CSV: money at its
// currency's scale, rates as decimal fractions (0.0525 is 5.25 %).
//
// # Errors
//
// Bad input returns an error wrapping [ErrInvalidInput] around a
// *field.Error for every bad field (errors.Is and errors.As both work),
// with paths such as "Pool.FeeRounding", "Month.Loans[2].NoteRate" or
// "Month.Prior.Loans[0]". [FromStates] names the loan states' fields
// ("start.Terms.Accrual", "end.PaidInterest"). A result that breaks the
// reconciliation returns [ErrInvariant] with the numbers.
//
// # Determinism
//
// The package is pure: no clock, no I/O, no goroutines, no globals, no
// floating point. Loans come out in the order they went in; the Carry is
// sorted by loan id. The same inputs give the same outputs.
package investor
