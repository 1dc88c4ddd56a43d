package feed

import (
	"net/url"
	"strings"
)

// A source's URL may carry the credentials it is fetched with, in its
// userinfo or its query. What is published (feeds, OPML, the sources page)
// leaves them out; what the operator reads (logs, metrics, cron mail)
// masks them.

// PublicURL returns u without its userinfo: the form of a link that goes
// where anyone may read it (the republished feeds, the public OPML list).
// A source URL may carry the credentials it is fetched with
// (http://user:password@host/feed), and links resolved against it would
// too; readers cannot use them, and a masked "user:xxxxx@" would be noise
// there. Anything else (a local path, a URL without userinfo) is returned
// as it is, byte for byte. The query is kept: an article's links and
// enclosures may be signed (?X-Amz-Signature=…) by their publisher, for
// everyone. A source's own URL is published with PublicSourceURL.
func PublicURL(u string) string {
	head, _, rest, ok := cutUserinfo(u)
	if !ok {
		return u
	}
	return head + rest
}

// PublicSourceURL is PublicURL for the URL a source is fetched from, whose
// query may hold the subscriber's credentials too
// (https://host/feed.private.atom?token=…, ?key=, ?api_key=, ?auth=): every
// query parameter whose name says it holds a secret (see secretParam) is
// dropped as well; the other parameters (?feed=rss2, ?format=atom) are
// kept in their order, as written, and the "?" goes with the last of them.
// u differs from PublicSourceURL(u) exactly when u holds credentials.
func PublicSourceURL(u string) string {
	return dropSecretParams(PublicURL(u))
}

// dropSecretParams returns u without the query parameters secretParam
// names, or u itself when it has none of them. Only a URL with a scheme
// and an authority ("scheme://") has a query here: a local path may hold
// a "?" in a file name. The query is taken as net/url takes it (from the
// first "?" to the first "#"), and split at "&" and at ";", which some
// servers still read as a separator: a secret after a ";" is a secret all
// the same. u need not parse otherwise.
func dropSecretParams(u string) string { return editSecretParams(u, "") }

// maskSecretParams returns u with the value of each query parameter
// secretParam names replaced by "xxxxx", as RedactedURL masks a password:
// the operator reads which parameter carries the credentials.
func maskSecretParams(u string) string { return editSecretParams(u, "xxxxx") }

// editSecretParams drops the secret parameters of u's query (mask "") or
// gives them the value mask.
func editSecretParams(u, mask string) string {
	i := strings.Index(u, "://")
	if i <= 0 || !isScheme(u[:i]) {
		return u
	}
	end := len(u)
	if j := strings.IndexByte(u, '#'); j >= 0 {
		end = j
	}
	q := strings.IndexByte(u[:end], '?')
	if q < 0 {
		return u
	}
	var kept strings.Builder
	dropped, first := false, true
	// Each parameter kept is written with the separator written before
	// it, but the first one kept loses its own: the "?" stands for it.
	for rest, sep := u[q+1:end], ""; ; {
		param := rest
		j := strings.IndexAny(rest, "&;")
		if j >= 0 {
			param = rest[:j]
		}
		name, _, _ := strings.Cut(param, "=")
		switch {
		case secretParam(name) && mask == "":
			dropped = true
		case secretParam(name):
			if !first {
				kept.WriteString(sep)
			}
			kept.WriteString(name + "=" + mask)
			first, dropped = false, true
		default:
			if !first {
				kept.WriteString(sep)
			}
			kept.WriteString(param)
			first = false
		}
		if j < 0 {
			break
		}
		sep, rest = rest[j:j+1], rest[j+1:]
	}
	if !dropped {
		return u
	}
	if first {
		return u[:q] + u[end:] // nothing kept
	}
	return u[:q+1] + kept.String() + u[end:]
}

