package render

import (
	"encoding/xml"
	"slices"
	"testing"
)

// The structs below name elements by namespace URI, not prefix, so decoding
// into them checks that every prefix the renderer writes is declared and
// bound to the right namespace.

type nsLink struct {
	Href   string `xml:"href,attr"`
	Rel    string `xml:"rel,attr"`
	Type   string `xml:"type,attr"`
	Title  string `xml:"title,attr"`
	Length string `xml:"length,attr"`
}

type nsAtomFeed struct {
	XMLName xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string        `xml:"http://www.w3.org/2005/Atom id"`
	Author  string        `xml:"http://www.w3.org/2005/Atom author>name"`
	Links   []nsLink      `xml:"http://www.w3.org/2005/Atom link"`
	Entries []nsAtomEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type nsAtomEntry struct {
	Lang       string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID         string `xml:"http://www.w3.org/2005/Atom id"`
	Published  string `xml:"http://www.w3.org/2005/Atom published"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"http://www.w3.org/2005/Atom category"`
	Links  []nsLink `xml:"http://www.w3.org/2005/Atom link"`
	Source *struct {
		ID      string   `xml:"http://www.w3.org/2005/Atom id"`
		Title   string   `xml:"http://www.w3.org/2005/Atom title"`
		Updated string   `xml:"http://www.w3.org/2005/Atom updated"`
		Links   []nsLink `xml:"http://www.w3.org/2005/Atom link"`
	} `xml:"http://www.w3.org/2005/Atom source"`
	Thumbnail struct {
		URL string `xml:"url,attr"`
	} `xml:"http://search.yahoo.com/mrss/ thumbnail"`
	Content struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	} `xml:"http://www.w3.org/2005/Atom content"`
	Summary *struct {
		Body string `xml:",chardata"`
	} `xml:"http://www.w3.org/2005/Atom summary"`
}

func (e nsAtomEntry) links(rel string) []nsLink {
	var out []nsLink
	for _, l := range e.Links {
		if l.Rel == rel {
			out = append(out, l)
		}
	}
	return out
}

func TestAtomNamespaces(t *testing.T) {
	p := testPage(Atom)
	p.Hubs = append(p.Hubs, "https://hub2.example.net/")
	p.Prev = "https://feeds.example.org/feed.atom?page=0"
	var doc nsAtomFeed
	out := render(t, Atom, p, append(unifiedEntries(), trickyEntries()...), testOptions())
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if doc.ID != p.SelfURL {
		t.Errorf("feed id = %q, want SelfURL %q", doc.ID, p.SelfURL)
	}
	var rels []string
	for _, l := range doc.Links {
		rels = append(rels, l.Rel+" "+l.Href)
	}
	wantRels := []string{
		"self https://feeds.example.org/feed.atom",
		"alternate https://example.org/",
		"hub https://hub.example.net/",
		"hub https://hub2.example.net/",
		"prev https://feeds.example.org/feed.atom?page=0",
		"next https://feeds.example.org/feed.atom?page=2",
	}
	if !slices.Equal(rels, wantRels) {
		t.Errorf("feed links:\n got %q\nwant %q", rels, wantRels)
	}
	if doc.Author != "Ada Lovelace" {
		t.Errorf("feed author = %q", doc.Author)
	}

	byID := map[string]nsAtomEntry{}
	for _, e := range doc.Entries {
		byID[e.ID] = e
	}
	tests := []struct {
		id, lang, published, thumbnail string
		terms                          []string
		sourceID, sourceTitle          string
		sourceLinks                    []nsLink
		via                            []nsLink
		enclosures                     []nsLink
		summary                        bool
	}{
		{
			id: "e3", lang: "en", published: "2025-03-12T08:30:00Z", thumbnail: "https://ada.example.com/engine.jpg",
			terms:    []string{"computing", "history"},
			sourceID: "https://ada.example.com/feed.xml", sourceTitle: "Ada's Blog",
			sourceLinks: []nsLink{
				{Rel: "self", Href: "https://ada.example.com/feed.xml"},
				{Rel: "alternate", Type: "text/html", Href: "https://ada.example.com/"},
			},
			via:     []nsLink{{Rel: "via", Href: "https://medium.example.net/@ada/notes-1234", Title: "Ada on Medium"}},
			summary: true,
		},
		{
			id: "e2", published: "2025-03-10T07:30:00Z", terms: []string{"podcast"},
			sourceID: "https://ada.example.com/feed.xml", sourceTitle: "Ada's Blog",
			sourceLinks: []nsLink{
				{Rel: "self", Href: "https://ada.example.com/feed.xml"},
				{Rel: "alternate", Type: "text/html", Href: "https://ada.example.com/"},
			},
			enclosures: []nsLink{{Rel: "enclosure", Type: "audio/mpeg", Length: "31415926", Href: "https://cdn.example.com/ep7.mp3"}},
		},
		{
			id: "t1", lang: "fr-CA", published: "2025-03-05T05:30:00Z",
			terms:    []string{"C&C", "a<b>", "ünïcödé"},
			sourceID: "https://ada.example.com/feed.xml", sourceTitle: "Ada's Blog",
			sourceLinks: []nsLink{
				{Rel: "self", Href: "https://ada.example.com/feed.xml"},
				{Rel: "alternate", Type: "text/html", Href: "https://ada.example.com/"},
			},
			via: []nsLink{
				{Rel: "via", Href: "https://dev.example.io/ada/creme", Title: "DEV <Community>"},
				{Rel: "via", Href: "https://ada.hashnode.example/creme?x=1&y=2", Title: `Ada's "Hashnode"`},
			},
		},
		{
			id: "t2", published: "2025-03-04T04:30:00Z",
			sourceID: "https://anon.example.org/atom.xml", sourceTitle: "anon.example.org",
			sourceLinks: []nsLink{{Rel: "self", Href: "https://anon.example.org/atom.xml"}},
			enclosures: []nsLink{
				{Rel: "enclosure", Href: "https://cdn.example.com/file.bin"},
				{Rel: "enclosure", Type: "image/jpeg", Length: "12345", Href: "https://cdn.example.com/photo.jpg"},
			},
			summary: true,
		},
		{id: "t4"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			e, ok := byID["https://feeds.example.org/entries/"+tt.id]
			if !ok {
				t.Fatalf("entry not found")
			}
			if e.Lang != tt.lang {
				t.Errorf("xml:lang = %q, want %q", e.Lang, tt.lang)
			}
			if e.Published != tt.published {
				t.Errorf("published = %q, want %q", e.Published, tt.published)
			}
			if e.Thumbnail.URL != tt.thumbnail {
				t.Errorf("media:thumbnail = %q, want %q", e.Thumbnail.URL, tt.thumbnail)
			}
			var terms []string
			for _, c := range e.Categories {
				terms = append(terms, c.Term)
			}
			if !slices.Equal(terms, tt.terms) {
				t.Errorf("category terms = %q, want %q", terms, tt.terms)
			}
			switch {
			case tt.sourceID == "" && e.Source != nil:
				t.Errorf("unexpected atom:source %+v", *e.Source)
			case tt.sourceID != "" && e.Source == nil:
				t.Errorf("no atom:source")
			case e.Source != nil:
				if e.Source.ID != tt.sourceID || e.Source.Title != tt.sourceTitle || e.Source.Updated == "" {
					t.Errorf("atom:source = %+v", *e.Source)
				}
				if !slices.Equal(e.Source.Links, tt.sourceLinks) {
					t.Errorf("atom:source links = %+v, want %+v", e.Source.Links, tt.sourceLinks)
				}
			}
			if got := e.links("via"); !slices.Equal(got, tt.via) {
				t.Errorf("via links = %+v, want %+v", got, tt.via)
			}
			if got := e.links("enclosure"); !slices.Equal(got, tt.enclosures) {
				t.Errorf("enclosure links = %+v, want %+v", got, tt.enclosures)
			}
			if e.Content.Type != "html" || e.Content.Body == "" {
				t.Errorf("content: type %q, %d bytes", e.Content.Type, len(e.Content.Body))
			}
			if (e.Summary != nil) != tt.summary {
				t.Errorf("summary present = %v, want %v", e.Summary != nil, tt.summary)
			}
		})
	}
}

