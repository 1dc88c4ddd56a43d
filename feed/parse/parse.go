package parse

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mmcdole/gofeed"
	atomfeed "github.com/mmcdole/gofeed/atom"
	jsonfeed "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// Parser turns fetched bytes into a *gofeed.Feed. It holds no per-parse
// state, so one Parser serves any number of goroutines.
type Parser struct {
	// The translators are stateless; the format parsers, zero-sized, are made
	// per call. gofeed's own universal parser is bypassed because its type
	// detection only reads the first 4 KB and is repeated here anyway.
	rssTr  gofeed.DefaultRSSTranslator
	atomTr gofeed.DefaultAtomTranslator
	jsonTr gofeed.DefaultJSONTranslator
}

// New returns a Parser.
func New() *Parser {
	return &Parser{
		// Tributary picks an item's image elsewhere; scanning every item's
		// HTML for one made parsing half again as slow.
		rssTr: gofeed.DefaultRSSTranslator{DisableContentImageScan: true},
	}
}

// Parse parses an RSS (0.9x, 1.0, 2.0), Atom (0.3, 1.0) or JSON Feed (1.0,
// 1.1) document. contentType is the HTTP Content-Type ("" for a file); it
// supplies a charset (see ToUTF8) and tells an HTML page from a feed.
//
// Errors start with "parse: ". A body that is no feed gives an error matching
// ErrNotFeed, an HTML page a *HTMLPageError (errors.As), an empty one
// ErrEmptyBody; a broken feed gives the XML or JSON syntax error.
func (p *Parser) Parse(body []byte, contentType string) (*gofeed.Feed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("parse: %w", ErrEmptyBody)
	}
	f, err := p.parse(body, contentType, true)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	fixDates(f)
	fillDescriptions(f)
	validText(f)
	return f, nil
}

// parse is Parse without its checks and fixes common to every format.
// junk allows one more try with the junk before the document cut off
// (skipJunk).
func (p *Parser) parse(body []byte, contentType string, junk bool) (*gofeed.Feed, error) {
	b, transcoded, err := toUTF8(body, contentType)
	if err != nil {
		return nil, err
	}
	// Dropping control characters may reveal a declaration that ToUTF8
	// could not read (one spelled with NULs between its letters): it is
	// made harmless too, or encoding/xml would act on its encoding.
	b = normaliseXMLDecl(mapC1(stripInvalidXMLChars(b)))

	var f *gofeed.Feed
	k, root := sniff(b, contentType)
	if junk && (k == kindUnknown || k == kindHTML) {
		if cut, ok := skipJunk(body); ok {
			return p.parse(cut, contentType, false)
		}
	}
	switch k {
	case kindRSS:
		f, err = p.parseRSS(stripInvalidCharRefs(b))
	case kindAtom:
		f, err = p.parseAtom(stripInvalidCharRefs(b))
	case kindJSON:
		f, err = p.parseJSON(b)
	case kindHTML:
		err = &HTMLPageError{Alternates: alternates(b)}
	default:
		if !transcoded {
			// Quote the bytes as they came, not b: a guessed windows-1252
			// reading of binary garbage is mojibake, and b has lost its
			// control characters. What is not UTF-8 text shows escaped.
			if k, raw := sniff(bytes.TrimPrefix(body, []byte(bomUTF8)), contentType); k == kindUnknown && raw != "" {
				root = raw
			}
		}
		if root == "" {
			root = "nothing"
		}
		err = fmt.Errorf("%w: found %s, not <rss>, <rdf:RDF>, <feed> or a JSON object", ErrNotFeed, root)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

func (p *Parser) parseRSS(b []byte) (*gofeed.Feed, error) {
	var parsed []byte
	f, err := parseXML(b, func(b []byte) (*rss.Feed, error) {
		var rp rss.Parser
		parsed = b
		return rp.Parse(bytes.NewReader(b))
	}, p.rssTr.Translate)
	if err == nil {
		fixRSS(f, parsed)
	}
	return f, err
}

func (p *Parser) parseAtom(b []byte) (*gofeed.Feed, error) {
	// parsed is the document gofeed read: b, or b closed after its last
	// whole entry (truncated.go).
	var parsed []byte
	var original *atomfeed.Feed
	f, err := parseXML(b, func(b []byte) (*atomfeed.Feed, error) {
		var ap atomfeed.Parser
		parsed = b
		af, err := ap.Parse(bytes.NewReader(b))
		original = af
		return af, err
	}, p.atomTr.Translate)
	if err == nil {
		fixAtom(f, parsed)
		fromAtom(f, original)
	}
	return f, err
}

// parseXML runs one of gofeed's XML format parsers on b, with the shape
// check before it and the recovery of a document cut short (parseWhole),
// and translates its result into a *gofeed.Feed.
func parseXML[F any](b []byte, parse func([]byte) (F, error), translate func(any) (*gofeed.Feed, error)) (*gofeed.Feed, error) {
	if err := checkShape(b); err != nil {
		return nil, err
	}
	raw, truncated, err := parseWhole(b, parse)
	if err != nil {
		return nil, xmlError(err)
	}
	f, err := translate(raw)
	if err == nil && truncated {
		markTruncated(f)
	}
	return f, err
}

func (p *Parser) parseJSON(b []byte) (*gofeed.Feed, error) {
	if err := checkJSONShape(b); err != nil {
		return nil, err
	}
	var jp jsonfeed.Parser
	jf, err := jp.Parse(bytes.NewReader(b))
	truncated := false
	if err != nil && endsEarly(b) {
		if closed, ok := closeTruncatedJSON(b); ok {
			if jf2, err2 := jp.Parse(bytes.NewReader(closed)); err2 == nil {
				jf, err, truncated = jf2, nil, true
			}
		}
	}
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("JSON syntax error at byte %d: %w", syn.Offset, err)
		}
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			fe := &jsonFieldError{typ}
			if bytes.Contains(b, []byte("jsonfeed.org/version/")) {
				return nil, fmt.Errorf("invalid JSON Feed: %w", fe)
			}
			return nil, fmt.Errorf("%w: a JSON document that is not a JSON Feed (%w)", ErrNotFeed, fe)
		}
		return nil, fmt.Errorf("JSON: %w", err)
	}
	dropNulls(jf)
	// Any JSON object decodes into a json.Feed; a JSON Feed names its
	// version or at least has items.
	if !strings.Contains(jf.Version, "jsonfeed.org/version/") && len(jf.Items) == 0 {
		return nil, fmt.Errorf("%w: a JSON document that is not a JSON Feed", ErrNotFeed)
	}
	f, err := p.jsonTr.Translate(jf)
	if err != nil {
		return nil, err
	}
	if truncated {
		markTruncated(f)
	}
	fixJSON(f, jf)
	return f, nil
}

// dropNulls removes the null items and authors of a JSON Feed, which
// gofeed's translator dereferences (a panic, which would take the process
// down): null stands for nothing.
func dropNulls(jf *jsonfeed.Feed) {
	jf.Items = slices.DeleteFunc(jf.Items, func(it *jsonfeed.Item) bool { return it == nil })
	jf.Authors = slices.DeleteFunc(jf.Authors, func(a *jsonfeed.Author) bool { return a == nil })
	for _, it := range jf.Items {
		it.Authors = slices.DeleteFunc(it.Authors, func(a *jsonfeed.Author) bool { return a == nil })
	}
}

// xmlError brings encoding/xml's syntax error ("XML syntax error on line
// 12: …") to the front, without the wrapping of the pull parser under gofeed.
func xmlError(err error) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return syn
	}
	return err
}
