package notice_test

import (
	"fmt"
	"time"

	"github.com/lendcore/servicing/notice"
	"github.com/lendcore/servicing/schedule"
	"github.com/rickb777/date/v2"
)

// A servicing transfer on 1 Jul 2025 decided on 20 May, and a payoff
// request received on Friday 5 Jul 2024.
func Example() {
	out, in := notice.Transfer(date.New(2025, time.May, 20), date.New(2025, time.July, 1))
	payoff := notice.Payoff(date.New(2024, time.July, 5), schedule.USFederalReserve())
	for _, n := range []notice.Notice{out, in, payoff} {
		fmt.Println(n.Kind, n.Opens, n.Due, n.Rule)
	}
	// Output:
	// transfer_notice_transferor 2025-05-20 2025-06-16 12 CFR 1024.33(b)(3)
	// transfer_notice_transferee 2025-05-20 2025-07-16 12 CFR 1024.33(b)(3)
	// payoff_statement 2024-07-05 2024-07-16 12 CFR 1026.36(c)(3)
}
