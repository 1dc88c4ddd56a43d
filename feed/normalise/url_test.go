package normalise

import "testing"

func TestURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"scheme and host lowercased, http folded to https", "HTTP://Example.COM/Post", "https://example.com/Post"},
		{"path case kept", "https://example.com/About/Us", "https://example.com/About/Us"},
		{"www kept", "https://www.example.com/a", "https://www.example.com/a"},
		{"default http port dropped", "http://example.com:80/a", "https://example.com/a"},
		{"default https port dropped", "https://example.com:443/a", "https://example.com/a"},
		{"other port kept", "https://example.com:8080/a", "https://example.com:8080/a"},
		{"fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"heading fragment dropped", "https://example.com/a#more-12", "https://example.com/a"},
		{"footnote fragment dropped", "https://example.com/a#note-1", "https://example.com/a"},
		{"respond fragment dropped", "https://example.com/a#respond", "https://example.com/a"},
		{"dotclear comment fragment kept", "https://example.com/a#c31", "https://example.com/a#c31"},
		{"typepad comment fragment kept", "https://example.com/a#comment-6a00d8341c", "https://example.com/a#comment-6a00d8341c"},
		{"hex letters alone are no comment id", "https://example.com/a#comment-add", "https://example.com/a"},
		{"isso comment fragment kept", "https://example.com/a#isso-31", "https://example.com/a#isso-31"},
		{"comment fragment kept", "https://example.com/a/#comment-31", "https://example.com/a#comment-31"},
		{"comment fragment folded", "https://example.com/a#Comment31", "https://example.com/a#comment31"},
		{"github comment fragment kept", "https://example.com/o/r/issues/1#issuecomment-5", "https://example.com/o/r/issues/1#issuecomment-5"},
		{"gitlab note fragment kept", "https://example.com/o/r/-/issues/1#note_1234", "https://example.com/o/r/-/issues/1#note_1234"},
		{"blogger comment fragment kept", "https://example.com/2026/11/a.html#c7340290836384567", "https://example.com/2026/11/a.html#c7340290836384567"},
		{"empty path is root", "https://example.com", "https://example.com/"},
		{"root slash kept", "https://example.com/", "https://example.com/"},
		{"trailing slash dropped", "https://example.com/2024/01/post/", "https://example.com/2024/01/post"},
		{"repeated trailing slashes dropped", "https://example.com/post//", "https://example.com/post"},
		{"dot segments removed", "https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"utm parameters dropped", "https://example.com/a?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://example.com/a"},
		{"click ids dropped", "https://example.com/a?fbclid=1&gclid=2&dclid=3&msclkid=4&yclid=5&igshid=6", "https://example.com/a"},
		{"mailchimp and hubspot dropped", "https://example.com/a?mc_cid=1&mc_eid=2&_hsenc=3&_hsmi=4", "https://example.com/a"},
		{"tracking key case ignored", "https://example.com/a?UTM_Source=x&id=1", "https://example.com/a?id=1"},
		{"ref_src dropped", "https://example.com/a?ref_src=twsrc%5Etfw", "https://example.com/a"},
		{"ref share source dropped", "https://example.com/a?ref=rss", "https://example.com/a"},
		{"ref other value kept", "https://example.com/a?ref=main", "https://example.com/a?ref=main"},
		{"medium source dropped", "https://example.com/a?source=rss----abc---4", "https://example.com/a"},
		{"source other value kept", "https://example.com/search?source=archive", "https://example.com/search?source=archive"},
		{"parameters sorted", "https://example.com/a?z=1&a=2&m=3", "https://example.com/a?a=2&m=3&z=1"},
		{"repeated parameter order kept", "https://example.com/a?x=2&a=1&x=1", "https://example.com/a?a=1&x=2&x=1"},
		{"empty query dropped", "https://example.com/a?", "https://example.com/a"},
		{"query of only tracking dropped", "https://example.com/?utm_source=x", "https://example.com/"},
		{"empty parameters dropped", "https://example.com/a?&&b=1&", "https://example.com/a?b=1"},
		{"parameter without value kept", "https://example.com/a?amp", "https://example.com/a?amp"},
		{"hex uppercased", "https://example.com/a%2fb?q=%3d", "https://example.com/a%2Fb?q=%3D"},
		{"unreserved decoded", "https://example.com/%7Euser/%41bc?q=%61", "https://example.com/~user/Abc?q=a"},
		{"non-ascii escaped", "https://example.com/caf\u00e9", "https://example.com/caf%C3%A9"},
		{"escaped and raw non-ascii equal", "https://example.com/caf%c3%a9", "https://example.com/caf%C3%A9"},
		{"plus kept distinct from space", "https://example.com/s?q=a+b", "https://example.com/s?q=a+b"},
		{"space escaped", "https://example.com/s?q=a b", "https://example.com/s?q=a%20b"},
		{"userinfo dropped", "https://user:pw@example.com/a", "https://example.com/a"},
		{"trailing dot in host dropped", "https://example.com./a", "https://example.com/a"},
		{"idn host in ascii form", "https://b\u00fccher.example/a", "https://xn--bcher-kva.example/a"},
		{"ipv6 host", "http://[2001:DB8::1]:80/a", "https://[2001:db8::1]/a"},
		{"surrounding space trimmed", "  https://example.com/a \n", "https://example.com/a"},
		{"relative rejected", "/2024/01/post", ""},
		{"scheme-relative rejected", "//example.com/a", ""},
		{"other scheme rejected", "ftp://example.com/a", ""},
		{"mailto rejected", "mailto:a@example.com", ""},
		{"opaque rejected", "http:example.com", ""},
		{"no host rejected", "https:///a", ""},
		{"garbage rejected", "https://exa mple.com/", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := URL(tt.in)
			if got != tt.want {
				t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := URL(got); got != "" && again != got {
				t.Errorf("URL not idempotent: URL(%q) = %q", got, again)
			}
		})
	}
}

