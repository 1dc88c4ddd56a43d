package config

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"github.com/tributary/tributary/feed"
)

// ReadOPML reads the feeds of an OPML 1.0 or 2.0 subscription list: every
// outline with an xmlUrl, however deeply nested. A feed is named by its
// title, else its text, else its URL. Its tags are its category values
// ("/tech,/news") and the names of the folders (outlines without xmlUrl)
// it sits in, each made a slug. URLs are returned as written; Load
// resolves relative ones against the OPML file's directory.
//
// Reading is lenient as files exported by feed readers need it: attribute
// names match case-insensitively, HTML entities are understood and any
// declared character set is converted.
func ReadOPML(r io.Reader) ([]Source, error) {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel

	var (
		srcs    []Source
		folders []string // one per open outline; "" for feed outlines
		root    = true
	)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse OPML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root {
				if !strings.EqualFold(t.Name.Local, "opml") {
					return nil, fmt.Errorf("not an OPML document: the root element is <%s>, not <opml>", t.Name.Local)
				}
				root = false
				continue
			}
			if !strings.EqualFold(t.Name.Local, "outline") {
				continue
			}
			a := outlineAttrs(t.Attr)
			if a["xmlurl"] == "" {
				folders = append(folders, firstNonEmpty(a["text"], a["title"]))
				continue
			}
			folders = append(folders, "")
			srcs = append(srcs, outlineSource(a, folders))
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if root {
		return nil, errors.New("not an OPML document: no <opml> element")
	}
	return srcs, nil
}

func outlineAttrs(attrs []xml.Attr) map[string]string {
	a := make(map[string]string, len(attrs))
	for _, at := range attrs {
		a[strings.ToLower(at.Name.Local)] = strings.TrimSpace(at.Value)
	}
	return a
}

func outlineSource(a map[string]string, folders []string) Source {
	u := a["xmlurl"]
	s := Source{
		Name:     nameOf(a["title"], a["text"], u),
		URL:      u,
		RawURL:   u,
		FromOPML: true,
	}
	s.ID = Slug(s.Name)
	var tags []string
	for c := range strings.SplitSeq(a["category"], ",") {
		c = strings.TrimSpace(c)
		// A category is a slash-separated path ("/Boston/Weather"); the
		// last step is the most specific. Categories given as URIs are
		// taxonomy references, not tags.
		if c == "" || strings.Contains(c, "://") {
			continue
		}
		if i := strings.LastIndexByte(strings.TrimRight(c, "/"), '/'); i >= 0 {
			c = c[i+1:]
		}
		tags = append(tags, opmlTag(c))
	}
	for _, f := range folders {
		tags = append(tags, opmlTag(f))
	}
	var kept []string
	for _, t := range normaliseTags(tags) {
		if t != "" {
			kept = append(kept, t)
		}
	}
	s.Tags = kept
	return s
}

// opmlTag makes a tag of a folder or category name: the tag its entries'
// categories of that name are served under (a folder "C++" is "c++"), cut
// to the length a tag may have. A long folder name ("Things I read when
// the train is late again") would otherwise make every feed in it a source
// the config refuses.
func opmlTag(name string) string {
	t := []rune(feed.TagOf(name))
	if len(t) > maxTagLen {
		t = t[:maxTagLen]
	}
	return strings.TrimRight(string(t), "-")
}

// nameOf is the first of names that a source id can be made of: readers
// export outlines titled "" or "★", and the URL then names the feed.
func nameOf(names ...string) string {
	for _, n := range names {
		if Slug(n) != "" {
			return n
		}
	}
	return firstNonEmpty(names...)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// WriteOPML writes srcs as an OPML 2.0 subscription list that feed readers
// import and ReadOPML reads back to the same names, URLs and tags. Local
// files are written as file:// URLs when their path is absolute.
func WriteOPML(w io.Writer, title string, srcs []feed.Source) error {
	return writeOPML(w, title, srcs, time.Now())
}

type opmlDoc struct {
	XMLName  xml.Name      `xml:"opml"`
	Version  string        `xml:"version,attr"`
	Title    string        `xml:"head>title"`
	Created  string        `xml:"head>dateCreated"`
	Outlines []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Type     string `xml:"type,attr"`
	Text     string `xml:"text,attr"`
	Title    string `xml:"title,attr"`
	XMLURL   string `xml:"xmlUrl,attr"`
	Category string `xml:"category,attr,omitempty"`
}

func writeOPML(w io.Writer, title string, srcs []feed.Source, now time.Time) error {
	doc := opmlDoc{
		Version: "2.0",
		Title:   title,
		// OPML dates are RFC 822, which knows "GMT" but not "UTC".
		Created: now.UTC().Format("Mon, 02 Jan 2006 15:04:05") + " GMT",
	}
	for _, s := range srcs {
		o := opmlOutline{Type: "rss", Text: s.Name, Title: s.Name, XMLURL: s.URL}
		if filepath.IsAbs(s.URL) {
			o.XMLURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(s.URL)}).String()
		}
		if len(s.Tags) > 0 {
			o.Category = "/" + strings.Join(s.Tags, ",/")
		}
		doc.Outlines = append(doc.Outlines, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	return nil
}
