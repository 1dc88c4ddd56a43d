package storage_test

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/scripts/benchstore"
	"github.com/tributary/tributary/storage"
)

// BenchmarkEntryEncoding weighs encodings of stored entries, for the size
// of the store file and the cost of reading a page: the codec stored now
// (snappy-compressed CBOR, encode.go), the JSON of earlier versions (with
// encoding/json's escaping of <, > and & as \u003c…, and without), and
// that JSON compressed with DEFLATE at level 1. It
// reports the bytes per entry and the 4 KiB pages bbolt needs per entry
// (a value that does not fit a page takes whole overflow pages), and times
// decoding 50 entries, a feed page.
func BenchmarkEntryEncoding(b *testing.B) {
	ctx := context.Background()
	db, err := benchstore.Open(ctx, 10_000, storage.Options{ReadOnly: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	w, err := db.Window(ctx, storage.Query{Limit: 1000})
	_ = db.Close()
	if err != nil {
		b.Fatal(err)
	}
	encodings := []struct {
		name   string
		encode func(e *feed.Entry) []byte
		decode func(v []byte) (*feed.Entry, error)
	}{
		{"stored", func(e *feed.Entry) []byte { v, _ := storage.EncodeEntry(e); return v }, func(v []byte) (*feed.Entry, error) {
			return storage.DecodeEntry("x", v)
		}},
		{"json", func(e *feed.Entry) []byte { v, _ := json.Marshal(e); return v }, decodeJSON},
		{"json-noescape", marshalNoEscape, decodeJSON},
		{"json-noescape-flate1", func(e *feed.Entry) []byte {
			var buf bytes.Buffer
			zw, _ := flate.NewWriter(&buf, flate.BestSpeed)
			_, _ = zw.Write(marshalNoEscape(e))
			_ = zw.Close()
			return buf.Bytes()
		}, func(v []byte) (*feed.Entry, error) {
			raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(v)))
			if err != nil {
				return nil, err
			}
			return decodeJSON(raw)
		}},
	}
	for _, enc := range encodings {
		b.Run(enc.name, func(b *testing.B) {
			values := make([][]byte, len(w.Entries))
			var size, pages int
			for i, e := range w.Entries {
				values[i] = enc.encode(e)
				size += len(values[i])
				// bbolt's page header is 16 bytes and a leaf element's 16.
				pages += (len(values[i]) + 32 + 4095) / 4096
			}
			i := 0
			for b.Loop() {
				for range 50 {
					if _, err := enc.decode(values[i%len(values)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
			}
			b.ReportMetric(float64(size)/float64(len(values)), "bytes/entry")
			b.ReportMetric(float64(pages)/float64(len(values)), "pages/entry")
		})
	}
}

func marshalNoEscape(e *feed.Entry) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(e)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func decodeJSON(v []byte) (*feed.Entry, error) {
	e := new(feed.Entry)
	return e, json.Unmarshal(v, e)
}
