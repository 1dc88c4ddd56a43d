package config

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// minimal is the smallest valid file: one source.
const minimal = "sources:\n  - name: One\n    url: https://one.example/feed\n"

func mustParse(t *testing.T, yaml string) *Config {
	t.Helper()
	c, err := Parse([]byte(yaml), "test.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

func TestDefaults(t *testing.T) {
	c := mustParse(t, minimal)
	checks := []struct {
		name      string
		got, want any
	}{
		{"storage.path", c.Storage.Path, "data/tributary.db"},
		{"storage.timeout", c.Storage.Timeout, time.Second},
		{"storage.retention.max_age", c.Storage.Retention.MaxAge, time.Duration(0)},
		{"storage.retention.max_entries", c.Storage.Retention.MaxEntries, 0},
		{"server.listen", c.Server.Listen, "127.0.0.1:8080"},
		{"server.base_url", c.Server.BaseURL, "http://127.0.0.1:8080/"},
		{"server.cache_control", c.Server.CacheControl, "public, max-age=300"},
		{"server.token", c.Server.Token, ""},
		{"output.title", c.Output.Title, "Tributary"},
		{"output.id", c.Output.ID, "http://127.0.0.1:8080/"},
		{"output.max_items", c.Output.MaxItems, 50},
		{"output.share", c.Output.Share, []string{"email", "mastodon", "bluesky", "x", "facebook", "linkedin", "reddit", "hackernews"}},
		{"output.utm", c.Output.UTM, ""},
		{"fetch.interval", c.Fetch.Interval, 15 * time.Minute},
		{"fetch.timeout", c.Fetch.Timeout, 30 * time.Second},
		{"fetch.concurrency", c.Fetch.Concurrency, 8},
		{"fetch.per_host", c.Fetch.PerHost, 2},
		{"fetch.host_delay", c.Fetch.HostDelay, time.Second},
		{"fetch.user_agent", c.Fetch.UserAgent, ""},
		{"fetch.max_body", c.Fetch.MaxBody, 10 * MiB},
		{"fetch.max_items", c.Fetch.MaxItems, 1000},
		{"fetch.backoff_max", c.Fetch.BackoffMax, 24 * time.Hour},
		{"log.level", c.Log.Level, "info"},
		{"log.format", c.Log.Format, "auto"},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
}

func TestDefaultIsFreshAndComplete(t *testing.T) {
	a, b := Default(), Default()
	a.Output.Share[0] = "changed"
	if b.Output.Share[0] != "email" {
		t.Errorf("Default shares its share list between calls")
	}
	d := Default()
	d.SourceList = []Source{{Name: "One", URL: "https://one.example/feed"}}
	if err := d.Validate(); err != nil {
		t.Errorf("Default with a source does not validate: %v", err)
	}
}

func TestDerivedURLs(t *testing.T) {
	tests := []struct {
		name, yaml    string
		baseURL, feed string
	}{
		{"from listen", "server: {listen: '127.0.0.1:9000'}\n", "http://127.0.0.1:9000/", "http://127.0.0.1:9000/"},
		{"wildcard listen becomes loopback", "server: {listen: '0.0.0.0:9000'}\n", "http://127.0.0.1:9000/", "http://127.0.0.1:9000/"},
		{"empty host", "server: {listen: ':9000'}\n", "http://127.0.0.1:9000/", "http://127.0.0.1:9000/"},
		{"ipv6 wildcard", "server: {listen: '[::]:9000'}\n", "http://[::1]:9000/", "http://[::1]:9000/"},
		{"slash added", "server: {base_url: 'https://feeds.example/news'}\n", "https://feeds.example/news/", "https://feeds.example/news/"},
		{"explicit id kept", "server: {base_url: 'https://feeds.example/'}\noutput: {id: 'tag:feeds.example,2024:all'}\n", "https://feeds.example/", "tag:feeds.example,2024:all"},
		{"empty base_url derived", "server: {listen: '127.0.0.1:1234', base_url: ''}\n", "http://127.0.0.1:1234/", "http://127.0.0.1:1234/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustParse(t, tt.yaml+minimal)
			if c.Server.BaseURL != tt.baseURL || c.Output.ID != tt.feed {
				t.Errorf("base_url, id = %q, %q; want %q, %q", c.Server.BaseURL, c.Output.ID, tt.baseURL, tt.feed)
			}
		})
	}
}

func TestValues(t *testing.T) {
	c := mustParse(t, `
fetch:
  interval: 1h30m
  max_body: 512KiB
  host_delay: 0
  per_host: "3"
storage:
  timeout:          # null keeps the default
  retention: {max_age: 8760h, max_entries: 5000}
output:
  share: [Mastodon, mine]
  share_templates: {mine: "https://share.example/?u={url}"}
  websub_hubs: [https://hub.example/]
log: {level: DEBUG, format: json}
sources:
  - name: "  Spaced Name  "
    url: https://a.example/feed
    interval: 2h
    tags: [Politics, politics, eu_news]
    priority: -3
`)
	want := []struct {
		name      string
		got, want any
	}{
		{"interval", c.Fetch.Interval, 90 * time.Minute},
		{"max_body", c.Fetch.MaxBody, 512 * KiB},
		{"host_delay", c.Fetch.HostDelay, time.Duration(0)},
		{"per_host", c.Fetch.PerHost, 3},
		{"storage.timeout", c.Storage.Timeout, time.Second},
		{"max_age", c.Storage.Retention.MaxAge, 8760 * time.Hour},
		{"max_entries", c.Storage.Retention.MaxEntries, 5000},
		{"share", c.Output.Share, []string{"Mastodon", "mine"}},
		{"hubs", c.Output.WebSubHubs, []string{"https://hub.example/"}},
		{"log level lowercased", c.Log.Level, "debug"},
		{"name trimmed", c.SourceList[0].Name, "Spaced Name"},
		{"id", c.SourceList[0].ID, "spaced-name"},
		{"source interval", c.SourceList[0].Interval, 2 * time.Hour},
		{"tags lowercased, deduplicated", c.SourceList[0].Tags, []string{"politics", "eu_news"}},
		{"priority", c.SourceList[0].Priority, -3},
	}
	for _, w := range want {
		if !reflect.DeepEqual(w.got, w.want) {
			t.Errorf("%s = %#v, want %#v", w.name, w.got, w.want)
		}
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	c := mustParse(t, `
sources:
  - &base
    name: One
    url: https://one.example/feed
    interval: 1h
    tags: &tags [news]
  - <<: *base
    name: Two
    url: https://two.example/feed
  - {name: Three, url: "https://three.example/feed", tags: *tags}
`)
	got := c.Sources()
	if len(got) != 3 || got[1].Interval != time.Hour || !slices.Equal(got[1].Tags, []string{"news"}) ||
		got[1].Name != "Two" || got[1].URL != "https://two.example/feed" || !slices.Equal(got[2].Tags, []string{"news"}) {
		t.Errorf("merged sources = %+v", got)
	}
}

func TestFullExampleIsValidAndDocumentsDefaults(t *testing.T) {
	c, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	d := Default()
	// The example sets a few keys away from their defaults to show them;
	// everything else it states must be the default.
	if !reflect.DeepEqual(c.Fetch, d.Fetch) || !reflect.DeepEqual(c.Server, d.Server) || c.Log != d.Log ||
		c.Storage.Timeout != d.Storage.Timeout || c.Storage.RawPath != d.Storage.Path ||
		c.Output.Title != d.Output.Title || c.Output.MaxItems != d.Output.MaxItems ||
		!slices.Equal(c.Output.Share, d.Output.Share) {
		t.Errorf("testdata/full.yaml drifted from Default():\n got %+v\nwant %+v", c, d)
	}
	if len(c.SourceList) < 3 {
		t.Errorf("sources_opml of the example was not merged: %+v", c.SourceList)
	}
}

// TestFullExampleListsEveryKey: the example names every key Config has, so
// that each is documented and decoded once from a file (a boolean key
// added without a decoder case failed for every operator who set it).
func TestFullExampleListsEveryKey(t *testing.T) {
	c, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		switch typ.Kind() {
		case reflect.Struct:
			if typ == reflect.TypeFor[time.Duration]() {
				return
			}
			for f := range typ.Fields() {
				tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
				if tag == "" || tag == "-" {
					continue
				}
				key := tag
				if path != "" {
					key = path + "." + tag
				}
				if _, ok := c.keys[key]; !ok {
					t.Errorf("testdata/full.yaml does not show %s", key)
					continue
				}
				walk(key, f.Type)
			}
		case reflect.Slice:
			walk(path+"[0]", typ.Elem())
		}
	}
	walk("", reflect.TypeFor[Config]())
}
