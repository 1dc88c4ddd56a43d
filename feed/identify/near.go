package identify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tributary/tributary/feed"
)

// Near-duplicate rules and their thresholds. Each was chosen on the labelled
// corpus of feed/corpus (see quality_test.go in feed/ingest) and on the
// figures in shared measurements of SimHash-64 over word shingles:
// cross-posts of 400+ words differ by 2–3 bits, of about 80 words by 8–9,
// unrelated texts by 26–35.
const (
	RuleNear    = "near"    // the same text, lightly edited or reformatted
	RuleEdited  = "edited"  // an edited version under a compatible title
	RuleExcerpt = "excerpt" // the first part of the other text, same title
)

const (
	// candidateBits bounds the fingerprint distance of candidates found by
	// the banded index. Beyond 12 bits texts are no longer near-duplicates
	// of each other (unrelated texts sit at 26–35), so farther candidates
	// are not worth decoding.
	candidateBits = 12

	// maxCandidates bounds the entries compared per article, so a popular
	// title ("Open Thread") cannot make identification slow.
	maxCandidates = 16

	// minNearWords: below this texts say too little to be compared; they
	// are known by GUID, link and exact text only. Twelve words is a short
	// sentence — about the shortest excerpt planets publish.
	minNearWords = 12

	// leadWords is the length of the opening a copy and an excerpt of it
	// share; it keys the lead: candidate index. Twelve words are unique to
	// an article in practice while short enough that an excerpt cut after
	// the first sentence still has them.
	leadWords = 12

	// sameResemblance: at this shingle resemblance (Jaccard) two texts are
	// the same article whatever their titles. Verbatim copies score 1,
	// reformatted ones above 0.95; different articles sharing a long
	// boilerplate around short bodies stay below 0.6 in the corpus.
	sameResemblance = 0.8

	// editedResemblance: with compatible titles, a version with a paragraph
	// added or dropped and a few words changed scores 0.55–0.8; posts in a
	// series and articles on one topic from other outlets, which the title
	// check does not always reject, score under 0.35.
	editedResemblance = 0.5

	// excerptContainment: the share of the shorter text's shingles found in
	// the longer one for it to be an excerpt (with a compatible title). An
	// excerpt is the article's opening verbatim: 1.0, or a little less
	// where the cut falls mid-sentence.
	excerptContainment = 0.9

	// nearWindow: copies of one article appear within days of each other;
	// beyond this, texts alike enough are a republication (an anniversary
	// repost, a yearly announcement) and kept apart.
	nearWindow = 60 * 24 * time.Hour
)

// leadPrefix starts the candidate key of a text's opening words.
const leadPrefix = "lead:"

// candidateKeys are keys indexed with a copy that find candidates for the
// near-duplicate rules; unlike identity keys, finding one proves nothing.
// words are the article's lowerWords.
func candidateKeys(a *feed.Article, words []string) []string {
	var keys []string
	if len(words) >= minNearWords {
		keys = append(keys, leadPrefix+digest(strings.Join(words[:min(leadWords, len(words))], " ")))
	}
	if core := titleCore(a.Title); len(strings.Fields(core)) >= 2 {
		keys = append(keys, "title:"+core)
	}
	return keys
}

// candidateSlots is how many entries one candidate key leads to. Identity
// keys go to the first entry that claims them; a headline or an opening
// that several entries share (another writer's post under the article's
// headline, then the article) would then lead only to the first, and a
// later copy of the article would miss it. So a copy whose candidate key
// another entry holds is indexed under the key's next free slot (key|2,
// key|3, …), and a lookup asks every slot.
const candidateSlots = 4

// slotKey is slot i of candidate key k: k, then k|2, k|3, … ("|" is in
// neither a folded title, whose words keep "#", nor a digest).
func slotKey(k string, i int) string {
	if i == 0 {
		return k
	}
	return k + "|" + strconv.Itoa(i+1)
}

// claimSlots returns the keys to index a copy of entry eid under for its
// candidate keys cands: each key itself when it is free or eid's, else its
// first slot that is (the key itself when every slot is taken: indexing it
// then changes nothing).
func claimSlots(tx feed.Tx, cands []string, eid string) ([]string, error) {
	out := make([]string, 0, len(cands))
	for _, k := range cands {
		claim := k
		for i := range candidateSlots {
			owner, err := tx.Lookup(slotKey(k, i))
			if err != nil {
				return nil, fmt.Errorf("lookup %s: %w", slotKey(k, i), err)
			}
			if owner == "" || owner == eid {
				claim = slotKey(k, i)
				break
			}
		}
		out = append(out, claim)
	}
	return out, nil
}

