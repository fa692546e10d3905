package servicing

import (
	"fmt"
	"testing"

	"github.com/lendcore/servicing/loan"
	"github.com/rickb777/date/v2"
)

// TestHeadBoundIsEngineWide: 300 loans hash unevenly over the 64 shards
// (a share of 5 each), yet a bound of 300 keeps all 300 heads; a 301st
// loan takes one's place (the bound holds), and dropping a head frees
// room for another.
func TestHeadBoundIsEngineWide(t *testing.T) {
	c := newHeadCache(300)
	put := func(id LoanID) {
		l := loaded{}
		after := loan.State{AsOf: date.New(2024, 2, 1)}
		c.put(id, &l, []loan.Event{{Seq: 2, Kind: loan.KindDayClosed, EffectiveOn: after.AsOf}}, &after, nil, false)
	}
	held := func() int {
		n := 0
		for i := range c.shards {
			n += len(c.shards[i].m)
		}
		return n
	}
	most := 0
	for i := range 300 {
		put(LoanID(fmt.Sprint("L", i)))
	}
	for i := range c.shards {
		most = max(most, len(c.shards[i].m))
	}
	if held() != 300 || c.held.Load() != 300 {
		t.Fatalf("held %d heads (counted %d), want 300", held(), c.held.Load())
	}
	if most <= c.perShard {
		t.Fatalf("no shard holds more than its share (%d): the test shows nothing", c.perShard)
	}
	put("L300")
	if held() > 300 || c.held.Load() > 300 {
		t.Fatalf("held %d heads (counted %d) over the bound 300", held(), c.held.Load())
	}
	c.drop("L300")
	c.drop("L0")
	before := held()
	put("L301")
	if held() != before+1 {
		t.Fatalf("after two drops a new loan's head was not kept: %d, was %d", held(), before)
	}
}
