package normalise

import (
	"net/url"
	"strings"
)

// sharePaths maps a social network's host (without "www." and similar) to
// the path prefixes of its "share this page" endpoints. A link to one of them
// shares the article; it is never part of it.
var sharePaths = map[string][]string{
	"facebook.com":           {"/sharer", "/share", "/dialog/share", "/dialog/feed"},
	"twitter.com":            {"/intent/", "/share", "/home"},
	"x.com":                  {"/intent/", "/share"},
	"linkedin.com":           {"/sharearticle", "/sharing/", "/cws/share"},
	"reddit.com":             {"/submit"},
	"pinterest.com":          {"/pin/create", "/pinit"},
	"api.whatsapp.com":       {"/send"},
	"wa.me":                  {"/"},
	"t.me":                   {"/share"},
	"telegram.me":            {"/share"},
	"tumblr.com":             {"/share", "/widgets/share"},
	"getpocket.com":          {"/save", "/edit"},
	"news.ycombinator.com":   {"/submitlink"},
	"bsky.app":               {"/intent/"},
	"threads.net":            {"/intent/"},
	"vk.com":                 {"/share.php"},
	"digg.com":               {"/submit"},
	"flipboard.com":          {"/bookmarklet"},
	"buffer.com":             {"/add"},
	"bufferapp.com":          {"/add"},
	"plus.google.com":        {"/share"},
	"mix.com":                {"/add"},
	"xing.com":               {"/spi/shares"},
	"addtoany.com":           {"/share", "/add_to"},
	"addthis.com":            {"/bookmark"},
	"sharethis.com":          {"/"},
	"mastodonshare.com":      {"/"},
	"toot.kytta.dev":         {"/"},
	"share.flipboard.com":    {"/"},
	"feeds.feedburner.com":   {"/~ff/", "/~a/"}, // FeedFlare rows and ads
	"feedproxy.google.com":   {"/~ff/", "/~a/"},
	"service.weibo.com":      {"/share"},
	"connect.ok.ru":          {"/offer"},
	"line.me":                {"/R/msg/text", "/r/msg/text"},
	"social-plugins.line.me": {"/lineit/share"},
}

// isShareURL reports whether a link only shares the page it is on: a social
// network's share endpoint, a mail link with a prepared subject or body, a
// site's own "?share=network" button (WordPress Jetpack), a javascript: action.
func isShareURL(href string) bool {
	href = strings.TrimSpace(href)
	if href == "" {
		return false
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "mailto":
		q := strings.ToLower(u.RawQuery)
		if q == "" {
			_, q, _ = strings.Cut(strings.ToLower(u.Opaque), "?")
		}
		return strings.Contains(q, "subject=") || strings.Contains(q, "body=")
	case "javascript", "whatsapp", "tg", "sms", "fb-messenger":
		return true
	}
	if u.Query().Get("share") != "" {
		return true
	}
	host := strings.ToLower(u.Hostname())
	for _, p := range []string{"www.", "m.", "mobile.", "web."} {
		host = strings.TrimPrefix(host, p)
	}
	prefixes, ok := sharePaths[host]
	if !ok {
		return false
	}
	path := strings.ToLower(u.EscapedPath())
	for _, p := range prefixes {
		if strings.HasPrefix(path, strings.ToLower(p)) {
			return true
		}
	}
	return false
}
