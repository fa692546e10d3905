package servicing_test

import (
	"errors"
	"testing"
	"time"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/field"
	"github.com/lendcore/servicing/servicingtest"
	"github.com/stretchr/testify/require"
)

func TestNewRequiresClockAndStore(t *testing.T) {
	tests := []struct {
		name   string
		cfg    servicing.Config
		fields []string
	}{
		{"nothing", servicing.Config{}, []string{"Config.Store", "Config.Now"}},
		{"no clock", servicing.Config{Store: servicingtest.NewMemStore()}, []string{"Config.Now"}},
		{"negative limits", servicing.Config{Store: servicingtest.NewMemStore(), Now: time.Now, CheckpointEvery: -1, MaxRetries: -1, Workers: -1},
			[]string{"Config.CheckpointEvery", "Config.MaxRetries", "Config.Workers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := servicing.New(tt.cfg)
			require.ErrorIs(t, err, servicing.ErrInvalidConfig)
			require.Equal(t, tt.fields, field.Fields(err))
			var fe *field.Error
			require.True(t, errors.As(err, &fe))
		})
	}
	e, err := servicing.New(servicing.Config{Store: servicingtest.NewMemStore(), Now: time.Now})
	require.NoError(t, err)
	require.NotNil(t, e)
}
