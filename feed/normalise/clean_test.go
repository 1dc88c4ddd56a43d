package normalise

import "testing"

func TestStripTracking(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://b.example/p?utm_source=rss&utm_medium=feed", "https://b.example/p"},
		{"https://b.example/p?id=3&utm_campaign=x&fbclid=abc#c", "https://b.example/p?id=3#c"},
		{"https://b.example/p?b=2&a=1", "https://b.example/p?b=2&a=1"},
		{"https://b.example/p", "https://b.example/p"},
		{"https://b.example/p?ref=rss", "https://b.example/p"},
		{"https://b.example/p?ref=chapter-2", "https://b.example/p?ref=chapter-2"},
	}
	for _, tt := range tests {
		if got := StripTracking(tt.in); got != tt.want {
			t.Errorf("StripTracking(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnwrap(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"google alert", "https://www.google.com/url?rct=j&sa=t&url=https://news.example/a%3Fid%3D3&ct=ga&cd=CAI&usg=AOv", "https://news.example/a?id=3"},
		{"country domain, q", "http://google.co.uk/url?q=https://news.example/b&sa=U", "https://news.example/b"},
		{"target not http", "https://www.google.com/url?url=javascript:alert(1)", "https://www.google.com/url?url=javascript:alert(1)"},
		{"no target", "https://www.google.com/url?sa=t", "https://www.google.com/url?sa=t"},
		{"other path", "https://www.google.com/search?q=https://news.example/", "https://www.google.com/search?q=https://news.example/"},
		{"not google", "https://google.example.com/url?url=https://news.example/c", "https://google.example.com/url?url=https://news.example/c"},
		{"lookalike host", "https://notgoogle.com/url?url=https://news.example/d", "https://notgoogle.com/url?url=https://news.example/d"},
		{"plain link", "https://news.example/e", "https://news.example/e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unwrap(tt.in); got != tt.want {
				t.Errorf("Unwrap(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzUnwrap: a redirect is unwrapped to an absolute http(s) address, and
// anything else is left as it was.
func FuzzUnwrap(f *testing.F) {
	f.Add("https://www.google.com/url?rct=j&sa=t&url=https://news.example/a&usg=x")
	f.Add("http://google.co.uk/url?q=https://news.example/b")
	f.Add("https://www.google.com/url?url=javascript:alert(1)")
	f.Add("https://google.com/url?url=%zz")
	f.Add("https://news.example/e")
	f.Fuzz(func(t *testing.T, raw string) {
		got := Unwrap(raw)
		if got != raw && httpURL(got) == "" {
			t.Fatalf("Unwrap(%q) = %q, not an http(s) address", raw, got)
		}
	})
}
