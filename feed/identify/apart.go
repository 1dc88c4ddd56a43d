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
//   - audio or video files none of which is the other's, unless the
//     titles name one episode (see sameEpisodeTitle): the episodes of two
//     podcasts around their network's notice (a copy of an episode, as
//     "Show 44: title", may be hosted elsewhere);
//   - a short text (a status page's notice) published again beyond
//     nearWindow of every copy's date and first sighting, unless a date is
//     only when an item was first seen: a long text word for word is one
//     article however late its copy (a cross-post to another platform
//     months on), and an entry keeps the first date it saw, however wrong.
func apart(e *feed.Entry, a *feed.Article, words []string) bool {
	return stockText(e, a, words) ||
		len(words) < stockWords && numberedApart(e, a) ||
		otherMedia(e, a) && !slices.ContainsFunc(e.Copies, func(c feed.Copy) bool { return sameEpisodeTitle(a.Title, c.Title) }) ||
		len(words) < stockWords && lateAgain(e, a)
}

// lateAgain reports whether a, dated, comes beyond nearWindow of every
// dated copy of e, by the copy's date and by when it was first seen.
func lateAgain(e *feed.Entry, a *feed.Article) bool {
	if a.Undated {
		return false
	}
	return !slices.ContainsFunc(e.Copies, func(c feed.Copy) bool {
		return c.Undated || withinWindow(a.Published, c.Published) || withinWindow(a.Published, c.FirstSeen)
	})
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

// sameEpisodeTitle reports whether two titles can name one episode: they
// share a part that says what it is about ("Hedges in winter" in "#44 –
// Hedges in winter" and "The Garden Hour: Hedges in winter"), or one's
// words hold the other's, which says more than a number and a word that
// shows use for every episode ("Episode 44", "Trailer", "Bonus").
func sameEpisodeTitle(a, b string) bool {
	pa, pb := titleParts(a), titleParts(b)
	for _, p := range pa {
		if len(p) < 2 || !informative(p) || !slices.ContainsFunc(pb, func(q []string) bool { return slices.Equal(p, q) }) {
			continue
		}
		// The part is the episode's, not the show's ("The Garden Hour:
		// hedges" and "The Garden Hour: roses"), when one title says
		// nothing else.
		saysOnly := func(parts [][]string) bool {
			return !slices.ContainsFunc(parts, func(q []string) bool { return !slices.Equal(p, q) && informative(q) })
		}
		if saysOnly(pa) || saysOnly(pb) {
			return true
		}
	}
	wa, wb := episodeWords(a), episodeWords(b)
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	return len(wa) > 0 && informative(wa) && !slices.ContainsFunc(wa, func(w string) bool { return !slices.Contains(wb, w) })
}

// titleParts splits a title at the separators blogs and shows add
// (titleSeparators), each part as episodeWords.
func titleParts(title string) [][]string {
	parts := splitTitle(title)
	out := make([][]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, episodeWords(p))
	}
	return out
}

// episodeWords are a title's words, "#44" read as "44".
func episodeWords(title string) []string {
	words := titleWords(title)
	for i, w := range words {
		words[i] = strings.TrimPrefix(w, "#")
	}
	return words
}

// informative reports whether words say more than a number and the words
// shows title every episode with.
func informative(words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool {
		return !stopWords[w] && !episodeStock[w] && strings.Trim(w, "0123456789") != ""
	})
}

// episodeStock are the words shows put in the titles of any episode.
var episodeStock = map[string]bool{
	"episode": true, "ep": true, "episodes": true, "part": true, "chapter": true, "trailer": true,
	"teaser": true, "bonus": true, "special": true, "mailbag": true, "live": true, "update": true,
	"season": true, "show": true, "podcast": true, "minisode": true, "rerun": true, "encore": true, "no": true,
}

// numberPattern is a number as titles write it, a version's dots and a
// thousands separator included ("1.3.0", "1,000"), but not a list's comma
// ("27, 2026").
var numberPattern = regexp.MustCompile(`[0-9]+(?:[.,][0-9]+)*`)

// titleNumbers returns the numbers a title names as words of their own
// ("Episode 44", "#41", "v1.3.0"; not the 3 and 4 of "S03E04"), canonical:
// leading zeros, thousands separators and a version's trailing ".0"
// dropped, so that "044", "1,000" and "1.22.0" meet "44", "1000" and
// "1.22"; a date's parts ("27.11.2026", "2026-11-27") each a number.
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
		if parts := strings.Split(n, "."); len(parts) == 3 && len(parts[2]) == 4 {
			// A date, day first: its parts, as "2026-11-27" gives them.
			for _, p := range parts {
				out = append(out, trimZeros(p))
			}
			continue
		}
		if strings.Contains(n, ",") && !strings.Contains(n, ".") {
			n = strings.ReplaceAll(n, ",", "")
		}
		for strings.HasSuffix(n, ".0") {
			n = strings.TrimSuffix(n, ".0")
		}
		out = append(out, trimZeros(n))
		if thousands(n) {
			// "1.000" may be a thousand, as German writes it.
			out = append(out, trimZeros(strings.ReplaceAll(n, ".", "")))
		}
	}
	return out
}

// thousands reports whether n is written as dot-separated thousands
// ("1.000", "12.500.000").
func thousands(n string) bool {
	parts := strings.Split(n, ".")
	if len(parts) < 2 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// trimZeros drops a number's leading zeros: "044" is "44", "00.1" is
// "0.1", "0" stays "0".
func trimZeros(n string) string {
	t := strings.TrimLeft(n, "0")
	if t == "" || t[0] == '.' || t[0] == ',' {
		return "0" + t
	}
	return t
}

// otherMedia reports whether both a and e attach audio or video and no
// file of a's is one of e's: by name (a copy may link the file through
// another host, a measurement prefix, or a redirect that names it in its
// query), or by length in bytes (one that can be a file's, not a
// placeholder). Hosts that give every file one name
// ("default.mp3") tell nothing.
func otherMedia(e *feed.Entry, a *feed.Article) bool {
	mine, theirs := mediaFiles(a.Enclosures), mediaFiles(e.Enclosures)
	if len(mine) == 0 || len(theirs) == 0 {
		return false
	}
	for _, m := range mine {
		for _, t := range theirs {
			if m.generic || t.generic || m.length >= minMediaLength && m.length == t.length || slices.ContainsFunc(m.names, func(n string) bool { return slices.Contains(t.names, n) }) {
				return false
			}
		}
	}
	return true
}

// minMediaLength is the least length in bytes that tells an audio or
// video file: feeds fill the field with placeholders ("0", "1234") as
// often as with the file's size, and an episode is megabytes.
const minMediaLength = 1 << 20

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
		f := mediaFile{length: x.Length}
		// A redirect naming the file in its query ("/r?u=…/ep44.mp3"):
		// that file, not the redirect's own path, which every episode
		// shares.
		for _, vs := range u.Query() {
			for _, v := range vs {
				if q, err := url.Parse(v); err == nil && q.Host != "" {
					if n := fileName(q.Path); mediaExtensions[path.Ext(n)] {
						f.names = append(f.names, n)
					}
				}
			}
		}
		if len(f.names) == 0 {
			f.names = []string{name}
		}
		for _, n := range f.names {
			f.generic = f.generic || genericMedia[strings.TrimSuffix(n, path.Ext(n))]
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
