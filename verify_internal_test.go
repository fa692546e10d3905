package servicing

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/loan"
)

// TestVerifyCheckpoint: a checkpoint about to be committed must decode and
// encode back to the same bytes; a damaged or non-canonical one is refused
// as ErrInvariant before anything is written.
func TestVerifyCheckpoint(t *testing.T) {
	e, err := New(Config{Store: nopStore{}, Now: nil})
	if err == nil || e != nil {
		t.Fatal("a clock is required")
	}
	e = &Engine{terms: newTermsCache()}
	req, err := loan.ParseBoarding([]byte(`{"terms":{"currency":"USD","principal":"1000.00","annual_rate":"6%",
	  "installments":12,"frequency":{"unit":"month","every":1},"eom":"anchor","funding_date":"2024-01-01",
	  "first_due_date":"2024-02-01","day_count":{"convention":"30U_360_EOM"},"interest_method":"scheduled",
	  "interest_rounding":"half_away_from_zero","payment":"86.07","escrow_payment":"0","allocation":{"extra":"principal"},
	  "late_fee":{"grace_days":0,"percent":"0%","flat":"0","max":"0"}},"borrower":"B"}`))
	if err != nil {
		t.Fatal(err)
	}
	good, _ := loan.Initial(req.Terms).MarshalBinary()
	if err := e.verify(good); err != nil {
		t.Fatalf("a canonical encoding: %v", err)
	}
	for name, bad := range map[string][]byte{
		"truncated":      good[:len(good)-1],
		"trailing bytes": append(append([]byte{}, good...), 0),
		"other version":  append([]byte{loan.EncodingVersion + 1}, good[1:]...),
	} {
		if err := e.verify(bad); !errors.Is(err, loan.ErrInvariant) {
			t.Errorf("%s: %v, want ErrInvariant", name, err)
		}
	}
}

type nopStore struct{ Store }
