package identify

import (
	"strings"
	"testing"
)

func TestLowerWords(t *testing.T) {
	tests := []struct{ text, want string }{
		{"The Floodwall HELD", "the|floodwall|held"},
		{"防潮堤は持ちこたえた。", "防|潮|堤|は|持|ち|こ|た|え|た|。"},
		{"新しい防潮堤 (floodwall) が完成", "新|し|い|防|潮|堤|(floodwall)|が|完|成"},
		{"東京2026年", "東|京|2026|年"},
		{"กำแพงกันน้ำ", "ก|ำ|แ|พ|ง|ก|ั|น|น|้|ำ"},
		{"Привет, мир", "привет,|мир"},
		{"한국어 문장입니다", "한국어|문장입니다"}, // Korean is written with spaces
	}
	for _, tc := range tests {
		if got := strings.Join(lowerWords(tc.text), "|"); got != tc.want {
			t.Errorf("lowerWords(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestUnspacedTextIsKnownByIt: a Japanese article, which has no spaces, is
// long enough to be known by its text and compared with its copies.
func TestUnspacedTextIsKnownByIt(t *testing.T) {
	text := "港の新しい防潮堤は日曜日の夜の嵐を耐え抜いた。春に完成して以来、初めての本格的な試練だった。"
	if TextKey(text) == "" {
		t.Errorf("no text key for %d characters of Japanese", len([]rune(text)))
	}
	if len(lowerWords(text)) < minNearWords {
		t.Errorf("too few words to compare: %d", len(lowerWords(text)))
	}
}
