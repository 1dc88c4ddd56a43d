package ingest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/fetch"
	"github.com/tributary/tributary/feed/ingest"
	"github.com/tributary/tributary/feed/render"
	"github.com/tributary/tributary/web"
)

// TestXSSCorpusNothingExecutableOnPages serves the XSS corpus's entries as
// the web pages (the river, every entry page, the sources page) and checks
// each page as a browser would parse it: the page's own head (metadata,
// stylesheet, feed links) is allowed, nothing from the feeds may add
// script, handlers, frames, refreshes or unsafe URLs.
func TestXSSCorpusNothingExecutableOnPages(t *testing.T) {
	env := newRoundEnv(t, http.FileServer(http.Dir("testdata/xss")), fetch.Options{}, ingest.Options{})
	srcs := []feed.Source{
		env.source("xss-rss", "/rss.xml"),
		env.source("xss-atom", "/atom.xml"),
		env.source("xss-json", "/jsonfeed.json"),
	}
	env.round(ingest.Force, srcs...)
	entries, _, err := env.db.Newest(context.Background(), 0, "")
	if err != nil {
		t.Fatal(err)
	}
	var share []render.ShareLink
	for name := range render.BuiltinShareTemplates() {
		share = append(share, render.ShareLink{Name: name})
	}
	site := httptest.NewServer(web.New(env.db, web.Options{
		BaseURL:  "https://tributary.example/",
		Share:    share,
		PageSize: len(entries),
		Sources:  func() []feed.Source { return srcs },
		Now:      env.clk.Now,
	}))
	t.Cleanup(site.Close)

	paths := []string{"/", "/sources"}
	for _, e := range entries {
		paths = append(paths, "/entries/"+e.ID)
	}
	for _, p := range paths {
		resp, err := http.Get(site.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %s", p, resp.Status)
			continue
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") ||
			strings.Contains(csp, "script-src") {
			t.Errorf("GET %s: Content-Security-Policy %q allows script", p, csp)
		}
		for _, problem := range pageProblems(string(body)) {
			t.Errorf("GET %s: %s", p, problem)
		}
	}
}

// pageProblems checks a whole HTML page. The page's own <meta> (without
// http-equiv) and <link> (stylesheet, icon, feeds, canonical) are allowed;
// every other rule is htmlProblems'.
func pageProblems(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{fmt.Sprintf("unparseable page: %v", err)}
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name := strings.ToLower(n.Data)
			switch {
			case name == "meta":
				for _, a := range n.Attr {
					if strings.EqualFold(a.Key, "http-equiv") {
						out = append(out, fmt.Sprintf("<meta http-equiv=%q>", a.Val))
					}
				}
			case name == "link":
				rel, href := attrOf(n, "rel"), attrOf(n, "href")
				switch strings.ToLower(rel) {
				case "stylesheet", "icon", "alternate", "canonical":
				default:
					out = append(out, fmt.Sprintf("<link rel=%q>", rel))
				}
				if !safeScheme(href) {
					out = append(out, fmt.Sprintf("<link href=%q>", href))
				}
			default:
				out = append(out, elementProblems(n)...)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}
