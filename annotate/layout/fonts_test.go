package layout

import (
	"sync"
	"testing"
)

// Emoji and symbols that neither the Arabic nor the Latin font has are drawn
// from the symbol face, not as .notdef boxes.
func TestEmojiGetGlyphs(t *testing.T) {
	fonts := mustFonts(t)
	text := "🔴 عاجل: 📍 العقبة ⚽ ✅ ☎ ➡ 🇯🇴"
	runes := []rune(text)
	want := map[int]bool{}
	for i, r := range runes {
		if r > 0x2000 {
			want[i] = true
			if got := fonts.faceFor(r); got != faceSymbols {
				t.Errorf("%U: face %d, want the symbol face", r, got)
			}
		}
	}
	d := NewDocument(text, fonts, Options{Size: 20, Scale: 1})
	seen := map[int]bool{}
	for _, ln := range d.Lines() {
		for _, r := range ln.Runs {
			for _, g := range r.Output.Glyphs {
				seen[g.ClusterIndex] = true
				// Every glyph, the spaces after an emoji included.
				if g.GlyphID == 0 {
					t.Errorf("%U (offset %d) is drawn as .notdef", runes[g.ClusterIndex], g.ClusterIndex)
				}
			}
		}
	}
	for i := range want {
		if !seen[i] && !(runes[i] >= 0x1F1E6 && runes[i] <= 0x1F1FF && seen[i-1]) { // a flag's second half shares the first's cluster
			t.Errorf("%U (offset %d) has no glyph", runes[i], i)
		}
	}
}

// TestSymbolFaceOnFirstUse: the symbol face is parsed when a text first
// needs it, once, even when documents on several goroutines need it at the
// same time (go test -race), and each gets its glyphs.
func TestSymbolFaceOnFirstUse(t *testing.T) {
	f, err := DefaultFonts()
	if err != nil {
		t.Fatal(err)
	}
	NewDocument("نص عربي فقط (Latin)", f, Options{}).LayoutAll()
	if f.fallbacks[faceSymbols].font != nil {
		t.Fatal("the symbol face was parsed for a text without symbols")
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := []rune("عاجل 🔴 الآن ✅")
			d := NewDocument(string(text), f, Options{})
			d.ShapeAll()
			for _, ln := range d.Lines() {
				for _, r := range ln.Runs {
					for _, g := range r.Output.Glyphs {
						if text[g.ClusterIndex] > 0x2000 && g.GlyphID == 0 {
							t.Errorf("%U is drawn as .notdef", text[g.ClusterIndex])
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	if f.fallbacks[faceSymbols].font == nil {
		t.Fatal("the symbol face was not parsed")
	}
}
