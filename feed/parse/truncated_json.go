package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// A JSON Feed cut short is recovered as an XML feed is (truncated.go): its
// members that arrived whole are kept, and of its items the ones that
// arrived whole. Other members cut midway (a description, an author) are
// left out rather than guessed at.

// endsEarly reports whether b is JSON that merely stops before its end: a
// decoder runs out of input inside the first value, rather than meeting a
// byte that cannot be there.
func endsEarly(b []byte) bool {
	var v json.RawMessage
	err := json.NewDecoder(bytes.NewReader(b)).Decode(&v)
	return errors.Is(err, io.ErrUnexpectedEOF)
}

// closeTruncatedJSON returns the object b begins, with the members that
// arrived whole and, of an "items" array, the items that arrived whole.
// ok is false when b does not begin an object.
func closeTruncatedJSON(b []byte) (closed []byte, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var out bytes.Buffer
	out.WriteByte('{')
	member := func(key string, value []byte) {
		if out.Len() > 1 {
			out.WriteByte(',')
		}
		k, _ := json.Marshal(key) // a string always marshals
		out.Write(k)
		out.WriteByte(':')
		out.Write(value)
	}
	for dec.More() {
		tok, err := dec.Token()
		key, isKey := tok.(string)
		if err != nil || !isKey {
			break
		}
		if key != "items" {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				break
			}
			member(key, v)
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			break
		}
		items := []byte{'['}
		whole := true
		for dec.More() {
			var item json.RawMessage
			if err := dec.Decode(&item); err != nil {
				whole = false
				break
			}
			if len(items) > 1 {
				items = append(items, ',')
			}
			items = append(items, item...)
		}
		member(key, append(items, ']'))
		if !whole {
			break
		}
		if _, err := dec.Token(); err != nil { // the array's "]"
			break
		}
	}
	out.WriteByte('}')
	return out.Bytes(), true
}
