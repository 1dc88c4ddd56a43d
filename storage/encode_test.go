package storage

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang/snappy"

	"github.com/tributary/tributary/feed"
)

// fullEntry sets every field of an entry, with the values that have tripped
// encoders before: times with nanoseconds and a non-UTC offset, the zero
// time, bytes that are not UTF-8, HTML, large numbers and negative ones.
func fullEntry() *feed.Entry {
	zone := time.FixedZone("", -5*3600-30*60)
	pub := time.Date(2026, 3, 14, 9, 26, 53, 589793238, zone)
	return &feed.Entry{
		ID: "0123456789abcdef", Title: "Cross-posted <em>&amp;</em> \"quoted\" — ünïcode", Link: "https://example.org/a?x=1&y=2",
		Author: "A. Writer", Content: "<p>Hello <a href=\"/x\">world</a> \u2028 \x00</p>", Summary: "Hello",
		Categories: []string{"Go", "feeds"}, Enclosures: []feed.Enclosure{{URL: "https://example.org/a.mp3", Type: "audio/mpeg", Length: 1 << 40}},
		Image: "https://example.org/a.png", Lang: "en-GB",
		Published: pub, Updated: pub.Add(time.Hour), Created: pub.UTC(), Modified: pub.Add(2 * time.Hour).UTC(),
		Copies: []feed.Copy{
			{SourceID: "s1", SourceName: "American Power", FeedURL: "https://example.org/feed", SiteURL: "https://example.org/",
				GUID: "guid-\xff\xfe-not-utf8", Link: "https://example.org/a", Title: "Original", Published: pub, Updated: pub,
				FirstSeen: pub.UTC(), Keys: []string{"guid:s1:x", "link:example.org/a"}, Fingerprint: 1<<64 - 1, Words: 812,
				Rule: "new", Score: 1, Hash: "abc"},
			{SourceID: "s2", FirstSeen: pub.UTC(), Undated: true, Keys: []string{"text:abc"}, Rule: "near", Score: 0.8312345678901234,
				CrossPostedFrom: &feed.Attribution{Name: "American Power", URL: "https://example.org/"}},
		},
		Original: 0, ContentCopy: 1,
	}
}

