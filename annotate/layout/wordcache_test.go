package layout

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
)

// uncachedFonts is the default chain without the word cache: every item is
// shaped as a whole, as before the cache existed.
func uncachedFonts(tb testing.TB) *Fonts {
	tb.Helper()
	f := freshFonts(tb)
	f.words = nil
	return f
}

// comparableLines copies lines with each run's face removed, and lists the
// runs' faces as indices in f's chain (the documents compared have
// distinct Fonts, hence distinct faces).
func comparableLines(tb testing.TB, f *Fonts, lines []Line) ([]Line, []int) {
	tb.Helper()
	out := make([]Line, len(lines))
	var faces []int
	for i, ln := range lines {
		runs := make([]Run, len(ln.Runs))
		for j, r := range ln.Runs {
			switch r.Output.Face.Font {
			case f.arabic:
				faces = append(faces, faceArabic)
			case f.fontOf(faceLatin):
				faces = append(faces, faceLatin)
			case coreFont(f):
				faces = append(faces, faceLatinCore)
			default:
				tb.Fatalf("line %d run %d: face of another chain", i, j)
			}
			r.Output.Face = nil
			runs[j] = r
		}
		ln.Runs = runs
		out[i] = ln
	}
	return out, faces
}

// coreFont is f's Latin core, nil in a chain without one.
func coreFont(f *Fonts) *font.Font {
	if lf := f.fallbacks[faceLatinCore]; lf != nil {
		return lf.font
	}
	return nil
}

// assertSameLayout checks that two documents of the same text have the same
// lines (clusters, glyphs and advances, breaks, positions) and answer every
// caret, hit-test and one-code-point highlight query the same.
func assertSameLayout(t *testing.T, name string, on, off *Document, fOn, fOff *Fonts) {
	t.Helper()
	lOn, facesOn := comparableLines(t, fOn, on.Lines())
	lOff, facesOff := comparableLines(t, fOff, off.Lines())
	if len(lOn) != len(lOff) {
		t.Fatalf("%s: %d lines with the cache, %d without", name, len(lOn), len(lOff))
	}
	if !reflect.DeepEqual(facesOn, facesOff) {
		t.Fatalf("%s: runs in other faces with the cache", name)
	}
	for i := range lOn {
		if !reflect.DeepEqual(lOn[i], lOff[i]) {
			t.Fatalf("%s: line %d differs with the cache: %s", name, i, lineDiff(lOn[i], lOff[i]))
		}
	}
	for o := 0; o <= on.Len(); o++ {
		l1, x1 := on.Caret(o)
		l2, x2 := off.Caret(o)
		if l1 != l2 || x1 != x2 {
			t.Fatalf("%s: Caret(%d) = %d,%v with the cache, %d,%v without", name, o, l1, x1, l2, x2)
		}
		ln := lOn[l1]
		y := ln.Y + ln.Height/2
		for _, x := range []float32{x1 - 0.3, x1, x1 + 0.3} {
			if h1, h2 := on.HitTest(x, y), off.HitTest(x, y); h1 != h2 {
				t.Fatalf("%s: HitTest(%v,%v) = %d with the cache, %d without", name, x, y, h1, h2)
			}
		}
		if o < on.Len() {
			if r1, r2 := on.Rects(o, o+1), off.Rects(o, o+1); !reflect.DeepEqual(r1, r2) {
				t.Fatalf("%s: Rects(%d,%d) = %v with the cache, %v without", name, o, o+1, r1, r2)
			}
		}
	}
}

// TestWordCacheIdentity: laying out from cached word shapes gives exactly
// what shaping whole items gives, on the five sample articles at three
// widths and on the 100,000-code-point benchmark text, the first screen's
// paragraphs shaped on all CPUs as the view asks for them.
func TestWordCacheIdentity(t *testing.T) {
	fOn, fOff := mustFonts(t), uncachedFonts(t)
	samples := identitySamples(t)
	// Fresh fonts too: with an empty cache, new words are shaped in batches.
	for _, fOn := range []*Fonts{freshFonts(t), fOn} {
		for _, s := range samples {
			for _, w := range s.widths {
				on := NewDocument(s.text, fOn, Options{Size: 20, Scale: 1})
				off := NewDocument(s.text, fOff, Options{Size: 20, Scale: 1})
				on.Wrap(w)
				off.Wrap(w)
				on.LinesInRange(0, 2000) // its first paragraphs shaped together (shapeAhead)
				assertSameLayout(t, fmt.Sprintf("%s at %v px", s.name, w), on, off, fOn, fOff)
			}
		}
		if n, _ := fOn.words.stats(); n == 0 {
			t.Fatal("the word cache stayed empty")
		}
	}
}

