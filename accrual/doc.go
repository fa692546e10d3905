// Package accrual owns how interest is earned between two dates: every
// common day-count convention, the configurable "days in year × days in
// month" model of servicing platforms, exact simple interest and per diem,
// interest over piecewise-constant balance and rate timelines (simple or
// compounding, with non-accrual intervals and a rate-cap override such as
// the SCRA 6 % cap), and variable rates built from a host-supplied index.
//
// # Representation
//
// Dates are [date.Date] values from github.com/rickb777/date/v2; every
// interval is half-open, [start, end): it earns interest for start and not
// for end. Dates must lie in 0001-01-01..9999-12-31. Day counts are ints.
// Year fractions are exact reduced rationals ([Fraction], int64 terms, with
// [Fraction.Rat] for math/big); nothing in this package uses floating point.
//
// Conventions ([Convention]) carry the names of testdata/vectors/daycount.json:
// 30/360 Bond Basis, 30U/360 with and without the February rule, 30E/360,
// 30E/360 ISDA (with the termination-date exception), Act/360, Act/365F,
// Act/365L, NL/365, Act/Act ISDA, Act/Act ICMA (reference periods, long and
// short stubs, end-of-month rolling), Act/Act AFB, and [Basis], which
// reproduces platform settings (Fineract: days in year actual/360/364/365,
// days in month actual/30, leap-year policy whole year or only periods
// containing 29 February; Nortridge's ratios; Mambu's Act/365F, Act/360).
//
// # Reproducing platform settings
//
// The settings servicing platforms expose map onto a [DayCount] as follows
// (platform capabilities as surveyed in the project's landscape notes):
//
//	Fineract days-in-year / days-in-month       DayCount{Convention: Basis, YearDays: …, MonthDays: …}
//	  ACTUAL / ACTUAL                            YearActual, MonthActual, Leap: LeapWholeYear or LeapFeb29Period
//	  360 / 30                                   Year360, Month30  (same numbers as 30_360_BOND_BASIS)
//	  360 / ACTUAL                               Year360, MonthActual  (same as ACT_360)
//	  364 / ACTUAL, 365 / ACTUAL                 Year364 or Year365, MonthActual
//	Fineract leap policy FULL_LEAP_YEAR          Leap: LeapWholeYear  (equals ACT_ACT_ISDA)
//	Fineract progressive ACTUAL / ACTUAL         ACT_ACT_FINERACT  (31 December counted in the next year)
//	Fineract leap policy FEB_29_PERIOD_ONLY      Leap: LeapFeb29Period
//	Nortridge ratios (360/364/365/366/ACT × 30/ACT)   Basis with the matching YearDays and MonthDays
//	Mambu ACT/365F, ACT/360, 30E/360 ISDA        ACT_365F, ACT_360, 30E_360_ISDA
//	Mortgage servicing (interest in arrears)    30U_360_EOM or 30_360_BOND_BASIS, one period a month
//	Daily simple interest (auto, personal)      ACT_365F (or Basis Year365/MonthActual)
//
// Months are stepped by schedule.AddMonths, with end-of-month clamping
// anchored on the original day (31 Jan → 29 Feb → 31 Mar), never with AddDate.
//
// # Rounding
//
// [SimpleInterest] and [PerDiem] compute balance × rate × fraction exactly
// (128-bit integers on the fast path, math/big otherwise) and round once to
// the currency's minor unit with an explicit money.RoundingMode. Timelines
// take the rounding point as a setting ([RoundAtPosting] or [RoundDaily])
// because both exist in the wild and they differ by cents. Daily rounding
// counts each day from the start of its run, so a run's days add up to its
// day count (30 for any whole 30/360 month); the per-diem divisor of a day
// comes from [DayCount.DaysInYear], not from a list of convention names.
//
// # Errors
//
// Bad input returns an error wrapping [ErrInvalidInput] and one
// *field.Error per bad field ("DayCount.Reference", "end", "Principal[2].Balance");
// an exact result too large for its representation returns [ErrOverflow]; a
// missing index value returns [ErrIndexMissing]. Nothing panics.
//
// # Determinism
//
// Every function is pure: no clock, no I/O, no globals that change, no map
// iteration in results. The same inputs give the same outputs on every
// platform.
package accrual
