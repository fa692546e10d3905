package product

import (
	"github.com/lendcore/servicing/accrual"
	"github.com/lendcore/servicing/amortize"
	"github.com/lendcore/servicing/delinquency"
	"github.com/lendcore/servicing/loan"
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/payment"
	"github.com/lendcore/servicing/rate"
	"github.com/lendcore/servicing/schedule"
)

// What every built-in product asks of each loan: the amount, the rate
// (every one of them prices each loan), and the dates.
func eachLoanGives() []string {
	return []string{"principal", "annual_rate", "funding_date", "first_due_date"}
}

// conformingLimit is the 2026 baseline conforming loan limit for a
// one-unit property (FHFA, announced 25 Nov 2025: $832,750): the largest
// conventional loan Fannie Mae and Freddie Mac acquire outside high-cost
// areas. It changes every January, and with it the mortgage products'
// version.
var conformingLimit = money.MustNew(832_750_00, money.USD)

// Mortgage30Fixed is a 30-year fixed-rate conventional conforming
// mortgage, as Fannie Mae and Freddie Mac buy it. Each loan gives its
// principal (up to the conforming limit), rate, funding and first due
// date, and may give its escrow payment. Conventions and their sources:
//
//   - 360 level monthly installments of principal and interest, due on the
//     1st of each month, interest paid in arrears (Fannie Mae Selling
//     Guide B2-1.3-01, Fixed-Rate Loans);
//   - interest of each month at 1/12 of the annual rate on the scheduled
//     balance (30/360, scheduled interest: the amortization table is the
//     contract); the odd days between funding and the first regular
//     period collected at closing as prepaid interest (Reg Z
//     §1026.38(g)(2), the Closing Disclosure's prepaid interest);
//   - payments applied as the uniform instruments order them, interest →
//     principal → escrow, partial payments held in suspense
//     (payment.GSEMortgage: Fannie Mae Servicing Guide F-1-09, uniform
//     security instrument §2);
//   - a late charge of 5 % of the overdue payment of principal and
//     interest when it is not received by the end of 15 calendar days
//     after the due date (Fannie Mae/Freddie Mac uniform note, Form 3200
//     §6(A); delinquency.ConventionalMortgage);
//   - delinquency by days past due (Reg X §1024.31), full payments only;
//     charge-off considered at 180 days past due, when a loan secured by
//     residential real estate is written down to the collateral (FFIEC
//     Uniform Retail Credit Classification and Account Management Policy,
//     2000); no automatic status ladder: a mortgage's default and
//     charge-off are the servicer's decisions;
//   - payoff interest as the Servicing Guide computes it: whole months on
//     a 360-day year, the part month on 365 days, up to but not including
//     the day the funds arrive (F-1-09; loan.PayoffFannieMae);
//   - principal at most the conforming loan limit (FHFA, 2026 baseline).
func Mortgage30Fixed() Product {
	return Product{
		Name: "mortgage_30_fixed", Version: 1,
		Description: "30-year fixed-rate conventional conforming mortgage: 360 level monthly payments due on the 1st, " +
			"30/360 scheduled interest in arrears (Fannie Mae Selling Guide B2-1.3-01), odd days prepaid at closing, " +
			"GSE payment order, late charge 5% of P&I after 15 days (uniform note Form 3200 §6(A)), " +
			"principal up to the 2026 conforming limit $832,750 (FHFA).",
		Defaults:    gseTerms(360),
		Required:    eachLoanGives(),
		Overridable: []string{"escrow_payment"},
		Limits:      Limits{PrincipalMax: conformingLimit, DueDay: 1},
	}
}

