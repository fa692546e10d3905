package delinquency

import "github.com/rickb777/date/v2"

// TransferWindowDays is the length of the period after a transfer of
// servicing in which a payment sent to the prior servicer is not late
// (Reg X §1024.33(c)(1)).
const TransferWindowDays = 60

// PriorServicerTimely reports whether a payment the transferor (prior)
// servicer received on receivedOn counts as on time for an installment due
// on due, for a transfer of servicing effective on transferOn. Reg X
// §1024.33(c)(1): "During the 60-day period beginning on the effective
// date of transfer of the servicing of any mortgage loan, if the
// transferee servicer receives a payment from the borrower... a late fee
// may not be imposed on the borrower with respect to any payment on the
// mortgage loan and no such payment may be treated as late for any other
// purposes, if the payment is received by the transferor servicer (rather
// than the transferee servicer who should properly receive payment) before
// the due date applicable to such payment."
//
// The window is the 60 days [transferOn, transferOn+60) and "before the
// due date" is read literally: receivedOn < due. A payment outside either
// is the borrower's to have sent on time to the right servicer.
func PriorServicerTimely(transferOn, receivedOn, due date.Date) bool {
	return receivedOn >= transferOn && receivedOn < transferOn+TransferWindowDays && receivedOn < due
}

// CourtesyEnd is the last day of an installment's courtesy period: the
// last day before a late fee may be charged for an installment due on due
// (the day before [LateFeePolicy.ChargeableOn]). The
// periodic statement's deadline counts from it (Reg Z comment 41(b)-1).
// A nil policy has no courtesy period: due itself.
func CourtesyEnd(due date.Date, p *LateFeePolicy) date.Date {
	if p == nil {
		return due
	}
	return p.ChargeableOn(due) - 1
}
