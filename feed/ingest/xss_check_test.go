package ingest_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Checkers of rendered output: what a reader or browser would execute.

// urlScheme returns the lower-cased scheme of a URL as a browser reads it
// (ASCII whitespace and control characters anywhere are ignored), "" for a
// relative URL.
func urlScheme(u string) string {
	var b strings.Builder
	for _, r := range u {
		switch {
		case r <= ' ':
			continue
		case r == ':':
			return strings.ToLower(b.String())
		case r == '/' || r == '?' || r == '#':
			return ""
		}
		b.WriteRune(r)
	}
	return ""
}

// safeScheme accepts relative URLs and the schemes a feed may link to.
func safeScheme(u string) bool {
	switch urlScheme(u) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}

// isWebURL reports an absolute http(s) URL, what stored links must be.
func isWebURL(u string) bool {
	s := urlScheme(u)
	return (s == "http" || s == "https") && strings.TrimSpace(u) == u
}

// Elements and attributes that run script, style the page, replace or leave
// it, or submit from it.
var (
	badElements = map[string]bool{
		"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
		"embed": true, "applet": true, "form": true, "input": true, "button": true, "isindex": true,
		"base": true, "meta": true, "link": true, "svg": true, "math": true, "template": true,
	}
	badAttrs = map[string]bool{
		"style": true, "srcdoc": true, "formaction": true, "action": true, "background": true,
		"dynsrc": true, "lowsrc": true,
	}
	urlAttrs = map[string]bool{
		"href": true, "src": true, "cite": true, "poster": true, "data": true, "longdesc": true,
		"usemap": true, "codebase": true, "xlink:href": true,
	}
)

// htmlProblems lists what in an HTML fragment, parsed as a browser parses
// an entry's content, could execute.
func htmlProblems(fragment string) []string {
	if fragment == "" {
		return nil
	}
	var out []string
	if strings.Contains(strings.ToLower(fragment), "<script") {
		out = append(out, "<script")
	}
	nodes, err := html.ParseFragment(strings.NewReader(fragment),
		&html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return append(out, fmt.Sprintf("unparseable HTML: %v", err))
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		out = append(out, elementProblems(n)...)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	for i := range out {
		out[i] += fmt.Sprintf(" in %.200q", fragment)
	}
	return out
}

// elementProblems lists what in one element (not its children) could
// execute: the element itself, event handlers, styles, unsafe URLs.
func elementProblems(n *html.Node) []string {
	if n.Type != html.ElementNode {
		return nil
	}
	var out []string
	if badElements[strings.ToLower(n.Data)] || n.Namespace != "" {
		out = append(out, fmt.Sprintf("element <%s>", n.Data))
	}
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" {
			key = a.Namespace + ":" + key
		}
		switch {
		case strings.HasPrefix(key, "on") || badAttrs[key] || a.Namespace != "":
			out = append(out, fmt.Sprintf("attribute %s=%q on <%s>", key, a.Val, n.Data))
		case urlAttrs[key] && !safeScheme(a.Val):
			out = append(out, fmt.Sprintf("%s=%q on <%s>", key, a.Val, n.Data))
		case key == "srcset":
			for _, cand := range strings.Split(a.Val, ",") {
				if f := strings.Fields(cand); len(f) > 0 && !safeScheme(f[0]) {
					out = append(out, fmt.Sprintf("srcset=%q on <%s>", a.Val, n.Data))
				}
			}
		}
	}
	return out
}

const (
	atomNS    = "http://www.w3.org/2005/Atom"
	contentNS = "http://purl.org/rss/1.0/modules/content/"
	xhtmlNS   = "http://www.w3.org/1999/xhtml"
)

// xmlFeedProblems parses an Atom or RSS document as a namespace-aware
// reader does and checks every element, attribute and text that a reader
// takes as HTML or as a URL.
func xmlFeedProblems(doc []byte) []string {
	type frame struct {
		name  xml.Name
		attrs map[string]string
		text  strings.Builder
	}
	var out []string
	var stack []*frame
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return append(out, fmt.Sprintf("not well-formed XML: %v", err))
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			f := &frame{name: tok.Name, attrs: map[string]string{}}
			// RSS and Atom have <link> elements of their own.
			if badElements[strings.ToLower(tok.Name.Local)] && tok.Name.Local != "link" ||
				tok.Name.Space == xhtmlNS || tok.Name.Space == "http://www.w3.org/2000/svg" {
				out = append(out, fmt.Sprintf("element {%s}%s in the feed", tok.Name.Space, tok.Name.Local))
			}
			for _, a := range tok.Attr {
				local := strings.ToLower(a.Name.Local)
				f.attrs[local] = a.Value
				switch {
				case strings.HasPrefix(local, "on"):
					out = append(out, fmt.Sprintf("attribute %s on <%s>", a.Name.Local, tok.Name.Local))
				case (local == "href" || local == "src" || local == "url" || local == "uri") && !safeScheme(a.Value):
					out = append(out, fmt.Sprintf("<%s %s=%q>", tok.Name.Local, a.Name.Local, a.Value))
				}
			}
			stack = append(stack, f)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(tok)
			}
		case xml.EndElement:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			text, name := f.text.String(), f.name
			switch {
			case name.Space == atomNS && slices.Contains([]string{"content", "summary", "title", "subtitle", "rights"}, name.Local):
				switch f.attrs["type"] {
				case "", "text":
				case "html":
					out = append(out, prefixed("<"+name.Local+" type=html>", htmlProblems(text))...)
				default:
					out = append(out, fmt.Sprintf("<%s type=%q>", name.Local, f.attrs["type"]))
				}
			case name.Space == "" && name.Local == "description", name.Space == contentNS && name.Local == "encoded":
				out = append(out, prefixed("<"+name.Local+">", htmlProblems(text))...)
			case name.Space == atomNS && slices.Contains([]string{"uri", "icon", "logo"}, name.Local),
				name.Space == "" && slices.Contains([]string{"link", "comments", "docs", "url"}, name.Local),
				name.Space == "" && name.Local == "guid" && f.attrs["ispermalink"] != "false":
				if !safeScheme(strings.TrimSpace(text)) {
					out = append(out, fmt.Sprintf("<%s>%s</%s>", name.Local, text, name.Local))
				}
			}
		}
	}
	return out
}

