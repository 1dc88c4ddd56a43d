package identify

import (
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/tributary/tributary/feed"
)

// apart reports whether article a (words, its lowerWords), whose text
// entry e has word for word or nearly, is nevertheless another post, by
// what else the two publish. A post lost in another's entry is worse than
// an article shown twice, so each test below is evidence that real copies
// do not give:
//   - stockText: short texts under titles that share no word;
//   - numbered titles that share no number ("Episode 44" and "12:
//     Sourdough", "v1.3.0" and "v0.9.0"): a network's notice around short
//     show notes, a bot's release notes in two repositories;
//   - audio or video attachments of which none is the other's file: the
//     episodes of two podcasts;
//   - a short text (a status notice) published again long after: copies of
//     one article appear within nearWindow of each other, and a long
//     article reposted later is still that article, a short notice is
//     another incident.
func apart(e *feed.Entry, a *feed.Article, words []string) bool {
	return stockText(e, a, words) || numberedApart(e, a) || otherMedia(e, a) ||
		len(words) < stockWords && !withinWindow(e, a)
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

// numberPattern is a number as titles write it, a version's dots and a
// thousands separator included ("1.3.0", "1,000"), but not a list's comma
// ("27, 2026").
var numberPattern = regexp.MustCompile(`[0-9]+(?:[.,][0-9]+)*`)

// titleNumbers returns the numbers in a title, leading zeros dropped
// ("Episode 044" is episode 44).
func titleNumbers(title string) []string {
	found := numberPattern.FindAllString(title, -1)
	for i, n := range found {
		if t := strings.TrimLeft(n, "0"); t != "" && t[0] != '.' && t[0] != ',' {
			found[i] = t
		}
	}
	return found
}

// otherMedia reports whether both a and e attach audio or video and no
// file of a's is one of e's, by name: a copy of an episode links the same
// file, if through another host or a measurement prefix.
func otherMedia(e *feed.Entry, a *feed.Article) bool {
	mine, theirs := mediaFiles(a.Enclosures), mediaFiles(e.Enclosures)
	if len(mine) == 0 || len(theirs) == 0 {
		return false
	}
	return !slices.ContainsFunc(mine, func(f string) bool { return slices.Contains(theirs, f) })
}

// mediaExtensions are the file types of audio and video attachments whose
// enclosure gives no type.
var mediaExtensions = map[string]bool{
	".mp3": true, ".m4a": true, ".aac": true, ".ogg": true, ".oga": true, ".opus": true, ".wav": true,
	".flac": true, ".mp4": true, ".m4v": true, ".mov": true, ".webm": true, ".mkv": true,
}

// mediaFiles returns the file names of the audio and video attachments.
func mediaFiles(encs []feed.Enclosure) []string {
	var out []string
	for _, x := range encs {
		u, err := url.Parse(x.URL)
		if err != nil {
			continue
		}
		name := strings.ToLower(path.Base(u.Path))
		t := strings.ToLower(x.Type)
		if name == "" || name == "/" || name == "." {
			continue
		}
		if strings.HasPrefix(t, "audio/") || strings.HasPrefix(t, "video/") || t == "" && mediaExtensions[path.Ext(name)] {
			out = append(out, name)
		}
	}
	return out
}