// Mortgage15Fixed is Mortgage30Fixed over 180 installments: the same
// conventions and sources, a 15-year term.
func Mortgage15Fixed() Product {
	p := Mortgage30Fixed()
	p.Name = "mortgage_15_fixed"
	p.Description = "15-year fixed-rate conventional conforming mortgage: 180 level monthly payments due on the 1st, " +
		"30/360 scheduled interest in arrears (Fannie Mae Selling Guide B2-1.3-01), odd days prepaid at closing, " +
		"GSE payment order, late charge 5% of P&I after 15 days (uniform note Form 3200 §6(A)), " +
		"principal up to the 2026 conforming limit $832,750 (FHFA)."
	p.Defaults = gseTerms(180)
	return p
}

// ARM51 is a 5/1 adjustable-rate conventional mortgage: the loan's rate
// for the first five years, then a new rate every year, over 30 years.
// Each loan gives its principal, initial rate and dates, and may give its
// escrow payment and its own ARM terms (margin and caps; initial_rate then
// equal to annual_rate). The servicing conventions are Mortgage30Fixed's;
// the rate's are the Fannie Mae/Freddie Mac uniform adjustable rate note
// on the one-year Treasury index (Form 3501):
//
//   - index: the weekly average yield on US Treasury securities adjusted
//     to a constant maturity of one year (Federal Reserve H.15), the
//     figure available 45 days before each change date;
//   - new rate: index + margin (2.75 %, the margin such notes commonly
//     carry), rounded to the nearest one-eighth of a percentage point;
//   - caps 2/2/5: at most 2 points up or down at the first change and at
//     each later one, at most 5 points either way from the initial rate
//     over the loan's life (CFPB, "What are rate caps with an ARM?", the
//     most common structure);
//   - the payment is re-solved at each change for the balance over the
//     installments left (the note's "substantially equal payments").
//
// Change dates are not terms: the host sends an index reset
// (servicing.Engine.ResetIndex) on the 60th due date and every 12th after
// it, and the engine computes the rate with accrual.ARM.
func ARM51() Product {
	d := gseTerms(360)
	two, five := rate.MustPercent("2"), rate.MustPercent("5")
	d.ARM = &accrual.ARM{Margin: rate.MustPercent("2.75"), RoundingStep: rate.MustPercent("0.125"),
		RoundingMode: money.HalfUp, LookBackDays: 45,
		FirstChange: &accrual.Bound{Up: two, Down: two}, Periodic: &accrual.Bound{Up: two, Down: two},
		Lifetime: &accrual.Bound{Up: five, Down: five}}
	d.Index = "1-year CMT (H.15 weekly average)"
	return Product{
		Name: "mortgage_arm_5_1", Version: 1,
		Description: "5/1 adjustable-rate conventional mortgage over 30 years: the initial rate for 60 months, then " +
			"1-year CMT + 2.75% rounded to the nearest 1/8 point, read 45 days before each yearly change date " +
			"(uniform note Form 3501), caps 2/2/5 (CFPB); otherwise as mortgage_30_fixed.",
		Defaults:    d,
		Required:    eachLoanGives(),
		Overridable: []string{"escrow_payment", "arm"},
		Limits:      Limits{PrincipalMax: conformingLimit, DueDay: 1},
	}
}