// secretParam reports whether a query parameter named name (as written,
// percent-encoded or not) holds a secret: a token, key, password,
// signature or session, alone (token, key, apikey, auth, secret, password,
// pass, passwd, sig, signature, session, jwt), as the last word of a
// longer name (access_token, feed-token, api_key, client_secret,
// X-Amz-Signature, torrent_pass, and in camelCase accessToken,
// clientSecret), or run together with a word before it as private
// trackers and feed services write them (passkey, authKey, rsskey). A
// name that only begins with such a word (key_format, token_type) is
// kept (but one beginning with secret or private, secret_hash, is a
// secret), and so are monkey, camelCase names ending in Key, Sig or Session
// after an ordinary word (spaceKey, buildKey), and pagination cursors
// (pageToken, page_token).
func secretParam(name string) bool {
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	name = strings.TrimSpace(name)
	lower := strings.ToLower(name)
	switch lower {
	case "pagetoken", "nexttoken", "nextpagetoken", "continuationtoken", "synctoken", "page_token", "next_token":
		// Pagination cursors, not credentials: dropped, they would give
		// readers another feed.
		return false
	case "token", "key", "apikey", "auth", "authorization", "secret", "password", "pass", "passwd", "pwd",
		"sig", "signature", "session", "sessionid", "sessid", "jsessionid", "phpsessid", "jwt",
		"accesskey", "secretkey", "privatekey", "clientsecret", "passkey", "authkey", "rsskey", "feedkey",
		"userkey", "privatetoken", "private":
		return true // alone, or run together as private trackers write them
	}
	// "secret" and "private" begin only credentials' names (secret_hash,
	// private-key, secretHash), unlike key and token (key_format,
	// token_type).
	for _, word := range []string{"secret", "private"} {
		if rest, ok := strings.CutPrefix(lower, word); ok && rest != "" &&
			(strings.ContainsRune("_-.", rune(rest[0])) || len(name) > len(word) && name[len(word)] >= 'A' && name[len(word)] <= 'Z') {
			return true
		}
	}
	for _, word := range []string{"token", "key", "secret", "password", "passwd", "pass", "signature", "sig", "session", "jwt"} {
		if strings.HasSuffix(lower, "_"+word) || strings.HasSuffix(lower, "-"+word) || strings.HasSuffix(lower, "."+word) {
			return true
		}
	}
	// camelCase: Token, Secret, Password, Signature and Sig end only
	// secrets' names (accessToken, clientSecret, urlSig); Key and Session
	// end ordinary ones too (Confluence's spaceKey, Bamboo's buildKey,
	// sortKey, trainingSession), so those count only after a word that
	// makes them a credential (appKey, userApiKey, privateFeedKey,
	// userSession).
	for _, camel := range []string{"Token", "Secret", "Password", "Passwd", "Signature"} {
		if len(name) > len(camel) && strings.HasSuffix(name, camel) {
			return true
		}
	}
	if head, ok := strings.CutSuffix(name, "Sig"); ok && head != "" {
		return true // urlSig, hmacSig: a signature
	}
	for _, camel := range []string{"Key", "Session"} {
		if head, ok := strings.CutSuffix(name, camel); ok && credentialWord(strings.ToLower(lastWord(head))) {
			return true
		}
	}
	// Any name ending in "token" (feedtoken, accesstoken) is one.
	return strings.HasSuffix(lower, "token")
}

// credentialWord reports whether the word before "Key" or "Session" in a
// camelCase parameter name makes it a credential.
func credentialWord(w string) bool {
	switch w {
	case "api", "app", "auth", "access", "client", "consumer", "dev", "developer", "license", "licence",
		"master", "private", "secret", "signing", "subscription", "user", "login", "session", "feed", "rss",
		"encryption", "account", "shared", "download", "oauth", "hmac", "pass":
		return true
	}
	return false
}

// lastWord is the last word of a camelCase name: from its last capital
// letter ("userApi" gives "Api"), or all of it without one.
func lastWord(s string) string {
	for i := len(s) - 1; i > 0; i-- {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return s[i:]
		}
	}
	return s
}