// freshFonts is a chain of its own, with an empty word cache.
func freshFonts(tb testing.TB) *Fonts {
	tb.Helper()
	f, err := DefaultFonts()
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// TestWordCacheEdges covers the places where a word must not be shaped
// apart from its neighbours: joining across an item edge (a letter before
// a Latin-face bracket or a digit run, tatweel, ZWJ), a zero-width space,
// marks after a space, and mixed directions.
func TestWordCacheEdges(t *testing.T) {
	texts := []string{
		"كتب(الطالب)الدرس «مرحبا» في2024م وقال: \"نعم\".",
		"في٢٠٢٤ب عام١٩٩٠ م١٢ٍ",
		"ـكتبـ كـ\u200dـتب \u200dب ب\u200d",
		"كلمة\u200bكلمة كلمة \u064eكلمة  \u0651 ب",
		"Hello, VAWA world ffi (Tawsim) نص عربي AV 12.5% ٣٤٥",
		"\u200fكلمة \u200eword\u200e كلمة\u061c ،؟ !",
		" مسافة في البداية  والنهاية ",
		"",
	}
	fOn, fOff := mustFonts(t), uncachedFonts(t)
	for i, text := range texts {
		for _, w := range []float32{0, 60, 200} {
			if w == 0 {
				fOn := freshFonts(t) // an empty cache: new words in batches
				on := NewDocument(text, fOn, Options{Size: 20, Scale: 1})
				off := NewDocument(text, fOff, Options{Size: 20, Scale: 1})
				assertSameLayout(t, fmt.Sprintf("text %d, fresh fonts", i), on, off, fOn, fOff)
			}
			on := NewDocument(text, fOn, Options{Size: 20, Scale: 1})
			off := NewDocument(text, fOff, Options{Size: 20, Scale: 1})
			on.Wrap(w)
			off.Wrap(w)
			assertSameLayout(t, fmt.Sprintf("text %d at %v px", i, w), on, off, fOn, fOff)
		}
	}
}

// TestSpaceInLookups: neither shipped face has a lookup that could match a
// space (else words would be shaped whole), while the check does see the
// letters' own kerning and joining lookups.
func TestSpaceInLookups(t *testing.T) {
	f := mustFonts(t)
	f.fontOf(faceLatin) // a fallback's check runs when it is parsed
	f.fontOf(faceSymbols)
	if f.unsafeSpace != [numFaces]bool{} {
		t.Fatalf("a shipped face has spaces in its lookups: %v", f.unsafeSpace)
	}
	if !lookupsMatch(f.fontOf(faceLatin), []rune{'A', 'V'}) {
		t.Error("no kerning lookup found for A, V in the Latin face")
	}
	if !lookupsMatch(f.arabic, []rune{'ل', 'ا'}) {
		t.Error("no lam-alef lookup found in the Arabic face")
	}
}

// TestWordCacheConcurrent shapes several documents at once on one Fonts
// (run with -race).
func TestWordCacheConcurrent(t *testing.T) {
	f := mustFonts(t)
	var wg sync.WaitGroup
	for _, a := range corpus(t) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := NewDocument(a.text, f, Options{Size: 20, Scale: 1})
			d.Wrap(600)
			d.ShapeAll()
			d.LayoutAll()
		}()
	}
	wg.Wait()
}

// TestWordCacheBounded fills the cache past its size.
func TestWordCacheBounded(t *testing.T) {
	c := newWordCache()
	for i := 0; i < 3*wordCacheSize; i++ {
		text := []rune(fmt.Sprint(i))
		k := wordKey{hash: hashRunes(text)}
		c.put(k, &wordShape{text: text})
		if c.get(k, text) == nil {
			t.Fatalf("word %d not found right after put", i)
		}
	}
	if n, _ := c.stats(); n > wordCacheSize {
		t.Fatalf("%d words cached, more than %d", n, wordCacheSize)
	}
	if k := (wordKey{hash: hashRunes([]rune("0"))}); c.get(k, []rune("0")) != nil {
		t.Fatal("the first word was never evicted")
	}
}

