package schedule

import (
	"errors"
	"testing"

	"github.com/lendcore/servicing/field"
	"github.com/stretchr/testify/require"
)

func TestPeriodsPerYear(t *testing.T) {
	tests := []struct {
		name  string
		f     Frequency
		n     int
		exact bool
	}{
		{"monthly", Monthly(), 12, true},
		{"quarterly", Quarterly(), 4, true},
		{"semi-annual", SemiAnnual(), 2, true},
		{"annual", Annual(), 1, true},
		{"every 2 months", EveryMonths(2), 6, true},
		{"every 5 months", EveryMonths(5), 2, false},
		{"every 24 months", EveryMonths(24), 0, false},
		{"semi-monthly", SemiMonthly(1, 16), 24, true},
		{"weekly", Weekly(), 52, true},
		{"biweekly", Biweekly(), 26, true},
		{"every 3 weeks", Frequency{Unit: UnitWeek, Every: 3}, 17, false},
		{"every 10 days", EveryDays(10), 36, false},
		{"daily", EveryDays(1), 365, false},
		{"invalid", Frequency{}, 0, false},
		{"unknown unit", Frequency{Unit: "fortnight", Every: 1}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, exact := tt.f.PeriodsPerYear()
			require.Equal(t, tt.n, n)
			require.Equal(t, tt.exact, exact)
		})
	}
}

func TestFrequencyString(t *testing.T) {
	require.Equal(t, "monthly", Monthly().String())
	require.Equal(t, "every 3 months", Quarterly().String())
	require.Equal(t, "semi-monthly on days 15 and 31", SemiMonthly(15, 31).String())
	require.Equal(t, "weekly", Weekly().String())
	require.Equal(t, "every 2 weeks", Biweekly().String())
	require.Equal(t, "every 10 days", EveryDays(10).String())
	require.Equal(t, "every day", EveryDays(1).String())
}

func TestFrequencyValidate(t *testing.T) {
	tests := []struct {
		name   string
		f      Frequency
		fields []string
		cause  error
	}{
		{"monthly ok", Monthly(), nil, nil},
		{"every 120 months ok", EveryMonths(120), nil, nil},
		{"1st and 16th ok", SemiMonthly(1, 16), nil, nil},
		{"15th and last ok", SemiMonthly(15, 31), nil, nil},
		{"biweekly ok", Biweekly(), nil, nil},
		{"every 3660 days ok", EveryDays(3660), nil, nil},
		{"zero value", Frequency{}, []string{"Frequency.Unit"}, field.ErrRequired},
		{"unknown unit", Frequency{Unit: "fortnight", Every: 1}, []string{"Frequency.Unit"}, field.ErrNotSupported},
		{"every 0 months", EveryMonths(0), []string{"Frequency.Every"}, field.ErrOutOfRange},
		{"every -1 months", EveryMonths(-1), []string{"Frequency.Every"}, field.ErrOutOfRange},
		{"every 121 months", EveryMonths(121), []string{"Frequency.Every"}, field.ErrOutOfRange},
		{"every 53 weeks", Frequency{Unit: UnitWeek, Every: 53}, []string{"Frequency.Every"}, field.ErrOutOfRange},
		{"every 0 days", EveryDays(0), []string{"Frequency.Every"}, field.ErrOutOfRange},
		{"every 3661 days", EveryDays(3661), []string{"Frequency.Every"}, field.ErrOutOfRange},
		{"semi-monthly every 2", Frequency{Unit: UnitSemiMonth, Every: 2, SemiMonthlyDays: [2]int{1, 16}}, []string{"Frequency.Every"}, field.ErrOutOfRange},
		{"semi-monthly day 0", SemiMonthly(0, 16), []string{"Frequency.SemiMonthlyDays[0]"}, field.ErrOutOfRange},
		{"semi-monthly day 32", SemiMonthly(1, 32), []string{"Frequency.SemiMonthlyDays[1]"}, field.ErrOutOfRange},
		{"semi-monthly days 0 and 32", SemiMonthly(0, 32), []string{"Frequency.SemiMonthlyDays[0]", "Frequency.SemiMonthlyDays[1]"}, field.ErrOutOfRange},
		{"semi-monthly days reversed", SemiMonthly(16, 1), []string{"Frequency.SemiMonthlyDays[1]"}, field.ErrOutOfRange},
		{"semi-monthly days equal", SemiMonthly(15, 15), []string{"Frequency.SemiMonthlyDays[1]"}, field.ErrOutOfRange},
		// 28 and 31 would both fall on 28 February.
		{"semi-monthly first day 28", SemiMonthly(28, 31), []string{"Frequency.SemiMonthlyDays[0]"}, field.ErrOutOfRange},
		{"days on monthly", Frequency{Unit: UnitMonth, Every: 1, SemiMonthlyDays: [2]int{1, 16}}, []string{"Frequency.SemiMonthlyDays"}, field.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.f.Validate()
			if tt.fields == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidFrequency)
			require.ErrorIs(t, err, tt.cause)
			require.Equal(t, tt.fields, field.Fields(err))
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
		})
	}
}
