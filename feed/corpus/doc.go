// Package corpus generates labelled corpora of feeds in which articles are
// cross-posted, excerpted, retitled, re-marked-up and edited the way they
// are on the web, together with the ground truth: which items are copies of
// which article, and which copy is the original. Tests of duplicate
// recognition ingest a corpus and compare the unified feed with the labels;
// GenerateFeed makes plain single feeds for benchmarks.
//
// # Generation
//
// Generate(seed, opts) is deterministic: the same seed and options give the
// same bytes (math/rand/v2 with a PCG source seeded from seed). All prose is
// synthesised from word lists and sentence templates written for this
// package, in two styles (Options.Style 0 and 1) that share no template,
// footer phrasing or blog name, so that a corpus of one style says nothing
// about the other's wording. A corpus has 32 subscriptions (RSS 2.0, Atom
// and JSON Feed), about 690 articles and 1,150 items: personal blogs (three
// subscribed as both RSS and Atom, one proxied by FeedBurner, one publishing
// excerpts only, two numbering GUIDs post-1, post-2…, two of short posts
// with a long author bio and share footer, two link logs with title-only
// items, one adding "The post … appeared first on …" to its RSS, one
// dormant), four group blogs that cross-post, three news sites, a planet, a
// digest of excerpts, a link aggregator and a syndication site. Article
// lengths are mostly 150 to 900 words, some 40 to 80, a few title-only.
//
// # Rounds
//
// Round(1) and Round(2) are the feed bodies at Corpus.Times[0] and [1], 16
// days apart. Round 1 lists every item published by then; round 2 lists the
// last 30 days or at least the ten newest items of each feed, so old items
// drop out of the window, new items and late copies appear, and 24
// originals are republished edited under the same GUID (new title, one
// paragraph rewritten, a later update date). A feed that did not change is
// byte-identical in both rounds, so a server can answer 304. Items are never
// dated after the round that lists them.
//
// # Labels
//
// Every item listed in either round has an Item label: its feed and GUID
// (which identify it in a store), the Article it is a copy of, whether it is
// the Original (the original blog's item; in both the RSS and the Atom feed
// of a blog subscribed twice), its Case and a Variant naming the form the
// case takes (which footer, which markup changes, which excerpt form). An
// Article's Link is the original's permalink (the feedburner:origLink, not
// the proxy link) and Edit, when set, is the title and a plain-text sentence
// the entry must show after round 2. Corpus.Tags gives each article the
// cases of its items. Cases of copies, which must be merged with their
// original:
//
//	verbatim-footer  the same HTML under another GUID and link, with a
//	                 cross-post notice ("Cross-posted from <a>Blog</a>.",
//	                 "Originally published at …", "This post first
//	                 appeared on …", "The post … appeared first on …", a
//	                 note above the article) and/or share boilerplate
//	                 ("Share this!", "Enjoy reading? Share it…", share rows)
//	markup           the same text with <br> for paragraphs, straight or
//	                 numerically escaped quotes, wrapper <div>s, an image
//	                 (sometimes captioned) on top, a tracking pixel, &nbsp;
//	excerpt          the first paragraph or first 25–60 words, "Read more »";
//	                 also the items of the excerpt-only blog (originals) and
//	                 their full copies on group blogs
//	retitled         "[Cross-post] T", "T | Site", "T (cross-post)" on group
//	                 blogs; "Blog: T" on the planet (variant "planet"),
//	                 which keeps the original's link, id and date
//	edited-version   a paragraph dropped or added, or 3–6 words changed,
//	                 sometimes a word of the title
//	tracking-link    the original's link with utm_*/fbclid, sometimes http,
//	                 no trailing slash or a fragment; a summary line, no
//	                 content or the full text
//	late-copy        a copy first listed in round 2, days after the original
//	                 (which may have left its feed's window)
//	early-copy       a copy listed in round 1 whose original is listed only
//	                 in round 2 (its feed was stale); variant "verbatim" has
//	                 a cross-post notice, "verbatim-share-only" has not
//
// Cases of originals: origlink (the FeedBurner-proxied blog: proxy link,
// feedburner:origLink, a beacon and a FeedFlare row), rss+atom (the Atom
// subscription of a blog subscribed twice), excerpt (the excerpt-only
// blog), original (anything else). Cases that must never be merged with
// any other article, each article its own:
//
//	never:boilerplate     40–80-word posts sharing a ~90-word bio and footer
//	never:series          "Weekly Links Roundup #41"/"#42": same intro, outro
//	never:generic-title   "Open Thread" etc. on several blogs, several times
//	                      on one blog; short identical bodies (<20 words) or
//	                      the blog's recurring wording with other details
//	never:guid-collision  two blogs numbering their GUIDs post-1, post-2…
//	never:same-topic      one event by two or three outlets: same people,
//	                      places, figures and one shared quotation
//	never:part2           a Part 2 opening with Part 1's first paragraph
//	                      quoted (and three Part 1s excerpted by the digest)
//	never:title-only      no content; some titles used by two blogs
//
// Caveats: the prose is grammatical but meaningless, and word lists are
// small, so different articles on one topic share more vocabulary than real
// ones do. Real feeds' oddities beyond these cases (broken encodings,
// invalid XML, HTML pages) are tested elsewhere.
package corpus
