package config

import (
	"net"
	"net/netip"
	"time"
)

// Config is Tributary's whole configuration. Fields carry the values in
// effect: defaults where the file is silent, derived values filled in
// (server.base_url, output.id) and, after Load, relative paths resolved
// against the config file's directory. The Raw* fields keep what the file
// said, for messages.
type Config struct {
	Storage Storage `yaml:"storage"`
	Server  Server  `yaml:"server"`
	Output  Output  `yaml:"output"`
	Fetch   Fetch   `yaml:"fetch"`
	// SourcesOPML names an OPML file whose feeds are added to SourceList
	// by Load.
	SourcesOPML string `yaml:"sources_opml"`
	// SourceList is the sources as configured (named so because Sources
	// converts them to the domain type).
	SourceList []Source `yaml:"sources"`
	Log        Log      `yaml:"log"`

	// File is the name the configuration was loaded from ("" for Default);
	// Dir is the directory relative paths were resolved against ("" when
	// they were left relative to the working directory).
	File string `yaml:"-"`
	Dir  string `yaml:"-"`
	// RawSourcesOPML is sources_opml as written in the file.
	RawSourcesOPML string `yaml:"-"`

	// keys records where each key path was written; Validate reads lines
	// and the literal values from it. Nil for a Config built in code.
	keys map[string]keyPos
	// broken holds the key paths that could not be decoded, so that
	// Validate does not report them a second time against their defaults.
	broken map[string]bool
}

// Storage configures the bbolt store.
type Storage struct {
	Path string `yaml:"path"`
	// Timeout bounds the wait for the store's file lock; another process
	// holding it (a running daemon) makes Open fail after this long.
	Timeout   time.Duration `yaml:"timeout"`
	Retention Retention     `yaml:"retention"`
	// RawPath is path as written in the file, before resolution.
	RawPath string `yaml:"-"`
}

// LocalTokenPath is where the daemon writes its local token, the bearer
// token of the operator's own tools (fetch and backup beside a running
// daemon): beside the store, readable by the user the daemon runs as.
func (s Storage) LocalTokenPath() string { return s.Path + ".token" }

// Retention bounds how much history is kept; zero values keep everything.
type Retention struct {
	MaxAge     time.Duration `yaml:"max_age"`
	MaxEntries int           `yaml:"max_entries"`
}

// Server configures the HTTP server that publishes the unified feed.
type Server struct {
	Listen string `yaml:"listen"`
	// BaseURL is absolute and always ends with "/"; it is derived from
	// Listen when the file does not set it.
	BaseURL      string `yaml:"base_url"`
	CacheControl string `yaml:"cache_control"`
	// Token, when set, is a bearer token that admits a client from
	// anywhere to the operator endpoints: /-/fetch, /-/backup, /metrics.
	// The daemon also writes a token of its own for local tools
	// (Storage.LocalTokenPath).
	Token string `yaml:"token"`
	// TrustLoopback admits loopback clients to the operator endpoints
	// without a token, as versions before it did. Off by default: a
	// reverse proxy or port forwarder on the same host that adds no
	// forwarding header makes every request it passes on look local.
	TrustLoopback bool `yaml:"trust_loopback"`
	// RateLimit is how many requests per second one client (by IP address)
	// may make on average, with bursts of RateBurst; 0 disables the limit.
	// Loopback clients are not limited (a proxy on the same host has its
	// own limits, and local tools must not be throttled).
	RateLimit int `yaml:"rate_limit"`
	RateBurst int `yaml:"rate_burst"`
	// MaxConnections bounds the connections open at once: at the bound
	// the longest-idle keep-alive connection is closed for a new one.
	MaxConnections int `yaml:"max_connections"`
	// ClientIPHeader names the header in which a reverse proxy in front
	// of the server passes on its client's address ("X-Forwarded-For",
	// "X-Real-IP", "Forwarded"…), so that the rate limit applies to each
	// client rather than to the proxy; "" believes no header. It is read
	// only from a request that connects from one of TrustedProxies.
	ClientIPHeader string `yaml:"client_ip_header"`
	// TrustedProxies are the addresses (or CIDR ranges) of those proxies
	// [127.0.0.0/8, ::1].
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// Proxies returns TrustedProxies parsed, each address as a prefix of its
// full length; entries that do not parse (Validate reports them) are left
// out.
func (s Server) Proxies() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range s.TrustedProxies {
		if prefix, ok := parsePrefix(p); ok {
			out = append(out, prefix)
		}
	}
	return out
}

