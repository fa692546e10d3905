package money

import (
	"fmt"
	"slices"
)

// Split divides a into n parts that differ by at most one minor unit and sum
// exactly to a. The leftover units go to the first parts, so the result is
// deterministic: Split(100.00, 3) = [33.34, 33.33, 33.33].
func (a Amount) Split(n int) ([]Amount, error) {
	if n <= 0 {
		return nil, fmt.Errorf("%w: split into %d parts", ErrDivisionByZero, n)
	}
	weights := make([]int64, n)
	for i := range weights {
		weights[i] = 1
	}
	return a.Allocate(weights)
}

// Allocate divides a in proportion to non-negative weights (at least one
// positive) so that the parts sum exactly to a. Each part is first rounded
// toward zero; the leftover minor units then go one each to the parts with the
// largest remainders, ties to the lower index (largest-remainder method).
func (a Amount) Allocate(weights []int64) ([]Amount, error) {
	var total int64
	for i, w := range weights {
		if w < 0 {
			return nil, fmt.Errorf("%w: weight[%d] = %d is negative", ErrInvalidAmount, i, w)
		}
		if total+w < total {
			return nil, fmt.Errorf("%w: weights overflow", ErrOverflow)
		}
		total += w
	}
	if total == 0 {
		return nil, fmt.Errorf("%w: weights sum to zero", ErrDivisionByZero)
	}
	mag := abs64(a.minor)
	parts := make([]Amount, len(weights))
	rems := make([]uint64, len(weights))
	var given uint64
	for i, w := range weights {
		hi, lo := mulu128(mag, uint64(w))
		q, r := divu128(hi, lo, uint64(total))
		parts[i] = Amount{minor: int64(q), ci: a.ci}
		rems[i] = r
		given += q
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		switch {
		case rems[x] > rems[y]:
			return -1
		case rems[x] < rems[y]:
			return 1
		}
		return 0
	})
	for k := uint64(0); k < mag-given; k++ {
		parts[order[k]].minor++
	}
	if a.minor < 0 {
		for i := range parts {
			parts[i].minor = -parts[i].minor
		}
	}
	return parts, nil
}

// Sum adds amounts; the zero Amount for none.
func Sum(amounts ...Amount) Amount {
	var s Amount
	for _, x := range amounts {
		s = s.Add(x)
	}
	return s
}
