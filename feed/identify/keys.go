package identify

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/tributary/tributary/feed"
	"github.com/tributary/tributary/feed/normalise"
)

// MinExactWords is the shortest text that identifies an article by itself.
// Below it, identical texts are too likely to be different articles that say
// little ("Open thread.", "Photo of the day"): those are known by their links.
// Twenty words is about two sentences, the shortest excerpt planets publish.
const MinExactWords = 20

// Key prefixes; the store indexes keys as opaque strings.
const (
	prefixGUID = "guid:"
	prefixID   = "id:"
	prefixURL  = "url:"
	prefixText = "text:"
	prefixItem = "item:"
)

// Keys returns an article's identity keys, strongest first.
func Keys(a *feed.Article) []string { return keysOf(a, lowerWords(a.Text)) }

// keysOf is Keys with the article's lowerWords already split.
func keysOf(a *feed.Article, words []string) []string {
	var keys []string
	add := func(k string) {
		for _, have := range keys {
			if have == k {
				return
			}
		}
		keys = append(keys, k)
	}
	guid := strings.TrimSpace(a.GUID)
	if guid != "" {
		add(prefixGUID + a.SourceID + ":" + guid)
		switch {
		case isGlobalID(guid):
			add(prefixID + guid)
		case permalinkKey(guid) != "":
			add(permalinkKey(guid))
		}
	}
	if k := permalinkKey(a.Link); k != "" {
		add(k)
	}
	if k := textKey(words); k != "" {
		add(k)
	}
	if guid == "" && permalinkKey(a.Link) == "" {
		// Nothing published identifies the item (no GUID, no permalink):
		// what it says does, within its own source, so that each fetch
		// finds the same entry. Kept even when the text has a key, which a
		// change of how texts are split into words (CJK, 2026) can alter:
		// the item key still finds what the earlier build stored.
		add(prefixItem + a.SourceID + ":" + digest(a.Title+"\n"+a.Text))
	}
	return keys
}

// isGlobalID reports whether a GUID is unique beyond its own feed by
// construction (RFC 4151 tag URIs, URNs such as urn:uuid).
func isGlobalID(guid string) bool {
	l := strings.ToLower(guid)
	return strings.HasPrefix(l, "tag:") || strings.HasPrefix(l, "urn:")
}

// permalinkKey is the url: key of a link, or "" when the link cannot tell
// articles apart: not an absolute http(s) URL, or a site's home page, which
// feeds without permalinks put on every item.
func permalinkKey(link string) string {
	n := normalise.URL(link)
	if n == "" {
		return ""
	}
	u, err := url.Parse(n)
	if err != nil || ((u.Path == "" || u.Path == "/") && u.RawQuery == "") {
		return ""
	}
	return prefixURL + n
}

// TextKey is the text: key of an article's folded text, or "" when the text
// is too short to identify it.
func TextKey(text string) string { return textKey(lowerWords(text)) }

func textKey(words []string) string {
	if len(words) < MinExactWords {
		return ""
	}
	return prefixText + digest(strings.Join(words, " "))
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}
