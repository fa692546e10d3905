// Package schedule computes due dates, periods and business days: the date
// grid every other calculation of the library runs on.
//
// # Representation
//
// Dates are github.com/rickb777/date/v2 values (whole days, no time of day,
// no time zone). A [Plan] is a plain struct: start date, first due date,
// count, [Frequency], end-of-month policy ([EOMPolicy]), business-day
// [Calendar] and [BusinessDayConvention]. [DueDates] turns it into one [Due] per
// installment holding both the contractual date and the adjusted (business
// day) date, because interest usually runs on contractual dates while the
// payment due date moves; [Periods] returns the half-open intervals
// [start, end) between them on either basis ([DateBasis]).
//
// # End of month
//
// Months are never stepped with date.AddDate (which rolls 31 January + one
// month into March). [AddMonths] clamps to the month's last day and, with
// [EOMAnchor], returns to the anchor day as soon as the month has it: 31 Jan
// → 29 Feb → 31 Mar, never 29 Mar. Every due date is computed from the first
// due date directly, so clamping never drifts. [EOMLastDay] keeps every date
// on the last day of its month.
//
// # Odd first periods
//
// [FirstPeriod] and [Plan.FirstPeriod] count whole regular periods back
// from the first due date (the Regulation Z Appendix J method) and report the
// first period as [Regular], [Short] or [Long] with its odd days.
//
// # Business days
//
// [Calendar] is a one-method interface. Built-ins: [Weekends],
// [USFederalReserve] (the Federal Reserve Banks' holidays of page K.8,
// computed by rule for any year), [HolidayList] (weekends plus a host's
// dates) and [Union]. [Adjust] applies a [BusinessDayConvention]:
// unadjusted, following, modified following, preceding or modified
// preceding;
// [AddBusinessDays] counts business days (a payoff statement due within 7
// business days).
//
// # Errors
//
// [Plan.Validate], [DueDates], [Periods] and [FirstPeriod] report every bad
// field as a *field.Error (path such as "Plan.FirstDue" or
// "Plan.Frequency.SemiMonthlyDays[1]") joined under [ErrInvalidPlan];
// [Frequency.Validate] uses [ErrInvalidFrequency]. A calendar without a
// business day near a due date gives [ErrNoBusinessDay]. Nothing panics, for
// any input.
//
// # Determinism
//
// The package is pure: no clock, no I/O, no globals that change, no floats.
// All work is bounded: at most [MaxCount] installments, business-day
// searches of at most [MaxSearchDays] days, at most [MaxBusinessDays] steps
// in AddBusinessDays, and dates from 1900-01-01 to 9999-12-31 in a Plan.
package schedule