// near looks for an entry this article is a near-duplicate of: candidates
// from the fingerprint index and the lead and title keys (cands), confirmed
// by a stricter comparison of the texts and titles. words are the article's
// lowerWords and fp their fingerprint.
func (id *Identifier) near(tx feed.Tx, srcName string, a *feed.Article, words []string, fp uint64, cands []string) (Match, error) {
	if len(words) < minNearWords {
		return Match{}, nil
	}
	var ids []string
	if fp != 0 {
		similar, err := tx.Similar(fp, candidateBits)
		if err != nil {
			return Match{}, fmt.Errorf("similar: %w", err)
		}
		ids = append(ids, similar...)
	}
	for _, k := range cands {
		// Every slot: one freed by a pruned entry leaves a gap.
		for i := range candidateSlots {
			eid, err := tx.Lookup(slotKey(k, i))
			if err != nil {
				return Match{}, fmt.Errorf("lookup %s: %w", slotKey(k, i), err)
			}
			if eid != "" && !slices.Contains(ids, eid) {
				ids = append(ids, eid)
			}
		}
	}
	if len(ids) > maxCandidates {
		ids = ids[:maxCandidates]
	}
	lead := ""
	for _, k := range cands {
		if strings.HasPrefix(k, leadPrefix) {
			lead = k
		}
	}
	var best Match
	var mine []uint64 // made for the first eligible candidate; most articles have none
	for _, eid := range ids {
		e, err := tx.Entry(eid)
		if err != nil {
			return Match{}, fmt.Errorf("entry %s: %w", eid, err)
		}
		if !eligible(e, a) || apart(e, a, words) || untitledNote(e, a, srcName, words) {
			continue
		}
		if mine == nil {
			mine = shingleSet(words)
		}
		rule, score := id.compare(a, srcName, mine, lead, e)
		if rule != "" && score > best.Score {
			best = Match{Entry: e, Rule: rule, Score: score}
		}
	}
	return best, nil
}

// eligible rules out candidates that cannot be the same article whatever
// their texts: near-duplicates within one source are posts in a series or
// a template, not copies (a blog's own edits keep their GUID or link), and
// copies appear within nearWindow of each other. (An article linking to
// another post of a copy's site was ruled out too, for a planet's excerpt
// of a monthly series; but the same post's links differ too often — www,
// /amp/, ?p=10, ?ref= — and real excerpts were missed.)
func eligible(e *feed.Entry, a *feed.Article) bool {
	for _, c := range e.Copies {
		if c.SourceID == a.SourceID {
			return false
		}
	}
	return withinWindow(a.Published, e.Published)
}

// withinWindow reports whether t and u lie within nearWindow of each other.
func withinWindow(t, u time.Time) bool {
	d := t.Sub(u)
	return d < nearWindow && d > -nearWindow
}

// compare decides whether article a (from the source named srcName, its
// shingle set mine, its lead key lead) is a near-duplicate of entry e, by
// which rule and with what score.
func (id *Identifier) compare(a *feed.Article, srcName string, mine []uint64, lead string, e *feed.Entry) (string, float64) {
	html := e.Content
	if html == "" {
		html = e.Summary
	}
	theirs := id.shingles.of(html)
	if len(mine) == 0 || len(theirs) == 0 {
		return "", 0
	}
	inter := overlap(mine, theirs)
	union := len(mine) + len(theirs) - inter
	resemblance := float64(inter) / float64(union)
	containment := float64(inter) / float64(min(len(mine), len(theirs)))
	titled := false
	for _, c := range e.Copies {
		if titlesCompatible(a.Title, c.Title) {
			titled = true
			break
		}
	}
	switch {
	case resemblance >= sameResemblance && titlesApart(e, a) && ownWords(inter, mine, theirs) &&
		!(a.Author != "" && e.Author != "" && authorsAgree(a.Author, e.Author)):
		// Two job adverts, or two videos of one channel, in one long
		// boilerplate: each text says something of its own, and the
		// titles say they are other posts. What a retitled copy and its
		// original add is a line (a dateline, a sign-off, a footer), or
		// the title keeps a word, or one writer signs both (a newsletter
		// reposting a blog post with an introduction).
		return "", 0
	case resemblance >= sameResemblance:
		return RuleNear, resemblance
	case titled && resemblance >= editedResemblance:
		return RuleEdited, resemblance
	case titled && containment >= excerptContainment && opensWith(e, lead) && signersAgree(a.Author, srcName, e):
		return RuleExcerpt, containment
	}
	return "", 0
}

