// Package notice is the calendar of what a servicer must send a borrower,
// and by when: each regulatory notice as a [Notice] with the first and the
// last day it may be sent, computed from the dates that trigger it (a due
// date, a transfer date, a request's receipt).
//
// It is pure and small on purpose: it knows the rules' day counts and
// nothing about loans. Package loan asks it for the deadlines of a loan's
// events and state ([loan.State.Notices], and the notice_due domain events
// its fold reports from the same calls); delinquency owns the days of
// delinquency early intervention counts from, and the engine marks a
// notice sent with an event.
//
// # Rules
//
//   - Reg X §1024.39(a), (b): live contact by day 36 of delinquency, written
//     notice by day 45 ([EarlyIntervention]; the dates are delinquency's).
//   - Reg Z §1026.20(d): the notice of an ARM's first rate change (the
//     rule's "initial rate adjustment") 210–240 days before the first
//     payment at the adjusted level ([ARMInitial]).
//   - Reg Z §1026.20(c): 60–120 days before the first payment at each
//     adjusted level (25–120 for ARMs adjusting every 60 days or more
//     often) ([ARMPaymentChange]).
//   - Reg Z §1026.41(b) and comment 41(b)-1: the periodic statement within
//     four days after the courtesy period of the previous due date
//     ([PeriodicStatement]).
//   - Reg X §1024.17(g): the initial escrow statement within 45 days of
//     settlement ([EscrowInitial]); §1024.17(i): the annual escrow statement within 30 days of the
//     end of the computation year; a short-year statement within 60 days of
//     a transfer or a payoff ([EscrowAnnual], [EscrowShortYear]).
//   - Reg X §1024.33(b)(3): the transferor's notice at least 15 days before
//     the transfer, the transferee's at most 15 days after ([Transfer]).
//   - Reg Z §1026.36(c)(3): a payoff statement within 7 business days of a
//     written request ([Payoff]).
//   - Reg X §1024.41(b)(2)(i)(B): acknowledge a loss mitigation application
//     within 5 days excluding legal public holidays, Saturdays and Sundays
//     ([LossMitigationAck]).
//
// # Representation
//
// Dates are civil dates ([date.Date]); a window is closed, [Opens, Due].
// Business days are counted on a [schedule.Calendar] the caller passes (the
// loan's), never on a hard-coded holiday list.
//
// # Rounding
//
// Nothing here is money; nothing is rounded.
//
// # Errors
//
// The rules take dates the caller has already validated; [Validate] checks
// a notice's window and returns an error wrapping [ErrInvalidNotice] naming
// every bad field.
//
// # Determinism
//
// No clock, no I/O: the same dates give the same notices, sorted by
// [Sort].
package notice
