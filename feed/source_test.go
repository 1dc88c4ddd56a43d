package feed

import (
	"net/url"
	"strings"
	"testing"
)

func TestPublicAndRedactedURL(t *testing.T) {
	tests := []struct{ in, public, redacted string }{
		{"http://user:s3cretpw@127.0.0.1:18101/auth/rss20.xml", "http://127.0.0.1:18101/auth/rss20.xml", "http://user:xxxxx@127.0.0.1:18101/auth/rss20.xml"},
		{"HTTPS://user:s3cretpw@host.example", "HTTPS://host.example", "HTTPS://user:xxxxx@host.example"},
		{"https://user:s3cretpw@host.example?q=1", "https://host.example?q=1", "https://user:xxxxx@host.example?q=1"},
		// The userinfo ends at the authority's last "@", as net/url reads it.
		{"https://user:s3c@retpw@host.example/a@b", "https://host.example/a@b", "https://user:xxxxx@host.example/a@b"},
		// A URL net/url refuses loses its credentials all the same.
		{"https://user:s3cretpw@host.example/%zz", "https://host.example/%zz", "https://user:xxxxx@host.example/%zz"},
		// No password: the user name is often a token, masked whole.
		{"https://tok3nSECRET@host.example/feed", "https://host.example/feed", "https://xxxxx@host.example/feed"},
		{"https://:s3cretpw@host.example/feed", "https://host.example/feed", "https://:xxxxx@host.example/feed"},
		// Nothing to take out.
		{"https://host.example/p?mail=a@b.example#x@y", "https://host.example/p?mail=a@b.example#x@y", "https://host.example/p?mail=a@b.example#x@y"},
		{"https://host.example/cr%C3%A8me", "https://host.example/cr%C3%A8me", "https://host.example/cr%C3%A8me"},
		{"/srv/feeds/a@b.xml", "/srv/feeds/a@b.xml", "/srv/feeds/a@b.xml"},
		{"feeds/x://user:pw@y", "feeds/x://user:pw@y", "feeds/x://user:pw@y"},
		{"mailto:a@b.example", "mailto:a@b.example", "mailto:a@b.example"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := PublicURL(tt.in); got != tt.public {
			t.Errorf("PublicURL(%q) = %q, want %q", tt.in, got, tt.public)
		}
		if got := RedactedURL(tt.in); got != tt.redacted {
			t.Errorf("RedactedURL(%q) = %q, want %q", tt.in, got, tt.redacted)
		}
		// The logs write net/url's Redacted: the same form wherever both
		// apply (net/url lowercases the scheme).
		if u, err := url.Parse(tt.in); err == nil && u.Scheme != "" && u.Host != "" && (u.User == nil || hasPassword(u.User)) &&
			!strings.EqualFold(u.Redacted(), RedactedURL(tt.in)) {
			t.Errorf("RedactedURL(%q) = %q, the logs show %q", tt.in, RedactedURL(tt.in), u.Redacted())
		}
	}
}

func hasPassword(u *url.Userinfo) bool { _, ok := u.Password(); return ok }

func TestRedactAndPublicText(t *testing.T) {
	tests := []struct{ in, redacted, public string }{
		{`fetch http://user:xxxxx@127.0.0.1:18299/feed.xml: Get "http://user:***@127.0.0.1:18299/feed.xml": dial tcp: refused`,
			`fetch http://user:xxxxx@127.0.0.1:18299/feed.xml: Get "http://user:xxxxx@127.0.0.1:18299/feed.xml": dial tcp: refused`,
			`fetch http://127.0.0.1:18299/feed.xml: Get "http://127.0.0.1:18299/feed.xml": dial tcp: refused`},
		{`GET https://tok3nSECRET@feeds.example/x: 401`, `GET https://xxxxx@feeds.example/x: 401`, `GET https://feeds.example/x: 401`},
		{`"ftp://u:s3cret@h.example/f": scheme "ftp" is not supported`, `"ftp://u:xxxxx@h.example/f": scheme "ftp" is not supported`, `"ftp://h.example/f": scheme "ftp" is not supported`},
		{`no URL here, but a@b`, `no URL here, but a@b`, `no URL here, but a@b`},
		{`https://host.example/p?mail=a@b.example and mailto:x@y`, `https://host.example/p?mail=a@b.example and mailto:x@y`, `https://host.example/p?mail=a@b.example and mailto:x@y`},
		{`://@`, `://@`, `://@`},
		{``, ``, ``},
	}
	for _, tt := range tests {
		if got := RedactText(tt.in); got != tt.redacted {
			t.Errorf("RedactText(%q) =\n%q, want\n%q", tt.in, got, tt.redacted)
		}
		if got := PublicText(tt.in); got != tt.public {
			t.Errorf("PublicText(%q) =\n%q, want\n%q", tt.in, got, tt.public)
		}
	}
}

func TestRoundReportRedacted(t *testing.T) {
	rep := RoundReport{Sources: []SourceReport{
		{Name: "Secret", URL: "http://user:s3cretpw@127.0.0.1/feed", Outcome: Failed},
		{Name: "Plain", URL: "https://plain.example/feed"},
	}}
	got := rep.Redacted()
	if got.Sources[0].URL != "http://user:xxxxx@127.0.0.1/feed" || got.Sources[1].URL != "https://plain.example/feed" {
		t.Errorf("redacted URLs %q, %q", got.Sources[0].URL, got.Sources[1].URL)
	}
	if rep.Sources[0].URL != "http://user:s3cretpw@127.0.0.1/feed" {
		t.Errorf("Redacted modified the report it was called on: %q", rep.Sources[0].URL)
	}
}

// FuzzRedactText: masking and dropping userinfo never panic, are
// idempotent, and leave no userinfo behind in a public text.
func FuzzRedactText(f *testing.F) {
	for _, s := range []string{
		`Get "http://user:***@127.0.0.1:18299/feed.xml": EOF`,
		`https://tok@h.example/x and ftp://a:b@c/d`,
		`://@`, `a://@@b`, `x+y://u:p@h?q=a@b#c@d`, "http://u@h\nhttp://v:w@i",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, p := RedactText(s), PublicText(s)
		if RedactText(r) != r {
			t.Errorf("RedactText is not idempotent on %q: %q then %q", s, r, RedactText(r))
		}
		if PublicText(p) != p {
			t.Errorf("PublicText is not idempotent on %q: %q then %q", s, p, PublicText(p))
		}
		mapURLs(p, func(u string) string {
			if _, _, _, ok := cutUserinfo(u); ok {
				t.Errorf("PublicText(%q) = %q keeps userinfo in %q", s, p, u)
			}
			return u
		})
	})
}
