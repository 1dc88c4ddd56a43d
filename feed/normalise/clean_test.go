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