func TestEntryEncodingRoundTrips(t *testing.T) {
	tests := []struct {
		name string
		e    *feed.Entry
	}{
		{"every field", fullEntry()},
		{"minimal", &feed.Entry{ID: "x"}},
		{"large content", &feed.Entry{ID: "big", Content: strings.Repeat("<p>word and more words</p>", 40_000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := encodeEntry(tt.e)
			if err != nil {
				t.Fatal(err)
			}
			if !currentEncoding(v) {
				t.Fatalf("encoded with codec 0x%02x", v[0])
			}
			got, err := decodeEntry(tt.e.ID, v)
			if err != nil {
				t.Fatal(err)
			}
			assertSameEntry(t, got, tt.e)
		})
	}
}

// assertSameEntry compares field by field, times by instant and offset:
// reflect.DeepEqual would compare *time.Location pointers.
func assertSameEntry(t *testing.T, got, want *feed.Entry) {
	t.Helper()
	g, w := *got, *want
	sameTime(t, "published", g.Published, w.Published)
	sameTime(t, "updated", g.Updated, w.Updated)
	sameTime(t, "created", g.Created, w.Created)
	sameTime(t, "modified", g.Modified, w.Modified)
	g.Published, g.Updated, g.Created, g.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	w.Published, w.Updated, w.Created, w.Modified = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if len(g.Copies) != len(w.Copies) {
		t.Fatalf("%d copies, want %d", len(g.Copies), len(w.Copies))
	}
	g.Copies, w.Copies = append([]feed.Copy(nil), g.Copies...), append([]feed.Copy(nil), w.Copies...)
	for i := range g.Copies {
		gc, wc := &g.Copies[i], &w.Copies[i]
		sameTime(t, "copy published", gc.Published, wc.Published)
		sameTime(t, "copy updated", gc.Updated, wc.Updated)
		sameTime(t, "copy first seen", gc.FirstSeen, wc.FirstSeen)
		gc.Published, gc.Updated, gc.FirstSeen = time.Time{}, time.Time{}, time.Time{}
		wc.Published, wc.Updated, wc.FirstSeen = time.Time{}, time.Time{}, time.Time{}
	}
	nilEmpty(reflect.ValueOf(&g).Elem())
	nilEmpty(reflect.ValueOf(&w).Elem())
	if !reflect.DeepEqual(g, w) {
		t.Errorf("decoded\n%+v\nwant\n%+v", g, w)
	}
}

// nilEmpty sets every empty slice reachable in v to nil: an entry stored
// with "categories": [] and one stored without are the same entry, and the
// current encoding leaves empty lists out (the fuzzer found the JSON one).
func nilEmpty(v reflect.Value) {
	switch v.Kind() {
	case reflect.Slice:
		if v.Len() == 0 {
			if v.CanSet() {
				v.Set(reflect.Zero(v.Type()))
			}
			return
		}
		for i := range v.Len() {
			nilEmpty(v.Index(i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				nilEmpty(v.Field(i))
			}
		}
	}
}

func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	_, go1 := got.Zone()
	_, wo := want.Zone()
	if !got.Equal(want) || go1 != wo {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// Stores written before the CBOR codec hold JSON; they must read as they
// did, whether or not the JSON escaped HTML.
func TestEntryEncodingReadsJSON(t *testing.T) {
	want := fullEntry()
	want.Copies[0].GUID = "guid-not-utf8" // JSON would have replaced the bytes
	escaped, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(want); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string][]byte{"escaped": escaped, "unescaped": bytes.TrimSpace(plain.Bytes())} {
		got, err := decodeEntry(want.ID, v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		assertSameEntry(t, got, want)
		if currentEncoding(v) {
			t.Errorf("%s: JSON reported as the current encoding", name)
		}
	}
}

func TestEntryEncodingRefusesCorruptValues(t *testing.T) {
	good, err := encodeEntry(fullEntry())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		v    []byte
		want string
	}{
		{"empty", nil, "empty value"},
		{"unknown codec", []byte{0x7f, 1, 2}, "unknown encoding 0x7f"},
		{"truncated", good[:len(good)/2], "snappy"},
		{"huge length claimed", []byte{codecCBORSnappy, 0xff, 0xff, 0xff, 0xff, 0x0f}, "claims"},
		{"not CBOR inside", append([]byte{codecCBORSnappy}, snappyOf([]byte{0xff, 0xff})...), "CBOR"},
		{"broken JSON", []byte(`{"id":`), "unexpected end"},
		{"time past 9999", []byte("\x01\x19`\xa2bidaxipublished\x1b\x00\x00\x00\xe8\xd4\xa5\x10\x00"), "outside the years"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeEntry("x", tt.v)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), `decode entry "x"`) {
				t.Errorf("error %q does not name the entry", err)
			}
		})
	}
}

func snappyOf(b []byte) []byte { return snappy.Encode(nil, b) }

// FuzzDecodeEntry: any stored value either decodes or is refused with an
// error; what decodes encodes again and decodes to the same entry.
func FuzzDecodeEntry(f *testing.F) {
	for _, e := range []*feed.Entry{fullEntry(), {ID: "x"}} {
		v, err := encodeEntry(e)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(v)
		j, _ := json.Marshal(e)
		f.Add(j)
	}
	f.Add([]byte{codecCBORSnappy})
	f.Fuzz(func(t *testing.T, v []byte) {
		e, err := decodeEntry("x", v)
		if err != nil {
			return
		}
		again, err := encodeEntry(e)
		if err != nil {
			t.Fatalf("decoded entry does not encode: %v", err)
		}
		back, err := decodeEntry("x", again)
		if err != nil {
			t.Fatalf("re-encoded entry does not decode: %v", err)
		}
		assertSameEntry(t, back, e)
	})
}
