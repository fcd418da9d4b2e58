package annotate

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCursorSlice checks Slice against []rune indexing on texts of mixed
// widths, in and out of order and past the end.
func TestCursorSlice(t *testing.T) {
	chars := []string{"a", " ", "\n", "é", "ب", "ك", "€", "😀", "\u200c"}
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		var b strings.Builder
		for range n % 97 {
			b.WriteString(chars[r.IntN(len(chars))])
		}
		text := b.String()
		runes := []rune(text)
		c := NewCursor(text)
		for range 40 {
			start, end := r.IntN(len(runes)+3)-1, r.IntN(len(runes)+3)-1
			if r.IntN(2) == 0 {
				end = start + r.IntN(12)
			}
			got, ok := c.Slice(start, end)
			want, wantOK := "", start >= 0 && start < end && end <= len(runes)
			if wantOK {
				want = string(runes[start:end])
			}
			if got != want || ok != wantOK {
				t.Fatalf("%q: Slice(%d, %d) = %q, %v; want %q, %v", text, start, end, got, ok, want, wantOK)
			}
		}
	}
}

func BenchmarkCursorSlice(b *testing.B) {
	text := strings.Repeat("قال وزير الخارجية إن الأردن وتركيا ستتعاونان في العقبة اليوم ", 20)
	n := len([]rune(text))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		c := NewCursor(text)
		for s := 0; s+10 < n; s += 50 {
			c.Slice(s, s+10)
		}
	}
}
