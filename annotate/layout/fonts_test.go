package layout

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"

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

// TestNewsSymbolsHaveGlyphs: signs that news text uses beside emoji (the
// minus sign of a temperature, ℃, list numbers, comparisons, fractions,
// Roman numerals) are drawn from some face of the chain, none as .notdef.
func TestNewsSymbolsHaveGlyphs(t *testing.T) {
	text := []rune("الحرارة −3 ℃ و−٥ ℉ ① ② ⑩ ≤ ≥ ≠ ≈ ± × ÷ ½ ⅓ Ⅻ ‰ ∞ √ ✓ № ™ € £")
	d := NewDocument(string(text), mustFonts(t), Options{Size: 20, Scale: 1})
	for _, ln := range d.Lines() {
		for _, r := range ln.Runs {
			for _, g := range r.Output.Glyphs {
				if g.GlyphID == 0 {
					t.Errorf("%U (offset %d) is drawn as .notdef", text[g.ClusterIndex], g.ClusterIndex)
				}
			}
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

// TestLatinCoreIdentity: shaping Latin items in the core subset of the
// Latin font, where it has their runes, lays out and draws exactly as the
// whole font (every line, run, glyph but its id, cluster, and pixel), on the
// five sample articles at three widths, the benchmark text and mixed Latin
// in and beyond the core; and the whole font is parsed only for the text
// that needs it.
func TestLatinCoreIdentity(t *testing.T) {
	withCore, err := DefaultFonts()
	if err != nil {
		t.Fatal(err)
	}
	whole, err := newFonts(assets.NaskhRegular, assets.SansRegular, nil, assets.Symbols)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range identitySamples(t) {
		for _, w := range s.widths {
			compareCoreLayout(t, fmt.Sprintf("%s at %v px", s.name, w), s.text, w, withCore, whole)
		}
	}
	if withCore.fallbacks[faceLatin].font != nil {
		t.Fatal("the whole Latin font was parsed for texts in its core")
	}
	// Decomposed letters too: HarfBuzz composes h+U+0323 into the whole
	// font's ḥ, a character the core lacks.
	for _, w := range []float32{0, 300} {
		compareCoreLayout(t, fmt.Sprintf("decomposed Latin at %v px", w),
			"h\u0323adi\u0304th s\u0323ah\u0323i\u0304h\u0323 Nguye\u0302\u0303n D\u0323a\u0306\u0323ng a\u030C o\u031B ç c\u0327 n\u0303", w, withCore, whole)
	}
	if withCore.fallbacks[faceLatin].font == nil {
		t.Fatal("the whole Latin font was not parsed for characters beyond the core")
	}
	mixed := "قال: Hello, VAWA world ffi fi (Tawsim) — “quoted” «x» 12.5% € № ™ −3 café naïve Łódź ʿAlī " +
		"ثم ḥadīth Nguyễn Đặng x² → ½ ΑΒΓ Кирилл \u0301a ﬁ"
	for _, w := range testWidths {
		compareCoreLayout(t, fmt.Sprintf("mixed Latin at %v px", w), mixed, w, withCore, whole)
	}
	// Every character of the whole font beyond the core, decomposed into
	// characters the core has, lays out as in the whole font.
	var decomposed []string
	for r := rune(0); r < 0x10000; r++ {
		lf := withCore.fallbacks[faceLatinCore]
		if !whole.fallbacks[faceLatin].has(r) || lf.has(r) {
			continue
		}
		d := norm.NFD.String(string(r))
		inCore := d != string(r)
		for _, p := range d {
			inCore = inCore && lf.has(p)
		}
		if inCore {
			decomposed = append(decomposed, d)
		}
	}
	if len(decomposed) < 300 {
		t.Fatalf("only %d characters beyond the core decompose into it", len(decomposed))
	}
	compareCoreLayout(t, "decomposed characters", strings.Join(decomposed, " "), 600, withCore, whole)
}

// compareCoreLayout lays text out at width w in both chains and compares
// the results; a run in the core face must have only runes the core has.
func compareCoreLayout(t *testing.T, name, text string, w float32, withCore, whole *Fonts) {
	t.Helper()
	a := NewDocument(text, withCore, Options{Size: 20, Scale: 1})
	b := NewDocument(text, whole, Options{Size: 20, Scale: 1})
	a.Wrap(w)
	b.Wrap(w)
	la, lb := a.Lines(), b.Lines()
	if len(la) != len(lb) {
		t.Fatalf("%s: %d lines with the core, %d without", name, len(la), len(lb))
	}
	runes := []rune(text)
	core := withCore.fallbacks[faceLatinCore]
	var ia, ib *image.RGBA
	for i := range la {
		x, y := la[i], lb[i]
		if len(x.Runs) != len(y.Runs) {
			t.Fatalf("%s: line %d has %d runs with the core, %d without", name, i, len(x.Runs), len(y.Runs))
		}
		for j := range x.Runs {
			ra, rb := x.Runs[j], y.Runs[j]
			inCore := true
			for _, r := range runes[ra.Output.Runes.Offset : ra.Output.Runes.Offset+ra.Output.Runes.Count] {
				inCore = inCore && (core.has(r) || !withCore.fallbacks[faceLatin].has(r))
			}
			// The face is chosen per item, of which a run may be a part. The
			// whole font is read from fallbacks, not fontOf, which would parse it.
			fa, fb := ra.Output.Face.Font, rb.Output.Face.Font
			latin := fb == whole.fontOf(faceLatin)
			if fa == withCore.fontOf(faceLatinCore) && !(latin && inCore) ||
				fa == withCore.fallbacks[faceLatin].font && !latin || (fb == whole.arabic) != (fa == withCore.arabic) {
				t.Fatalf("%s: line %d run %d in another face with the core", name, i, j)
			}
			if len(ra.Output.Glyphs) != len(rb.Output.Glyphs) {
				t.Fatalf("%s: line %d run %d: %d glyphs with the core, %d without", name, i, j, len(ra.Output.Glyphs), len(rb.Output.Glyphs))
			}
			for k := range ra.Output.Glyphs {
				ga, gb := ra.Output.Glyphs[k], rb.Output.Glyphs[k]
				ga.GlyphID, gb.GlyphID = 0, 0
				if ga != gb {
					t.Fatalf("%s: line %d run %d glyph %d: %+v with the core, %+v without", name, i, j, k, ga, gb)
				}
			}
			ra.Output.Glyphs, rb.Output.Glyphs = nil, nil
			ra.Output.Face, rb.Output.Face = nil, nil
			if !reflect.DeepEqual(ra, rb) {
				t.Fatalf("%s: line %d run %d: %+v with the core, %+v without", name, i, j, ra, rb)
			}
		}
		x.Runs, y.Runs = nil, nil
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("%s: line %d: %+v with the core, %+v without", name, i, x, y)
		}
		r := image.Rect(0, 0, int(w)+40, int(la[i].Height)+1)
		if ia == nil || ia.Bounds() != r {
			ia, ib = image.NewRGBA(r), image.NewRGBA(r)
		}
		clear(ia.Pix)
		clear(ib.Pix)
		a.DrawLine(ia, i, image.Pt(20, -int(la[i].Y)), color.Black)
		b.DrawLine(ib, i, image.Pt(20, -int(la[i].Y)), color.Black)
		if !bytes.Equal(ia.Pix, ib.Pix) {
			t.Fatalf("%s: line %d is drawn otherwise with the core", name, i)
		}
	}
}
