package parse

import (
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// validText makes every string of f that Tributary reads valid UTF-8,
// invalid bytes becoming U+FFFD as in ToUTF8.
//
// The body is valid UTF-8 before gofeed sees it, but gofeed decodes the
// base64 of any Atom element typed as binary (<id type="image/png">, an
// author's <name>, a link): raw bytes that would reach storage keys and
// every rendered document. fixAtom drops such text constructs; this is the
// guarantee for the rest.
func validText(f *gofeed.Feed) {
	fix := func(ss ...*string) {
		for _, s := range ss {
			if !utf8.ValidString(*s) {
				*s = strings.ToValidUTF8(*s, "\uFFFD")
			}
		}
	}
	each := func(ss []string) {
		for i := range ss {
			fix(&ss[i])
		}
	}
	persons := func(one *gofeed.Person, many []*gofeed.Person) {
		for _, p := range append([]*gofeed.Person{one}, many...) {
			if p != nil {
				fix(&p.Name, &p.Email)
			}
		}
	}
	image := func(img *gofeed.Image) {
		if img != nil {
			fix(&img.URL, &img.Title)
		}
	}
	custom := func(m map[string]string) {
		for k, v := range m {
			if !utf8.ValidString(v) {
				m[k] = strings.ToValidUTF8(v, "\uFFFD")
			}
		}
	}
	fix(&f.Title, &f.Description, &f.Link, &f.FeedLink, &f.Updated, &f.Published, &f.Language, &f.Copyright, &f.Generator)
	each(f.Links)
	each(f.Categories)
	persons(f.Author, f.Authors)
	image(f.Image)
	custom(f.Custom)
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		fix(&it.Title, &it.Description, &it.Content, &it.Link, &it.Updated, &it.Published, &it.GUID)
		each(it.Links)
		each(it.Categories)
		persons(it.Author, it.Authors)
		image(it.Image)
		for _, e := range it.Enclosures {
			if e != nil {
				fix(&e.URL, &e.Length, &e.Type)
			}
		}
		custom(it.Custom)
	}
}
