package delinquency

import "fmt"

// String returns the bucket's label ("30-59"), or its lower bound when it
// has none, so a bucket prints as what a report calls it.
func (b AgingBucket) String() string {
	if b.Name == "" {
		return fmt.Sprintf("%d+ days", b.MinDays)
	}
	return b.Name
}

// String returns the span as "30-59 [2025-03-03, 2025-04-02)", with
// "ongoing" when the loan was still in the bucket at the history's end.
func (s AgingBucketSpan) String() string {
	out := fmt.Sprintf("%s [%s, %s)", s.Bucket, s.Entered, s.Left)
	if s.Ongoing {
		out += " ongoing"
	}
	return out
}

// String returns "1896.20 received 2025-03-01", marked "lender-funded" when
// it cannot count toward a re-age.
func (p Payment) String() string {
	out := fmt.Sprintf("%s received %s", p.Amount, p.ReceivedOn)
	if p.LenderFunded {
		out += " lender-funded"
	}
	return out
}
