package sqlstore

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// Encodings of checkpoints.state (column state_encoding).
const (
	stateRaw     = 0 // the engine's bytes as given
	stateDeflate = 1 // raw DEFLATE (RFC 1951) of them
)

// packedState is a checkpoint's state as stored.
type packedState struct {
	state    []byte
	encoding int
}

// deflaters reuse compressors: a flate.Writer is large to allocate.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // the level is valid: no error
	return w
}}

// packState compresses a checkpoint's state when that makes it smaller (a
// state is mostly small integers and repeated amounts: about 40% smaller),
// and keeps it raw otherwise.
func packState(raw []byte) packedState {
	if raw == nil {
		raw = []byte{}
	}
	var buf bytes.Buffer
	buf.Grow(len(raw))
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&buf)
	_, err := w.Write(raw)
	if err == nil {
		err = w.Close()
	}
	deflaters.Put(w)
	if err != nil || buf.Len() >= len(raw) {
		return packedState{state: raw, encoding: stateRaw}
	}
	return packedState{state: buf.Bytes(), encoding: stateDeflate}
}

// unpackState returns the engine's bytes of a stored state.
func unpackState(b []byte, encoding int64) ([]byte, error) {
	switch encoding {
	case stateRaw:
		return b, nil
	case stateDeflate:
		r := flate.NewReader(bytes.NewReader(b))
		out, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("checkpoint state: inflate: %w", err)
		}
		return out, r.Close()
	}
	return nil, fmt.Errorf("checkpoint state: unknown encoding %d", encoding)
}
