// Package sanitize makes untrusted HTML from feeds safe to republish.
//
// Contract: the output of Policy.HTML holds no script, event handler, style
// attribute or element, javascript:, vbscript: or data: URL, iframe, object,
// embed, form, base, meta or SVG element: it is bluemonday's user-generated
// content policy with images, figures, tables, lists, headings, quotes and
// code kept. Every link gets rel="nofollow noopener noreferrer" (whatever rel
// it had is replaced), tracking pixels are removed (images of at most 1×1
// pixels and images served by a short list of well-known tracker hosts), and
// images without a usable src (a data: URL, say) go with them.
//
// The output is balanced: bluemonday's result is parsed as an HTML fragment
// (golang.org/x/net/html) and rendered again, so elements the input left
// open are closed and cannot swallow whatever a page shows after an entry.
// Void elements are written XML-style (<br/>, <img …/>). Markup nested
// deeper than that parser accepts (512 elements) is reduced to its text.
//
// Policy.Fragment returns, with the result, the parsed tree it was rendered
// from, so that a caller reading the result's text (feed/normalise) need not
// parse it a third time.
//
// Sanitising is idempotent: HTML(HTML(s)) == HTML(s), so content can be
// sanitised again whenever it is re-read.
//
// Caveats: the output is a fragment meant for an element's content, not a
// document. Relative URLs are kept as they are; making them absolute is the
// caller's job (before sanitising: a relative URL resolved afterwards is not
// re-checked). id attributes are kept (footnote links need them), so a page
// showing several entries may carry duplicate ids. Text outside allowed
// elements is kept, escaped, with the element dropped.
package sanitize