// AutoLoan is a simple-interest auto loan: interest accrues every day on
// the principal owed, so paying early or late moves the split between
// interest and principal (CFPB, "What's the difference between a simple
// interest rate and precomputed interest in an auto loan contract?"; the
// Federal Reserve's daily-simple-interest example). Each loan gives its
// principal (5,000 to 150,000), rate and dates, and may give its term (12
// to 84 months; 60 by default). Conventions:
//
//   - monthly level payments solved over the actual days of each period
//     from the funding date, interest on an actual/365 year (the per diem
//     is the balance × rate ÷ 365);
//   - payments pay fees, then past-due interest and principal, then the
//     current installment's, partial payments applied (payment.Consumer);
//   - a flat late fee of 25.00 when an installment is unpaid 10 days after
//     its due date, never from a later payment's shortfall (FTC Credit
//     Practices Rule, 16 CFR 444.4); the amount and grace are the lender's
//     within state law, which no federal rule sets;
//   - the FFIEC status ladder for closed-end retail credit: default and
//     non-accrual at 90 days past due, charge-off at 120 (FFIEC Uniform
//     Retail Credit Classification and Account Management Policy, 2000).
//
// The principal and term ranges are a lender's policy, not a rule.
func AutoLoan() Product {
	return Product{
		Name: "auto_loan", Version: 1,
		Description: "Simple-interest auto loan: interest accrues daily on the balance, actual/365 " +
			"(CFPB: simple vs precomputed interest), monthly level payments, 60 months by default (12 to 84), " +
			"consumer payment order, flat 25.00 late fee after 10 days, FFIEC ladder (charge-off at 120 days).",
		Defaults:    dailySimpleTerms(60, 1000, 10),
		Required:    eachLoanGives(),
		Overridable: []string{"installments"},
		Limits: Limits{PrincipalMin: money.MustNew(5_000_00, money.USD), PrincipalMax: money.MustNew(150_000_00, money.USD),
			InstallmentsMin: 12, InstallmentsMax: 84},
	}
}

// PersonalLoan is an unsecured personal installment loan on simple
// interest: AutoLoan's conventions (daily accrual on an actual/365 year,
// consumer payment order, FFIEC ladder), 36 months by default (12 to 60),
// principal 1,000 to 50,000, a flat late fee of 15.00 after 15 days, and
// the rate at most 36 %: the Military Lending Act's cap on the military
// annual percentage rate for covered borrowers (10 U.S.C. 987(b), 32 CFR
// 232.4(b)), which the product applies to every loan's note rate.
func PersonalLoan() Product {
	return Product{
		Name: "personal_loan", Version: 1,
		Description: "Unsecured personal installment loan on simple interest (daily, actual/365), monthly level payments, " +
			"36 months by default (12 to 60), 1,000 to 50,000, rate at most 36% (Military Lending Act cap), " +
			"flat 15.00 late fee after 15 days, FFIEC ladder (charge-off at 120 days).",
		Defaults:    dailySimpleTerms(36, 1500, 15),
		Required:    eachLoanGives(),
		Overridable: []string{"installments"},
		Limits: Limits{PrincipalMin: money.MustNew(1_000_00, money.USD), PrincipalMax: money.MustNew(50_000_00, money.USD),
			RateMax: rate.MustPercent("36"), InstallmentsMin: 12, InstallmentsMax: 60},
	}
}

// BridgeLoan is a 12-month interest-only bridge loan on a dwelling: eleven
// monthly payments of the month's interest, then the whole balance with
// its last month's interest at the twelfth. Twelve months is the term of
// Regulation Z's "temporary or bridge loan" (12 CFR 1026.43(a)(3)(ii): a
// loan of 12 months or less, such as one financing a new home while the
// old one is sold). Each loan gives its principal, rate and dates. The
// servicing conventions are Mortgage30Fixed's (monthly 30/360 scheduled
// interest due on the 1st, odd days prepaid, GSE payment order,
// charge-off considered at 180 days), and so is the late charge, 5 % of
// the overdue payment after 15 days as the uniform note words it: here
// that includes the final payment of the balance, and a host whose note
// exempts it or caps the charge ships a product saying so. Payoff
// interest is the loan's own accrual.
func BridgeLoan() Product {
	d := gseTerms(12)
	d.InterestOnly = 11
	d.PayoffInterest = loan.PayoffAccrual
	return Product{
		Name: "bridge_loan", Version: 1,
		Description: "12-month interest-only bridge loan (Reg Z 1026.43(a)(3)(ii)): 11 monthly payments of interest, " +
			"the balance with the last month's interest at the 12th; 30/360 scheduled interest due on the 1st, " +
			"odd days prepaid, late charge 5% after 15 days.",
		Defaults: d,
		Required: eachLoanGives(),
		Limits:   Limits{DueDay: 1},
	}
}

