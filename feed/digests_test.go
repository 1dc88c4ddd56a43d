package feed

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDigestsJSON(t *testing.T) {
	for _, d := range []Digests{nil, {0}, {1, 1 << 63, 0xdeadbeefcafef00d}} {
		b, err := json.Marshal(SourceState{SourceID: "s", Known: d})
		if err != nil {
			t.Fatal(err)
		}
		var st SourceState
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if len(d) == 0 && len(st.Known) != 0 || len(d) > 0 && !reflect.DeepEqual(st.Known, d) {
			t.Errorf("%v: read back %v from %s", d, st.Known, b)
		}
	}
	var old Digests
	if err := json.Unmarshal([]byte(`[1,18446744073709551615]`), &old); err != nil || !reflect.DeepEqual(old, Digests{1, 1<<64 - 1}) {
		t.Errorf("the numbers an earlier build wrote: %v, %v", old, err)
	}
	for _, bad := range []string{`"AAAA"`, `"not base64!"`, `[1,"x"]`, `{}`} {
		var d Digests
		if err := json.Unmarshal([]byte(bad), &d); err == nil || !strings.Contains(err.Error(), "digests") {
			t.Errorf("%s: error %v, want one naming the digests", bad, err)
		}
	}
}
