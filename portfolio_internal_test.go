package servicing

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLoansDigest holds loansDigest, the DayCloser record's key, to its
// definition (the SHA-256 of the ids in sorted order, each prefixed by its
// length as a uvarint, hashed id by id) on sorted, shuffled and repeated
// ids, long ones included: a record written before must keep its key.
func TestLoansDigest(t *testing.T) {
	want := func(loans []LoanID) [32]byte {
		ids := slices.Clone(loans)
		slices.Sort(ids)
		h := sha256.New()
		for _, id := range ids {
			h.Write(binary.AppendUvarint(nil, uint64(len(id))))
			h.Write([]byte(id))
		}
		var sum [32]byte
		h.Sum(sum[:0])
		return sum
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 3000 {
		if n > 40 && n%97 != 0 {
			continue
		}
		ids := make([]LoanID, n)
		for i := range ids {
			ids[i] = LoanID(fmt.Sprintf("L%06d", r.IntN(n+1)))
			if r.IntN(50) == 0 {
				ids[i] = LoanID(strings.Repeat("x", r.IntN(9000)))
			}
		}
		require.Equal(t, want(ids), loansDigest(ids), "%d ids", n)
		slices.Sort(ids)
		require.Equal(t, want(ids), loansDigest(ids), "%d sorted ids", n)
	}
	require.Equal(t, want(nil), loansDigest(nil))
}
