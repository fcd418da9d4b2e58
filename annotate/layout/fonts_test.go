package layout

import (
	"bytes"
	"reflect"
	"sync"
	"testing"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"

	"tawsim/assets"
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

// The fonts parsed without their glyph names (withoutGlyphNames) shape and
// draw exactly as the shipped files: every glyph's advance, extents and
// outline, and HarfBuzz's output on the benchmark text, are the same.
func TestWithoutGlyphNamesChangesNothingLaidOut(t *testing.T) {
	text := []rune(bigText(t))
	for name, data := range map[string][]byte{"arabic": assets.NaskhRegular, "latin": assets.SansRegular} {
		stripped := withoutGlyphNames(data)
		if bytes.Equal(stripped, data) {
			t.Fatalf("%s: the glyph names were kept", name)
		}
		if &stripped[0] == &data[0] {
			t.Fatalf("%s: the embedded data was changed in place", name)
		}
		orig, err1 := font.ParseTTF(bytes.NewReader(data))
		strip, err2 := font.ParseTTF(bytes.NewReader(stripped))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if orig.Upem() != strip.Upem() {
			t.Fatalf("%s: upem %d, stripped %d", name, orig.Upem(), strip.Upem())
		}
		for g := range font.GID(1 << 16) { // every glyph id (beyond the font's: nothing in both)
			e1, ok1 := orig.GlyphExtents(g)
			e2, ok2 := strip.GlyphExtents(g)
			if orig.HorizontalAdvance(g) != strip.HorizontalAdvance(g) || e1 != e2 || ok1 != ok2 ||
				!reflect.DeepEqual(orig.GlyphData(g), strip.GlyphData(g)) {
				t.Fatalf("%s: glyph %d differs", name, g)
			}
		}
		var hb shaping.HarfbuzzShaper
		for start := 0; start < len(text); start += 2000 {
			in := shaping.Input{Text: text, RunStart: start, RunEnd: min(start+2000, len(text)), Direction: di.DirectionRTL,
				Size: fixed.I(20), Script: language.Arabic, Language: langArabic}
			in.Face = orig
			a := hb.Shape(in)
			in.Face = strip
			b := hb.Shape(in)
			a.Face, b.Face = nil, nil
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: shaping [%d,%d) differs", name, in.RunStart, in.RunEnd)
			}
		}
	}
	if got := withoutGlyphNames([]byte("not a font")); string(got) != "not a font" {
		t.Fatalf("%q", got)
	}
}