// ConstructionLoan is a construction-to-permanent loan: the commitment is
// drawn as the building goes up, interest accrues daily on what is drawn
// (actual/360, the commercial lender's year), the first 12 monthly
// installments are interest only (the construction period), and the level
// payment of the 348 that follow is re-solved at each draw for the drawn
// balance (loan.DrawRecast), so the loan converts to a permanent 29-year
// amortization without a modification. Each loan gives its first draw as
// its principal, its rate and dates, and its draw terms (the commitment
// and the last day of the draw period); late charge and ladder as
// Mortgage30Fixed's (5 % of the overdue principal and interest after 15
// days, charge-off considered at 180 days).
func ConstructionLoan() Product {
	d := dailySimpleTerms(360, 0, 15)
	d.DayCount = accrual.DayCount{Convention: accrual.Act360}
	d.InterestOnly = 12
	d.Delinquency = gseTerms(360).Delinquency
	return Product{
		Name: "construction_loan", Version: 1,
		Description: "Construction-to-permanent loan: draws on a commitment, daily simple interest on the drawn balance (actual/360), " +
			"12 interest-only monthly installments then 348 level ones re-solved at each draw; late charge 5% after 15 days.",
		Defaults: d,
		Required: append(eachLoanGives(), "draws"),
		Limits:   Limits{PrincipalMin: money.MustNew(10_000_00, money.USD)},
	}
}

// HELOC is a home equity line of credit: open-end credit secured by the
// home, drawn and repaid in any order during a draw period, then repaid
// over a repayment term in level monthly payments (loan.LineTerms).
// Interest accrues daily on the balance (actual/365, the daily balance
// method, 12 CFR 1026.7(a)); statements on a day of each month, payment due
// 25 days after; each loan gives its principal (the draw at opening, zero
// allowed), rate, opening date and its line terms (credit limit, first
// statement, minimum payment, draw period end and repayment term). Late
// fee: 5 % of the minimum payment after 15 days (a HELOC is not a card
// account, so the card safe harbour does not apply); the open-end
// delinquency policy (FFIEC: charge-off at 180 days).
func HELOC() Product {
	usd := money.Zero(money.USD)
	p := delinquency.StandardPolicy(delinquency.OpenEnd)
	p.ToleranceAmount = usd
	p.LateFee = &delinquency.LateFeePolicy{GraceDays: 15, Method: delinquency.FeePercentPI, PercentBasisPoints: 500,
		Rounding: money.HalfUp, FlatAmount: usd, Minimum: usd, Maximum: usd}
	return Product{
		Name: "heloc", Version: 1,
		Description: "Home equity line of credit: draws and payments in any order, monthly statements (daily balance method, actual/365), " +
			"minimum payment due 25 days after the statement, a draw period then level repayment; late charge 5% after 15 days.",
		Defaults: loan.Terms{
			Terms: amortize.Terms{Principal: usd, Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
				DayCount: accrual.DayCount{Convention: accrual.Act365Fixed}, InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp,
				Payment: usd},
			Accrual: loan.AccrualDailySimple, EscrowPayment: usd, Allocation: ptr(payment.Consumer()), Delinquency: p,
		},
		Required: []string{"principal", "annual_rate", "funding_date", "line"},
	}
}

