package server

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
)

// opmlContentType is the media type feed readers expect of subscription
// lists.
const opmlContentType = "text/x-opml; charset=utf-8"

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Docs    string        `xml:"head>docs"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Category string        `xml:"category,attr,omitempty"`
	Outlines []opmlOutline `xml:"outline"`
}

// opmlHandler serves /sources.opml or /feeds.opml.
func (s *Server) opmlHandler(kind docKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.serveDoc(w, r, docSpec{kind: kind}, "subscription list unavailable")
	}
}

// buildOPML renders one of the OPML 2.0 subscription lists. Neither has a
// date: the catalog has no modification time, and "now" would change the
// bytes (and the ETag) at every rebuild.
func (s *Server) buildOPML(ctx context.Context, spec docSpec) (rendered, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return rendered{}, err
	}
	p := s.opts.Page
	doc := opmlDoc{Version: "2.0", Docs: "http://opml.org/spec2.opml"}
	if spec.kind == sourcesOPML {
		doc.Title = joinTitle(p.Title, "sources")
		doc.Body = s.sourceOutlines(cat)
	} else {
		doc.Title = joinTitle(p.Title, "feeds")
		doc.Body = s.feedOutlines(cat)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return rendered{}, fmt.Errorf("write %s: %w", spec.key(), err)
	}
	buf.WriteByte('\n')
	return rendered{body: buf.Bytes(), contentType: opmlContentType}, nil
}

// sourceOutlines lists the upstream feeds, named as configured and tagged
// with their configured tags (in the category form config.ReadOPML reads
// back). A source read from a local file has no URL a reader could
// follow: its outline points at the source's feed here instead. A source
// fetched with credentials in its URL is listed without them (the
// catalog's URLs are render.WebURL's): this list is public, unlike
// "tributary sources export".
func (s *Server) sourceOutlines(cat *catalog) []opmlOutline {
	out := make([]opmlOutline, 0, len(cat.sources))
	for _, src := range cat.sources {
		o := opmlOutline{Text: src.Name, Title: src.Name, Type: "rss", XMLURL: src.feedURL, HTMLURL: src.siteURL}
		if o.XMLURL == "" {
			o.XMLURL = s.opts.Page.BaseURL + scope{kind: sourceScope, name: src.ID}.dir() + "feed.atom"
		}
		if len(src.Tags) > 0 {
			o.Category = "/" + strings.Join(src.Tags, ",/")
		}
		out = append(out, o)
	}
	return out
}

// feedOutlines lists the feeds served here, in Atom: the unified feed, then
// a folder of the sources' feeds and one of the tags' feeds (readers turn
// folders into their own folders or tags).
func (s *Server) feedOutlines(cat *catalog) []opmlOutline {
	p := s.opts.Page
	feedURL := func(sc scope) string { return p.BaseURL + sc.dir() + "feed.atom" }
	title := nonEmpty(p.Title, "Tributary")
	out := []opmlOutline{{Text: title, Title: title, Type: "rss", XMLURL: feedURL(scope{}), HTMLURL: p.AlternateURL}}
	if len(cat.sources) > 0 {
		folder := opmlOutline{Text: "Sources", Title: "Sources"}
		for _, src := range cat.sources {
			name := joinTitle(p.Title, src.Name)
			folder.Outlines = append(folder.Outlines, opmlOutline{
				Text: name, Title: name, Type: "rss",
				XMLURL: feedURL(scope{kind: sourceScope, name: src.ID}), HTMLURL: src.siteURL,
			})
		}
		out = append(out, folder)
	}
	if len(cat.tags) > 0 {
		folder := opmlOutline{Text: "Tags", Title: "Tags"}
		for _, t := range cat.tags {
			name := joinTitle(p.Title, "#"+t)
			folder.Outlines = append(folder.Outlines, opmlOutline{
				Text: name, Title: name, Type: "rss", XMLURL: feedURL(scope{kind: tagScope, name: t}),
			})
		}
		out = append(out, folder)
	}
	return out
}
