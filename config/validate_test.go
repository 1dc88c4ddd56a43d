package config

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// want is one expected problem: its key, its line and a part of its message.
// A negative line -n stands for a key absent from the file (Line 0) whose
// message is printed at line n, its parent's.
type want struct {
	key  string
	line int
	msg  string
}

func TestProblems(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		yaml string
		want []want
	}{
		{
			name: "unknown keys, with suggestions",
			yaml: `fetch:
  intervall: 10m
sourcse: []
storage:
  retention:
    max_ages: 1h
` + minimal,
			want: []want{
				{"fetch.intervall", 2, `unknown key "intervall" (did you mean "interval"?)`},
				{"sourcse", 3, `(did you mean "sources"?)`},
				{"storage.retention.max_ages", 6, `(did you mean "max_age"?)`},
			},
		},
		{
			name: "unknown key far from any allowed one lists them",
			yaml: "metrics: true\n" + minimal,
			want: []want{{"metrics", 1, "allowed here: fetch, log, output, server, sources, sources_opml, storage"}},
		},
		{
			name: "durations",
			yaml: `fetch:
  interval: 15
  timeout: 0
  host_delay: -1s
  backoff_max: 7d
storage:
  timeout: soon
` + minimal,
			want: []want{
				{"fetch.interval", 2, `a duration needs a unit: write "15s" for seconds or "15m" for minutes`},
				{"fetch.timeout", 3, `must be more than 0 (got "0")`},
				{"fetch.host_delay", 4, `must not be negative (got "-1s")`},
				{"fetch.backoff_max", 5, `durations have no day unit: write "168h" instead of "7d"`},
				{"storage.timeout", 7, `"soon" is not a duration`},
			},
		},
		{
			name: "ranges",
			yaml: `fetch:
  interval: 10s
  concurrency: 4
  per_host: 5
  max_body: 2GiB
  max_items: 0
output:
  max_items: 1001
storage:
  retention: {max_entries: -1}
` + minimal,
			want: []want{
				{"fetch.interval", 2, `must be at least 1m (got "10s")`},
				{"fetch.per_host", 4, "must be between 1 and fetch.concurrency (4) (got 5)"},
				{"fetch.max_body", 5, `must be between 1KiB and 1GiB (got "2GiB")`},
				{"fetch.max_items", 6, "must be between 1 and 100000 (got 0)"},
				{"output.max_items", 8, "must be between 1 and 1000 (got 1001)"},
				{"storage.retention.max_entries", 10, "must not be negative"},
			},
		},
		{
			name: "backoff below interval",
			yaml: "fetch: {interval: 2h, backoff_max: 1h}\n" + minimal,
			want: []want{{"fetch.backoff_max", 1, `must be at least fetch.interval (2h): it caps the wait between a failing source's retries (from a quarter of the interval, doubling), and a lower cap would fetch a source that keeps failing more often than a healthy one (got "1h")`}},
		},
		{
			// Each check stands on its own: a wrong key does not hide the
			// problems of the keys checked against it, which would
			// otherwise show up one fix later.
			name: "problems of keys checked against a wrong key",
			yaml: `fetch:
  interval: 10s
  backoff_max: -1h
  concurrency: 0
  per_host: 300
server:
  rate_limit: -1
  rate_burst: -5
` + minimal,
			want: []want{
				{"fetch.interval", 2, `must be at least 1m (got "10s")`},
				{"fetch.backoff_max", 3, `must be at least 1m, the least fetch.interval allowed (got "-1h")`},
				{"fetch.concurrency", 4, "must be between 1 and 256 (got 0)"},
				{"fetch.per_host", 5, "must be between 1 and 256, and at most fetch.concurrency (got 300)"},
				{"server.rate_limit", 7, "must be between 0 and 100000 (got -1)"},
				{"server.rate_burst", 8, "must be between 1 and 100000 (got -5)"},
			},
		},
		{
			// Values valid for some valid interval and concurrency are not
			// reported against the wrong ones: the fix may be to those.
			name: "keys checked against a wrong key, valid on their own",
			yaml: "fetch: {interval: 0s, backoff_max: 5m, concurrency: 0, per_host: 2}\n" + minimal,
			want: []want{
				{"fetch.interval", 1, `must be at least 1m (got "0s")`},
				{"fetch.concurrency", 1, "must be between 1 and 256 (got 0)"},
			},
		},
		{
			// A key that could not be decoded holds its default, which is
			// no basis to judge another key by.
			name: "keys checked against a key not decoded",
			yaml: `fetch:
  interval: 7d
  backoff_max: 1h
  concurrency: many
  per_host: 20
output:
  share_templates: 5
  share: [email, mine]
` + minimal,
			want: []want{
				{"fetch.interval", 2, `write "168h" instead of "7d"`},
				{"fetch.concurrency", 4, `must be a whole number (got "many")`},
				{"output.share_templates", 7, `must be a mapping of keys to values (got "5")`},
			},
		},
		{
			name: "keys not decoded, others still below the floor",
			yaml: `fetch:
  interval: soon
  backoff_max: 30s
  concurrency: [1]
  per_host: 0
` + minimal,
			want: []want{
				{"fetch.interval", 2, `"soon" is not a duration`},
				{"fetch.backoff_max", 3, `must be at least 1m, the least fetch.interval allowed (got "30s")`},
				{"fetch.concurrency", 4, "must be a whole number (got a list)"},
				{"fetch.per_host", 5, "must be between 1 and 256, and at most fetch.concurrency (got 0)"},
			},
		},
		{
			name: "rate_burst is not checked while the limit is off",
			yaml: "server: {rate_limit: 0, rate_burst: 0}\n" + minimal,
		},
		{
			// output.id is derived from base_url: reporting it too would
			// name a key the file does not have.
			name: "bad base_url is reported once",
			yaml: `server:
  base_url: not a url
output:
  title: Feeds
` + minimal,
			want: []want{{"server.base_url", 2, `must be an absolute http(s) URL (got "not a url")`}},
		},
		{
			name: "bad base_url without an output section",
			yaml: "server: {base_url: not a url}\n" + minimal,
			want: []want{{"server.base_url", 1, `must be an absolute http(s) URL (got "not a url")`}},
		},
		{
			name: "bad base_url and a written id are both reported",
			yaml: "server:\n  base_url: not a url\noutput:\n  id: not an iri\n" + minimal,
			want: []want{
				{"server.base_url", 2, "must be an absolute http(s) URL"},
				{"output.id", 4, `must be an absolute IRI such as "https://example.org/feed" or "tag:example.org,2024:feed" (got "not an iri")`},
			},
		},
		{
			name: "bad base_url query does not yield an id problem",
			yaml: "server: {base_url: 'https://x.example/a b?q=1'}\n" + minimal,
			want: []want{{"server.base_url", 1, "must not have a query or fragment"}},
		},
		{
			// base_url and output.id are derived from listen here: the
			// host is reported once, under the key the file writes.
			name: "bad listen host is reported once",
			yaml: "server:\n  listen: bad host:8080\n" + minimal,
			want: []want{{"server.listen", 2, `must be host:port such as "127.0.0.1:8080" or ":8080" (got "bad host:8080")`}},
		},
		{
			name: "bad listen and a written base_url are both reported",
			yaml: "server:\n  listen: bad host:8080\n  base_url: feeds.example\n" + minimal,
			want: []want{
				{"server.listen", 2, "must be host:port"},
				{"server.base_url", 3, `must be an absolute http(s) URL (got "feeds.example")`},
			},
		},
		{
			// 0, written or left out, means fetch.interval (configs
			// of earlier versions say it so); a real interval must be
			// at least a minute.
			name: "source intervals: 0 and left out mean fetch.interval",
			yaml: `sources:
  - name: Zero
    url: https://zero.example/feed
    interval: 0s
  - name: Bare zero
    url: https://bare.example/feed
    interval: 0
  - name: No value
    url: https://novalue.example/feed
    interval:
  - name: Omitted
    url: https://omitted.example/feed
  - name: Negative
    url: https://negative.example/feed
    interval: -1h
  - name: Hourly
    url: https://hourly.example/feed
    interval: 1h
`,
			want: []want{
				{"sources[4].interval", 15, `must be at least 1m; 0 or left out uses fetch.interval (got "-1h")`},
			},
		},
		{
			// QA: check passed a directory, and fetch then failed on it.
			name: "storage.path a directory",
			yaml: "storage:\n  path: " + dir + "\n" + minimal,
			want: []want{{"storage.path", 2, fmt.Sprintf(`is a directory: name the bbolt file to store entries in, such as %q (got %q)`, dir+"/tributary.db", dir)}},
		},
		{
			name: "storage.path not there yet",
			yaml: "storage:\n  path: " + dir + "/new.db\n" + minimal,
		},
		{
			// per_host's default follows a smaller concurrency; one the
			// file writes is checked against it.
			name: "concurrency 1, per_host left out",
			yaml: "fetch:\n  concurrency: 1\n" + minimal,
		},
		{
			name: "concurrency 1, per_host written above it",
			yaml: "fetch:\n  concurrency: 1\n  per_host: 2\n" + minimal,
			want: []want{{"fetch.per_host", 3, "must be between 1 and fetch.concurrency (1) (got 2)"}},
		},
		{
			name: "sizes",
			yaml: "fetch:\n  max_body: 10M\n" + minimal,
			want: []want{{"fetch.max_body", 2, `unit "M" is ambiguous, write MB (powers of 1000) or MiB (powers of 1024)`}},
		},
		{
			name: "server",
			yaml: `server:
  listen: localhost
  base_url: ftp://feeds.example/
  cache_control: "a\u0007b"
  token: short
` + minimal,
			want: []want{
				{"server.listen", 2, `must be host:port such as "127.0.0.1:8080" or ":8080" (got "localhost")`},
				{"server.base_url", 3, `must be an absolute http(s) URL (got "ftp://feeds.example/")`},
				{"server.cache_control", 4, "must not contain control characters"},
				{"server.token", 5, "at least 16 characters"},
			},
		},
		{
			name: "token characters and base_url query",
			yaml: "server:\n  base_url: https://x.example/?a=b\n  token: has spaces in it, sixteen+\n" + minimal,
			want: []want{
				{"server.base_url", 2, "must not have a query or fragment"},
				{"server.token", 3, "may hold only letters, digits and -._~+/"},
			},
		},
		{
			name: "output",
			yaml: `output:
  title: ""
  id: not an iri
  share: [email, myspace, Email, mine]
  share_templates:
    mine: https://mine.example/share
    bad: "javascript:alert({url})"
  websub_hubs: [https://hub.example/, "hub.example", https://hub.example/]
` + minimal,
			want: []want{
				{"output.title", 2, "must not be empty"},
				{"output.id", 3, `must be an absolute IRI`},
				{"output.share[1]", 4, `unknown share target "myspace": use one of bluesky, email, facebook, hackernews, linkedin, mastodon, reddit, x, or define it under output.share_templates`},
				{"output.share[2]", 4, `repeats output.share[0] ("email")`},
				{"output.share_templates.mine", 6, "must contain {url} or {text}"},
				{"output.share_templates.bad", 7, "must be an absolute http(s) URL or a mailto: URL"},
				{"output.websub_hubs[1]", 8, `must be an absolute http(s) URL (got "hub.example")`},
				{"output.websub_hubs[2]", 8, "repeats output.websub_hubs[0]"},
			},
		},
		{
			name: "sources",
			yaml: `sources:
  - name: One
    url: https://one.example/feed
  - name: ONE
    url: https://other.example/feed
  - name: A-B
    url: https://ab.example/feed
  - name: a b
    url: https://ab2.example/feed
  - url: https://noname.example/feed
  - name: "!!!"
    url: https://bang.example/feed
  - name: Copy
    url: https://one.example/feed
  - name: Bad
    url: ftp://bad.example/feed
    interval: 30s
    tags: [ok, "not ok", ""]
  - name: Missing URL
`,
			want: []want{
				{"sources[1].name", 4, `name "ONE" is already used by sources[0] (line 2): names must be unique, ignoring case`},
				{"sources[3].name", 8, `name "a b" gives the id "a-b", as "A-B" of sources[2] (line 6) does`},
				{"sources[4].name", -10, "is required"},
				{"sources[5].name", 11, `needs at least one letter or digit to make an id from (got "!!!")`},
				{"sources[6].url", 14, `the same feed as sources[0] (line 2) ("One")`},
				{"sources[7].url", 16, `scheme "ftp" is not supported`},
				{"sources[7].interval", 17, `must be at least 1m; 0 or left out uses fetch.interval (got "30s")`},
				{"sources[7].tags[1]", 18, `tag "not ok" may hold only letters, digits, -, _, and + or # after them (found ' ')`},
				{"sources[7].tags[2]", 18, `tag "" is empty`},
				{"sources[8].url", -19, "is required"},
			},
		},
		{
			// QA: check passed three spellings of one feed. Scheme and
			// host case, the default port and the fragment do not make
			// another feed; path, query and scheme do.
			name: "sources: one feed spelled differently",
			yaml: `sources:
  - name: One
    url: https://one.example/feed?a=1
  - name: Upper
    url: HTTPS://One.Example/feed?a=1
  - name: Port
    url: https://one.example:443/feed?a=1
  - name: Fragment
    url: https://one.example/feed?a=1#top
  - name: Slash
    url: https://one.example/feed/?a=1
  - name: Path case
    url: https://one.example/Feed?a=1
  - name: Other port
    url: https://one.example:8443/feed?a=1
  - name: Plain http
    url: http://one.example:80/feed?a=1
  - name: Query
    url: https://one.example/feed?a=2
`,
			want: []want{
				{"sources[1].url", 5, `the same feed as sources[0] (line 2) ("One")`},
				{"sources[2].url", 7, `the same feed as sources[0] (line 2) ("One")`},
				{"sources[3].url", 9, `the same feed as sources[0] (line 2) ("One")`},
			},
		},
		{
			// QA: a blog called Null lost its name to YAML without a word why.
			name: "a name YAML reads as null",
			yaml: "sources:\n  - name: Null\n    url: https://one.example/feed\n  - name: \"Null\"\n    url: https://two.example/feed\n",
			want: []want{{"sources[0].name", 2, `is required: every source needs a name (YAML reads Null as null: write "Null" to name it so)`}},
		},
		{
			name: "no sources",
			yaml: "log: {level: info}\n",
			want: []want{{"sources", 0, "at least one source is required (or set sources_opml)"}},
		},
		{
			name: "sources_opml stands in for sources",
			yaml: "sources_opml: feeds.opml\n",
		},
		{
			name: "log",
			yaml: "log:\n  level: verbose\n  format: xml\n" + minimal,
			want: []want{
				{"log.level", 2, `must be one of debug, info, warn, error (got "verbose")`},
				{"log.format", 3, `must be one of auto, text, json (got "xml")`},
			},
		},
		{
			name: "wrong kinds",
			yaml: `fetch: 5
output:
  share: email
  max_items: many
server:
  listen: [a, b]
sources:
  - name: One
    url: https://one.example/feed
    tags: {a: b}
`,
			want: []want{
				{"fetch", 1, "must be a mapping of keys to values (got \"5\")"},
				{"output.share", 3, `must be a list (got "email")`},
				{"output.max_items", 4, `must be a whole number (got "many")`},
				{"server.listen", 6, "must be a single value, not a list"},
				{"sources[0].tags", 10, "must be a list (got a mapping)"},
			},
		},
		{
			name: "top level must be a mapping",
			yaml: "- a\n- b\n",
			want: []want{{"", 1, "must be a mapping of keys to values (got a list)"}},
		},
		{
			name: "an alias to no anchor",
			yaml: `sources:
  - name: One
    url: https://one.example/feed
    interval: &slow 45m
  - name: Two
    url: https://two.example/feed
    interval: *slwo
  - name: Three
    url: https://three.example/feed
    <<: *nosuch
`,
			want: []want{
				{"sources[1].interval", 7, "*slwo names no anchor: the file defines no &slwo"},
				{"sources[2]", 10, "*nosuch names no anchor"},
			},
		},
		{
			name: "whole numbers are decimal",
			yaml: "output:\n  max_items: 0x10\n" + minimal,
			want: []want{{"output.max_items", 2, `must be a whole number (got "0x10")`}},
		},
		{
			name: "booleans",
			yaml: "server:\n  trust_loopback: yes\n" + minimal,
			want: []want{{"server.trust_loopback", 2, `must be true or false (got "yes")`}},
		},
		{
			name: "proxies",
			yaml: `server:
  client_ip_header: X Real IP
  trusted_proxies: [10.0.0.0/33, proxy.internal, "::1", "fe80::1%eth0"]
` + minimal,
			want: []want{
				{"server.client_ip_header", 2, `must be a header name such as "X-Forwarded-For" or "X-Real-IP" (got "X Real IP")`},
				{"server.trusted_proxies[0]", 3, `must be an IP address or CIDR range such as "10.0.0.0/8", without an IPv6 zone (got "10.0.0.0/33")`},
				{"server.trusted_proxies[1]", 3, `(got "proxy.internal")`},
				{"server.trusted_proxies[3]", 3, `without an IPv6 zone (got "fe80::1%eth0")`},
			},
		},
		{
			name: "a client IP header that names the server",
			yaml: "server:\n  client_ip_header: host\n" + minimal,
			want: []want{{"server.client_ip_header", 2, "cannot be Host"}},
		},
		{
			name: "a client IP header with no proxy to believe it from",
			yaml: "server:\n  client_ip_header: X-Real-IP\n  trusted_proxies: []\n" + minimal,
			want: []want{{"server.trusted_proxies", 3, "must list the proxies' addresses"}},
		},
		{
			name: "one document only",
			yaml: minimal + "---\nlog: {level: debug}\n",
			want: []want{{"", 5, "several YAML documents"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "test.yaml")
			var got []Problem
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("error is %T, want *ValidationError: %v", err, err)
				}
				got = ve.Problems
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				p := got[i]
				line := p.Line
				if line == 0 {
					line = -p.near
				}
				if p.Key != w.key || line != w.line || !strings.Contains(p.Message, w.msg) {
					t.Errorf("problem %d = {%q, %d, %q}\n             want {%q, %d, …%q…}", i, p.Key, line, p.Message, w.key, w.line, w.msg)
				}
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	yaml := `fetch:
  interval: 10s
sources:
  - url: https://one.example/feed
log: {level: loud}
`
	_, err := Parse([]byte(yaml), "config.yaml")
	want := `config.yaml:2: fetch.interval: must be at least 1m (got "10s")
config.yaml:4: sources[0].name: is required: every source needs a name
config.yaml:5: log.level: must be one of debug, info, warn, error (got "loud")`
	if err == nil || err.Error() != want {
		t.Errorf("Error() =\n%v\nwant\n%s", err, want)
	}
	var ve *ValidationError
	if errors.As(err, &ve) && ve.Problems[1].Line != 0 {
		t.Errorf("absent key has Line %d, want 0 (the parent's line is only printed)", ve.Problems[1].Line)
	}
}

func TestValidateInCode(t *testing.T) {
	c := Default()
	c.Fetch.Interval = 0
	err := c.Validate()
	want := "fetch.interval: must be at least 1m (got \"0s\")\nsources: at least one source is required (or set sources_opml)"
	if err == nil || err.Error() != want {
		t.Errorf("Validate() =\n%v\nwant\n%s", err, want)
	}
}

// TestValidateInCodeDerived checks the Config built in code, which has no
// record of the keys a file writes: values equal to what would be derived
// count as derived, and 0 stays "use fetch.interval".
func TestValidateInCodeDerived(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
		want   string
	}{
		{
			name: "id equal to a bad base_url",
			change: func(c *Config) {
				c.Server.BaseURL, c.Output.ID = "not a url/", "not a url/"
			},
			want: `server.base_url: must be an absolute http(s) URL (got "not a url/")`,
		},
		{
			name: "id of its own",
			change: func(c *Config) {
				c.Server.BaseURL, c.Output.ID = "not a url/", "no iri"
			},
			want: "server.base_url: must be an absolute http(s) URL (got \"not a url/\")\n" +
				`output.id: must be an absolute IRI such as "https://example.org/feed" or "tag:example.org,2024:feed" (got "no iri")`,
		},
		{
			name:   "source interval 0",
			change: func(c *Config) { c.SourceList[0].Interval = 0 },
		},
		{
			name:   "source interval below the floor",
			change: func(c *Config) { c.SourceList[0].Interval = time.Second },
			want:   `sources[0].interval: must be at least 1m; 0 or left out uses fetch.interval (got "1s")`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.SourceList = []Source{{Name: "One", URL: "https://one.example/feed"}}
			tt.change(c)
			err := c.Validate()
			if got := fmt.Sprint(err); (err == nil) != (tt.want == "") || err != nil && got != tt.want {
				t.Errorf("Validate() =\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
}

func TestSyntaxError(t *testing.T) {
	tests := []struct {
		name, yaml   string
		line, column int
	}{
		{"tab indentation", "fetch:\n\tinterval: 1m\n", 2, 1},
		{"unclosed flow list", "sources: [a, b\nlog: {}\n", 2, 1},
		{"duplicate key", "log: {}\nlog: {}\n", 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "bad.yaml")
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is %T (%v), want *SyntaxError", err, err)
			}
			if se.Line != tt.line || se.Column != tt.column || !strings.HasPrefix(se.Error(), "bad.yaml:") {
				t.Errorf("got %d:%d %q, want %d:%d", se.Line, se.Column, se.Error(), tt.line, tt.column)
			}
		})
	}
}

// Tags of languages keep the marks that tell them apart ("c", "c++",
// "c#"), as the tag index does; a mark that starts a word is refused,
// since the index would drop it.
func TestCheckTag(t *testing.T) {
	tests := []struct {
		tag string
		ok  bool
	}{
		{"news", true}, {"deep_sea", true}, {"lower-town", true}, {"c++", true}, {"c#", true},
		{"notepad++-8", true}, {"+c", false}, {"c-#", false}, {"not ok", false}, {"", false},
	}
	for _, tt := range tests {
		if msg := checkTag(tt.tag); (msg == "") != tt.ok {
			t.Errorf("checkTag(%q) = %q, want ok=%v", tt.tag, msg, tt.ok)
		}
	}
}

// server.trust_loopback could not be set at all: the decoder had no case
// for booleans.
func TestDecodeBoolean(t *testing.T) {
	for _, v := range []string{"true", "True", `"true"`} {
		c, err := Parse([]byte("server:\n  trust_loopback: "+v+"\n"+minimal), "test.yaml")
		if err != nil || !c.Server.TrustLoopback {
			t.Errorf("trust_loopback: %s: %v, %v", v, c.Server.TrustLoopback, err)
		}
	}
	c, err := Parse([]byte("server:\n  trust_loopback: false\n"+minimal), "test.yaml")
	if err != nil || c.Server.TrustLoopback {
		t.Errorf("trust_loopback: false: %v, %v", c.Server.TrustLoopback, err)
	}
}

// The proxies' addresses decode into prefixes: an address is its own
// prefix, an IPv4-mapped range is an IPv4 range.
func TestDecodeProxies(t *testing.T) {
	c, err := Parse([]byte(`server:
  client_ip_header: X-Forwarded-For
  trusted_proxies: [10.1.2.3, 172.16.0.0/12, "::ffff:192.0.2.0/120", "fd00::/8"]
`+minimal), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.ClientIPHeader != "X-Forwarded-For" {
		t.Errorf("server = %+v", c.Server)
	}
	want := []netip.Prefix{
		netip.MustParsePrefix("10.1.2.3/32"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("fd00::/8"),
	}
	if got := c.Server.Proxies(); !slices.Equal(got, want) {
		t.Errorf("Proxies() = %v, want %v", got, want)
	}
	if got := Default().Server.Proxies(); len(got) != 2 || !got[0].Contains(netip.MustParseAddr("127.0.0.53")) || !got[1].Contains(netip.IPv6Loopback()) {
		t.Errorf("default proxies = %v, want loopback", got)
	}
}

// "010" is ten: numbers with a leading zero were read as octal (8), and
// "08" refused.
func TestDecodeDecimal(t *testing.T) {
	for _, v := range []string{"010", `"010"`} {
		c, err := Parse([]byte("output:\n  max_items: "+v+"\n"+minimal), "test.yaml")
		if err != nil || c.Output.MaxItems != 10 {
			t.Errorf("max_items: %s = %d, %v; want 10", v, c.Output.MaxItems, err)
		}
	}
	if c, err := Parse([]byte("fetch:\n  max_items: 1_000\n"+minimal), "test.yaml"); err != nil || c.Fetch.MaxItems != 1000 {
		t.Errorf("max_items: 1_000 = %d, %v; want 1000", c.Fetch.MaxItems, err)
	}
	if c, err := Parse([]byte("output:\n  max_items: 08\n"+minimal), "test.yaml"); err != nil || c.Output.MaxItems != 8 {
		t.Errorf("max_items: 08 = %d, %v; want 8", c.Output.MaxItems, err)
	}
}
