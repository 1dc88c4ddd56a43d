package parse

import (
	"bytes"
	"strings"
)

// xmlDecl locates an XML declaration (<?xml version="1.0" encoding="…"?>)
// inside a body, as byte offsets.
type xmlDecl struct {
	start, end int // the whole declaration, "<?xml" to "?>" included
	// valStart and valEnd span the encoding's value without its quotes;
	// valStart is -1 when the declaration names no encoding.
	valStart, valEnd int
}

// findXMLDecl finds the XML declaration at the start of b (after optional
// whitespace, which real feeds sometimes carry). It reads the encoding more
// leniently than encoding/xml does (spaces around '=' are allowed), which
// only matters for choosing how to decode.
func findXMLDecl(b []byte) (xmlDecl, bool) {
	d := xmlDecl{valStart: -1}
	i := skipSpace(b, 0)
	if !bytes.HasPrefix(b[i:], []byte("<?xml")) || i+5 >= len(b) || !isSpace(b[i+5]) {
		return d, false
	}
	end := bytes.Index(b[i:], []byte("?>"))
	if end < 0 {
		return d, false
	}
	d.start, d.end = i, i+end+2
	decl := b[:i+end]
	for j := i + 5; j < len(decl); {
		k := bytes.Index(decl[j:], []byte("encoding"))
		if k < 0 {
			break
		}
		k += j
		j = k + len("encoding")
		if !isSpace(b[k-1]) {
			continue
		}
		v := skipSpace(decl, j)
		if v >= len(decl) || b[v] != '=' {
			break
		}
		v = skipSpace(decl, v+1)
		if v >= len(decl) || (b[v] != '"' && b[v] != '\'') {
			break
		}
		q := bytes.IndexByte(decl[v+1:], b[v])
		if q < 0 {
			break
		}
		d.valStart, d.valEnd = v+1, v+1+q
		break
	}
	return d, true
}

// canonicalDecl replaces a declaration encoding/xml would act on wrongly.
const canonicalDecl = `<?xml version="1.0"?>`

// normaliseXMLDecl makes the XML declaration of a body already converted to
// UTF-8 harmless to encoding/xml, which would otherwise convert the body a
// second time from the declared encoding (or fail on a label it does not
// know) and refuses any version but 1.0. Such a declaration is replaced
// whole by a plain one; newlines inside it are kept so that syntax errors
// report true line numbers.
func normaliseXMLDecl(b []byte) []byte {
	d, ok := findXMLDecl(b)
	if !ok {
		return b
	}
	// What encoding/xml itself reads from the declaration decides.
	content := string(b[d.start+len("<?xml") : d.end-len("?>")])
	enc, ver := procInst("encoding", content), procInst("version", content)
	if (enc == "" || strings.EqualFold(enc, "utf-8")) && (ver == "" || ver == "1.0") {
		return b
	}
	decl := b[d.start:d.end]
	out := make([]byte, 0, len(b)-len(decl)+len(canonicalDecl))
	out = append(out, b[:d.start]...)
	out = append(out, canonicalDecl...)
	for range bytes.Count(decl, []byte("\n")) {
		out = append(out, '\n')
	}
	return append(out, b[d.end:]...)
}

// procInst returns the value of a pseudo-attribute of a processing
// instruction exactly as encoding/xml finds it: the first "param=" followed
// directly by a quote, anywhere in s.
func procInst(param, s string) string {
	param += "="
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], param)
		if k < 0 || i+k+len(param) >= len(s) {
			return ""
		}
		i += k + len(param) + 1
		if q := s[i-1]; q == '"' || q == '\'' {
			v, _, ok := strings.Cut(s[i:], string(q))
			if !ok {
				return ""
			}
			return v
		}
	}
	return ""
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}
