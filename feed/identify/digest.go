package identify

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
)

// digester hashes a sequence of strings; each is length-prefixed so that
// ("ab", "c") and ("a", "bc") differ.
type digester struct{ h hash.Hash }

func (d *digester) add(s string) {
	if d.h == nil {
		d.h = sha256.New()
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	d.h.Write(n[:])
	d.h.Write([]byte(s))
}

// sum returns the first 128 bits of the digest in hex.
func (d *digester) sum() string {
	if d.h == nil {
		d.h = sha256.New()
	}
	return hex.EncodeToString(d.h.Sum(nil)[:16])
}