// opensWith reports whether a copy of e opens with the same words as the
// article whose lead key is lead. An excerpt is an article's opening: the
// texts containing each other is not enough, as another writer's post
// that quotes the article ("From the Times: …") contains its excerpt too.
func opensWith(e *feed.Entry, lead string) bool {
	if lead == "" {
		return false
	}
	for _, c := range e.Copies {
		for _, k := range c.Keys {
			if k == lead || strings.HasPrefix(k, lead+"|") {
				return true
			}
		}
	}
	return false
}

// signersAgree: the article's author agrees with e's author, or one of
// them with the other side's source name (a planet signs an excerpt with
// the blog's name as often as with the writer's), or an author is not
// named.
func signersAgree(author, srcName string, e *feed.Entry) bool {
	if authorsAgree(author, e.Author) || srcName != "" && authorsAgree(e.Author, srcName) {
		return true
	}
	for _, c := range e.Copies {
		if c.SourceName != "" && authorsAgree(author, c.SourceName) {
			return true
		}
	}
	return false
}

// authorsAgree holds unless both name an author and the names share no
// word. It guards the excerpt rule, the one matched on the least text: an
// article's opening paragraph is also what another writer's commentary
// quotes under the same headline, and a planet's excerpt keeps the
// author's name where that commentary has its own ("Donald Douglas" and
// "Bob Smith" share nothing; "Donald Douglas" and "D. Douglas" do).
func authorsAgree(a, b string) bool {
	wa, wb := titleWords(a), titleWords(b)
	if len(wa) == 0 || len(wb) == 0 {
		return true
	}
	for _, w := range wa {
		if slices.Contains(wb, w) {
			return true
		}
	}
	return false
}

// ownShingles is how many shingles of its own each of two texts must have
// for titles that share no word to keep them apart (see compare): about
// fifteen words, more than the line (a dateline, a footer) that a copy or
// its original adds, less than a job advert's or a video's own paragraph.
const ownShingles = 15

// ownWords reports whether each of two shingle sets, which share inter,
// has ownShingles of its own.
func ownWords(inter int, mine, theirs []uint64) bool {
	return len(mine)-inter >= ownShingles && len(theirs)-inter >= ownShingles
}

// titlesApart reports whether a is titled and shares no word but
// stopWords with the title of any copy of e, at least one of which is
// titled.
func titlesApart(e *feed.Entry, a *feed.Article) bool {
	mine := wordSet(contentWords(titleWords(a.Title)))
	if len(mine) == 0 {
		return false
	}
	titled := false
	for _, c := range e.Copies {
		for _, w := range contentWords(titleWords(c.Title)) {
			if mine[w] {
				return false
			}
			titled = true
		}
	}
	return titled
}

// untitledNote reports whether a and every copy of e are untitled short
// notes (toots, status updates) by other writers, which the near-duplicate
// rules leave apart: in a few words, one word changed ("… #golang",
// "… #rust") is another post. The writers are the items' authors when
// both name one (a note bridged to another network keeps its writer's
// name), else the sources, by name. The same note word for word is still
// one (the text key).
func untitledNote(e *feed.Entry, a *feed.Article, srcName string, words []string) bool {
	if strings.TrimSpace(a.Title) != "" || len(words) >= stockWords {
		return false
	}
	for _, c := range e.Copies {
		if strings.TrimSpace(c.Title) != "" {
			return false
		}
		switch {
		case a.Author != "" && e.Author != "":
			if authorsAgree(a.Author, e.Author) {
				return false
			}
		case srcName == "" || c.SourceName == "" || strings.EqualFold(strings.TrimSpace(srcName), strings.TrimSpace(c.SourceName)):
			return false
		}
	}
	return true
}
