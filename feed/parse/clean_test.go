package parse

import "testing"

func TestStripInvalidXMLChars(t *testing.T) {
	tests := []struct{ in, want string }{
		{"clean\ttext\r\n", "clean\ttext\r\n"},
		{"a\x00b\x08c\x0bd\x1fe", "abcde"},
		{"x\uFFFEy\uFFFFz", "xyz"},
		{"keep \u0085 \u007f \uFFFD é", "keep \u0085 \u007f \uFFFD é"},
	}
	for _, tt := range tests {
		if got := string(stripInvalidXMLChars([]byte(tt.in))); got != tt.want {
			t.Errorf("stripInvalidXMLChars(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripInvalidCharRefs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no refs", "no refs"},
		{"a&#8;b&#x1B;c&#X1f;d", "abcd"},
		{"&#0;&#xD800;&#xFFFE;&#65535;&#x110000;", ""},
		{"keep &#9;&#10;&#13;&#233;&#xE9;&#x1F600;", "keep &#9;&#10;&#13;&#233;&#xE9;&#x1F600;"},
		{"broken &# &#; &#x; &#8 &#12345678901; &amp;#8;", "broken &# &#; &#x; &#8 &#12345678901; &amp;#8;"},
		{"end &#8;", "end "},
	}
	for _, tt := range tests {
		if got := string(stripInvalidCharRefs([]byte(tt.in))); got != tt.want {
			t.Errorf("stripInvalidCharRefs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMapC1(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Don\u0092t panic", "Don’t panic"},
		{"\u0093quoted\u0094 \u0096 \u0085", "“quoted” – …"},
		{"\u0080 price", "€ price"},
		{"undefined \u0081 stays", "undefined \u0081 stays"},
		{"© 2026, 20°C, no C1", "© 2026, 20°C, no C1"},
		{"ends with \xc2", "ends with \xc2"},
	}
	for _, tc := range tests {
		if got := string(mapC1([]byte(tc.in))); got != tc.want {
			t.Errorf("mapC1(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
