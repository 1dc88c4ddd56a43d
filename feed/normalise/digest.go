package normalise

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"reflect"
	"slices"
	"time"
)

// Most items of a fetched feed are the ones the last fetch brought: a blog's
// feed lists its last ten to fifty posts and changes when one is added.
// Making an Article of an item costs about four times parsing it (its HTML
// parsed, stripped of boilerplate, sanitised), so a caller that recorded the
// digests of the last fetch can skip the items that come back as they were.
//
// A digest must change whenever the Article would, or an edit upstream goes
// unseen. So it covers every field gofeed gives an item, found by
// reflection rather than listed, which keeps it whole when gofeed adds
// fields; and Context covers what the feed and the source contribute.

// Digest identifies item i as parsed: two items with the same Digest, under
// the same Context, make the same Article, but for the first-seen date
// Options.Now gives an undated item. It is 0, no digest, for a nil item and
// for an item dated beyond Now+MaxFuture: its Article, undated now, changes
// when that date comes within reach, with no change to the item.
func (p *Fetched) Digest(i int) uint64 {
	it := p.items[i]
	if it == nil {
		return 0
	}
	limit := p.b.opts.Now.Add(p.b.opts.MaxFuture)
	for _, t := range []*time.Time{it.PublishedParsed, it.UpdatedParsed} {
		if t != nil && t.After(limit) {
			return 0
		}
	}
	d := newDigester()
	d.value(reflect.ValueOf(it).Elem())
	// An Atom entry's canonical link is read from the original feed, not
	// from the item (atomCanonicals).
	if i < len(p.b.canon) {
		d.str(p.b.canon[i])
	}
	return d.sum()
}

// Context identifies what, besides an item, its Article is made from: the
// feed's home page, language and author, the source, and the options that
// change Articles. The code is not in it: a caller that keeps digests
// across versions of Tributary adds the build (feed/ingest does).
func (p *Fetched) Context() uint64 {
	d := newDigester()
	d.value(reflect.ValueOf(p.b.src))
	d.str(p.b.base)
	d.str(p.b.lang)
	d.str(p.b.fallbackAuthor)
	d.num(uint64(p.b.opts.MaxFuture))
	d.num(uint64(len(p.b.canon)))
	return d.sum()
}

// Digest identifies any value the way Fetched.Digest does an item: callers
// add to a Context what else they make Articles into (feed/ingest adds the
// source's attribution).
func Digest(v any) uint64 {
	d := newDigester()
	d.value(reflect.ValueOf(v))
	return d.sum()
}

// digester writes values unambiguously, to be hashed once: every string
// and list is preceded by its length, every pointer by whether it is nil,
// and maps are written in key order.
type digester struct{ buf []byte }

func newDigester() *digester { return &digester{buf: make([]byte, 0, 8<<10)} }

func (d *digester) num(v uint64) { d.buf = binary.BigEndian.AppendUint64(d.buf, v) }

func (d *digester) str(s string) {
	d.num(uint64(len(s)))
	d.buf = append(d.buf, s...)
}

func (d *digester) sum() uint64 {
	sum := sha256.Sum256(d.buf)
	return binary.BigEndian.Uint64(sum[:8])
}

func (d *digester) value(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		d.str(v.String())
	case reflect.Bool:
		if v.Bool() {
			d.num(1)
		} else {
			d.num(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.num(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		d.num(v.Uint())
	case reflect.Float32, reflect.Float64:
		d.num(math.Float64bits(v.Float()))
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			d.num(0)
			return
		}
		d.num(1)
		d.value(v.Elem())
	case reflect.Slice, reflect.Array:
		d.num(uint64(v.Len()))
		for i := range v.Len() {
			d.value(v.Index(i))
		}
	case reflect.Map:
		d.num(uint64(v.Len()))
		keys := v.MapKeys()
		slices.SortFunc(keys, compareKeys)
		for _, k := range keys {
			d.value(k)
			d.value(v.MapIndex(k))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			t := v.Interface().(time.Time)
			_, offset := t.Zone()
			d.num(uint64(t.Unix()))
			d.num(uint64(t.Nanosecond()))
			d.num(uint64(offset))
			return
		}
		for i := range v.NumField() {
			// Unexported fields are no part of what was parsed.
			if f := v.Field(i); f.CanInterface() {
				d.value(f)
			}
		}
	default:
		// Functions and channels: nothing a parsed feed holds.
		d.num(uint64(v.Kind()))
	}
}

// compareKeys orders map keys: gofeed's are strings; any other kind is
// ordered by its digest, which is as deterministic.
func compareKeys(a, b reflect.Value) int {
	if a.Kind() == reflect.String && b.Kind() == reflect.String {
		return cmp.Compare(a.String(), b.String())
	}
	da, db := newDigester(), newDigester()
	da.value(a)
	db.value(b)
	return cmp.Compare(da.sum(), db.sum())
}
