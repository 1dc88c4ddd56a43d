package sanitize

import (
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// xssVectors are inputs that try to get script run, a page restyled or
// replaced, or a reader tracked.
var xssVectors = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<script>alert(1)`,
	`<scr<script>ipt>alert(1)</script>`,
	`<<script>script>alert(1)<</script>/script>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="x" onerror="alert(1)"`,
	`<IMG SRC="x" ONERROR="alert(1)">`,
	`<img src=x oNeRrOr = alert(1) >`,
	`<body onload=alert(1)><p>x</p></body>`,
	`<div onmouseover="alert(1)">hover</div>`,
	`<details open ontoggle=alert(1)>x</details>`,
	`<video><source onerror=alert(1)></video>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href=" javascript:alert(1)">x</a>`,
	`<a href="jav&#x09;ascript:alert(1)">x</a>`,
	`<a href="jav&#x0A;ascript:alert(1)">x</a>`,
	"<a href=\"java\x00script:alert(1)\">x</a>",
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
	`<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>`,
	`<a href="javascript&colon;alert(1)">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`<a href="VBScript:msgbox(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<a href="DATA:text/html,<script>alert(1)</script>">x</a>`,
	`<img src="javascript:alert(1)">`,
	`<IMG SRC=javascript:alert('XSS')>`,
	`<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
	`<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">`,
	`<img dynsrc="javascript:alert(1)" lowsrc="javascript:alert(1)">`,
	`<table background="javascript:alert(1)"><tr><td>x</td></tr></table>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<div style="width: expression(alert(1))">x</div>`,
	`<p STYLE="color:red">x</p>`,
	`<style>body{display:none}</style><p>x</p>`,
	`<style>@import 'https://evil.example/x.css';</style>`,
	`<link rel="stylesheet" href="https://evil.example/x.css">`,
	`<base href="https://evil.example/">`,
	`<base href="javascript:alert(1)//">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
	`<iframe src="javascript:alert(1)"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<iframe src="https://evil.example/">`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="javascript:alert(1)">`,
	`<applet code="x.class"></applet>`,
	`<form action="javascript:alert(1)"><input type="submit"></form>`,
	`<button formaction="javascript:alert(1)">x</button>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
	`<!--<img src="--><img src=x onerror=alert(1)//">`,
	`<textarea><script>alert(1)</script></textarea>`,
	`<title><script>alert(1)</script></title>`,
	`<xmp><script>alert(1)</script></xmp>`,
	`<plaintext><script>alert(1)</script>`,
	`<template><script>alert(1)</script></template>`,
	`<a href="https://example.com/" onclick="alert(1)" target="_blank" rel="opener">x</a>`,
	`<p>unclosed <b>bold <i>italic <a href="javascript:alert(1)">`,
}

// checkSafe fails the test when out, sanitised from in, holds anything that
// runs script, styles the page, leaves it, or submits from it, as a browser
// would parse it.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Errorf("HTML(%q) = %q contains <script", in, out)
	}
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		t.Fatalf("parse output: %v", err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Iframe, atom.Object, atom.Embed, atom.Applet, atom.Form,
				atom.Input, atom.Button, atom.Base, atom.Meta, atom.Link, atom.Svg, atom.Math, atom.Template,
				atom.Frame, atom.Frameset:
				t.Errorf("HTML(%q) = %q has a <%s> element", in, out, n.Data)
			}
			if n.Namespace != "" {
				t.Errorf("HTML(%q) = %q has foreign element %s:%s", in, out, n.Namespace, n.Data)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" || key == "formaction" ||
					key == "background" || key == "dynsrc" || key == "lowsrc" || a.Namespace != "" {
					t.Errorf("HTML(%q) = %q has attribute %s", in, out, a.Key)
				}
				if key == "href" || key == "src" || key == "cite" {
					if scheme := urlScheme(a.Val); scheme != "" && scheme != "http" && scheme != "https" && scheme != "mailto" {
						t.Errorf("HTML(%q) = %q has a %s: URL in %s", in, out, scheme, a.Key)
					}
				}
			}
		}
		for c := range n.ChildNodes() {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

// urlScheme returns the lower-cased scheme of a URL as a browser reads it:
// ASCII whitespace and control characters inside it are ignored.
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

func TestHTMLRemovesEverythingExecutable(t *testing.T) {
	p := New()
	for _, in := range xssVectors {
		t.Run("", func(t *testing.T) {
			out := p.HTML(in)
			checkSafe(t, in, out)
			// The vectors carry these only in markup, never as text.
			lower := strings.ToLower(out)
			for _, bad := range []string{"javascript:", "vbscript:", "data:", "expression("} {
				if strings.Contains(lower, bad) {
					t.Errorf("HTML(%q) = %q contains %q", in, out, bad)
				}
			}
			if again := p.HTML(out); again != out {
				t.Errorf("not idempotent: %q -> %q -> %q", in, out, again)
			}
		})
	}
}

func TestHTMLKeepsContent(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<p>Hello <b>bold</b>, <i>italic</i>, <em>em</em>, <strong>strong</strong>, <u>u</u>, <s>s</s>, <sub>1</sub><sup>2</sup>, <mark>m</mark>, <small>s</small>.</p>`,
			`<p>Hello <b>bold</b>, <i>italic</i>, <em>em</em>, <strong>strong</strong>, <u>u</u>, <s>s</s>, <sub>1</sub><sup>2</sup>, <mark>m</mark>, <small>s</small>.</p>`},
		{`<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>4</h4><h5>5</h5><h6>6</h6>`, `<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>4</h4><h5>5</h5><h6>6</h6>`},
		{`<ul><li>a</li><li>b</li></ul><ol><li>1</li></ol><dl><dt>t</dt><dd>d</dd></dl>`, `<ul><li>a</li><li>b</li></ul><ol><li>1</li></ol><dl><dt>t</dt><dd>d</dd></dl>`},
		{`<blockquote cite="https://example.com/q"><p>Quoted</p></blockquote>`, `<blockquote cite="https://example.com/q"><p>Quoted</p></blockquote>`},
		{`<pre><code>if a &lt; b &amp;&amp; c &gt; d {
	return
}</code></pre>`, `<pre><code>if a &lt; b &amp;&amp; c &gt; d {
	return
}</code></pre>`},
		{`<figure><img src="https://example.com/cat.jpg" alt="A cat" width="600" height="400" title="Cat"><figcaption>The cat</figcaption></figure>`,
			`<figure><img src="https://example.com/cat.jpg" alt="A cat" width="600" height="400" title="Cat"/><figcaption>The cat</figcaption></figure>`},
		{`<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td>Ana</td></tr></tbody></table>`,
			`<table><thead><tr><th>Name</th></tr></thead><tbody><tr><td>Ana</td></tr></tbody></table>`},
		{`<p>Café, naïve, 日本語, emoji 😀, AT&amp;T, &lt;tag&gt;</p>`, `<p>Café, naïve, 日本語, emoji 😀, AT&amp;T, &lt;tag&gt;</p>`},
		{`<p>a<br>b</p><hr>`, `<p>a<br/>b</p><hr/>`},
		// Links: rel replaced, target dropped, relative and mailto kept.
		{`<a href="https://example.com/x">x</a>`, `<a href="https://example.com/x" rel="nofollow noopener noreferrer">x</a>`},
		{`<a href="https://example.com/x" rel="me" target="_blank">x</a>`, `<a href="https://example.com/x" rel="nofollow noopener noreferrer">x</a>`},
		{`<a href="/relative/path?q=1&amp;r=2#frag">x</a>`, `<a href="/relative/path?q=1&amp;r=2#frag" rel="nofollow noopener noreferrer">x</a>`},
		{`<a href="mailto:ana@example.com">Ana</a>`, `<a href="mailto:ana@example.com" rel="nofollow noopener noreferrer">Ana</a>`},
		// Images: sizes written without a unit, tracking pixels and
		// src-less images removed.
		{`<img src="/a.png" alt="">`, `<img src="/a.png" alt=""/>`},
		{`<img src="a.png" width="300px" height=" 200 ">`, `<img src="a.png" width="300" height="200"/>`},
		{`<p>x<img src="https://example.com/p.gif" width="1" height="1">y</p>`, `<p>xy</p>`},
		{`<img src="https://example.com/p.gif" width="0" height="0">`, ``},
		{`<img src="https://example.com/p.gif" width="1px" height="1px" alt="">`, ``},
		{`<img src="https://example.com/line.gif" width="1" height="300">`, `<img src="https://example.com/line.gif" width="1" height="300"/>`},
		{`<img src="https://example.com/p.gif" width="1">`, `<img src="https://example.com/p.gif" width="1"/>`},
		{`<img src="https://pixel.wp.com/g.gif?blog=1&amp;post=2" alt="">`, ``},
		{`<img src="//stats.wordpress.com/b.gif?v=1">`, ``},
		{`<img src="https://feeds.feedburner.com/~r/Example/~4/abc" height="1" width="1" alt="">`, ``},
		{`<img src="https://feeds.feedburner.com/~r/Example/~4/abc">`, ``},
		{`<img src="https://medium.com/_/stat?event=post.clientViewed&amp;postId=1">`, ``},
		{`<img src="https://i0.wp.com/example.com/photo.jpg" alt="photo">`, `<img src="https://i0.wp.com/example.com/photo.jpg" alt="photo"/>`},
		{`<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">`, ``},
		{`<img alt="no src">`, ``},
		// What the input left open is closed.
		{`<p>unclosed <b>bold <i>italic`, `<p>unclosed <b>bold <i>italic</i></b></p>`},
		{`<table><tr><td>x`, `<table><tbody><tr><td>x</td></tr></tbody></table>`},
		{`<b>x</i></b></div></p>y`, `<b>x</b><p></p>y`},
		// Markup too deep to parse is reduced to its text.
		{strings.Repeat("<div>", 600) + "deep <b>text</b>" + strings.Repeat("</div>", 600), `deep text`},
		// Dropped elements keep their text.
		{`<font color="red">red</font> <center>mid</center>`, `red mid`},
		{``, ``},
		{`plain text`, `plain text`},
	}
	p := New()
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			got := p.HTML(tt.in)
			if got != tt.want {
				t.Errorf("HTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if again := p.HTML(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestIsTracker(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"https://pixel.wp.com/g.gif", true},
		{"https://PIXEL.WP.COM:443/g.gif", true},
		{"http://feeds.feedburner.com/~r/x/~4/y", true},
		{"http://feeds.feedburner.com/~ff/x?d=y", false},
		{"https://example.com/pixel.wp.com/g.gif", false},
		{"https://notpixel.wp.com/g.gif", false},
		{"/relative.gif", false},
		{"%zz", false},
	}
	for _, tt := range tests {
		if got := isTracker(tt.src); got != tt.want {
			t.Errorf("isTracker(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

// TestHTMLConcurrent shares one Policy between goroutines; run with -race
// it proves the Policy is safe for concurrent use.
func TestHTMLConcurrent(t *testing.T) {
	p := New()
	in := `<p><a href="https://example.com/">x</a><img src="https://pixel.wp.com/g.gif"></p>`
	want := p.HTML(in)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := p.HTML(in); got != want {
					t.Errorf("got %q, want %q", got, want)
				}
			}
		})
	}
	wg.Wait()
}