// lineDiff describes the first difference between two lines.
func lineDiff(a, b Line) string {
	if len(a.Runs) != len(b.Runs) {
		return fmt.Sprintf("%d runs, %d without", len(a.Runs), len(b.Runs))
	}
	for j := range a.Runs {
		ra, rb := a.Runs[j], b.Runs[j]
		if len(ra.Output.Glyphs) != len(rb.Output.Glyphs) {
			return fmt.Sprintf("run %d: %d glyphs, %d without", j, len(ra.Output.Glyphs), len(rb.Output.Glyphs))
		}
		for k := range ra.Output.Glyphs {
			if ga, gb := ra.Output.Glyphs[k], rb.Output.Glyphs[k]; ga != gb {
				return fmt.Sprintf("run %d glyph %d: %+v, without %+v", j, k, ga, gb)
			}
		}
		ra.Output.Glyphs, rb.Output.Glyphs = nil, nil
		if !reflect.DeepEqual(ra, rb) {
			return fmt.Sprintf("run %d: %+v, without %+v", j, ra, rb)
		}
	}
	a.Runs, b.Runs = nil, nil
	return fmt.Sprintf("%+v, without %+v", a, b)
}

// TestWordCacheMemory logs the cache's size after the five sample articles
// and after the benchmark text (go test -v -run WordCacheMemory): the
// estimate of stats and the heap growth it leaves behind (the latter also
// holds the pooled shapers' HarfBuzz fonts).
func TestWordCacheMemory(t *testing.T) {
	var texts []string
	for _, a := range corpus(t) {
		texts = append(texts, a.text)
	}
	for _, tc := range []struct {
		name  string
		texts []string
	}{{"five articles", texts}, {"benchmark text", []string{bigText(t)}}} {
		f, err := DefaultFonts()
		if err != nil {
			t.Fatal(err)
		}
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		for _, text := range tc.texts {
			d := NewDocument(text, f, Options{Size: 20, Scale: 1})
			d.Wrap(benchWidth)
			d.LayoutAll()
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		words, bytes := f.words.stats()
		t.Logf("%s: %d words cached, %.2f MiB estimated, heap +%.2f MiB", tc.name, words,
			float64(bytes)/(1<<20), float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc))/(1<<20))
		if words == 0 || words > wordCacheSize {
			t.Errorf("%s: %d words cached", tc.name, words)
		}
		runtime.KeepAlive(f)
	}
}

// TestSplitsWords: the break spaces that split words are those that are not
// transparent to joining, as splitsWords assumes.
func TestSplitsWords(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if want := isBreakSpace(r) && !isTransparent(r); splitsWords(r) != want {
			t.Errorf("splitsWords(%U) = %v, want %v", r, !want, want)
		}
	}
}

// TestWordCachePromotionCopies: a word found in the old generation moves
// to the new one with arrays of its own, not its batch's (see wordShape).
func TestWordCachePromotionCopies(t *testing.T) {
	c := newWordCache()
	batch := []shaping.Glyph{{GlyphID: 1}, {GlyphID: 2}, {GlyphID: 3}}
	text := []rune("ab")
	k := wordKey{hash: hashRunes(text)}
	c.put(k, &wordShape{text: text, glyphs: batch[:2:2]})
	for i := 0; i < wordCacheSize/2; i++ { // push it into the old generation
		other := []rune(fmt.Sprint(i))
		c.put(wordKey{hash: hashRunes(other)}, &wordShape{text: other})
	}
	if c.old[k] == nil {
		t.Fatal("the word is not in the old generation")
	}
	w := c.get(k, text)
	if w == nil || !slices.Equal(w.glyphs, batch[:2]) || !slices.Equal(w.text, text) {
		t.Fatalf("promoted word: %+v", w)
	}
	if &w.glyphs[0] == &batch[0] || &w.text[0] == &text[0] {
		t.Fatal("the promoted word still shares its batch's arrays")
	}
	if c.cur[k] != w {
		t.Fatal("the word is not in the new generation")
	}
}
