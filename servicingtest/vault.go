package servicingtest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/lendcore/servicing"
)

// MemVault is an in-memory servicing.PartyVault for tests and examples:
// each party's versions of contact data, and the erasure that replaced
// them. Safe for concurrent use.
type MemVault struct {
	mu      sync.Mutex
	data    map[vaultKey]map[string][]byte
	erasure map[vaultKey]servicing.Erasure
}

type vaultKey struct {
	loan  servicing.LoanID
	party string
}

// NewMemVault returns an empty vault.
func NewMemVault() *MemVault {
	return &MemVault{data: map[vaultKey]map[string][]byte{}, erasure: map[vaultKey]servicing.Erasure{}}
}

// PutContact stores data under ref.
func (v *MemVault) PutContact(ctx context.Context, loan servicing.LoanID, partyID, ref string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	k := vaultKey{loan, partyID}
	if _, gone := v.erasure[k]; gone {
		return fmt.Errorf("party %q of loan %q: %w", partyID, loan, servicing.ErrRedacted)
	}
	if v.data[k] == nil {
		v.data[k] = map[string][]byte{}
	}
	v.data[k][ref] = slices.Clone(data)
	return nil
}

// Contact returns the data stored under ref.
func (v *MemVault) Contact(ctx context.Context, loan servicing.LoanID, partyID, ref string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	k := vaultKey{loan, partyID}
	if _, gone := v.erasure[k]; gone {
		return nil, fmt.Errorf("party %q of loan %q: %w", partyID, loan, servicing.ErrRedacted)
	}
	b, ok := v.data[k][ref]
	if !ok {
		return nil, fmt.Errorf("party %q of loan %q version %q: %w", partyID, loan, ref, servicing.ErrNotFound)
	}
	return slices.Clone(b), nil
}

// Erase deletes every version of the party's data and records e.
func (v *MemVault) Erase(ctx context.Context, loan servicing.LoanID, partyID string, e servicing.Erasure) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	k := vaultKey{loan, partyID}
	delete(v.data, k)
	v.erasure[k] = e
	return nil
}

// Erasure returns the erasure recorded for a party, and false if none.
func (v *MemVault) Erasure(loan servicing.LoanID, partyID string) (servicing.Erasure, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.erasure[vaultKey{loan, partyID}]
	return e, ok
}

// Holds reports whether any stored version of any party contains b (a
// test's check that erased data is gone).
func (v *MemVault) Holds(b []byte) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, refs := range v.data {
		for _, d := range refs {
			if bytes.Contains(d, b) {
				return true
			}
		}
	}
	return false
}
