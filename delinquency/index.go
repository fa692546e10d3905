package delinquency

import (
	"math"
	"slices"

	"github.com/rickb777/date/v2"
)

// never is an internal date after every possible as-of date: "not
// recognized".
const never = date.Date(math.MaxInt64)

// index precomputes the fast path of oldest for loans without re-age.
//
// Per-installment methods: credits only add up, so installment i is
// recognized from a fixed date on (recOn), and the oldest unrecognized
// installment at t is the first i whose prefix maximum of recOn exceeds t.
//
// Aggregate: with pooled credit p, the oldest-first walk leaves
// R_j = max(0, p − S_j) after installment j (S_j = Σ periodic up to j) while
// every installment so far is covered, so installment j is covered exactly
// when p ≥ S_j − tol_j or periodic_j ≤ tol_j. The oldest unrecognized
// installment is the first i whose prefix maximum of that requirement
// exceeds p, and the pool left at it is max(0, p − S_{i−1}). A property test
// checks both against a plain walk.
//
// build allocates the columns filled here (recMax, or needMax, needSum,
// poolOn and poolCum); scratch has room for every credit's index.
func (e *Evaluator) index(scratch []int32) {
	n, nc := len(e.due), len(e.credOn)
	if e.policy.Recognition == RecognizeAggregate {
		var sum int64
		req := int64(math.MinInt64)
		for i := range n {
			sum += e.periodic[i]
			e.needSum[i] = sum
			if e.periodic[i] > e.tol[i] {
				req = max(req, sum-e.tol[i])
			}
			e.needMax[i] = req
		}
		order := scratch[:nc]
		for j := range order {
			order[j] = int32(j)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return int(e.credOn[a] - e.credOn[b]) })
		e.poolOn, e.poolCum = e.poolOn[:0], e.poolCum[:0]
		var cum int64
		for _, j := range order {
			cum += e.credPer[j]
			if k := len(e.poolOn) - 1; k >= 0 && e.poolOn[k] == e.credOn[j] {
				e.poolCum[k] = cum
				continue
			}
			e.poolOn = append(e.poolOn, e.credOn[j])
			e.poolCum = append(e.poolCum, cum)
		}
		return
	}
	var top date.Date
	for i := range n {
		top = max(top, e.recognizedOn(i, scratch))
		e.recMax[i] = top
	}
}

// recognizedOn returns the first day installment i counts as paid under a
// per-installment method: 0 when it needs no payment, never when its
// credits never suffice. scratch holds at least its credits' indexes.
func (e *Evaluator) recognizedOn(i int, scratch []int32) date.Date {
	if e.covered(i, 0) {
		return 0
	}
	lo, hi := e.credOff[i], e.credOff[i+1]
	order := scratch[:0]
	for j := lo; j < hi; j++ {
		order = append(order, j)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return int(e.credOn[a] - e.credOn[b]) })
	var paid int64
	for _, j := range order {
		paid += e.credPer[j]
		if e.covered(i, paid) {
			return e.credOn[j]
		}
	}
	return never
}

// oldestFast is oldest for a date with no re-age in force; it ignores
// stopFuture (callers test the due date of the result).
func (e *Evaluator) oldestFast(t date.Date) (k int, pool int64) {
	n := len(e.due)
	if e.policy.Recognition != RecognizeAggregate {
		lo, hi := 0, n
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if e.recMax[m] > t {
				hi = m
			} else {
				lo = m + 1
			}
		}
		return lo, 0
	}
	lo, hi := 0, len(e.poolOn)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e.poolOn[m] > t {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo > 0 {
		pool = e.poolCum[lo-1]
	}
	lo, hi = 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e.needMax[m] > pool {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo > 0 {
		pool = max(0, pool-e.needSum[lo-1])
	}
	return lo, pool
}
