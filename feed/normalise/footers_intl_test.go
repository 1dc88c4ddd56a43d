package normalise

import (
	"testing"

	"github.com/tributary/tributary/feed"
)

// Cross-post notices and share rows in the other languages are boilerplate
// and name the original; prose that starts with the same words stays.
func TestBoilerplateOtherLanguages(t *testing.T) {
	orig := &feed.Attribution{Name: "Flussblog", URL: "https://fluss.example/a"}
	link := `<a href="https://fluss.example/a">Flussblog</a>`
	tests := []struct {
		name     string
		footer   string
		wantFrom *feed.Attribution
	}{
		{"de zuerst erschienen", `<p>Zuerst erschienen auf ` + link + `.</p><p>Teilen mit:</p><p>Gefällt mir Wird geladen …</p>`, orig},
		{"de dieser artikel", `<p>Dieser Artikel erschien zuerst bei Flussblog.</p><p>Diesen Beitrag teilen</p>`, &feed.Attribution{Name: "Flussblog"}},
		{"de ursprünglich", `<p><em>Ursprünglich veröffentlicht im ` + link + `</em></p>`, orig},
		{"fr publié initialement", `<p>Publié initialement sur ` + link + `.</p><p>Partager :</p><p>J’aime chargement…</p>`, orig},
		{"fr cet article", `<p>Cet article a d’abord été publié sur Flussblog.</p><p>Partagez cet article</p>`, &feed.Attribution{Name: "Flussblog"}},
		{"fr initialement", `<p>Initialement paru dans ` + link + `</p>`, orig},
		{"es publicado originalmente", `<p>Publicado originalmente en ` + link + `.</p><p>Comparte esto:</p><p>Me gusta Cargando...</p>`, orig},
		{"es este artículo", `<p>Este artículo fue publicado originalmente en Flussblog.</p><p>Compartir</p>`, &feed.Attribution{Name: "Flussblog"}},
		{"pt publicado originalmente", `<p>Este artigo foi publicado originalmente em ` + link + `.</p><p>Compartilhe isso:</p><p>Curtir Carregando...</p>`, orig},
		{"it pubblicato originariamente", `<p>Pubblicato originariamente su ` + link + `.</p><p>Condividi:</p><p>Mi piace Caricamento...</p>`, orig},
		{"nl oorspronkelijk gepubliceerd", `<p>Oorspronkelijk gepubliceerd op ` + link + `.</p><p>Dit delen:</p><p>Vind ik leuk Laden...</p>`, orig},
		{"nl dit artikel verscheen", `<p>Dit artikel verscheen eerder op Flussblog.</p>`, &feed.Attribution{Name: "Flussblog"}},
		{"crosspost von", `<p>Crosspost von ` + link + `</p>`, orig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clean, from := Boilerplate(article + tt.footer)
			if got := Text(clean); got != articleText {
				t.Errorf("text after Boilerplate =\n%q\nwant the article alone; html: %s", got, clean)
			}
			if !sameAttribution(from, tt.wantFrom) {
				t.Errorf("attribution = %+v, want %+v", from, tt.wantFrom)
			}
		})
	}
}

func TestBoilerplateOtherLanguagesKeepsProse(t *testing.T) {
	for _, prose := range []string{
		"Zuerst in der Stadt gab es nur eine Brücke.",
		"Bereits in den 1990er Jahren stieg der Fluss.",
		"Paru dans Le Monde en 1998, ce texte reste actuel.",
		"Publié sur papier, le rapport est introuvable.",
		"Publicado en 2020, el libro sigue vigente.",
		"Me gusta el río cuando sube.",
		"Mi piace molto questa città.",
		"Dit delen we graag met iedereen.",
		"Teilen ist wichtig, sagte sie, und ging nach Hause.",
		"Condividi il pane con chi ha fame.",
	} {
		t.Run(prose, func(t *testing.T) {
			in := article + "<p>" + prose + "</p>"
			clean, from := Boilerplate(in)
			if got, want := Text(clean), articleText+"\n"+prose; got != want {
				t.Errorf("text after Boilerplate =\n%q\nwant\n%q", got, want)
			}
			if from != nil {
				t.Errorf("prose taken for an attribution: %+v", from)
			}
		})
	}
}

// TestReadMoreLines: the line an excerpt ends with to send readers to the
// rest is boilerplate, in every usual wording, so that the excerpt's text
// is the article's opening and is recognised as its excerpt.
func TestReadMoreLines(t *testing.T) {
	link := func(text string) string { return `<a href="https://americanpower.example/floodwall">` + text + `</a>` }
	for _, line := range []string{
		`Read the rest at ` + link("American Power") + `.`,
		`Read more at ` + link("American Power"),
		link("Read more at American Power »"),
		`Read the full post at ` + link("American Power") + `.`,
		`Continue reading at ` + link("American Power") + ` »`,
		link("Click here to read more"),
		`Click here to ` + link("read more") + `…`,
		link("Den ganzen Beitrag lesen »"),
		link("Weiterlesen"),
		`Lire la suite sur ` + link("American Power"),
		link("Leer más"),
		link("Lees verder"),
	} {
		t.Run(line, func(t *testing.T) {
			clean, _ := Boilerplate(article + "<p>" + line + "</p>")
			if got := Text(clean); got != articleText {
				t.Errorf("text after Boilerplate =\n%q\nwant the article alone", got)
			}
		})
	}
	for _, prose := range []string{
		`Read more about the wall in ` + link("our report") + ` from last spring, which measured the water.`,
		`You can see more at the ` + link("harbor museum") + `, open on Sundays.`,
		`See more on the vote in ` + link("the minutes") + `.`,
		`Read more on the vote in ` + link("the minutes") + `.`,
	} {
		t.Run(prose, func(t *testing.T) {
			clean, _ := Boilerplate(article + "<p>" + prose + "</p>")
			if got := Text(clean); got == articleText {
				t.Errorf("prose taken for a read-more line: %q", prose)
			}
		})
	}
}
