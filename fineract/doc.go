// Package fineract is a compatibility profile for Apache Fineract: it reads
// a Fineract loan product and loan application under Fineract's own field
// names (the loan-product and loan API's JSON) and produces the engine's
// [loan.Terms], so a loan moved from Fineract is billed as Fineract billed
// it, to the cent.
//
// The profile composes named options of the rule packages; it restates no
// rule itself:
//
//	Fineract setting                                     loan.Terms
//	daysInYearType ACTUAL, daysInMonthType ACTUAL        accrual.ActActFineract (31 Dec counted in the next year)
//	  with daysInYearCustomStrategy FEB_29_PERIOD_ONLY   accrual.Basis, YearActual, MonthActual, LeapFeb29Period
//	daysInYearType 360, daysInMonthType 30 (months)      accrual.Basis, Year360, Month30
//	daysInYearType 360, daysInMonthType 30 (weeks, days) accrual.Act360 (Fineract: 7 × every / 360, every / 360)
//	daysInYearType 365 / 360, daysInMonthType ACTUAL     accrual.Act365Fixed / accrual.Act360
//	loanScheduleType PROGRESSIVE                         amortize.ShapeLevel, InterestDaily, amortize.EMIAdjustFineract
//	loanScheduleType CUMULATIVE, EQUAL_INSTALLMENTS,
//	  interestCalculationPeriodType SAME_AS_REPAYMENT    amortize.ShapeLevel, InterestPeriodic
//	loanScheduleType CUMULATIVE, EQUAL_INSTALLMENTS,    amortize.ShapeLevel, InterestDaily over accrual.Basis
//	  interestCalculationPeriodType DAILY (months)       (daysInYearType's days, 365 for ACTUAL; actual or 30-day
//	                                                      months), Payment the EMI solved on 30-day periods
//	amortizationType EQUAL_PRINCIPAL_PAYMENTS            amortize.ShapeEqualPrincipal (principal not rounded to installment multiples)
//	installmentAmountInMultiplesOf m (cumulative,        amortize.Terms.PaymentIncrement m units, half even
//	  EQUAL_INSTALLMENTS)                                 (LoanApplicationTerms.paymentPerPeriod)
//	installmentAmountInMultiplesOf (progressive)         (none: the EMI to the cent; ProgressiveEMICalculator)
//	  with a down payment                                the down payment to m units, half even
//	interestType FLAT (cumulative, EQUAL_INSTALLMENTS,   amortize.ShapeAddOn, AddOnEarning amortize.RebateFlat,
//	  monthly)                                            loan.AccrualPrecomputed (no rebate: InstallmentsOnly)
//	repaymentFrequencyType DAYS, repaymentEvery N        schedule.EveryDays(N)
//	monthly, disbursed on the 31st                       schedule.EOMLastDay (else schedule.EOMAnchor)
//	isInterestRecalculationEnabled (PROGRESSIVE,         Recalculation amortize.RecalculationProgressive, [Recalculation]'s checks
//	  advanced allocation, compounding NONE, rest DAILY, (see below)
//	  ADJUST_LAST_UNPAID_PERIOD)
//	enableDownPayment, disbursedAmountPercentageForDownPayment  amortize.Terms.DownPayment
//	charge SPECIFIED_DUE_DATE, FLAT (penalty / fee)      loan.InstallmentCharge (FeeLate / FeeOther), see [ChargeFee]
//	transactionProcessingStrategyCode                    a payment preset (see [Allocation]),
//	                                                     with payment.Rules.InstallmentsOnly
//
// An interestRateFrequencyType PER_MONTH rate is made annual × 12, as
// Fineract's annualNominalInterestRate is. The first period is always one
// regular period (repaymentStartDateType DISBURSEMENT_DATE), so
// allowPartialPeriodInterestCalculation, which only changes an irregular
// first period, has nothing to change.
//
// Money is rounded half to even, Fineract's default tenant rounding mode
// (configuration rounding-mode 6, java.math.RoundingMode.HALF_EVEN).
//
// A setting the profile cannot reproduce exactly is refused with an
// [*UnsupportedError] naming it (errors.Is(err, [ErrUnsupported])), never
// approximated: grace periods,
// inMultiplesOf above 1 in a currency without decimals (rounding every
// amount to multiples of the currency unit; elsewhere Fineract ignores it),
// repayment start on the submission date, a monthly loan disbursed on the
// 29th or 30th whose first due date is a shorter month's end (Fineract
// keeps the disbursement day apart from it), cumulative schedules with daily
// interest other than monthly equal installments, charges other than FLAT
// on a specified due date, and any value this package does not know. A
// FLAT charge on a specified due date ([ChargeFee]) is the engine's
// installment charge (servicing.Engine.AssessCharge): billed with the
// installment whose period holds its due date, as Fineract bills it.
//
// Without interest recalculation Fineract never prices a repayment as a
// payoff: its transaction processor spreads every repayment over the
// installments, paying future ones in full with their scheduled interest,
// and leaves the rest as the loan's overpaid amount. The profile's rules
// say so with payment.Rules.InstallmentsOnly; the engine then books the
// rest as a credit balance and the loan is paid off (Fineract: OVERPAID).
//
// With interest recalculation ([RecalculationOf]) the terms carry
// loan.Terms.Recalculation amortize.RecalculationProgressive: the engine
// bills each installment as amortize.Progressive makes of the payments
// credited so far (Fineract's ProgressiveLoanInterestScheduleModel:
// interest on the principal actually outstanding between payments, a
// repayment before a due date paying the interest to its date, the rest
// of that period's interest moving to the next installment, the EMI kept
// and the last unpaid installment taking the difference, principal left
// overdue bearing interest until it is paid, seen on the business date).
// [Recalculation.Repayment] refuses, with an [*UnsupportedError], money in
// advance under a futureInstallmentAllocationRule other than
// NEXT_INSTALLMENT or LAST_INSTALLMENT (Fineract's rules for the others
// are not followed); the advanced strategy's order is
// payment.Order.DueOnDueDate (only the installment due on the payment's
// date is DUE, a later one IN_ADVANCE). A pay-off
// ([Recalculation.Payoff]) is the principal and the interest each
// installment asks on its date; preClosureInterestCalculationStrategy
// picks the mode (TILL_PRE_CLOSE_DATE: to that day,
// amortize.RecalculationProgressive; TILL_REST_FREQUENCY_DATE: the current
// period's in full, amortize.RecalculationProgressiveToDueDate). On
// cumulative equal installments under the mifos-standard-strategy the mode
// is amortize.RecalculationCumulativeReduceEMI (rescheduleStrategyMethod
// REDUCE_EMI_AMOUNT), RecalculationCumulativeReduceTerm
// (REDUCE_NUMBER_OF_INSTALLMENTS) or RecalculationCumulativeRescheduleNext
// (RESCHEDULE_NEXT_REPAYMENTS), and a repayment while an installment is
// overdue is refused. Other recalculation settings (compounding, rest
// frequencies other than daily, other reschedule strategies) are refused
// by [Terms].
package fineract
