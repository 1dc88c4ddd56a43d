package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"

	"github.com/gorilla/feeds"
	"golang.org/x/net/html"
)

// jsonItem adds language, the _tributary extension and attachments with
// 64-bit sizes under the name the spec gives them (gorilla's are int32).
type jsonItem struct {
	*feeds.JSONItem
	Language    string           `json:"language,omitempty"`
	Attachments []jsonAttachment `json:"attachments,omitempty"`
	Tributary   *jsonExtension   `json:"_tributary,omitempty"`
}

// jsonAttachment is not gorilla's: embedding that one would promote its
// MarshalJSON and drop every field added next to it.
type jsonAttachment struct {
	URL      string `json:"url"`
	MIMEType string `json:"mime_type"`
	Size     int64  `json:"size_in_bytes,omitempty"`
}

// jsonExtension is the "_tributary" object documented in doc.go.
type jsonExtension struct {
	Original        *jsonOriginal `json:"original,omitempty"`
	AlsoPublishedAt []jsonCopy    `json:"also_published_at,omitempty"`
	Share           []jsonShare   `json:"share,omitempty"`
}

type jsonOriginal struct {
	Source  string `json:"source"`
	FeedURL string `json:"feed_url,omitempty"`
	SiteURL string `json:"site_url,omitempty"`
	URL     string `json:"url,omitempty"`
}

type jsonCopy struct {
	Source string `json:"source"`
	URL    string `json:"url,omitempty"`
}

type jsonShare struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// writeJSON writes the feed object and then each item on a line of its own:
// compact JSON (indenting doubles the cost of encoding) that still diffs
// item by item. The items list is always written, empty or not, as the spec
// requires it.
func writeJSON(w *bufio.Writer, p Page, items []item) error {
	head := &feeds.JSONFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       p.Title,
		Language:    p.Language,
		HomePageUrl: p.AlternateURL,
		// feed_url identifies the feed: on every page of a paged feed it
		// is the subscription document (First), as the spec asks.
		FeedUrl:     p.SelfURL,
		Description: p.Description,
		NextUrl:     p.Next,
	}
	if p.First != "" {
		head.FeedUrl = p.First
	}
	if p.Author != "" {
		// The deprecated single author too: 1.0 readers, and some 1.1 ones,
		// read only that.
		head.Author = &feeds.JSONAuthor{Name: p.Author}
		head.Authors = []*feeds.JSONAuthor{head.Author}
	}
	for _, h := range p.Hubs {
		head.Hubs = append(head.Hubs, &feeds.JSONHub{Type: "WebSub", Url: h})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// HTML-escaping would turn every "<" of content_html into \u003c:
	// bigger and harder to read, and the document is never inlined in HTML.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(head); err != nil {
		return err
	}
	// The head is an object with no items: reopen it to append them.
	obj := bytes.TrimSuffix(bytes.TrimRight(buf.Bytes(), "\n"), []byte("}"))
	if _, err := w.Write(obj); err != nil {
		return err
	}
	if _, err := w.WriteString(`,"items":[` + "\n"); err != nil {
		return err
	}
	for i := range items {
		if i > 0 {
			if err := w.WriteByte(','); err != nil {
				return err
			}
		}
		buf.Reset()
		if err := enc.Encode(newJSONItem(&items[i])); err != nil {
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	_, err := w.WriteString("]}\n")
	return err
}

func newJSONItem(it *item) *jsonItem {
	title := it.title
	if it.untitled {
		title = "" // optional in JSON Feed: a note is shown as one
	}
	j := &jsonItem{
		JSONItem: &feeds.JSONItem{
			Id:          it.id,
			Url:         it.link,
			Title:       title,
			ContentHTML: it.content,
			Summary:     plainText(it.summary),
			Image:       it.image,
			Tags:        it.categories,
		},
		Language: it.lang,
	}
	if !it.published.IsZero() {
		j.PublishedDate = &it.published
	}
	j.ModifiedDate = &it.updated
	if it.author != "" {
		j.Author = &feeds.JSONAuthor{Name: it.author}
		j.Authors = []*feeds.JSONAuthor{j.Author}
	}
	for _, enc := range it.enclosures {
		typ := enc.Type
		if typ == "" {
			typ = "application/octet-stream" // mime_type is required
		}
		j.Attachments = append(j.Attachments, jsonAttachment{URL: enc.URL, MIMEType: typ, Size: max(enc.Length, 0)})
	}
	ext := &jsonExtension{}
	if o := it.orig; o != nil {
		ext.Original = &jsonOriginal{Source: o.name, FeedURL: o.feedURL, SiteURL: o.siteURL, URL: o.link}
	}
	for _, o := range it.others {
		ext.AlsoPublishedAt = append(ext.AlsoPublishedAt, jsonCopy{Source: o.name, URL: o.link})
	}
	for _, s := range it.share {
		ext.Share = append(ext.Share, jsonShare{Name: s.Name, URL: s.URL})
	}
	if ext.Original != nil || ext.Share != nil {
		j.Tributary = ext
	}
	return j
}

// plainText returns the text of an HTML fragment with whitespace collapsed:
// JSON Feed's summary is plain text, and ours is HTML.
func plainText(frag string) string {
	if frag == "" {
		return ""
	}
	if !strings.ContainsAny(frag, "<&") {
		return strings.Join(strings.Fields(frag), " ")
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(frag))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			// Block boundaries separate words; collapsing removes extras.
			b.WriteByte(' ')
		}
	}
}