// ConsumerAddOn is a precomputed (add-on) consumer installment loan: the
// finance charge principal × rate × years is fixed at the start and the
// total of payments is repaid in equal monthly installments (CFPB, simple
// vs precomputed interest). Each loan gives its principal (500 to
// 25,000), add-on rate and dates, and may give its term (12 to 60 months;
// 36 by default). Conventions:
//
//   - a payoff rebates the unearned finance charge by the actuarial method:
//     beyond 61 months federal law requires a rebate at least as large
//     (15 U.S.C. 1615(b), which bars the Rule of 78s there), and the
//     product uses it for every term;
//   - payments applied to whole installments, oldest first, partial
//     payments held (the engine's preset for precomputed interest,
//     payment.GSEMortgage);
//   - a flat late fee of 15.00 after 10 days (the lender's within state
//     law), the FFIEC ladder (charge-off at 120 days).
func ConsumerAddOn() Product {
	d := dailySimpleTerms(36, 1500, 10)
	d.Shape, d.InterestMethod, d.AddOnEarning = amortize.ShapeAddOn, amortize.InterestPeriodic, amortize.RebateActuarial
	d.Accrual = loan.AccrualPrecomputed
	d.Allocation = ptr(payment.GSEMortgage())
	return Product{
		Name: "consumer_add_on", Version: 1,
		Description: "Precomputed add-on consumer installment loan: finance charge principal x rate x years fixed at the start, " +
			"equal monthly installments, 36 months by default (12 to 60), unearned charge rebated by the actuarial method " +
			"at payoff (15 U.S.C. 1615), flat 15.00 late fee after 10 days, FFIEC ladder.",
		Defaults:    d,
		Required:    eachLoanGives(),
		Overridable: []string{"installments"},
		Limits: Limits{PrincipalMin: money.MustNew(500_00, money.USD), PrincipalMax: money.MustNew(25_000_00, money.USD),
			InstallmentsMin: 12, InstallmentsMax: 60},
	}
}

// gseTerms are the terms of a conventional conforming mortgage of n
// monthly installments (see Mortgage30Fixed).
func gseTerms(n int) loan.Terms {
	usd := money.Zero(money.USD)
	p := delinquency.StandardPolicy(delinquency.ClosedEnd)
	p.ToleranceAmount = usd
	p.Status.ChargeOffDays = 180
	p.LateFee = &delinquency.LateFeePolicy{GraceDays: 15, Method: delinquency.FeePercentPI, PercentBasisPoints: 500,
		Rounding: money.HalfUp, FlatAmount: usd, Minimum: usd, Maximum: usd}
	return loan.Terms{
		Terms: amortize.Terms{
			Principal: usd, Installments: n, Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestPeriodic,
			DayCount: accrual.DayCount{Convention: accrual.Thirty360US}, OddFirstPeriod: amortize.OddPrepaid,
			InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp, Payment: usd,
		},
		Accrual: loan.AccrualScheduled, EscrowPayment: usd, Allocation: ptr(payment.GSEMortgage()),
		Delinquency: p, PayoffInterest: loan.PayoffFannieMae,
	}
}

// dailySimpleTerms are the terms of a simple-interest consumer loan of n
// monthly installments with a flat late fee of fee minor units after
// grace days (see AutoLoan).
func dailySimpleTerms(n int, fee int64, grace int) loan.Terms {
	usd := money.Zero(money.USD)
	p := delinquency.StandardPolicy(delinquency.ClosedEnd)
	p.ToleranceAmount = usd
	p.LateFee = &delinquency.LateFeePolicy{GraceDays: grace, Method: delinquency.FeeFlat,
		FlatAmount: money.MustNew(fee, money.USD), Minimum: usd, Maximum: usd}
	return loan.Terms{
		Terms: amortize.Terms{
			Principal: usd, Installments: n, Frequency: schedule.Monthly(), EOM: schedule.EOMAnchor,
			Shape: amortize.ShapeLevel, InterestMethod: amortize.InterestDaily,
			DayCount:         accrual.DayCount{Convention: accrual.Act365Fixed},
			InterestRounding: money.HalfUp, PaymentRounding: money.HalfUp, Payment: usd,
		},
		Accrual: loan.AccrualDailySimple, EscrowPayment: usd, Allocation: ptr(payment.Consumer()),
		Delinquency: p, Ladder: true,
	}
}

func ptr[T any](v T) *T { return &v }
