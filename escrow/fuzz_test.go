package escrow_test

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"github.com/lendcore/servicing/escrow"
	"github.com/lendcore/servicing/money"
)

// FuzzAnalyze builds an analysis from raw inputs, including invalid ones:
// Analyze must never panic, must return either a result or an error, and
// every result must satisfy the invariants of checkResult. bills holds
// 9-byte records: month, then a big-endian int64 amount in cents.
func FuzzAnalyze(f *testing.F) {
	appE := func() []byte {
		var b []byte
		for _, bill := range []struct {
			m     byte
			cents int64
		}{{7, 500_00}, {9, 360_00}, {12, 700_00}} {
			b = append(b, bill.m)
			b = binary.BigEndian.AppendUint64(b, uint64(bill.cents))
		}
		return b
	}()
	f.Add(uint8(0), uint8(7), int64(1), int64(6), uint8(1), int64(0), true, appE)
	f.Add(uint8(1), uint8(7), int64(1), int64(6), uint8(5), int64(-10_000), false, appE)
	f.Add(uint8(0), uint8(0), int64(1), int64(5), uint8(9), int64(1<<62), true, []byte{13, 0xff, 0, 0, 0, 0, 0, 0, 1})
	f.Add(uint8(2), uint8(12), int64(0), int64(0), uint8(0), int64(-1<<63), false, []byte{})
	f.Add(uint8(0), uint8(1), int64(1<<62), int64(1<<63-1), uint8(3), int64(money.MaxMinor), true,
		[]byte{1, 0, 0x03, 0x8d, 0x7e, 0xa4, 0xc6, 0x80, 0x00})
	f.Fuzz(func(t *testing.T, method, first uint8, num, den int64, mode uint8, balance int64, current bool, bills []byte) {
		methods := []escrow.Method{escrow.Aggregate, escrow.SingleItem, "", "other"}
		a := escrow.Analysis{
			Method:            methods[int(method)%len(methods)],
			Currency:          money.USD,
			FirstPaymentMonth: time.Month(first),
			Cushion:           escrow.Fraction{Num: num, Den: den},
			BorrowerCurrent:   current,
		}
		allModes := slices.Concat(modes, []money.RoundingMode{"", "bogus"})
		a.Rounding = allModes[int(mode)%len(allModes)]
		if b, err := money.New(balance, money.USD); err == nil {
			a.CurrentBalance = b
		} else { // beyond MaxMinor, reachable only by arithmetic: must be rejected
			a.CurrentBalance = money.Zero(money.USD).Add(money.MustNew(money.MaxMinor, money.USD)).Add(money.MustNew(1, money.USD))
		}
		for i := 0; i+9 <= len(bills) && len(a.Disbursements) < 50; i += 9 {
			cents := int64(binary.BigEndian.Uint64(bills[i+1 : i+9]))
			amt, err := money.New(cents, money.USD)
			if err != nil {
				amt = money.MustNew(money.MaxMinor, money.USD)
			}
			a.Disbursements = append(a.Disbursements, escrow.Disbursement{
				Item: string(rune('a' + bills[i]%3)), Month: time.Month(bills[i] % 14), Amount: amt})
		}
		r, err := escrow.Analyze(a)
		if err != nil {
			return
		}
		checkResult(t, a, r)
	})
}
