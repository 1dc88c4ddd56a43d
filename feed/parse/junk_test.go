package parse

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseLeadingJunk(t *testing.T) {
	const rss = `<rss version="2.0"><channel><title>T</title><item><title>I</title></item></channel></rss>`
	const decl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	php := "<br />\n<b>Warning</b>:  Cannot modify header information - headers already sent by " +
		"(output started at /var/www/wp-config.php:1) in <b>/var/www/feed-rss2.php</b> on line <b>8</b><br />\n"
	tests := []struct {
		name, body, contentType string
		wantErr                 string // "" for a feed titled T
	}{
		{"PHP warning before the declaration", php + decl + rss, "", ""},
		{"PHP warning served as HTML", php + decl + rss, "text/html; charset=UTF-8", ""},
		{"PHP warning before the root", php + rss, "text/html", ""},
		{"xdebug table before the declaration", "<br />\n<font size='1'><table class='xdebug-error'><tr><th>Notice</th></tr></table></font>\n" + decl + rss, "", ""},
		{"plain-text notice", "Deprecated: create_function() is deprecated\n" + decl + rss, "application/rss+xml", ""},
		{"BOM, then junk", bomUTF8 + "Notice: x\n" + decl + rss, "", ""},
		{"junk before an Atom root", "Notice: x\n" + `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>I</title></entry></feed>`, "", ""},
		{"doubled BOM", bomUTF8 + bomUTF8 + decl + rss, "", ""},
		{"junk and a declaration naming the encoding", "Notice: x\n" + `<?xml version="1.0" encoding="windows-1252"?>` +
			"<rss version=\"2.0\"><channel><title>T</title><item><title>I\xe9</title></item></channel></rss>", "", ""},
		// Not junk.
		{"HTML page before a feed's markup", "<!DOCTYPE html><html><body><pre>" + decl + rss, "text/html", "an HTML page"},
		{"HTML head before a feed's markup", "<head><title>x</title></head>" + rss, "", "an HTML page"},
		{"a script before the feed", "<script>x</script>" + decl + rss, "", "an HTML page"},
		{"an HTML fragment before a feed element", `<div class="timeline"><p>Our feed:</p></div>` + rss, "text/html", "an HTML page"},
		{"another XML document first", `<?xml version="1.0"?><svg/>` + decl + rss, "", "found <svg>"},
		{"feed beyond the first 4 KB", strings.Repeat("Notice: x\n", 500) + decl + rss, "", "not a feed"},
		{"root name that only starts like one", "Notice: x\n<rssfeed version=\"2.0\"><channel/></rssfeed>", "", "not a feed"},
		{"junk, then not a feed", "Notice: x\n" + decl + "<svg/>", "", "found <svg>"},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := p.Parse([]byte(tt.body), tt.contentType)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if f.Title != "T" || len(f.Items) != 1 || !strings.HasPrefix(f.Items[0].Title, "I") {
				t.Errorf("title %q, %d items", f.Title, len(f.Items))
			}
		})
	}
}

