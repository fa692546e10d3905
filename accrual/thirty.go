package accrual

import (
	"time"

	"github.com/rickb777/date/v2"
)

// thirty returns the 30/360-family day count of [start, end) for dc.
func (dc DayCount) thirty(start, end date.Date) int {
	term := dc.Termination != nil && *dc.Termination == end
	return thirty360(dc.Convention, start, end, term)
}

// thirty360 applies the day rules of convention c and returns
// 360·(Y2−Y1) + 30·(M2−M1) + (D2−D1) (ISDA 2006 Definitions 4.16(f)–(h);
// SIA Standard Securities Calculation Methods for 30/360 US). endIsTermination
// is the 30E/360 (ISDA) exception for a last day of February.
func thirty360(c Convention, start, end date.Date, endIsTermination bool) int {
	y1, m1, d1 := start.Date()
	y2, m2, d2 := end.Date()
	switch c {
	case Thirty360BondBasis:
		if d1 == 31 {
			d1 = 30
		}
		if d2 == 31 && d1 == 30 {
			d2 = 30
		}
	case Thirty360E:
		if d1 == 31 {
			d1 = 30
		}
		if d2 == 31 {
			d2 = 30
		}
	case Thirty360EISDA:
		if d1 == 31 || lastOfFeb(y1, m1, d1) {
			d1 = 30
		}
		if d2 == 31 || (lastOfFeb(y2, m2, d2) && !endIsTermination) {
			d2 = 30
		}
	case Thirty360US, Thirty360USAlias, Thirty360USNoEOM:
		if c != Thirty360USNoEOM {
			feb1, feb2 := lastOfFeb(y1, m1, d1), lastOfFeb(y2, m2, d2)
			if feb1 && feb2 {
				d2 = 30
			}
			if feb1 {
				d1 = 30
			}
		}
		if d2 == 31 && d1 >= 30 {
			d2 = 30
		}
		if d1 == 31 {
			d1 = 30
		}
	}
	return 360*(y2-y1) + 30*int(m2-m1) + (d2 - d1)
}

func lastOfFeb(y int, m time.Month, d int) bool {
	return m == time.February && isLastOfMonth(y, m, d)
}
