package parse

import (
	"bytes"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestToUTF8(t *testing.T) {
	latin1 := func(s string) string {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r))
		}
		return string(b)
	}
	utf16le := func(s string) string {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return string(b)
	}
	utf32 := func(s string, bigEndian bool) string {
		var b []byte
		for _, r := range s {
			if bigEndian {
				b = append(b, byte(r>>24), byte(r>>16), byte(r>>8), byte(r))
			} else {
				b = append(b, byte(r), byte(r>>8), byte(r>>16), byte(r>>24))
			}
		}
		return string(b)
	}
	tests := []struct {
		name, body, contentType, want string
	}{
		{"plain UTF-8 untouched", "<a>Café</a>", "", "<a>Café</a>"},
		{"UTF-8 BOM dropped", "\xEF\xBB\xBF<a>Café</a>", "", "<a>Café</a>"},
		{"BOM beats header", "\xEF\xBB\xBF<a>Café</a>", "text/xml; charset=iso-8859-1", "<a>Café</a>"},
		{"header charset", latin1("<a>Café</a>"), "text/xml; charset=ISO-8859-1", "<a>Café</a>"},
		{"quoted header charset", latin1("<a>Café</a>"), `text/xml; charset="latin1"`, "<a>Café</a>"},
		{"malformed header", latin1("<a>Café</a>"), "text/xml; charset=iso-8859-1;;", "<a>Café</a>"},
		{"header beats declaration", latin1(`<?xml version="1.0" encoding="utf-8"?><a>Café</a>`), "text/xml; charset=iso-8859-1", `<?xml version="1.0" encoding="utf-8"?><a>Café</a>`},
		{"declaration", latin1(`<?xml version="1.0" encoding="ISO-8859-1"?><a>Café</a>`), "", `<?xml version="1.0"?><a>Café</a>`},
		{"single-quoted declaration", latin1(`<?xml version='1.0' encoding='iso-8859-1' standalone='yes'?><a>Café</a>`), "", `<?xml version="1.0"?><a>Café</a>`},
		{"declaration after whitespace", latin1("\n <?xml version=\"1.0\"\n encoding=\"windows-1252\"?><a>Café</a>"), "", "\n <?xml version=\"1.0\"?>\n<a>Café</a>"},
		{"XML 1.1 declaration", `<?xml version="1.1"?><a/>`, "", `<?xml version="1.0"?><a/>`},
		{"second encoding attribute", latin1(`<?xml version="1.0" encoding="latin1" encoding="koi8-r"?><a>Café</a>`), "", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-8 declaration kept", `<?xml version="1.0" encoding="UTF-8"?><a>Café</a>`, "", `<?xml version="1.0" encoding="UTF-8"?><a>Café</a>`},
		{"unknown label ignored and removed", latin1(`<?xml version="1.0" encoding="x-bogus"?><a>Café</a>`), "text/xml; charset=bogus", `<?xml version="1.0"?><a>Café</a>`},
		{"undeclared windows-1252", "<a>Caf\xe9 \x93q\x94 \x80</a>", "", "<a>Café “q” €</a>"},
		{"UTF-8 with one bad byte stays UTF-8", "<a>Café déjà \xff vu</a>", "", "<a>Café déjà \uFFFD vu</a>"},
		{"declared UTF-8 but invalid", "<a>Caf\xe9</a>", "text/xml; charset=utf-8", "<a>Caf\uFFFD</a>"},
		{"Latin-1 label on UTF-8 body", "<a>Café</a>", "text/xml; charset=iso-8859-1", "<a>Café</a>"},
		{"ASCII label on UTF-8 body", `<?xml version="1.0" encoding="us-ascii"?><a>Café</a>`, "", `<?xml version="1.0"?><a>Café</a>`},
		{"utf8mb4 label", "<a>Café</a>", "application/xml; charset=utf8mb4", "<a>Café</a>"},
		{"UTF-16LE BOM", "\xFF\xFE" + utf16le(`<?xml version="1.0" encoding="UTF-16"?><a>Café 😀</a>`), "", `<?xml version="1.0"?><a>Café 😀</a>`},
		{"UTF-16LE without BOM", utf16le(`<?xml version="1.0" encoding="UTF-16"?><a>Café</a>`), "", `<?xml version="1.0"?><a>Café</a>`},
		{"odd UTF-16 tail", "\xFF\xFE" + utf16le("<a/>") + "\x00", "", "<a/>\uFFFD"},
		{"UTF-16 label on an ASCII declaration", `<?xml version="1.0" encoding="UTF-16"?><a>Café</a>`, "", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-32LE BOM", "\xFF\xFE\x00\x00" + utf32(`<?xml version="1.0" encoding="UTF-32"?><a>Café 😀</a>`, false), "", `<?xml version="1.0"?><a>Café 😀</a>`},
		{"UTF-32BE BOM", "\x00\x00\xFE\xFF" + utf32(`<?xml version="1.0" encoding="UTF-32"?><a>Café</a>`, true), "", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-32LE without BOM", utf32(`<?xml version="1.0" encoding="utf-32le"?><a>Café</a>`, false), "", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-32BE without BOM", utf32(`<?xml version="1.0" encoding="utf-32"?><a>Café</a>`, true), "", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-32 header", utf32(`<a>Café</a>`, true), "text/xml; charset=UTF-32", `<a>Café</a>`},
		{"UTF-32 label on an ASCII declaration", `<?xml version="1.0" encoding="utf-32"?><a>Café</a>`, "", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-32 header on an ASCII body", `<a>Café</a>`, "text/xml; charset=utf-32", `<a>Café</a>`},
		{"UTF-16 header on an ASCII body", `<?xml version="1.0"?><a>Café</a>`, "application/xml; charset=utf-16", `<?xml version="1.0"?><a>Café</a>`},
		{"windows-1251 header", "<a>\xca\xe0\xf4\xe5</a>", "text/xml; charset=windows-1251", "<a>Кафе</a>"},
		{"Shift_JIS declaration", `<?xml version="1.0" encoding="Shift_JIS"?><a>` + "\x83J\x83t\x83F" + `</a>`, "", `<?xml version="1.0"?><a>カフェ</a>`},
		// The header's UTF-8 disproved by the bytes, the declaration names
		// another encoding: the declaration is followed.
		{"UTF-8 header, windows-1251 body and declaration", `<?xml version="1.0" encoding="windows-1251"?><a>` + "\xca\xe0\xf4\xe5</a>", "text/xml; charset=utf-8", `<?xml version="1.0"?><a>Кафе</a>`},
		{"UTF-8 header, Latin-1 body and declaration", latin1(`<?xml version='1.0' encoding='ISO-8859-1'?><a>Café</a>`), "text/xml; charset=UTF-8", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-8 header and declaration, Latin-1 body", latin1(`<?xml version="1.0" encoding="utf-8"?><a>Café</a>`), "text/xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8"?><a>Caf` + "\uFFFD</a>"},
		{"UTF-8 header, valid body, other declaration", `<?xml version="1.0" encoding="windows-1251"?><a>Café</a>`, "text/xml; charset=utf-8", `<?xml version="1.0"?><a>Café</a>`},
		{"UTF-8 header, invalid body, UTF-16 declaration", latin1(`<?xml version="1.0" encoding="UTF-16"?><a>Café</a>`), "text/xml; charset=utf-8", `<?xml version="1.0"?><a>Caf` + "\uFFFD</a>"},
		{"UTF-8 header, invalid body, unknown declaration", latin1(`<?xml version="1.0" encoding="x-bogus"?><a>Café</a>`), "text/xml; charset=utf-8", `<?xml version="1.0"?><a>Caf` + "\uFFFD</a>"},
		{"doubled UTF-8 BOM", "\xEF\xBB\xBF\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>Café</a>", "", `<?xml version="1.0" encoding="UTF-8"?><a>Café</a>`},
		{"tripled UTF-8 BOM", "\xEF\xBB\xBF\xEF\xBB\xBF\xEF\xBB\xBF<a/>", "", "<a/>"},
		{"doubled UTF-16LE BOM", "\xFF\xFE" + utf16le("\uFEFF<a>Café</a>"), "", "<a>Café</a>"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.body)
			orig := bytes.Clone(in)
			got, err := ToUTF8(in, tt.contentType)
			if err != nil {
				t.Fatalf("ToUTF8: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if !utf8.Valid(got) {
				t.Errorf("result is not valid UTF-8")
			}
			if !bytes.Equal(in, orig) {
				t.Errorf("input modified")
			}
		})
	}
}
