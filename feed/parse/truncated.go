package parse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/mmcdole/gofeed"
)

// A feed can arrive cut short: a connection dropped mid-body, a server that
// stopped writing at a limit of its own. Feed readers keep the items that
// arrived whole; so does Parse, by closing the elements still open at the
// end of the document and parsing it once more. The item or entry that was
// being received when the body ended is left out rather than stored
// half-written: a later complete fetch would find it changed, or, without
// a GUID or link yet, not recognise it at all.

// truncatedKey marks a feed parsed from a document cut short, in the
// Custom map gofeed leaves to its callers.
const truncatedKey = "tributary:truncated"

// Truncated reports whether f was parsed from a document that ended early
// and holds only the items that arrived whole. Its HTTP validators must not
// be kept: a conditional request would be answered 304 and the rest of the
// feed never fetched.
func Truncated(f *gofeed.Feed) bool { return f != nil && f.Custom[truncatedKey] != "" }

func markTruncated(f *gofeed.Feed) {
	if f.Custom == nil {
		f.Custom = map[string]string{}
	}
	f.Custom[truncatedKey] = "true"
}

// parseWhole runs parse on b and, when b ends early, once more on b with
// its open elements closed (closeTruncated); truncated reports the second.
// The first error stands when the document cannot be closed or still does
// not parse.
func parseWhole[F any](b []byte, parse func([]byte) (F, error)) (f F, truncated bool, err error) {
	f, err = parse(b)
	if err == nil || !truncatedEOF(err) {
		return f, false, err
	}
	closed, ok := closeTruncated(b)
	if !ok {
		return f, false, err
	}
	g, err2 := parse(closed)
	if err2 != nil {
		return f, false, err
	}
	return g, true, nil
}

// truncatedEOF reports whether err is encoding/xml's complaint about a
// document that ends inside an element.
func truncatedEOF(err error) bool {
	var syn *xml.SyntaxError
	return errors.As(err, &syn) && strings.HasPrefix(syn.Msg, "unexpected EOF")
}

// closeTruncated returns b cut after its last complete item or entry (or
// its last complete token, when no item is open) with every element still
// open there closed. ok is false when b does not read as a well-nested
// document that merely stops early: nothing open at the end, end tags that
// do not match, or nothing left to parse.
func closeTruncated(b []byte) (closed []byte, ok bool) {
	type open struct {
		name  string // as written, with its prefix
		local string
		at    int64 // offset of its start tag
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	var (
		stack  []open
		end    int64 // offset after the last complete token
		textAt int64 = -1
	)
	for {
		at := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			break // the end of the body, inside a token or after one
		}
		end = d.InputOffset()
		// Text reaching the end of the body may have been cut mid-word
		// ("Harbor Li"): it is left out with everything after the last
		// tag, rather than stored as a feed's title or link.
		textAt = -1
		if _, ok := tok.(xml.CharData); ok {
			textAt = at
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, open{name: rawName(t.Name), local: t.Name.Local, at: at})
		case xml.EndElement:
			if len(stack) == 0 || stack[len(stack)-1].name != rawName(t.Name) {
				return nil, false
			}
			stack = stack[:len(stack)-1]
		}
	}
	if textAt >= 0 && end == int64(len(b)) {
		end = textAt
	}
	for i, o := range stack {
		if o.local == "item" || o.local == "entry" {
			end, stack = o.at, stack[:i]
			break
		}
	}
	if len(stack) == 0 {
		return nil, false
	}
	var buf bytes.Buffer
	buf.Grow(int(end) + 16*len(stack))
	buf.Write(b[:end])
	for i := len(stack) - 1; i >= 0; i-- {
		buf.WriteString("</" + stack[i].name + ">")
	}
	return buf.Bytes(), true
}

// rawName is an element's name as written: RawToken leaves the prefix in
// Space.
func rawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
