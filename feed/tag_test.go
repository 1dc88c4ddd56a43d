package feed

import (
	"fmt"
	"testing"
)

func TestTagOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"news", "news"},
		{"Lower Town", "lower-town"},
		{"  C&C / Ops ", "c-c-ops"},
		{"deep_sea", "deep_sea"},
		{"Café Zu\u0308rich", "café-zürich"},
		{"ÜNÏCÖDÉ", "ünïcödé"},
		{"---", ""},
		{"__", ""},
		{"", ""},
		{string(make([]byte, 3)) + "x", "x"},
		// Languages and versions keep their marks: three tags, not one.
		{"C", "c"},
		{"C++", "c++"},
		{"C#", "c#"},
		{"Notepad++ 8", "notepad++-8"},
		{"C++/CLI", "c++-cli"},
		{"#golang", "golang"},
		{"a + b", "a-b"},
		{"++", ""},
		{"_+", ""},
	}
	for _, tt := range tests {
		if got := TagOf(tt.in); got != tt.want {
			t.Errorf("TagOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := TagOf(string(make([]rune, 0)) + "é" + fmt.Sprintf("%0200d", 0))
	if len(long) > maxTagLen || long[:2] != "é" {
		t.Errorf("long tag %q (%d bytes)", long, len(long))
	}
}
