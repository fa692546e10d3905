package investor

import (
	"strconv"

	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/rate"
)

// figureColumns labels Figures' amounts, in the order of Figures.amounts.
func figureColumns() []string {
	return []string{"scheduled_balance", "ending_balance", "collected", "remitted_principal", "remitted_interest",
		"remitted", "retained", "guaranty_fee", "advanced_principal", "advanced_interest", "advanced",
		"recovered_principal", "recovered_interest", "recovered", "advance_outstanding"}
}

// Header labels the columns of [Remittance.Rows]: the loan, its rates and
// flags, then every amount of [Figures] by its JSON name.
func (r Remittance) Header() []string {
	return append([]string{"loan_id", "note_rate", "net_rate", "paid_off", "delinquent"}, figureColumns()...)
}

// Rows lists one row per loan, in the report's order, then a "total" row
// (no rates or flags). Money is written at its currency's scale, rates as
// decimal fractions (0.0525 is 5.25 %), flags as true or false.
func (r Remittance) Rows() [][]string {
	rows := make([][]string, 0, len(r.Loans)+1)
	for _, l := range r.Loans {
		row := []string{l.LoanID, fraction(l.NoteRate), fraction(l.NetRate), strconv.FormatBool(l.PaidOff), strconv.FormatBool(l.Delinquent)}
		rows = append(rows, append(row, l.Figures.strings()...))
	}
	return append(rows, append([]string{"total", "", "", "", ""}, r.Totals.strings()...))
}

func (f Figures) strings() []string {
	as := f.amounts()
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}

// Header labels the columns of [Reconciliation.Rows].
func (r Reconciliation) Header() []string {
	return []string{"collected", "remitted", "retained", "guaranty_fee", "recovered", "advanced", "difference"}
}

// Rows is the reconciliation as one row.
func (r Reconciliation) Rows() [][]string {
	return [][]string{amountStrings(r.Collected, r.Remitted, r.Retained, r.GuarantyFee, r.Recovered, r.Advanced, r.Difference)}
}

// Header labels the columns of [Carry.Rows].
func (c Carry) Header() []string {
	return []string{"loan_id", "balance", "unpaid_principal", "unpaid_net_interest", "unpaid_servicing_fee",
		"unpaid_guaranty_fee", "advanced_principal", "advanced_interest"}
}

// Rows lists one row per loan carried, sorted by loan id.
func (c Carry) Rows() [][]string {
	rows := make([][]string, 0, len(c.Loans))
	for _, l := range c.Loans {
		rows = append(rows, append([]string{l.LoanID}, amountStrings(l.Balance, l.UnpaidPrincipal, l.UnpaidNetInterest,
			l.UnpaidServicingFee, l.UnpaidGuarantyFee, l.AdvancedPrincipal, l.AdvancedInterest)...))
	}
	return rows
}

func amountStrings(as ...money.Amount) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}

// fraction writes r as a decimal fraction, "0.0525" for 5.25 %.
func fraction(r rate.Rate) string { return r.Fraction().String() }
