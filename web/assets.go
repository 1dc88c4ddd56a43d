package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

//go:embed assets
var assetFS embed.FS

// assets serves the embedded stylesheet and icon. Each is linked as
// assets/NAME?v=HASH: a page always names the bytes it was rendered with,
// so the asset can be cached for a year and a new build is still seen.
type assets struct {
	files map[string]asset
}

type asset struct {
	body        []byte
	hash        string
	contentType string
}

func mustLoadAssets() *assets {
	a := &assets{files: map[string]asset{}}
	entries, err := fs.ReadDir(assetFS, "assets")
	if err != nil {
		panic(fmt.Sprintf("web: read embedded assets: %v", err))
	}
	for _, e := range entries {
		body, err := fs.ReadFile(assetFS, "assets/"+e.Name())
		if err != nil {
			panic(fmt.Sprintf("web: read embedded asset %s: %v", e.Name(), err))
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(e.Name()))
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.files[e.Name()] = asset{body: body, hash: hex.EncodeToString(sum[:6]), contentType: ct}
	}
	return a
}

// url is the root-relative URL of an asset, with its hash.
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		return "assets/" + name
	}
	return "assets/" + name + "?v=" + f.hash
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+f.hash+`"`)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if etagMatch(r.Header.Get("If-None-Match"), `"`+f.hash+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if r.Method != http.MethodHead {
		_, _ = w.Write(f.body)
	}
}