func prefixed(prefix string, problems []string) []string {
	for i, p := range problems {
		problems[i] = prefix + ": " + p
	}
	return problems
}

// jsonFeedProblems checks every content_html as HTML and every URL-valued
// member of a JSON Feed, extensions included.
func jsonFeedProblems(doc []byte) []string {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return []string{fmt.Sprintf("not JSON: %v", err)}
	}
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				walk(k, c)
			}
		case []any:
			for _, c := range v {
				walk(key, c)
			}
		case string:
			switch {
			case key == "content_html":
				out = append(out, prefixed("content_html", htmlProblems(v))...)
			case key == "url" || strings.HasSuffix(key, "_url") || key == "image" || key == "banner_image" ||
				key == "icon" || key == "favicon" || key == "avatar":
				if !safeScheme(v) {
					out = append(out, fmt.Sprintf("%s: %q", key, v))
				}
			}
		}
	}
	walk("", v)
	return out
}

// The checkers here are the assertion of the XSS tests: they must see what
// they look for, and pass ordinary content.
func TestXSSCheckersCatch(t *testing.T) {
	tests := []struct {
		name   string
		safe   bool
		doc    string
		format string // html, xml, json or page
	}{
		{name: "script", format: "html", doc: `<p>x</p><script>alert(1)</script>`},
		{name: "handler", format: "html", doc: `<img src="https://a.example/i.png" onerror="alert(1)">`},
		{name: "javascript URL with a tab", format: "html", doc: `<a href=" java&#9;script:alert(1)">x</a>`},
		{name: "data URL in srcset", format: "html", doc: `<img srcset="data:image/svg+xml,x 1x">`},
		{name: "style attribute", format: "html", doc: `<div style="width:expression(alert(1))">x</div>`},
		{name: "svg", format: "html", doc: `<svg><circle r="1"/></svg>`},
		{name: "meta refresh", format: "html", doc: `<meta http-equiv="refresh" content="0;url=https://evil.example/">`},
		{name: "base", format: "html", doc: `<base href="https://evil.example/">`},
		{name: "table background", format: "html", doc: `<table><tr><td background="javascript:alert(1)">x</td></tr></table>`},
		{name: "ordinary content", format: "html", safe: true,
			doc: `<p>Hello <a href="https://a.example/" rel="nofollow">there</a> <img src="https://a.example/i.png" alt=""></p>`},
		{name: "Atom html content", format: "xml",
			doc: `<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">&lt;script&gt;alert(1)&lt;/script&gt;</content></entry></feed>`},
		{name: "Atom enclosure", format: "xml",
			doc: `<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="enclosure" href="javascript:alert(1)"/></entry></feed>`},
		{name: "Atom text title spelling a tag", format: "xml", safe: true,
			doc: `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="text">&lt;script&gt; is text</title></entry></feed>`},
		{name: "RSS description", format: "xml",
			doc: `<rss><channel><item><description>&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>`},
		{name: "RSS link", format: "xml", doc: `<rss><channel><item><link>vbscript:msgbox(1)</link></item></channel></rss>`},
		{name: "RSS markup element", format: "xml", doc: `<rss><channel><item><script/></item></channel></rss>`},
		{name: "JSON content_html", format: "json", doc: `{"items":[{"content_html":"<iframe src=x></iframe>"}]}`},
		{name: "JSON extension URL", format: "json", doc: `{"items":[{"_tributary":{"share":[{"url":"javascript:alert(1)"}]}}]}`},
		{name: "JSON title spelling a tag", format: "json", safe: true, doc: `{"items":[{"title":"<script> is text"}]}`},
		{name: "page with its own head", format: "page", safe: true,
			doc: `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/a.css"></head><body><p>x</p></body></html>`},
		{name: "page with a script", format: "page", doc: `<html><body><p>x</p><script>alert(1)</script></body></html>`},
		{name: "page with a refresh", format: "page", doc: `<html><head><meta http-equiv="refresh" content="0"></head></html>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var problems []string
			switch tc.format {
			case "html":
				problems = htmlProblems(tc.doc)
			case "xml":
				problems = xmlFeedProblems([]byte(tc.doc))
			case "json":
				problems = jsonFeedProblems([]byte(tc.doc))
			case "page":
				problems = pageProblems(tc.doc)
			}
			if tc.safe != (len(problems) == 0) {
				t.Errorf("safe=%v, problems %q", tc.safe, problems)
			}
		})
	}
}