func TestAlternates(t *testing.T) {
	tests := []struct {
		name, page string
		want       []string
	}{
		{"document order among RSS and Atom, then JSON",
			`<link rel="alternate" type="application/atom+xml" href="/a"><link rel="alternate" type="application/rss+xml" href="/r">` +
				`<link rel="alternate" type="application/feed+json" href="/f"><link rel="alternate" type="application/json" href="/j">` +
				`<link rel="alternate" type="text/html" href="/h"><link rel="stylesheet" type="application/rss+xml" href="/s">`,
			[]string{"/a", "/r", "/f", "/j"}},
		{"type parameters and case", `<LINK REL="Alternate Feed" TYPE="Application/JSON; charset=utf-8" HREF=" /j ">`, []string{"/j"}},
		{"WordPress REST API links are not feeds",
			`<link rel="alternate" type="application/json" href="https://b.example/wp-json/wp/v2/posts/7">` +
				`<link rel="alternate" type="application/json" href="https://b.example/?rest_route=/wp/v2/posts/7">` +
				`<link rel="alternate" type="application/feed+json" href="https://b.example/wp-json/feed">`,
			[]string{"https://b.example/wp-json/feed"}},
		{"base with a path", `<base href="/new/blog/"><link rel="alternate" type="application/rss+xml" href="feed.xml">`, []string{"/new/blog/feed.xml"}},
		{"base after the link, first base wins",
			`<link rel="alternate" type="application/rss+xml" href="feed.xml"><base href="https://b.example/x/"><base href="/y/">`,
			[]string{"https://b.example/x/feed.xml"}},
		{"base without href is none", `<base target="_top"><base href="/z/"><link rel="alternate" type="application/rss+xml" href="f">`, []string{"/z/f"}},
		{"absolute hrefs kept", `<base href="https://b.example/x/"><link rel="alternate" type="application/rss+xml" href="https://c.example/f">`,
			[]string{"https://c.example/f"}},
		{"no base", `<link rel="alternate" type="application/rss+xml" href="../f">`, []string{"../f"}},
		{"comment feeds last, JSON after RSS and Atom",
			`<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Comments Feed" href="/comments/feed/">` +
				`<link rel="alternate" type="application/json" href="/feed.json">` +
				`<link rel="alternate" type="application/rss+xml" title="Post comments" href="/p/7/feed">` +
				`<link rel="alternate" type="application/rss+xml" title="Blog &raquo; Feed" href="/feed/">`,
			[]string{"/feed/", "/feed.json", "/comments/feed/", "/p/7/feed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := alternates([]byte(tt.page)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResolveAgainstBase(t *testing.T) {
	tests := []struct{ base, href, want string }{
		{"https://b.example/x/y.html", "feed.xml", "https://b.example/x/feed.xml"},
		{"https://b.example/x/", "../feed.xml", "https://b.example/feed.xml"},
		{"https://b.example/x/", "//c.example/f", "https://c.example/f"},
		{"https://b.example/x/", "?feed=rss2", "https://b.example/x/?feed=rss2"},
		{"//cdn.example/x/", "f", "//cdn.example/x/f"},
		{"/new/blog/", "feed.xml", "/new/blog/feed.xml"},
		{"/new/blog/", "/abs", "/abs"},
		// A relative-path base stays relative; the page's address resolves
		// the result to what href means under the base.
		{"blog/", "feed.xml", "blog/feed.xml"},
		{"../blog/index.html?x=1", "feed.xml", "../blog/feed.xml"},
		{"blog/index.html", "?q", "blog/index.html?q"},
		{"blog/index.html#top", "#f", "blog/index.html#f"},
		{"index.html", "feed.xml", "feed.xml"},
		{"blog/", "/abs", "/abs"},
		{"blog/", "https://c.example/f", "https://c.example/f"},
		{"%zz", "f", "f"},
	}
	for _, tt := range tests {
		if got := resolveAgainstBase(tt.base, tt.href); got != tt.want {
			t.Errorf("resolveAgainstBase(%q, %q) = %q, want %q", tt.base, tt.href, got, tt.want)
		}
	}
}

func TestHTMLPageAlternatesWithBase(t *testing.T) {
	page := `<!DOCTYPE html><html><head><base href="/new/blog/">` +
		`<LINK REL="alternate" TYPE="application/rss+xml" HREF="feed.xml"></head><body>hi</body></html>`
	_, err := New().Parse([]byte(page), "text/html")
	var hp *HTMLPageError
	if !errors.As(err, &hp) {
		t.Fatalf("error %v is not an *HTMLPageError", err)
	}
	if want := []string{"/new/blog/feed.xml"}; !reflect.DeepEqual(hp.Alternates, want) {
		t.Errorf("alternates %q, want %q", hp.Alternates, want)
	}
}
