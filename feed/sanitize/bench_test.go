package sanitize

import (
	"strings"
	"testing"
)

// benchHTML is about 3 KB of typical blog post HTML.
func benchHTML() string {
	para := `<p>Tributary collapses <a href="https://example.com/x" target="_blank">cross-posted</a> copies ` +
		`of the same article into one entry, with <em>emphasis</em>, <strong>strength</strong>, ` +
		`<code>code</code> and an image <img src="https://example.com/i.png" alt="An image" width="600" height="400">.</p>` +
		`<ul><li>one</li><li>two</li></ul>`
	s := strings.Repeat(para, 3000/len(para)+1)
	return s + `<img src="https://pixel.wp.com/g.gif?b=1" width="1" height="1">`
}

func BenchmarkHTML(b *testing.B) {
	p := New()
	in := benchHTML()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		p.HTML(in)
	}
}

// BenchmarkBluemonday is the reference: the UGC policy alone.
func BenchmarkBluemonday(b *testing.B) {
	p := New()
	in := benchHTML()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		p.bm.Sanitize(in)
	}
}
