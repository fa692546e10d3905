package party_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/party"
	"github.com/rickb777/date/v2"
	"github.com/stretchr/testify/require"
)

func d(m time.Month, day int) date.Date { return date.New(2025, m, day) }

func TestBlockedAndActiveDuty(t *testing.T) {
	c := party.Contact{Name: "A",
		DoNotContact: []party.Window{{From: d(3, 1), To: d(3, 10)}, {From: d(4, 1), Channel: party.Phone}},
		ActiveDuty:   []party.Window{{From: d(1, 1), To: d(7, 1)}}}
	require.NoError(t, c.Validate("C"))
	require.True(t, c.Blocked(d(3, 9), party.Email))
	require.False(t, c.Blocked(d(3, 10), ""), "To is exclusive")
	require.True(t, c.Blocked(d(5, 1), party.Phone), "open-ended phone window")
	require.False(t, c.Blocked(d(5, 1), party.Mail))
	require.True(t, c.Blocked(d(5, 1), ""), "any channel blocked counts")
	require.True(t, c.OnActiveDuty(d(6, 30)))
	require.False(t, c.OnActiveDuty(d(7, 1)))
}

func TestChanged(t *testing.T) {
	a := party.Contact{Name: "A", Email: "a@x"}
	b := a
	b.Email, b.Language = "a@y", "es"
	require.Equal(t, []string{"email", "language"}, party.Changed(a, b))
	require.Empty(t, party.Changed(a, a))
}

// TestValidateHidesValues: errors name the fields and never echo the
// personal value (only its length).
func TestValidateHidesValues(t *testing.T) {
	long := strings.Repeat("x", party.MaxText+1)
	err := party.Contact{Name: long, Email: "secret@example.com", EConsent: true,
		DoNotContact: []party.Window{{From: d(3, 2), To: d(3, 1)}}}.Validate("C")
	require.True(t, errors.Is(err, party.ErrInvalid))
	require.Equal(t, []string{"C.Name", "C.EConsentOn", "C.DoNotContact[0].To"}, field.Fields(err))
	require.NotContains(t, err.Error(), "xxxx")
	require.NoError(t, party.Party{ID: "P1", Role: party.Guarantor}.Validate("P"))
}
