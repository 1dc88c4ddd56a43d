package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Load reads the configuration file at path: defaults, then the file, then
// derived values, relative paths resolved against the file's directory,
// the sources_opml feeds merged in, and everything validated. A file that
// is not YAML yields a *SyntaxError, a file with problems a
// *ValidationError listing all of them.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolve config path %s: %w", path, err)
	}
	return parse(data, path, filepath.Dir(abs), true)
}

// Parse is Load for a configuration held in memory; name stands for the
// file in messages. Relative paths stay relative to the working directory
// and sources_opml is not read (its feeds are not merged).
func Parse(data []byte, name string) (*Config, error) {
	return parse(data, name, "", false)
}

func parse(data []byte, name, dir string, readOPML bool) (*Config, error) {
	c := Default()
	// Derived values are derived again from what the file says.
	c.Server.BaseURL, c.Output.ID = "", ""
	problems, err := decode(data, name, c)
	if err != nil {
		return nil, err
	}
	c.File, c.Dir = name, dir
	c.normalise()
	c.resolve(dir)
	if readOPML && c.SourcesOPML != "" {
		problems = append(problems, c.mergeOPML()...)
	}
	if err := c.validate(problems); err != nil {
		return nil, err
	}
	return c, nil
}

// normalise brings decoded values to their canonical form: trimmed names,
// ids, lowercased tags and levels, derived URLs.
func (c *Config) normalise() {
	c.Storage.RawPath = c.Storage.Path
	c.RawSourcesOPML = c.SourcesOPML
	for i := range c.SourceList {
		s := &c.SourceList[i]
		s.Name = strings.TrimSpace(s.Name)
		s.ID = Slug(s.Name)
		s.URL = strings.TrimSpace(s.URL)
		s.RawURL = s.URL
		s.Tags = normaliseTags(s.Tags)
	}
	c.Log.Level = strings.ToLower(strings.TrimSpace(c.Log.Level))
	c.Log.Format = strings.ToLower(strings.TrimSpace(c.Log.Format))
	c.Server.BaseURL = strings.TrimSpace(c.Server.BaseURL)
	c.deriveURLs()
	// per_host's default (2) follows a fetch.concurrency set below it:
	// "concurrency: 1" alone must not be an error about a key the file
	// never wrote.
	if !c.written("fetch.per_host") && c.Fetch.Concurrency >= 1 && c.Fetch.PerHost > c.Fetch.Concurrency {
		c.Fetch.PerHost = c.Fetch.Concurrency
	}
}

