package loan

import (
	"github.com/lendcore/servicing/money"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// EscrowRefundDays is how long a servicer has to refund the escrow balance
// after a payoff: 20 days excluding legal public holidays, Saturdays and
// Sundays (Reg X §1024.34(b)(1)), counted on the Federal Reserve's
// calendar (its holidays are the legal public holidays of 5 U.S.C. 6103;
// it does not close on the Friday before a Saturday holiday, so that day
// counts).
const EscrowRefundDays = 20

// EscrowRefunded returns escrow money to the borrower (after payoff,
// §1024.34(b); or a surplus an analysis found, §1024.17(f)(2)): the escrow
// balance falls by Amount.
type EscrowRefunded struct {
	// Amount is the amount refunded, > 0 and at most the escrow balance.
	Amount money.Amount `json:"amount"`
}

// Kind returns KindEscrowRefunded.
func (EscrowRefunded) Kind() Kind { return KindEscrowRefunded }

func (p EscrowRefunded) currency() money.Currency { return p.Amount.Currency() }

// EscrowRefundBy returns the last day to refund a paid-off loan's escrow
// balance (EscrowRefundDays business days after the payoff), and false
// when nothing is to refund (the loan is open, or its escrow is empty).
func (s State) EscrowRefundBy() (date.Date, bool) {
	if s.Status != StatusPaidOff || !s.Escrow.IsPositive() {
		return 0, false
	}
	return schedule.AddBusinessDays(s.ClosedOn, EscrowRefundDays, schedule.USFederalReserve()), true
}

// refundEscrow applies an EscrowRefunded event: at most the balance.
func (f *folder) refundEscrow(d date.Date, seq int64, p EscrowRefunded) {
	s := &f.s
	x := money.Min(p.Amount, s.Escrow)
	s.Escrow = s.Escrow.Sub(x)
	f.j.begin(d, seq, TransactionKind(KindEscrowRefunded), x).line(0, AccountEscrow, x.Neg(), "escrow refunded to the borrower")
}
