package feed

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// Digests is a list of 64-bit digests (SourceState.Known). It is kept in
// JSON as one base64 string of their big-endian bytes rather than as an
// array of numbers: a state is decoded whenever sources are listed (the
// server's catalog, every metrics scrape), and for a feed of a thousand
// items the numbers took 20 KB and 0.4 ms to decode where the string takes
// 11 KB and a twentieth of that.
type Digests []uint64

// MarshalJSON writes the digests as a base64 string.
func (d Digests) MarshalJSON() ([]byte, error) {
	raw := make([]byte, 0, 8*len(d))
	for _, v := range d {
		raw = binary.BigEndian.AppendUint64(raw, v)
	}
	return json.Marshal(base64.StdEncoding.EncodeToString(raw))
}

// UnmarshalJSON reads what MarshalJSON wrote, and the array of numbers an
// earlier build wrote.
func (d *Digests) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		var nums []uint64
		if err := json.Unmarshal(b, &nums); err != nil {
			return fmt.Errorf("digests: %w", err)
		}
		*d = nums
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("digests: %w", err)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("digests: %w", err)
	}
	if len(raw)%8 != 0 {
		return fmt.Errorf("digests: %d bytes, not a whole number of 8-byte digests", len(raw))
	}
	out := make(Digests, len(raw)/8)
	for i := range out {
		out[i] = binary.BigEndian.Uint64(raw[8*i:])
	}
	*d = out
	return nil
}
