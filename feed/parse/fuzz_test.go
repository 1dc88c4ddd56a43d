package parse

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The seed corpora in testdata/fuzz/ hold every feed in testdata/.

func FuzzToUTF8(f *testing.F) {
	f.Add([]byte("<a>Caf\xe9</a>"), "text/xml; charset=iso-8859-1")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		out, err := ToUTF8(body, contentType)
		if err != nil {
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("ToUTF8(%q, %q) = %q: not valid UTF-8", body, contentType, out)
		}
		// Once UTF-8 with no BOM and no foreign declaration, it stays put.
		again, err := ToUTF8(out, "text/xml; charset=utf-8")
		if err != nil {
			t.Fatalf("second ToUTF8: %v", err)
		}
		if string(again) != string(out) && !strings.HasPrefix(string(out), "\uFEFF") {
			t.Fatalf("not stable: %q then %q", out, again)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<rss version="2.0"><channel><title>t</title><item><title>i</title></item></channel></rss>`), "")
	p := New()
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := p.Parse(body, contentType)
		if err != nil {
			if feed != nil {
				t.Fatalf("feed and error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "parse: ") {
				t.Fatalf("error %q lacks the parse: prefix", err)
			}
			var page *HTMLPageError
			if errors.As(err, &page) && !errors.Is(err, ErrNotFeed) {
				t.Fatalf("HTML page error %q does not match ErrNotFeed", err)
			}
			// What it quotes of the body is escaped unless printable text.
			if msg := err.Error(); errors.Is(err, ErrNotFeed) &&
				(!utf8.ValidString(msg) || strings.IndexFunc(msg, func(r rune) bool { return !strconv.IsPrint(r) }) >= 0) {
				t.Fatalf("error %q holds invalid UTF-8 or an unprintable character", msg)
			}
			return
		}
		if feed == nil {
			t.Fatal("no feed and no error")
		}
		// Everything gofeed hands out came from valid UTF-8.
		for _, s := range []string{feed.Title, feed.Description} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		for _, it := range feed.Items {
			if it == nil {
				t.Fatal("nil item")
			}
			_ = OrigLink(it)
			texts := []string{it.Title, it.Description, it.Content, it.GUID, it.Link}
			for _, a := range it.Authors {
				if a != nil {
					texts = append(texts, a.Name, a.Email)
				}
			}
			for _, s := range texts {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 %q in item %q", s, it.Title)
				}
			}
		}
	})
}
