package identify

import (
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tributary/tributary/feed"
)

// apart reports whether article a (words, its lowerWords), whose text
// entry e has word for word or nearly, is nevertheless another post, by
// what else the two publish. A post lost in another's entry is worse than
// an article shown twice, so each test below is evidence that real copies
// do not give:
//   - stockText: short texts under titles that share no word;
//   - short texts under numbered titles that share no number ("v1.3.0"
//     and "v0.9.0"): a bot's release notes in two repositories (a long
//     article's copy may write a number its own way, "27.11.2026");
//   - audio or video files none of which is the other's, under titles
//     neither of which holds the other: the episodes of two podcasts
//     around their network's notice (a copy of an episode under its own
//     title, or "Show: title", may be hosted elsewhere);
//   - a text published again beyond nearWindow (a status page's notice, a
//     yearly announcement), as for the near-duplicate rules, unless a
//     date is only when an item was first seen.
func apart(e *feed.Entry, a *feed.Article, words []string) bool {
	return stockText(e, a, words) ||
		len(words) < stockWords && numberedApart(e, a) ||
		otherMedia(e, a) && !slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return titleWithin(a.Title, c.Title) }) ||
		!withinWindow(e, a) && !a.Undated && !slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return c.Undated })
}

// numberedApart reports whether a's title and the title of every titled
// copy of e each carry numbers, none of them the same.
func numberedApart(e *feed.Entry, a *feed.Article) bool {
	mine := titleNumbers(a.Title)
	if len(mine) == 0 {
		return false
	}
	titled := false
	for _, c := range e.Copies {
		if c.Title == "" {
			continue
		}
		theirs := titleNumbers(c.Title)
		if len(theirs) == 0 || slices.ContainsFunc(mine, func(n string) bool { return slices.Contains(theirs, n) }) {
			return false
		}
		titled = true
	}
	return titled
}

// titleWithin reports whether one title's words hold all the other's ("Hedges
// in winter", "The Garden Hour: Hedges in winter").
func titleWithin(a, b string) bool {
	wa, wb := wordSet(titleWords(a)), wordSet(titleWords(b))
	if len(wa) == 0 || len(wb) == 0 {
		return false
	}
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	for w := range wa {
		if !wb[w] {
			return false
		}
	}
	return true
}

// numberPattern is a number as titles write it, a version's dots and a
// thousands separator included ("1.3.0", "1,000"), but not a list's comma
// ("27, 2026").
var numberPattern = regexp.MustCompile(`[0-9]+(?:[.,][0-9]+)*`)

// titleNumbers returns the numbers a title names as words of their own
// ("Episode 44", "#41", "v1.3.0"; not "S03E04" or "COVID-19"'s 19 is, the
// word "COVID" aside), canonical: leading zeros, thousands separators and
// a version's trailing ".0" dropped, so that "044", "1,000" and "1.22.0"
// meet "44", "1000" and "1.22".
func titleNumbers(title string) []string {
	var out []string
	for _, m := range numberPattern.FindAllStringIndex(title, -1) {
		before, after := title[:m[0]], title[m[1]:]
		if b, ok := strings.CutSuffix(before, "v"); ok {
			before = b
		} else if b, ok := strings.CutSuffix(before, "V"); ok {
			before = b
		}
		if r, _ := utf8.DecodeLastRuneInString(before); before != "" && unicode.IsLetter(r) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(after); after != "" && unicode.IsLetter(r) {
			continue
		}
		n := title[m[0]:m[1]]
		if strings.Count(n, ",") > 0 && !strings.Contains(n, ".") {
			n = strings.ReplaceAll(n, ",", "")
		}
		for strings.HasSuffix(n, ".0") && strings.Count(n, ".") > 1 {
			n = strings.TrimSuffix(n, ".0")
		}
		if t := strings.TrimLeft(n, "0"); t != "" && t[0] != '.' && t[0] != ',' {
			n = t
		} else if t == "" {
			n = "0"
		}
		out = append(out, n)
	}
	return out
}

// otherMedia reports whether both a and e attach audio or video and no
// file of a's is one of e's: by name (a copy may link the file through
// another host, a measurement prefix, or a redirect that names it in its
// query), or by length in bytes. Hosts that give every file one name
// ("default.mp3") tell nothing.
func otherMedia(e *feed.Entry, a *feed.Article) bool {
	mine, theirs := mediaFiles(a.Enclosures), mediaFiles(e.Enclosures)
	if len(mine) == 0 || len(theirs) == 0 {
		return false
	}
	for _, m := range mine {
		for _, t := range theirs {
			if m.generic || t.generic || m.length > 0 && m.length == t.length || slices.ContainsFunc(m.names, func(n string) bool { return slices.Contains(t.names, n) }) {
				return false
			}
		}
	}
	return true
}

// mediaExtensions are the file types of audio and video attachments whose
// enclosure gives no type.
var mediaExtensions = map[string]bool{
	".mp3": true, ".m4a": true, ".aac": true, ".ogg": true, ".oga": true, ".opus": true, ".wav": true,
	".flac": true, ".mp4": true, ".m4v": true, ".mov": true, ".webm": true, ".mkv": true,
}

// genericMedia are file names (without extension) that podcast hosts give
// every episode's file, the episode being named by the path before it.
var genericMedia = map[string]bool{
	"default": true, "media": true, "audio": true, "episode": true, "file": true, "download": true,
	"stream": true, "index": true, "video": true, "master": true, "play": true,
}

// mediaFile is an audio or video attachment as otherMedia compares them.
type mediaFile struct {
	names   []string // the path's file name, and those of URLs in its query
	length  int64
	generic bool
}

// mediaFiles returns the audio and video attachments of encs.
func mediaFiles(encs []feed.Enclosure) []mediaFile {
	var out []mediaFile
	for _, x := range encs {
		u, err := url.Parse(x.URL)
		if err != nil {
			continue
		}
		name := fileName(u.Path)
		t := strings.ToLower(x.Type)
		if name == "" || !strings.HasPrefix(t, "audio/") && !strings.HasPrefix(t, "video/") && (t != "" || !mediaExtensions[path.Ext(name)]) {
			continue
		}
		f := mediaFile{names: []string{name}, length: x.Length, generic: genericMedia[strings.TrimSuffix(name, path.Ext(name))]}
		for _, vs := range u.Query() {
			for _, v := range vs {
				if q, err := url.Parse(v); err == nil && q.Host != "" {
					if n := fileName(q.Path); n != "" {
						f.names = append(f.names, n)
					}
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// fileName is the last segment of a URL path, lowercased; "" for none.
func fileName(p string) string {
	name := strings.ToLower(path.Base(p))
	if name == "/" || name == "." {
		return ""
	}
	return name
}
