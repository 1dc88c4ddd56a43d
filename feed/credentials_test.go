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

// Private feeds carry their credentials in the query as often as in the
// userinfo (GitHub's .private.atom?token=, Patreon's ?auth=, many an
// ?api_key=): those parameters are not published, the others are, as they
// were written and in their order.
func TestPublicSourceURLDropsSecretParams(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://github.com/octo.private.atom?token=abcdef123456", "https://github.com/octo.private.atom"},
		{"https://www.patreon.com/rss/someone?auth=AbCdEf123", "https://www.patreon.com/rss/someone"},
		{"https://host.example/feed?feed=rss2&token=abc&page=2", "https://host.example/feed?feed=rss2&page=2"},
		{"https://host.example/feed?token=abc&format=atom", "https://host.example/feed?format=atom"},
		{"https://host.example/feed?format=atom&key=abc", "https://host.example/feed?format=atom"},
		{"https://host.example/feed?api_key=1&apikey=2&API-KEY=3&format=atom", "https://host.example/feed?format=atom"},
		{"https://host.example/feed?access_token=1&private_token=2&feed_token=3&X-Auth-Token=4", "https://host.example/feed"},
		{"https://host.example/feed?accessToken=1&b=2", "https://host.example/feed?b=2"},
		{"https://host.example/feed?Secret=1&client_secret=2&password=3&pass=4&passwd=5&a=b", "https://host.example/feed?a=b"},
		{"https://host.example/f.mp3?sig=1&signature=2&X-Amz-Signature=3&session=4&expires=5", "https://host.example/f.mp3?expires=5"},
		// Case aside, percent-encoded or not, with a value or without.
		{"https://host.example/feed?TOKEN=1&%74oken=2&token&q=x", "https://host.example/feed?q=x"},
		// Kept parameters keep their bytes and separators; a secret after
		// a ";" goes too.
		{"https://host.example/feed?a=%2Fx+y;token=1;b=c&d", "https://host.example/feed?a=%2Fx+y;b=c&d"},
		// The fragment stays, and is not a query.
		{"https://host.example/feed?token=1#top", "https://host.example/feed#top"},
		{"https://host.example/feed?page=2&token=1#key=3", "https://host.example/feed?page=2#key=3"},
		{"https://host.example/feed#?token=1", "https://host.example/feed#?token=1"},
		// Private trackers and feed services (review: these went out).
		{"https://tracker.example/rss.php?feed=dl&passkey=B&authkey=C&torrent_pass=D&rsskey=E&cat=4", "https://tracker.example/rss.php?feed=dl&cat=4"},
		{"https://host.example/feed?authKey=1&clientSecret=3&jwt=4&x_jwt=5&page=2", "https://host.example/feed?page=2"},
		{"https://host.example/feed?appKey=1&licenseKey=2&consumerKey=3&apiSig=4&userSession=5&page=2", "https://host.example/feed?page=2"},
		// Two words before the ending (review of 9602d0b).
		{"https://host.example/feed?userApiKey=1&privateFeedKey=2&secretAccessKey=3&urlSig=4&appSessionKey=5&encryptionKey=6&page=2", "https://host.example/feed?page=2"},
		// Names that end like a secret's but are none (review: Confluence's
		// feed lost its spaceKey).
		{"https://wiki.example/createrssfeed.action?types=page&spaceKey=DEV&sortKey=date&firstPass=1&pageToken=x",
			"https://wiki.example/createrssfeed.action?types=page&spaceKey=DEV&sortKey=date&firstPass=1&pageToken=x"},
		{"https://ci.example/rss/createAllBuildsRssFeed.action?buildKey=PROJ-PLAN&planKey=P&projectKey=Q&issueKey=R&trainingSession=2&page_token=3&nextPageToken=4",
			"https://ci.example/rss/createAllBuildsRssFeed.action?buildKey=PROJ-PLAN&planKey=P&projectKey=Q&issueKey=R&trainingSession=2&page_token=3&nextPageToken=4"},
		// Both kinds of credentials at once.
		{"https://user:pw@host.example/feed?key=1&feed=rss2", "https://host.example/feed?feed=rss2"},
		// secret and private begin only secrets' names (security pass:
		// these were published); a word merely starting so is kept.
		{"https://host.example/feed?secret_hash=1&private=2&privateKey=3&secret-id=4&secretary=5&privacy=6",
			"https://host.example/feed?secretary=5&privacy=6"},
		// A name that only begins with a secret's is not one.
		{"https://host.example/feed?key_format=1&token_type=2&keyword=go&monkey=3&tokens=4",
			"https://host.example/feed?key_format=1&token_type=2&keyword=go&monkey=3&tokens=4"},
		// Nothing to drop: returned as it is, byte for byte.
		{"https://host.example/feed?feed=rss2&format=atom&page=2", "https://host.example/feed?feed=rss2&format=atom&page=2"},
		{"https://host.example/feed?", "https://host.example/feed?"},
		{"https://host.example/?a=%zz&b", "https://host.example/?a=%zz&b"},
		// A local path has no query: "?" is part of its name.
		{"/srv/feeds/feed?token=1.xml", "/srv/feeds/feed?token=1.xml"},
		{"feeds/feed.xml?key=1", "feeds/feed.xml?key=1"},
	}
	for _, tt := range tests {
		if got := PublicSourceURL(tt.in); got != tt.want {
			t.Errorf("PublicSourceURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// Idempotent: what is published is published as it is again.
		if got := PublicSourceURL(tt.want); got != tt.want {
			t.Errorf("PublicSourceURL(%q) = %q, want it unchanged", tt.want, got)
		}
	}
	// An article's links keep their query: a publisher's signed
	// enclosure is for every reader.
	signed := "https://cdn.example/ep1.mp3?X-Amz-Signature=abc&X-Amz-Expires=900"
	if got := PublicURL(signed); got != signed {
		t.Errorf("PublicURL(%q) = %q, want it as it is", signed, got)
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
		// A token in the query: masked for the operator, dropped from a
		// source's error shown to anyone (an article's text keeps it).
		{`GET https://h.example/feed?token=abc123&f=1: 503 Service Unavailable`,
			`GET https://h.example/feed?token=xxxxx&f=1: 503 Service Unavailable`,
			`GET https://h.example/feed?token=abc123&f=1: 503 Service Unavailable`},
		{`Get "https://h.example/x.private.atom?token=abc123": EOF`,
			`Get "https://h.example/x.private.atom?token=xxxxx": EOF`,
			`Get "https://h.example/x.private.atom?token=abc123": EOF`},
	}
	for _, tt := range tests {
		if got := RedactText(tt.in); got != tt.redacted {
			t.Errorf("RedactText(%q) =\n%q, want\n%q", tt.in, got, tt.redacted)
		}
		if got := PublicText(tt.in); got != tt.public {
			t.Errorf("PublicText(%q) =\n%q, want\n%q", tt.in, got, tt.public)
		}
	}
	for in, want := range map[string]string{
		`GET https://u:p@h.example/feed?token=abc123&f=1: 503`:     `GET https://h.example/feed?f=1: 503`,
		`Get "https://h.example/x.private.atom?token=abc123": EOF`: `Get "https://h.example/x.private.atom": EOF`,
	} {
		if got := PublicSourceText(in); got != want {
			t.Errorf("PublicSourceText(%q) =\n%q, want\n%q", in, got, want)
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
		}, "@")
		ps := PublicSourceText(s)
		if PublicSourceText(ps) != ps {
			t.Errorf("PublicSourceText is not idempotent on %q: %q then %q", s, ps, PublicSourceText(ps))
		}
	})
}

func TestOriginText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`fetch https://feeds.example/secret:abc/u:me/?t=1: 500 Internal Server Error`, `fetch https://feeds.example/…: 500 Internal Server Error`},
		{`Get "http://user:pw@host.example:8080/feed": EOF`, `Get "http://host.example:8080/…": EOF`},
		{`redirect to https://a.example/x, then https://b.example`, `redirect to https://a.example/…, then https://b.example/…`},
		{`no URL here`, `no URL here`},
	}
	for _, tt := range tests {
		if got := OriginText(tt.in); got != tt.want {
			t.Errorf("OriginText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
