package normalise

import (
	"strings"
	"testing"

	"github.com/tributary/tributary/feed"
)

const article = `<p>The river rose three feet overnight, and by morning the lower town was under water.</p>
<p>Volunteers worked through the day to move what they could to higher ground.</p>`

const articleText = "The river rose three feet overnight, and by morning the lower town was under water.\n" +
	"Volunteers worked through the day to move what they could to higher ground."

func TestBoilerplate(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantText string
		wantFrom *feed.Attribution
	}{
		{
			name: "cross-post ending with share prompts",
			in: article + `
<p>Cross-posted from <a href="https://americanpower.example/2024/05/river.html">American Power</a>.</p>
<p>Share this!</p>
<p>Enjoy reading? Share it with your friends!</p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "American Power", URL: "https://americanpower.example/2024/05/river.html"},
		},
		{
			name:     "cross-post without link",
			in:       article + `<p>Cross-posted from American Power.</p><p>Share this!</p><p>Enjoy reading? Share it with your friends!</p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "American Power"},
		},
		{
			name:     "crossposted in one word, inline after br",
			in:       `The river rose three feet overnight.<br><br>Crossposted from The Daily Levee`,
			wantText: "The river rose three feet overnight.",
			wantFrom: &feed.Attribution{Name: "The Daily Levee"},
		},
		{
			name:     "originally published at link",
			in:       article + `<p><em>Originally published at <a href="https://medium.example/@ann/river-123">Medium</a> on May 3, 2024.</em></p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "Medium", URL: "https://medium.example/@ann/river-123"},
		},
		{
			name:     "originally posted on a bare url",
			in:       article + `<p>Originally posted on https://ann.example/river.</p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{URL: "https://ann.example/river"},
		},
		{
			name:     "this post first appeared on",
			in:       article + `<p>This post first appeared on <a href="https://levee.example/">The Levee Blog</a>.</p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "The Levee Blog", URL: "https://levee.example/"},
		},
		{
			name:     "this article was first published on",
			in:       article + `<hr><p><i>This article was first published on <a href="https://news.example/a/1">News Example</a>. Read the <a href="https://news.example/a/1">original article</a>.</i></p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "News Example", URL: "https://news.example/a/1"},
		},
		{
			name:     "wordpress appeared first on",
			in:       article + `<p>The post <a href="https://levee.example/river/">The river rose</a> appeared first on <a href="https://levee.example">The Levee</a>.</p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "The Levee", URL: "https://levee.example"},
		},
		{
			name:     "explicit cross-post wins over appeared first",
			in:       article + `<p>The post <a href="https://agg.example/x">X</a> appeared first on <a href="https://agg.example">Aggregator</a>.</p><p>Cross-posted from <a href="https://orig.example/x">Original</a>.</p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "Original", URL: "https://orig.example/x"},
		},
		{
			name: "jetpack share and like block",
			in: article + `<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">
<h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>
<li class="share-twitter"><a href="https://blog.example/2024/05/river/?share=twitter" title="Click to share on Twitter"><span>Twitter</span></a></li>
<li class="share-facebook"><a href="https://blog.example/2024/05/river/?share=facebook"><span>Facebook</span></a></li>
<li class="share-end"></li></ul></div></div></div>
<div class="sharedaddy"><h3>Like this:</h3><div><span>Like</span> <span>Loading...</span></div></div>`,
			wantText: articleText,
		},
		{
			name:     "row of share links with separators",
			in:       article + `<p><a href="https://www.facebook.com/sharer.php?u=https%3A%2F%2Fblog.example%2Fp">Facebook</a> | <a href="https://twitter.com/intent/tweet?text=x">Twitter</a> | <a href="https://x.com/intent/post?url=y">X</a> | <a href="https://www.linkedin.com/shareArticle?mini=true&url=z">LinkedIn</a> | <a href="https://www.reddit.com/submit?url=z">Reddit</a> | <a href="mailto:?subject=River&body=z">Email</a></p>`,
			wantText: articleText,
		},
		{
			name:     "share icons without text",
			in:       article + `<div class="share"><a href="https://pinterest.com/pin/create/button/?url=x"><img src="pin.png"></a><a href="https://api.whatsapp.com/send?text=x"><img src="wa.png"></a><a href="https://t.me/share/url?url=x"><img src="tg.png"></a></div>`,
			wantText: articleText,
		},
		{
			name:     "share label then share links in one line",
			in:       article + `<p>Share on: <a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a>, <a href="https://twitter.com/intent/tweet?url=x">Twitter</a></p>`,
			wantText: articleText,
		},
		{
			name:     "like this share it",
			in:       article + `<p><strong>Like this? Share it!</strong></p>`,
			wantText: articleText,
		},
		{
			name:     "continue reading link ends excerpt",
			in:       `<p>The river rose three feet overnight, and by morning the lower town was under water &hellip; <a href="https://blog.example/river/#more-12" class="more-link">Continue reading <span class="screen-reader-text">The river</span> &rarr;</a></p>`,
			wantText: "The river rose three feet overnight, and by morning the lower town was under water ...",
		},
		{
			name:     "read more link in its own paragraph",
			in:       article + `<p><a href="https://blog.example/river/">Read more &raquo;</a></p>`,
			wantText: articleText,
		},
		{
			name:     "bracketed more link",
			in:       `<p>The river rose three feet. [<a href="https://blog.example/river/">more</a>]</p>`,
			wantText: "The river rose three feet.",
		},
		{
			name: "related posts heading and list",
			in: article + `<h3>Related posts:</h3><ul><li><a href="https://blog.example/a">Floods of 2019</a></li>
<li><a href="https://blog.example/b">The levee question</a> (2021)</li></ul>`,
			wantText: articleText,
		},
		{
			name:     "related posts in a wrapper",
			in:       article + `<div class="yarpp-related"><p>Related posts:</p><ol><li><a href="https://blog.example/a">Floods of 2019</a></li></ol></div>`,
			wantText: articleText,
		},
		{
			name:     "posted in tagged leave a comment row",
			in:       article + `<p>Posted in <a href="/cat/news">News</a> | Tagged <a href="/tag/flood">flood</a>, <a href="/tag/river">river</a> | <a href="/river#respond">Leave a comment</a></p>`,
			wantText: articleText,
		},
		{
			name:     "wordpress classic entry meta",
			in:       article + `<div class="entry-utility">This entry was posted in <a href="/cat/news">News</a> and tagged <a href="/tag/flood">flood</a>. Bookmark the <a href="/river">permalink</a>.</div>`,
			wantText: articleText,
		},
		{
			name:     "feedflare and tracking pixel",
			in:       article + `<div class="feedflare"><a href="http://feeds.feedburner.com/~ff/Levee?a=abc"><img src="http://feeds.feedburner.com/~ff/Levee?d=yIl2AUoC8zA" border="0"></a></div><img src="http://feeds.feedburner.com/~r/Levee/~4/xyz" height="1" width="1" alt=""/>`,
			wantText: articleText,
		},
		{
			name:     "wordpress.com stats pixel",
			in:       article + `<img alt="" border="0" src="https://pixel.wp.com/b.gif?host=levee.example&blog=1&post=2" width="1" height="1" />`,
			wantText: articleText,
		},
		{
			name: "footer wrapper with several notices",
			in: `<div class="entry-content">` + article + `<footer><p>Cross-posted from <a href="https://ap.example/">American Power</a>.</p>
<p>Share this:</p><p><a href="https://twitter.com/intent/tweet?u=1">Tweet</a> <a href="mailto:?subject=River">Email</a></p></footer></div>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "American Power", URL: "https://ap.example/"},
		},
		{
			name:     "footer lines in one paragraph separated by br",
			in:       article + `<p>Cross-posted from American Power.<br>Share this!<br>Enjoy reading? Share it with your friends!</p>`,
			wantText: articleText,
			wantFrom: &feed.Attribution{Name: "American Power"},
		},
		{
			name:     "boilerplate at the top too",
			in:       `<p>Share this:</p>` + article,
			wantText: articleText,
		},
		// Prose that only mentions sharing, cross-posting or related posts.
		{
			name:     "prose mentioning sharing stays",
			in:       `<p>I want to share this story because it matters to everyone downstream.</p><p>Share prices fell.</p>`,
			wantText: "I want to share this story because it matters to everyone downstream.\nShare prices fell.",
		},
		{
			name:     "prose mentioning cross-posting stays",
			in:       `<p>Originally published at the height of the 1993 flood, this essay argued that the levees would never hold and that the town had to move.</p>`,
			wantText: "Originally published at the height of the 1993 flood, this essay argued that the levees would never hold and that the town had to move.",
		},
		{
			name:     "related heading over prose stays",
			in:       `<h2>Related</h2><p>The upstream dam was also damaged, which made things worse for everyone.</p>`,
			wantText: "Related\nThe upstream dam was also damaged, which made things worse for everyone.",
		},
		{
			name:     "sentence ending with a more link stays",
			in:       `<p>There is plenty <a href="https://blog.example/more">more</a>.</p>`,
			wantText: "There is plenty more.",
		},
		{
			name:     "links to social profiles stay",
			in:       `<p>Follow me on <a href="https://twitter.com/ann">Twitter</a> and <a href="https://www.facebook.com/ann">Facebook</a>.</p>`,
			wantText: "Follow me on Twitter and Facebook.",
		},
		{
			name:     "list of article links stays without heading",
			in:       `<ul><li><a href="https://a.example/">A good read</a></li><li><a href="https://b.example/">Another</a></li></ul>`,
			wantText: "A good read\nAnother",
		},
		{
			name:     "links joined by meta words stay",
			in:       `<ul><li><a href="/html">HTML tags</a> and <a href="/attrs">attributes</a></li><li><a href="/css">Styles</a> in the <a href="/dom">DOM</a></li></ul>`,
			wantText: "HTML tags and attributes\nStyles in the DOM",
		},
		{
			name:     "posted in as prose stays",
			in:       `<p>Posted in 1999, this note still describes <a href="/x">the levee</a> well.</p>`,
			wantText: "Posted in 1999, this note still describes the levee well.",
		},
		{
			name:     "real image stays",
			in:       `<p><img src="https://blog.example/flood.jpg" width="640" height="480"></p><p>Share this!</p>`,
			wantText: "",
		},
		{name: "empty", in: "", wantText: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, from := Boilerplate(tt.in)
			if got := Text(clean); got != tt.wantText {
				t.Errorf("text after Boilerplate =\n%q\nwant\n%q\nhtml: %s", got, tt.wantText, clean)
			}
			if !sameAttribution(from, tt.wantFrom) {
				t.Errorf("attribution = %+v, want %+v", from, tt.wantFrom)
			}
		})
	}
}

func TestBoilerplateKeepsMarkup(t *testing.T) {
	in := `<p>Hello <em>world</em>.</p>`
	if clean, _ := Boilerplate(in); clean != in {
		t.Errorf("unchanged input rewritten: %q", clean)
	}
	clean, _ := Boilerplate(`<p>Hello <em>world</em>.</p><p><img src="https://x.example/a.jpg"></p><p>Share this!</p><p><br></p>`)
	if want := `<p>Hello <em>world</em>.</p><p><img src="https://x.example/a.jpg"/></p>`; clean != want {
		t.Errorf("clean = %q, want %q", clean, want)
	}
	if strings.Contains(clean, "Share") {
		t.Errorf("footer left: %q", clean)
	}
}

func sameAttribution(a, b *feed.Attribution) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func FuzzBoilerplate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		clean, from := Boilerplate(s)
		// Removing boilerplate never adds words.
		if got, was := len(strings.Fields(Text(clean))), len(strings.Fields(Text(s))); got > was {
			t.Fatalf("Boilerplate(%q) = %q: %d words, was %d", s, clean, got, was)
		}
		if from != nil && from.Name == "" && from.URL == "" {
			t.Fatalf("Boilerplate(%q): empty attribution", s)
		}
	})
}

func TestIsShareURL(t *testing.T) {
	tests := []struct {
		href string
		want bool
	}{
		{"https://www.facebook.com/sharer/sharer.php?u=x", true},
		{"https://m.facebook.com/sharer.php?u=x", true},
		{"https://twitter.com/intent/tweet?text=x", true},
		{"https://x.com/intent/post?url=x", true},
		{"https://www.linkedin.com/shareArticle?mini=true", true},
		{"https://www.reddit.com/submit?url=x", true},
		{"https://pinterest.com/pin/create/button/?url=x", true},
		{"https://api.whatsapp.com/send?text=x", true},
		{"https://t.me/share/url?url=x", true},
		{"https://bsky.app/intent/compose?text=x", true},
		{"mailto:?subject=Hello&body=x", true},
		{"https://blog.example/post/?share=twitter&nb=1", true},
		{"http://feeds.feedburner.com/~ff/Levee?a=abc", true},
		{"javascript:window.print()", true},
		{"mailto:ann@example.com", false},
		{"https://twitter.com/ann", false},
		{"https://www.facebook.com/ann", false},
		{"https://www.reddit.com/r/rivers/", false},
		{"https://blog.example/post/", false},
		{"/relative", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := isShareURL(tt.href); got != tt.want {
			t.Errorf("isShareURL(%q) = %v, want %v", tt.href, got, tt.want)
		}
	}
}
