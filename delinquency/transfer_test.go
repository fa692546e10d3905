package delinquency_test

import (
	"testing"
	"time"

	"github.com/lendcore/servicing/delinquency"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

// TestPriorServicerTimely: Reg X §1024.33(c)(1) — during "the 60-day
// period beginning on the effective date of transfer", a payment "received
// by the transferor servicer ... before the due date" is not late. Transfer
// effective 1 Jul 2025: the period is 1 Jul – 29 Aug (day 60); 30 Aug is
// outside it.
func TestPriorServicerTimely(t *testing.T) {
	on := date.New(2025, time.July, 1)
	tests := []struct {
		name          string
		received, due date.Date
		want          bool
	}{
		{"inside window, before due", date.New(2025, time.July, 28), date.New(2025, time.August, 1), true},
		{"last day of window", date.New(2025, time.August, 29), date.New(2025, time.September, 1), true},
		{"day 61", date.New(2025, time.August, 30), date.New(2025, time.September, 1), false},
		{"on the due date is not before it", date.New(2025, time.August, 1), date.New(2025, time.August, 1), false},
		{"before the transfer: the prior servicer was the right one", date.New(2025, time.June, 30), date.New(2025, time.July, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, delinquency.PriorServicerTimely(on, tt.received, tt.due))
		})
	}
}

// TestCourtesyEnd: a 15-day grace period on a 1 Mar 2025 installment ends
// on 16 Mar; the fee is chargeable from 17 Mar (LateFeeDecision.ChargeableOn).
func TestCourtesyEnd(t *testing.T) {
	due := date.New(2025, time.March, 1)
	require.Equal(t, date.New(2025, time.March, 16), delinquency.CourtesyEnd(due, &delinquency.LateFeePolicy{GraceDays: 15}))
	require.Equal(t, due, delinquency.CourtesyEnd(due, nil))
}
