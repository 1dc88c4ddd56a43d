package normalise

import "regexp"

// Footers in German, French, Spanish, Portuguese, Italian and Dutch, the
// languages after English that the feeds we follow publish in most. Like
// the English patterns (footers.go) each matches a whole folded line, and
// each wording names a first publication with a verb and an adverb of
// priority ("zuerst erschienen", "publié initialement"), never a bare
// preposition: "Paru dans Le Monde en 1998, ce texte…" is prose.
var (
	attributionIntlRe = regexp.MustCompile(`(?i)^(?:` +
		// de: "Zuerst erschienen auf X", "Dieser Artikel erschien zuerst bei X"
		`(?:zuerst|ursprünglich|erstmals) (?:erschienen|veröffentlicht|publiziert) (?:auf|bei|in|im)|` +
		`(?:dieser|der) (?:beitrag|artikel|text) (?:erschien|ist) (?:zuerst|ursprünglich|erstmals) (?:erschienen )?(?:auf|bei|in|im)|` +
		`cross-?post(?:ed)? (?:von|aus|de|desde|da|van)|` +
		// fr: "Publié initialement sur X", "Cet article a d'abord été publié sur X"
		`(?:initialement|originellement|d'abord) (?:publié|paru)e? (?:sur|dans|chez|par)|` +
		`(?:(?:cet |l')article |ce billet |article |billet )?(?:a été |est )?(?:publié|paru)e? (?:initialement|à l'origine|originellement|d'abord|pour la première fois) (?:sur|dans|chez|par)|` +
		`(?:cet article|ce billet) a (?:d'abord|initialement) été (?:publié|paru)e? (?:sur|dans|chez|par)|` +
		// es, pt: "Publicado originalmente en X", "Este artigo foi publicado originalmente em X"
		`(?:(?:este |el |o )?(?:artículo|artigo|post|texto) (?:fue |foi |se )?)?(?:publicado|publicó) (?:originalmente|inicialmente|por primera vez|pela primeira vez) (?:en|em|no|na|por)|` +
		// it: "Pubblicato originariamente su X"
		`(?:(?:questo |l')?(?:articolo|post) (?:è stato |e' stato )?)?pubblicat[oa] (?:originariamente|originalmente|inizialmente|per la prima volta) (?:su|in|da)|` +
		// nl: "Oorspronkelijk gepubliceerd op X", "Dit artikel verscheen eerder op X"
		`(?:oorspronkelijk|eerder|eerst) (?:gepubliceerd|verschenen) (?:op|in|bij)|` +
		`(?:dit|het) (?:artikel|stuk|bericht) (?:verscheen|is) (?:eerder|oorspronkelijk|eerst) (?:verschenen |gepubliceerd )?(?:op|in|bij)` +
		`)\s*:?\s+(.+)$`)

	// sharePhraseIntlRe: the share prompts of blogs and of WordPress's
	// sharing and like rows in those languages ("Teilen mit:", "J'aime
	// chargement…").
	sharePhraseIntlRe = regexp.MustCompile(`(?i)^(?:` +
		`(?:(?:diesen )?(?:beitrag|artikel) )?teilen(?: mit)?|jetzt teilen|teile (?:diesen (?:beitrag|artikel)|dies)|gefällt mir(?: wird geladen(?:\.\.\.)?)?|` +
		`partager(?: (?:cet article|ce billet|sur [\w.]+))?|partagez(?: (?:cet article|ce billet))?|j'aime(?: ceci| chargement(?:\.\.\.)?)?|` +
		`compartir(?: (?:esto|este artículo|en [\w.]+))?|comparte(?: (?:esto|este artículo))?|me gusta(?: esto| cargando(?:\.\.\.)?)?|` +
		`compartilh(?:e|ar)(?: (?:isso|isto|este artigo))?|partilh(?:e|ar)(?: (?:isto|este artigo))?|curtir(?: isso| carregando(?:\.\.\.)?)?|` +
		`condividi(?: (?:questo articolo|questo post|su [\w.]+))?|mi piace(?: caricamento(?:\.\.\.)?)?|` +
		`(?:dit )?delen|deel (?:dit(?: artikel)?)|vind ik leuk(?: laden(?:\.\.\.)?)?` +
		`)$`)
)

// sharePrefixIntl are the first words of sharePhraseIntlRe's phrases, as
// firstWord returns them ("J'aime" gives "j").
var sharePrefixIntl = map[string]bool{
	"teilen": true, "teile": true, "diesen": true, "beitrag": true, "artikel": true, "jetzt": true, "gefällt": true,
	"partager": true, "partagez": true, "j": true,
	"compartir": true, "comparte": true, "me": true,
	"compartilhe": true, "compartilhar": true, "partilhe": true, "partilhar": true, "curtir": true,
	"condividi": true, "mi": true,
	"dit": true, "delen": true, "deel": true, "vind": true,
}
