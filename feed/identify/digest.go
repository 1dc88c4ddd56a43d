package identify

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"

	"github.com/tributary/tributary/feed"
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

// articleHash digests everything an upstream item published. The dates of an
// undated item are the time it was seen, not something it published.
func articleHash(a *feed.Article) string {
	var d digester
	w := d.add
	w(a.GUID)
	w(a.Link)
	w(a.Title)
	w(a.Author)
	w(a.Content)
	w(a.Summary)
	w(a.Image)
	w(a.Lang)
	if !a.Undated {
		w(a.Published.UTC().String())
		w(a.Updated.UTC().String())
	}
	for _, c := range a.Categories {
		w(c)
	}
	for _, x := range a.Enclosures {
		w(fmt.Sprint(x.URL, " ", x.Type, " ", x.Length))
	}
	if f := a.CrossPostedFrom; f != nil {
		w(f.Name + " " + f.URL)
	}
	return d.sum()
}
