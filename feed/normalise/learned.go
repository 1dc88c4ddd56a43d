package normalise

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/tributary/tributary/feed"
)

// Boilerplate a source repeats in every item (an author bio, a newsletter
// plug, a share row worded its own way) is learned from the items
// themselves: a line of text that recurs across enough of one feed's items
// is not part of any one article.
const (
	// learnMinItems and learnShare: a line is learned when it appears in at
	// least this many items and this share of the feed's items. Three
	// items rule out coincidence (two posts quoting the same sentence);
	// 30% still catches a bio that only one author of a group blog carries.
	learnMinItems = 3
	learnShare    = 0.3
	// learnMinWords keeps short recurring lines ("Photo:", "Update:") in the
	// text: they are too short to distort a fingerprint.
	learnMinWords = 4
	// learnKeep bounds what is remembered per source.
	learnKeep = 64
)

// LearnBoilerplate removes from each article's Text the lines that recur
// across the feed's articles, and the lines learned from earlier fetches of
// the same source (known, as returned by a previous call). It returns the
// lines learned so far, as hashes, newest first, for the next call.
// Content is left as published: this only keeps boilerplate out of the
// texts that identify articles. articles must be every item of the feed:
// the share of items a line recurs in decides.
func LearnBoilerplate(articles []feed.Article, known []string) []string {
	// Each line is hashed once: the hashes are both counted and, below,
	// looked up to remove the lines learned.
	hashes := lineHashes(articles)
	counts := map[string]int{}
	for _, hs := range hashes {
		seen := map[string]bool{}
		for _, h := range hs {
			if h != "" && !seen[h] {
				seen[h] = true
				counts[h]++
			}
		}
	}
	learned := []string{}
	threshold := max(learnMinItems, int(learnShare*float64(len(articles))+0.999))
	for h, n := range counts {
		if n >= threshold {
			learned = append(learned, h)
		}
	}
	boiler := map[string]bool{}
	for _, h := range learned {
		boiler[h] = true
	}
	for _, h := range known {
		if !boiler[h] && len(learned) < learnKeep {
			boiler[h] = true
			learned = append(learned, h)
		}
	}
	if len(boiler) == 0 {
		return nil
	}
	strip(articles, hashes, boiler)
	return learned
}

// StripBoilerplate removes from each article's Text the lines learned
// earlier (known, as LearnBoilerplate returned them) and learns nothing:
// for some of a feed's items, whose recurring lines say nothing of the
// feed's.
func StripBoilerplate(articles []feed.Article, known []string) {
	if len(known) == 0 {
		return
	}
	boiler := make(map[string]bool, len(known))
	for _, h := range known {
		boiler[h] = true
	}
	strip(articles, lineHashes(articles), boiler)
}

// lineHashes hashes the lines of each article's Text; a line too short to
// be learned gets "".
func lineHashes(articles []feed.Article) [][]string {
	hashes := make([][]string, len(articles))
	for i := range articles {
		lines := strings.Split(articles[i].Text, "\n")
		hs := make([]string, len(lines))
		for j, line := range lines {
			if len(strings.Fields(line)) >= learnMinWords {
				hs[j] = lineHash(line)
			}
		}
		hashes[i] = hs
	}
	return hashes
}

// strip removes the lines whose hashes are in boiler.
func strip(articles []feed.Article, hashes [][]string, boiler map[string]bool) {
	for i := range articles {
		lines := strings.Split(articles[i].Text, "\n")
		kept := lines[:0]
		for j, line := range lines {
			// A line too short to be counted was never learned, in
			// this fetch or an earlier one: its hash is "".
			if h := hashes[i][j]; h == "" || !boiler[h] {
				kept = append(kept, line)
			}
		}
		articles[i].Text = strings.Join(kept, "\n")
	}
}

// lineHash identifies a line of text whatever its case and spacing.
func lineHash(line string) string {
	sum := sha256.Sum256([]byte(strings.Join(strings.Fields(strings.ToLower(line)), " ")))
	return hex.EncodeToString(sum[:8])
}
