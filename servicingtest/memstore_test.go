package servicingtest_test

import (
	"testing"

	servicing "github.com/lendcore/servicing"
	"github.com/lendcore/servicing/servicingtest"
)

func TestMemStore(t *testing.T) {
	servicingtest.TestStore(t, func(*testing.T) servicing.Store { return servicingtest.NewMemStore() })
}

// The suite must also pass through a Faulty wrapper that injects nothing.
func TestFaultyPassThrough(t *testing.T) {
	servicingtest.TestStore(t, func(*testing.T) servicing.Store {
		return &servicingtest.Faulty{Inner: servicingtest.NewMemStore()}
	})
}

func TestDayClosingMemStore(t *testing.T) {
	servicingtest.TestStore(t, func(*testing.T) servicing.Store { return servicingtest.NewDayClosingMemStore() })
}