// RedactedURL returns u with the password of its userinfo replaced by
// "xxxxx", as net/url's URL.Redacted writes it: the form of a URL in what
// the operator reads (the cron report, the fetch trigger's JSON, metrics
// labels, logs), where the user name helps to tell which credentials are
// configured. Userinfo without a password is often a token
// (https://TOKEN@host/feed): it is masked whole. The values of the query's
// secret parameters (?token=, ?key=: see PublicSourceURL) are masked too.
// A URL without credentials is returned as it is.
func RedactedURL(u string) string {
	head, user, rest, ok := cutUserinfo(u)
	if ok {
		name, _, hasPassword := strings.Cut(user, ":")
		if !hasPassword {
			u = head + "xxxxx@" + rest
		} else {
			u = head + name + ":xxxxx@" + rest
		}
	}
	return maskSecretParams(u)
}

// RedactText is text (an error's, most often) with the credentials of
// every URL in it masked as RedactedURL does, net/http's own "user:***@"
// included.
func RedactText(text string) string { return mapURLs(text, RedactedURL, "@?") }

// PublicText is text with the userinfo of every URL in it dropped, as
// PublicURL does: an article's HTML, stored before links were resolved
// without a source's credentials.
func PublicText(text string) string { return mapURLs(text, PublicURL, "@") }

// PublicSourceText is text with the credentials of every URL in it
// dropped, as PublicSourceURL does: a source's last error, shown where
// anyone may read it.
func PublicSourceText(text string) string { return mapURLs(text, PublicSourceURL, "@?") }

// OriginText is text with every URL in it cut to its scheme and host
// ("https://feeds.example/…"): a private source's last error, whose URL
// is a secret as a whole (Source.Private), still says which server
// failed.
func OriginText(text string) string { return mapURLs(text, originOf, "/") }

func originOf(u string) string {
	head, rest, ok := strings.Cut(PublicURL(u), "://")
	if !ok {
		return u
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return head + "://" + rest + "/…"
}

// mapURLs applies f to each URL ("scheme://…") in text, which ends at a
// space, a quote, an angle bracket or a backtick, which no URL in a
// message holds, less the punctuation a sentence puts after it ("GET
// https://host/feed?token=1: 503"). A text holding none of marks has
// nothing f would change, and is returned as it is.
func mapURLs(text string, f func(string) string, marks string) string {
	if !strings.ContainsAny(text, marks) {
		return text
	}
	var b strings.Builder
	rest := text
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		start := i
		for start > 0 && isSchemeByte(rest[start-1]) {
			start--
		}
		end := i + 3
		for end < len(rest) && !strings.ContainsRune(" \t\r\n\"'<>`", rune(rest[end])) {
			end++
		}
		for end > i+3 && strings.ContainsRune(".,:;!)", rune(rest[end-1])) {
			end--
		}
		b.WriteString(rest[:start])
		b.WriteString(f(rest[start:end]))
		rest = rest[end:]
	}
	b.WriteString(rest)
	return b.String()
}

func isSchemeByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// cutUserinfo splits an absolute URL with userinfo into what precedes the
// userinfo ("scheme://"), the userinfo (without its "@") and what follows
// it (host and the rest); ok is false when u has no userinfo. The
// authority ends at the first "/", "?" or "#", and the userinfo at its
// last "@", as net/url parses them; u need not parse otherwise, so that a
// URL net/url refuses still loses its credentials.
func cutUserinfo(u string) (head, user, rest string, ok bool) {
	i := strings.Index(u, "://")
	if i <= 0 || !isScheme(u[:i]) {
		return "", "", "", false
	}
	head, after := u[:i+3], u[i+3:]
	authority := after
	if j := strings.IndexAny(after, "/?#"); j >= 0 {
		authority = after[:j]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return "", "", "", false
	}
	return head, after[:at], after[at+1:], true
}

// isScheme reports whether s is a URL scheme (RFC 3986: a letter, then
// letters, digits, "+", "-" or ".").
func isScheme(s string) bool {
	for i, c := range s {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}
