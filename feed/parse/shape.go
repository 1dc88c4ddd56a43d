package parse

import (
	"bytes"
	"fmt"
)

// maxDepth bounds element nesting. gofeed parses extension elements
// recursively, so nesting costs goroutine stack: 100,000 nested elements (a
// 1 MB body) took 33 MB of stack, 130 MiB of allocations and two seconds, and
// a few million would exceed Go's stack limit, a crash no recover() catches.
// The limit is far above real feeds, whose XHTML nests a few dozen levels,
// because encoding/xml's lenient mode also nests unclosed raw HTML (<br>,
// <p>) until the enclosing element ends.
const maxDepth = 10_000

// maxElements bounds the elements of an XML document, and maxJSONValues
// the values of a JSON one. What gofeed builds costs hundreds of bytes an
// element whatever the element holds: a 10 MB body of 1.4 million empty
// <item/> took 750 MB to parse, 1.5 million extension elements in one item
// 500 MB, and a JSON Feed of 3 million empty items 1.7 GB, so that a few
// such sources fetched at once could take the daemon down. Real feeds
// near the default 10 MiB body cap (a podcast's thousands of episodes,
// an Atom feed with XHTML content) hold well under half of these. A
// larger body (fetch.max_body raised) may hold one element per
// bytesPerElement, as real feeds do at the very least: the bound grows
// with the body, as the memory its text takes does.
const (
	maxElements      = 250_000
	maxJSONValues    = 500_000
	bytesPerElement  = 40
	bytesPerJSONItem = 20
)

// elementLimit and jsonValueLimit are the bounds for a body of n bytes.
func elementLimit(n int) int   { return max(maxElements, n/bytesPerElement) }
func jsonValueLimit(n int) int { return max(maxJSONValues, n/bytesPerJSONItem) }

// checkShape reports an error when elements in the XML body b nest deeper
// than maxDepth or number more than elementLimit. It is a lexical scan, much
// cheaper than the parse it guards: comments, CDATA sections, processing
// instructions and the doctype are skipped, and an end tag closes every
// element up to the one it names, as encoding/xml's lenient mode does; an
// end tag naming no open element is ignored.
func checkShape(b []byte) error {
	stack := make([]string, 0, 32)
	// open counts the open elements by name, so that a stray end tag is
	// recognised without searching the whole stack (quadratic on a body of
	// stray end tags). Names are interned: a feed has few distinct ones.
	open := make(map[string]int)
	names := make(map[string]string)
	elements, limit := 0, elementLimit(len(b))
	for t, ok := nextTag(b, 0); ok; t, ok = nextTag(b, t.next) {
		if !t.end && len(t.name) > 0 {
			if elements++; elements > limit {
				return fmt.Errorf("more than %d elements in %d bytes, more than any feed holds (parsing them would take gigabytes)", limit, len(b))
			}
		}
		switch {
		case t.end:
			if name, ok := names[string(t.name)]; ok && open[name] > 0 {
				for {
					top := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					open[top]--
					if top == name {
						break
					}
				}
			}
		case len(t.name) > 0 && !t.selfClosing:
			if len(stack) == maxDepth {
				return fmt.Errorf("elements nested deeper than %d levels", maxDepth)
			}
			interned, ok := names[string(t.name)]
			if !ok {
				interned = string(t.name)
				names[interned] = interned
			}
			stack = append(stack, interned)
			open[interned]++
		}
	}
	return nil
}

// checkJSONShape reports an error when the JSON body b holds more than
// jsonValueLimit values, counted lexically: every object and array, and
// every value after a comma.
func checkJSONShape(b []byte) error {
	values, limit := 0, jsonValueLimit(len(b))
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[', ',':
			if values++; values > limit {
				return fmt.Errorf("more than %d JSON values in %d bytes, more than any feed holds (parsing them would take gigabytes)", limit, len(b))
			}
		}
	}
	return nil
}

// tag is a start or end tag found by nextTag.
type tag struct {
	end         bool // an end tag
	at          int  // the offset of its '<'
	name        []byte
	next        int  // the offset just after it
	selfClosing bool // a start tag ending "/>"
}

// nextTag returns the first start or end tag of b at or after i, skipping
// comments, CDATA sections, the doctype and processing instructions, as a
// lexical scan does: checkShape's and outline's. ok is false when there is
// none.
func nextTag(b []byte, i int) (t tag, ok bool) {
	for i < len(b) {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return tag{}, false
		}
		i += j
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i = skipPast(b, i+4, "-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			i = skipPast(b, i+9, "]]>")
		case bytes.HasPrefix(rest, []byte("<!")):
			_, i = skipDoctype(b, i)
		case bytes.HasPrefix(rest, []byte("<?")):
			i = skipPast(b, i+2, "?>")
		case bytes.HasPrefix(rest, []byte("</")):
			return tag{end: true, at: i, name: elementName(b, i+2), next: skipPast(b, i+2, ">")}, true
		default:
			name := elementName(b, i+1)
			next, selfClosing := tagEnd(b, i+1+len(name))
			return tag{at: i, name: name, next: next, selfClosing: selfClosing}, true
		}
	}
	return tag{}, false
}

// tagEnd returns the offset just after the '>' closing a start tag whose
// attributes begin at i, and whether the tag closes itself ("/>"). Quoted
// attribute values may contain '>'.
func tagEnd(b []byte, i int) (int, bool) {
	for i < len(b) {
		switch c := b[i]; c {
		case '"', '\'':
			q := bytes.IndexByte(b[i+1:], c)
			if q < 0 {
				return len(b), false
			}
			i += q + 2
		case '>':
			return i + 1, b[i-1] == '/'
		default:
			i++
		}
	}
	return len(b), false
}