// normaliseTags lowercases tags and drops repeats, keeping first-seen order.
func normaliseTags(tags []string) []string {
	if tags == nil {
		return nil
	}
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// resolve makes relative paths relative to dir (when dir is set) and turns
// file:// URLs into paths. Locations that do not parse are left as they
// are for Validate to report.
func (c *Config) resolve(dir string) {
	c.Storage.Path = resolvePath(dir, c.Storage.Path)
	c.SourcesOPML = resolvePath(dir, c.SourcesOPML)
	for i := range c.SourceList {
		s := &c.SourceList[i]
		s.URL = resolveLocation(dir, s.URL)
	}
}

func resolvePath(dir, p string) string {
	if p == "" || dir == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// resolveLocation returns an http(s) URL unchanged and a local file, given
// as a path or a file:// URL, as a path resolved against dir.
func resolveLocation(dir, loc string) string {
	kind, p, err := parseLocation(loc)
	if err != nil || kind != localFile {
		return loc
	}
	return resolvePath(dir, p)
}

type locationKind int

const (
	httpURL locationKind = iota + 1
	localFile
)

// parseLocation classifies a source's url: an http(s) URL, or a local file
// written as a path or a file:// URL (whose path it returns).
func parseLocation(loc string) (locationKind, string, error) {
	if loc == "" {
		return 0, "", fmt.Errorf("is required: an http(s) URL, a file:// URL or a local file path")
	}
	scheme, _, isURL := strings.Cut(loc, ":")
	// A one-letter scheme is a Windows drive, not a URL.
	if !isURL || len(scheme) < 2 || !validScheme(scheme) || filepath.IsAbs(loc) {
		return localFile, loc, nil
	}
	quoted := maskedLocation(loc)
	u, err := url.Parse(loc)
	if err != nil {
		if strings.Contains(loc, "@") {
			// net/url's words quote the part it choked on, which may be
			// a password's ("invalid port \":p4ss\"").
			return 0, "", fmt.Errorf("%s is not a valid URL (write \"/\", \"?\", \"#\" or \"@\" in a user name or password as %%2F, %%3F, %%23, %%40)", quoted)
		}
		return 0, "", fmt.Errorf("%s is not a valid URL: %v", quoted, unwrapURLError(err))
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return 0, "", fmt.Errorf("%s has no host", quoted)
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return 0, "", fmt.Errorf("%s: port %s is not one (1 to 65535)", quoted, p)
			}
		}
		return httpURL, loc, nil
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return 0, "", fmt.Errorf("%s names host %q: file:// URLs must be local (file:///path)", quoted, u.Host)
		}
		p := u.Path
		if u.Opaque != "" {
			// file:relative/path: opaque, percent-decoding not applied.
			p, _ = url.PathUnescape(u.Opaque)
		}
		if p == "" {
			return 0, "", fmt.Errorf("%s names no file", quoted)
		}
		return localFile, filepath.FromSlash(p), nil
	}
	return 0, "", fmt.Errorf("%s: scheme %q is not supported: use http, https, a file:// URL or a local file path", quoted, u.Scheme)
}

// maskedLocation quotes a source URL for a message (printed, logged on a
// reload, mailed by cron) with anything that may be a password masked. A
// password may hold "/", "?" or "#" (the URL then does not parse, and its
// userinfo cannot be told from its path), so everything from "://" to the
// URL's last "@" is masked: a URL with "@" in its path loses some of it
// in a message, which is the lesser harm.
func maskedLocation(loc string) string {
	if i := strings.Index(loc, "://"); i > 0 {
		if at := strings.LastIndexByte(loc, '@'); at > i+3 {
			return strconv.Quote(loc[:i+3] + "xxxxx" + loc[at:])
		}
	}
	return strconv.Quote(loc)
}

// validScheme reports whether s is an RFC 3986 scheme.
func validScheme(s string) bool {
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// unwrapURLError drops url.Error's "parse <url>:" prefix, which repeats
// the URL the message already quotes.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// mergeOPML adds the feeds of the sources_opml file to SourceList. A feed
// already configured under sources (same resolved URL) keeps its config
// entry: that is where the operator gave it a name, tags and priority.
func (c *Config) mergeOPML() []Problem {
	problem := func(format string, args ...any) []Problem {
		return []Problem{{Key: "sources_opml", Line: c.keys["sources_opml"].line, Message: fmt.Sprintf(format, args...)}}
	}
	f, err := os.Open(c.SourcesOPML)
	if err != nil {
		return problem("cannot read the OPML file: %v", err)
	}
	defer f.Close()
	srcs, err := ReadOPML(f)
	if err != nil {
		return problem("read OPML %s: %v", c.SourcesOPML, err)
	}
	// One feed spelled two ways (HTTPS://Host/feed, https://host:443/feed)
	// is one feed, as Validate compares them: an OPML file another tool
	// exported must not stop the daemon over a spelling.
	seen := map[string]bool{}
	for _, s := range c.SourceList {
		seen[sameFeed(s.URL)] = true
	}
	dir := filepath.Dir(c.SourcesOPML)
	for _, s := range srcs {
		s.URL = resolveLocation(dir, s.URL)
		if seen[sameFeed(s.URL)] {
			continue
		}
		seen[sameFeed(s.URL)] = true
		c.SourceList = append(c.SourceList, s)
	}
	if len(c.SourceList) == 0 {
		return problem("%s lists no feeds and sources is empty: Tributary needs at least one source", c.SourcesOPML)
	}
	return nil
}