// parsePrefix parses an address or a CIDR range. An address with an IPv6
// zone ("fe80::1%eth0") is refused: a prefix holds none, and the zone
// would be silently dropped.
func parsePrefix(s string) (netip.Prefix, bool) {
	if addr, err := netip.ParseAddr(s); err == nil {
		if addr.Zone() != "" {
			return netip.Prefix{}, false
		}
		addr = addr.Unmap()
		return netip.PrefixFrom(addr, addr.BitLen()), true
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// Output describes the republished feed.
type Output struct {
	Title string `yaml:"title"`
	// ID is the feed's id: BaseURL unless the file sets it.
	ID          string `yaml:"id"`
	Author      string `yaml:"author"`
	Description string `yaml:"description"`
	MaxItems    int    `yaml:"max_items"`
	// Share names the share links shown under each entry, in order. A name
	// is a builtin of feed/render or a key of ShareTemplates.
	Share []string `yaml:"share"`
	// ShareTemplates adds share targets or overrides builtins; a template
	// only appears when its name is listed in Share.
	ShareTemplates map[string]string `yaml:"share_templates"`
	// UTM is the utm_source added to links inside share URLs; "" adds none.
	UTM        string   `yaml:"utm"`
	WebSubHubs []string `yaml:"websub_hubs"`
}

// Fetch configures how upstream feeds are fetched.
type Fetch struct {
	Interval    time.Duration `yaml:"interval"`
	Timeout     time.Duration `yaml:"timeout"`
	Concurrency int           `yaml:"concurrency"`
	PerHost     int           `yaml:"per_host"`
	HostDelay   time.Duration `yaml:"host_delay"`
	// UserAgent is "" for the default, which the caller builds because it
	// knows the version.
	UserAgent  string        `yaml:"user_agent"`
	MaxBody    ByteSize      `yaml:"max_body"`
	MaxItems   int           `yaml:"max_items"`
	BackoffMax time.Duration `yaml:"backoff_max"`
}

// Source is one upstream feed as configured.
type Source struct {
	Name string `yaml:"name"`
	// URL is an http(s) URL or a local file path; after Load a relative
	// path is resolved and a file:// URL turned into a path.
	URL      string        `yaml:"url"`
	Interval time.Duration `yaml:"interval"`
	Tags     []string      `yaml:"tags"`
	Priority int           `yaml:"priority"`
	// Private publishes nothing of the feed's URL: the sources page,
	// sources.opml and the copies' attribution leave it out (see
	// feed.Source.Private).
	Private bool `yaml:"private"`

	// ID is the slug of Name (see Slug).
	ID string `yaml:"-"`
	// RawURL is url as written (in the config file or the OPML file).
	RawURL string `yaml:"-"`
	// FromOPML is true for sources that came from sources_opml.
	FromOPML bool `yaml:"-"`
}

// Log configures log/slog output.
type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// Defaults that other values are checked against or derived from.
const (
	DefaultListen = "127.0.0.1:8080"
	minInterval   = time.Minute
	minMaxBody    = KiB
	maxMaxBody    = GiB
	// maxConcurrency bounds fetch.concurrency, and so fetch.per_host.
	maxConcurrency = 256
	// maxRate bounds server.rate_limit and server.rate_burst.
	maxRate = 100000
)

// defaultShare is every builtin share target, in the order shown.
var defaultShare = [...]string{"email", "mastodon", "bluesky", "x", "facebook", "linkedin", "reddit", "hackernews"}

// Default returns the configuration in effect when a file sets nothing,
// derived values included. It has no sources, so it does not validate as is.
func Default() *Config {
	c := &Config{
		Storage: Storage{
			Path:    "data/tributary.db",
			Timeout: time.Second,
		},
		Server: Server{
			Listen:       DefaultListen,
			CacheControl: "public, max-age=300",
			RateLimit:    20,
			RateBurst:    60,
			// server.DefaultMaxConns; config does not import server.
			MaxConnections: 4096,
		},
		Output: Output{
			Title:    "Tributary",
			MaxItems: 50,
		},
		Fetch: Fetch{
			Interval:    15 * time.Minute,
			Timeout:     30 * time.Second,
			Concurrency: 8,
			PerHost:     2,
			HostDelay:   time.Second,
			MaxBody:     10 * MiB,
			MaxItems:    1000,
			BackoffMax:  24 * time.Hour,
		},
		Log: Log{Level: "info", Format: "auto"},
	}
	// Share must not alias the constant table: callers may append to it.
	c.Output.Share = append([]string(nil), defaultShare[:]...)
	c.Server.TrustedProxies = []string{"127.0.0.0/8", "::1"}
	c.Storage.RawPath = c.Storage.Path
	c.deriveURLs()
	return c
}

// deriveURLs fills base_url from listen and output.id from base_url when
// they are empty, and gives base_url its trailing slash. An unusable listen
// address derives nothing: Validate reports the address instead.
func (c *Config) deriveURLs() {
	if c.Server.BaseURL == "" {
		c.Server.BaseURL = baseURLFor(c.Server.Listen)
	}
	if c.Server.BaseURL != "" && c.Server.BaseURL[len(c.Server.BaseURL)-1] != '/' {
		c.Server.BaseURL += "/"
	}
	if c.Output.ID == "" {
		c.Output.ID = c.Server.BaseURL
	}
}

// baseURLFor is the URL a browser on this machine reaches listen at. A
// wildcard host becomes loopback, which is right for local use and visibly
// wrong in a public feed, where base_url must be set anyway.
func baseURLFor(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" {
		return ""
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
