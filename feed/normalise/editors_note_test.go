package normalise

import "testing"

func TestEditorsNote(t *testing.T) {
	for _, in := range []string{
		`<p><em>Editor's note: this piece by Ann Lee first ran on <a href="https://ledger.example/">The Quiet Ledger</a> and is republished with permission.</em></p><p>The council voted on Tuesday to build the wall along the harbor.</p>`,
		`<p>Editor’s note: This essay first appeared in The Quiet Ledger, and is reprinted here with permission.</p><p>The council voted on Tuesday to build the wall along the harbor.</p>`,
	} {
		clean, from := Boilerplate(in)
		if from == nil || from.Name != "The Quiet Ledger" {
			t.Errorf("attribution %+v from %q", from, in)
		}
		if got := Text(clean); got != "The council voted on Tuesday to build the wall along the harbor." {
			t.Errorf("text %q", got)
		}
	}
}
