package sqlstore

import (
	"bytes"
	"testing"
)

// A state that compresses is stored deflated and reads back byte for byte;
// one that does not (short or random) is stored as given; an unknown
// encoding or corrupt deflate stream is an error, never a wrong state.
func TestPackState(t *testing.T) {
	repetitive := bytes.Repeat([]byte("USD 1199.10\x00\x01"), 40)
	short := []byte{7}
	for _, raw := range [][]byte{repetitive, short, {}, nil} {
		p := packState(raw)
		back, err := unpackState(p.state, int64(p.encoding))
		if err != nil {
			t.Fatalf("unpack: %v", err)
		}
		if !bytes.Equal(back, raw) || back == nil {
			t.Fatalf("round trip of %d bytes gave %d bytes (nil %v)", len(raw), len(back), back == nil)
		}
	}
	if p := packState(repetitive); p.encoding != stateDeflate || len(p.state) >= len(repetitive)/4 {
		t.Fatalf("repetitive state: encoding %d, %d of %d bytes", p.encoding, len(p.state), len(repetitive))
	}
	if p := packState(short); p.encoding != stateRaw {
		t.Fatalf("one byte: encoding %d, want raw", p.encoding)
	}
	if _, err := unpackState([]byte{1, 2, 3}, 9); err == nil {
		t.Fatal("unknown encoding read")
	}
	if _, err := unpackState([]byte{0xff, 0xff, 0xff}, stateDeflate); err == nil {
		t.Fatal("corrupt deflate stream read")
	}
}