type nsRSS struct {
	XMLName xml.Name `xml:"rss"`
	Links   []nsLink `xml:"http://www.w3.org/2005/Atom channel>link"`
	Items   []struct {
		GUID struct {
			IsPermaLink string `xml:"isPermaLink,attr"`
			ID          string `xml:",chardata"`
		} `xml:"guid"`
		Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
		Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		Source  struct {
			URL  string `xml:"url,attr"`
			Name string `xml:",chardata"`
		} `xml:"source"`
		Thumbnail struct {
			URL string `xml:"url,attr"`
		} `xml:"http://search.yahoo.com/mrss/ thumbnail"`
	} `xml:"channel>item"`
}

func TestRSSNamespaces(t *testing.T) {
	var doc nsRSS
	out := render(t, RSS, testPage(RSS), append(unifiedEntries(), trickyEntries()...), testOptions())
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(doc.Links) != 3 || doc.Links[0].Rel != "self" || doc.Links[0].Type != "application/rss+xml" ||
		doc.Links[1].Rel != "hub" || doc.Links[2].Rel != "next" {
		t.Errorf("atom:link elements = %+v, want self, hub, next", doc.Links)
	}
	tests := []struct {
		i                                  int
		id, creator, source, sourceURL, th string
	}{
		{0, "e3", "Ada Lovelace", "Ada's Blog", "https://ada.example.com/feed.xml", "https://ada.example.com/engine.jpg"},
		{3, "t1", "Zoë O'Brien", "Ada's Blog", "https://ada.example.com/feed.xml", ""},
		{4, "t2", "", "anon.example.org", "https://anon.example.org/atom.xml", ""},
		{6, "t4", "", "", "", ""},
	}
	for _, tt := range tests {
		it := doc.Items[tt.i]
		if it.GUID.ID != "https://feeds.example.org/entries/"+tt.id || it.GUID.IsPermaLink != "false" {
			t.Errorf("item %d: guid = %+v", tt.i, it.GUID)
		}
		if it.Creator != tt.creator {
			t.Errorf("item %d: dc:creator = %q, want %q", tt.i, it.Creator, tt.creator)
		}
		if it.Source.Name != tt.source || it.Source.URL != tt.sourceURL {
			t.Errorf("item %d: source = %+v, want %q at %q", tt.i, it.Source, tt.source, tt.sourceURL)
		}
		if it.Thumbnail.URL != tt.th {
			t.Errorf("item %d: media:thumbnail = %q, want %q", tt.i, it.Thumbnail.URL, tt.th)
		}
		if it.Content == "" {
			t.Errorf("item %d: no content:encoded", tt.i)
		}
	}
}
