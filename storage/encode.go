package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/golang/snappy"

	"github.com/tributary/tributary/feed"
)

// An entry value starts with a byte naming its encoding, so that stores
// written by earlier versions read unchanged and `tributary compact`
// rewrites them in the current one:
//
//	'{'   JSON of feed.Entry (every store before codec 1)
//	0x01  snappy-compressed CBOR (RFC 8949) of feed.Entry, keyed by its json
//	      tags, times as RFC 3339 text with nanoseconds and offset
//
// Why CBOR and snappy (BenchmarkEntryEncoding): entries are mostly HTML.
// JSON makes the decoder scan every byte of it for quotes and escapes;
// CBOR prefixes each string with its length, so decoding the 50 entries of
// a feed page drops from 3.4-4.2 ms to 0.7-0.8 ms, snappy included. Snappy
// shrinks the average entry from 5.0 KB of JSON to 3.3 KB, most entries to
// a single bbolt page; JSON with DEFLATE is smaller (2.4 KB) but a page
// then takes 7-9 ms to decode.
const (
	codecJSON        = '{'
	codecCBORSnappy  = 0x01
	currentCodec     = codecCBORSnappy
	maxDecodedEntry  = 256 << 20 // refuse a corrupt length before allocating it
	codecDescription = "snappy-compressed CBOR"
)

// entryCodec holds the CBOR modes. They are immutable once built and safe
// for concurrent use, so one pair serves every transaction.
type entryCodec struct {
	enc cbor.EncMode
	dec cbor.DecMode
}

var codec = func() entryCodec {
	enc, err := cbor.EncOptions{Time: cbor.TimeRFC3339Nano}.EncMode()
	if err != nil {
		panic(err) // the options are constants: a test catches this
	}
	dec, err := cbor.DecOptions{
		// Go strings may hold bytes that are not UTF-8 (a GUID copied
		// from a broken feed); the encoder writes them as they are, and
		// refusing them here would lose the entry. (JSON replaced them
		// with U+FFFD; CBOR keeps them exact.)
		UTF8:             cbor.UTF8DecodeInvalid,
		MaxArrayElements: 1 << 20,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return entryCodec{enc: enc, dec: dec}
}()

// encodeEntry returns e's value in the current encoding.
func encodeEntry(e *feed.Entry) ([]byte, error) {
	raw, err := codec.enc.Marshal(e)
	if err != nil {
		return nil, err
	}
	v := make([]byte, 1+snappy.MaxEncodedLen(len(raw)))
	v[0] = codecCBORSnappy
	return v[:1+len(snappy.Encode(v[1:], raw))], nil
}

// decodeEntry decodes a stored value of any encoding. The result shares no
// memory with v, which belongs to bbolt's memory map and is only valid
// inside the transaction.
func decodeEntry(id string, v []byte) (*feed.Entry, error) {
	e := new(feed.Entry)
	if err := unmarshalEntry(v, e); err != nil {
		return nil, fmt.Errorf("decode entry %q: %w", id, err)
	}
	return e, nil
}

func unmarshalEntry(v []byte, e *feed.Entry) error {
	if err := unmarshalValue(v, e); err != nil {
		return err
	}
	if v[0] == codecJSON {
		return nil
	}
	return checkTimes(e)
}

// unmarshalValue decodes an entry's value into dst, a *feed.Entry or a
// struct of some of its fields (with their json tags), which is cheaper
// when only those are needed.
func unmarshalValue(v []byte, dst any) error {
	if len(v) == 0 {
		return errors.New("empty value")
	}
	switch v[0] {
	case codecJSON:
		return json.Unmarshal(v, dst)
	case codecCBORSnappy:
		n, err := snappy.DecodedLen(v[1:])
		if err != nil {
			return fmt.Errorf("%s: %w", codecDescription, err)
		}
		if n > maxDecodedEntry {
			return fmt.Errorf("%s: claims %d bytes", codecDescription, n)
		}
		raw, err := snappy.Decode(make([]byte, n), v[1:])
		if err != nil {
			return fmt.Errorf("%s: %w", codecDescription, err)
		}
		// CBOR decoding copies strings out of raw, so the entry does not
		// pin the buffer.
		if err := codec.dec.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("%s: %w", codecDescription, err)
		}
		return nil
	}
	return fmt.Errorf("unknown encoding 0x%02x", v[0])
}

// checkTimes refuses times that encodeEntry could not write back: CBOR
// also decodes numbers into time.Time, and a large one lands past the year
// 9999 that RFC 3339 text allows. Only a corrupt value holds one.
func checkTimes(e *feed.Entry) error {
	ts := []time.Time{e.Published, e.Updated, e.Created, e.Modified}
	for i := range e.Copies {
		c := &e.Copies[i]
		ts = append(ts, c.Published, c.Updated, c.FirstSeen)
	}
	for _, t := range ts {
		if y := t.Year(); y < 0 || y > 9999 {
			return fmt.Errorf("%s: time %s outside the years 0-9999", codecDescription, t.Format(time.RFC3339))
		}
	}
	return nil
}

// currentEncoding reports whether v is in the encoding encodeEntry writes.
func currentEncoding(v []byte) bool { return len(v) > 0 && v[0] == currentCodec }