func TestURLEquivalents(t *testing.T) {
	// Spellings of one article that feeds and share buttons really produce.
	same := []string{
		"https://blog.example.com/2024/05/on-rivers/",
		"http://blog.example.com/2024/05/on-rivers",
		"https://BLOG.example.com:443/2024/05/on-rivers/?utm_source=feedburner&utm_medium=feed#more-123",
		"https://blog.example.com/2024/05/./on-rivers?fbclid=IwAR0",
	}
	want := URL(same[0])
	for _, s := range same[1:] {
		if got := URL(s); got != want {
			t.Errorf("URL(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name, base, ref, want string
	}{
		{"root relative", "https://example.com/blog/post", "/img/a.png", "https://example.com/img/a.png"},
		{"path relative", "https://example.com/blog/post", "a.png", "https://example.com/blog/a.png"},
		{"dot dot", "https://example.com/blog/2024/post", "../x", "https://example.com/blog/x"},
		{"scheme relative", "https://example.com/", "//cdn.example.net/a.js", "https://cdn.example.net/a.js"},
		{"query only", "https://example.com/a?x=1", "?y=2", "https://example.com/a?y=2"},
		{"fragment only", "https://example.com/a", "#note-1", "https://example.com/a#note-1"},
		{"absolute kept", "https://example.com/", "http://other.example/x", "http://other.example/x"},
		{"absolute kept without base", "", "https://other.example/x", "https://other.example/x"},
		{"other scheme kept", "https://example.com/", "mailto:a@example.com", "mailto:a@example.com"},
		{"relative without base", "", "/a", ""},
		{"relative against file path", "/var/feeds/blog.xml", "/a", ""},
		{"empty ref", "https://example.com/", "", ""},
		{"space trimmed", "https://example.com/", "  /a\n", "https://example.com/a"},
		{"malformed ref", "https://example.com/", "http://[::1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Resolve(tt.base, tt.ref); got != tt.want {
				t.Errorf("Resolve(%q, %q) = %q, want %q", tt.base, tt.ref, got, tt.want)
			}
		})
	}
}

func FuzzURL(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		u := URL(s)
		if again := URL(u); again != u {
			t.Fatalf("URL(%q) = %q, but URL(%q) = %q", s, u, u, again)
		}
		_ = Resolve(s, s)
		_ = Resolve("https://example.com/a/b", s)
	})
}
