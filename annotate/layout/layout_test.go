package layout

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/benoitkugler/textlayout/fribidi"
)

var testWidths = []float32{300, 600, 900}

func newDoc(t testing.TB, text string, width float32) *Document {
	d := NewDocument(text, mustFonts(t), Options{Size: 20, Scale: 1})
	d.Wrap(width)
	return d
}

// visualRunes lists the code points of a line in visual order, left to
// right, as the layout places them (an RTL cluster's runes right to left).
func visualRunes(ln *Line) []int {
	var out []int
	for _, r := range ln.Runs {
		for _, c := range r.Clusters {
			if r.RTL() {
				for o := c.End - 1; o >= c.Start; o-- {
					out = append(out, o)
				}
			} else {
				for o := c.Start; o < c.End; o++ {
					out = append(out, o)
				}
			}
		}
	}
	return out
}

// probe is the caret position and the direction pointing into the cluster
// the caret belongs to (+1: to the right).
func inward(ln *Line, off int) (float32, bool) {
	for _, r := range ln.Runs {
		for _, c := range r.Clusters {
			if off >= c.Start && off < c.End {
				if r.RTL() {
					return -1, true
				}
				return 1, true
			}
			if off == ln.End && c.End == off {
				if r.RTL() {
					return 1, true
				}
				return -1, true
			}
		}
	}
	return 0, false
}

// Test 2: offset → Caret → HitTest → offset for every caret position of the
// sample articles at three widths.
//
// Rule at a wrap point: the offset where a line wraps is the first position
// of the lower line (Caret puts it there); the upper line's last position is
// before its hanging space, and HitTest never returns a wrapped line's End.
// A paragraph's end offset (its LF) is on its last line, after the
// logically last character.
//
// An exact probe at the caret's x must give back the offset or, at a bidi
// run boundary where two logical positions share one x, an offset whose
// caret is drawn at the same place. A probe 0.01 px inside the character the
// caret stands before (after, at a paragraph end) must give the offset back
// exactly.
func TestCaretHitTestRoundTrip(t *testing.T) {
	for _, a := range corpus(t) {
		for _, w := range testWidths {
			d := newDoc(t, a.text, w)
			n := d.Len()
			shared := 0
			for o := 0; o <= n; o++ {
				li, x := d.Caret(o)
				ln, _ := d.Line(li)
				if o < ln.Start || o > ln.End || (o == ln.End && !ln.Last) {
					t.Fatalf("%s w=%v: Caret(%d) on line %d [%d,%d) last=%v", a.name, w, o, li, ln.Start, ln.End, ln.Last)
				}
				y := ln.Y + ln.Height/2
				got := d.HitTest(x, y)
				if got != o {
					gl, gx := d.Caret(got)
					if gl != li || absf(gx-x) > 1e-3 {
						t.Fatalf("%s w=%v: HitTest(Caret(%d)=(%d,%.3f)) = %d, at (%d,%.3f)", a.name, w, o, li, x, got, gl, gx)
					}
					shared++
				}
				if dir, ok := inward(&ln, o); ok {
					if got := d.HitTest(x+dir*0.01, y); got != o {
						t.Fatalf("%s w=%v: HitTest just inside Caret(%d)=(%d,%.3f) = %d", a.name, w, o, li, x, got)
					}
				} else if len(ln.Runs) > 0 {
					t.Fatalf("%s w=%v: offset %d in no cluster of line %d", a.name, w, o, li)
				}
			}
			t.Logf("%s w=%v: %d positions, %d resolved to another position at the same x (bidi boundaries)", a.name, w, n+1, shared)
		}
	}
}

// Test 3: each line's visual order is the UAX #9 order of that line, as
// fribidi's own ReorderLine computes it from the paragraph's levels.
func TestVisualOrderMatchesUAX9(t *testing.T) {
	for _, a := range corpus(t) {
		text := []rune(a.text)
		for _, w := range testWidths {
			d := newDoc(t, a.text, w)
			lines := d.Lines()
			for _, ln := range lines {
				if len(ln.Runs) == 0 {
					continue
				}
				// Paragraph bounds.
				ps := ln.Start
				for ps > 0 && text[ps-1] != '\n' {
					ps--
				}
				pe := ln.End
				for pe < len(text) && text[pe] != '\n' {
					pe++
				}
				para := text[ps:pe]
				types := make([]fribidi.CharType, len(para))
				brackets := make([]fribidi.BracketType, len(para))
				for i, r := range para {
					types[i] = fribidi.GetBidiType(r)
					if types[i] == fribidi.ON {
						brackets[i] = fribidi.GetBracket(r)
					}
				}
				base := fribidi.ParType(fribidi.WRTL)
				levels, _ := fribidi.GetParEmbeddingLevels(types, brackets, &base)
				m := make([]int, len(para))
				for i := range m {
					m[i] = i
				}
				fribidi.ReorderLine(0, types, ln.End-ln.Start, ln.Start-ps, base, levels, nil, m)
				var want []int
				for _, i := range m[ln.Start-ps : ln.End-ps] {
					if types[i] != fribidi.BN { // boundary neutrals have no place of their own
						want = append(want, ps+i)
					}
				}
				var got []int
				for _, o := range visualRunes(&ln) {
					if fribidi.GetBidiType(text[o]) != fribidi.BN {
						got = append(got, o)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%s w=%v line %d [%d,%d): visual order\n got %v\nwant %v", a.name, w, ln.Index, ln.Start, ln.End, got, want)
				}
			}
		}
	}
}

// Test 4a: the highlight of الأردن inside والأردن excludes و and has width;
// so does أردن, which starts at the alef of the lam-alef ligature.
func TestRectsSubWord(t *testing.T) {
	text := corpus(t)[0].text
	d := newDoc(t, text, 600)
	ws, we := span(t, text, "والأردن", "والأردن")
	s, e := span(t, text, "والأردن", "الأردن")
	rects := d.Rects(s, e)
	if len(rects) != 1 {
		t.Fatalf("الأردن: want 1 rect, got %v", rects)
	}
	r := rects[0]
	whole := d.Rects(ws, we)
	waw := d.Rects(ws, ws+1)
	if len(whole) != 1 || len(waw) != 1 {
		t.Fatalf("والأردن %v, و %v", whole, waw)
	}
	if r.X1-r.X0 <= 0 || waw[0].X1-waw[0].X0 <= 0 {
		t.Fatalf("empty rect: %v %v", r, waw)
	}
	// RTL: و is the rightmost part of the word, الأردن the rest.
	if absf(r.X1-waw[0].X0) > 1e-3 || absf(r.X0-whole[0].X0) > 1e-3 || absf(waw[0].X1-whole[0].X1) > 1e-3 {
		t.Fatalf("الأردن %v, و %v, والأردن %v: not a partition", r, waw, whole)
	}
	_, x := d.Caret(s)
	if absf(x-r.X1) > 1e-3 {
		t.Fatalf("caret before ا at %v, rect right edge %v", x, r.X1)
	}
	// أردن starts at the alef of the lam-alef pair.
	s2, e2 := span(t, text, "والأردن", "أردن")
	r2 := d.Rects(s2, e2)
	if len(r2) != 1 || r2[0].X1-r2[0].X0 <= 0 || r2[0].X1 > r.X1 {
		t.Fatalf("أردن: %v", r2)
	}
	lam := d.Rects(s2-1, s2)
	alef := d.Rects(s2, s2+1)
	if len(lam) != 1 || len(alef) != 1 || lam[0].X1-lam[0].X0 <= 0 || alef[0].X1-alef[0].X0 <= 0 {
		t.Fatalf("lam %v alef %v: each must have width", lam, alef)
	}
}

// Test 4b: ranges crossing Arabic/Latin boundaries.
func TestRectsAcrossDirections(t *testing.T) {
	text := corpus(t)[0].text
	d := newDoc(t, text, 900)
	const ctx = "بحسب صحيفة Türkiye Gazetesi التركية"
	// The whole phrase is visually contiguous: one box.
	s, e := span(t, text, ctx, ctx)
	if l1, _ := d.Caret(s); func() bool { l2, _ := d.Caret(e - 1); return l1 != l2 }() {
		t.Skip("phrase wrapped at this width")
	}
	if r := d.Rects(s, e); len(r) != 1 {
		t.Fatalf("whole phrase: %v", r)
	}
	// "صحيفة Türkiye": Türkiye is the left end of the LTR run, صحيفة is to
	// the right of the whole run: two boxes with Gazetesi between them.
	s, e = span(t, text, ctx, "صحيفة Türkiye")
	r := d.Rects(s, e)
	if len(r) != 2 {
		t.Fatalf("صحيفة Türkiye: want 2 rects, got %v", r)
	}
	ts, te := span(t, text, ctx, "Türkiye")
	gs, ge := span(t, text, ctx, "Gazetesi")
	as, ae := span(t, text, ctx, "صحيفة")
	tr, gr, ar := d.Rects(ts, te), d.Rects(gs, ge), d.Rects(as, ae)
	if absf(r[0].X0-tr[0].X0) > 1e-3 || absf(r[0].X1-tr[0].X1) > 1e-3 {
		t.Fatalf("left box %v is not Türkiye %v", r[0], tr[0])
	}
	if !(r[0].X1 < gr[0].X0 && gr[0].X1 <= r[1].X0+1e-3) {
		t.Fatalf("Gazetesi %v not between %v and %v", gr[0], r[0], r[1])
	}
	if absf(r[1].X1-ar[0].X1) > 1e-3 {
		t.Fatalf("right box %v does not end with صحيفة %v", r[1], ar[0])
	}
	// "Gazetesi التركية": التركية is left of the run, Gazetesi its right end.
	s, e = span(t, text, ctx, "Gazetesi التركية")
	r = d.Rects(s, e)
	if len(r) != 2 || absf(r[1].X0-gr[0].X0) > 1e-3 || r[0].X1 > tr[0].X0 {
		t.Fatalf("Gazetesi التركية: %v (Gazetesi %v, Türkiye %v)", r, gr, tr)
	}
}

// lineVisual returns the code points of [s,e) in the visual order of the
// line holding them.
func lineVisual(t *testing.T, d *Document, s, e int) string {
	li, _ := d.Caret(s)
	ln, _ := d.Line(li)
	text := d.Text()
	var b strings.Builder
	for _, o := range visualRunes(&ln) {
		if o >= s && o < e {
			b.WriteRune(text[o])
		}
	}
	return b.String()
}

// Test 4c: numbers and brackets in Arabic text.
func TestVisualOrderNumbersAndBrackets(t *testing.T) {
	const text = "أعلنت الوكالة في 10 مارس 2025 أن الوزير (سانا) وصل."
	d := newDoc(t, text, 900)
	s, e := span(t, text, text, "في 10 مارس 2025")
	if got, want := lineVisual(t, d, s, e), "2025 سرام 10 يف"; got != want {
		t.Errorf("في 10 مارس 2025: visual %q, want %q", got, want)
	}
	s, e = span(t, text, text, "(سانا)")
	if got, want := lineVisual(t, d, s, e), ")"+"انا"+"س"+"("; got != want {
		t.Errorf("(سانا): visual %q, want %q", got, want)
	}
	// The code point ')' is displayed on the left and drawn mirrored, with
	// the glyph of '('.
	li, _ := d.Caret(e - 1)
	ln, _ := d.Line(li)
	open, _ := mustFonts(t).fontOf(faceLatin).NominalGlyph('(')
	closeG, _ := mustFonts(t).fontOf(faceLatin).NominalGlyph(')')
	found := false
	for _, r := range ln.Runs {
		for _, c := range r.Clusters {
			if c.Start == e-1 {
				found = true
				var gids []int
				for _, g := range r.Output.Glyphs {
					if g.ClusterIndex == e-1 { // one paragraph: cluster index = offset
						gids = append(gids, int(g.GlyphID))
					}
				}
				if !r.RTL() || len(gids) != 1 || gids[0] != int(open) || open == closeG {
					t.Errorf("')' in run level %d has glyphs %v: want the mirrored glyph %d", r.Level, gids, open)
				}
			}
		}
	}
	if !found {
		t.Fatal("')' not found")
	}
	// Mixed: Latin with brackets inside Arabic.
	const t2 = "وفق سيارة BMW (X5) الجديدة"
	d2 := newDoc(t, t2, 900)
	s, e = span(t, t2, t2, "سيارة BMW (X5) الجديدة")
	if got, want := lineVisual(t, d2, s, e), "ةديدجلا BMW (X5) ةرايس"; got != want {
		t.Errorf("BMW (X5): visual %q, want %q", got, want)
	}
}

// Test 5: lines break only between words; an overlong word breaks between
// clusters; no line's content is wider than the width unless it is a single
// cluster.
func TestWordBreaking(t *testing.T) {
	for _, a := range corpus(t) {
		text := []rune(a.text)
		for _, w := range testWidths {
			d := newDoc(t, a.text, w)
			for _, ln := range d.Lines() {
				if content := contentWidth(d.Text(), &ln); content > w+1e-3 {
					t.Errorf("%s w=%v line %d: content %.2f wider than the line", a.name, w, ln.Index, content)
				}
				if ln.Last {
					continue
				}
				if !isBreakSpace(text[ln.End-1]) || isBreakSpace(text[ln.End]) {
					t.Errorf("%s w=%v line %d breaks inside a word: %q|%q", a.name, w, ln.Index,
						string(text[max(ln.Start, ln.End-8):ln.End]), string(text[ln.End:min(len(text), ln.End+8)]))
				}
			}
		}
	}
	// An overlong word.
	word := strings.Repeat("استقلاليتهم", 6)
	text := "كلمة " + word + " أخرى"
	d := newDoc(t, text, 150)
	lines := d.Lines()
	ws, we := span(t, text, text, word)
	inWord := 0
	for _, ln := range lines {
		if content := contentWidth(d.Text(), &ln); content > 150+1e-3 {
			t.Errorf("line %d: content %.2f > 150", ln.Index, content)
		}
		if ln.Start >= ws && ln.End <= we {
			inWord++
		}
	}
	if inWord < 2 {
		t.Fatalf("overlong word not broken: %d lines inside it; lines %v", inWord, lineRanges(lines))
	}
	// "كلمة " is alone on the first line: the break before the word is at the space.
	if lines[0].End != ws {
		t.Errorf("first line %v should end at the word start %d", lineRanges(lines[:1]), ws)
	}
}

func lineRanges(lines []Line) [][2]int {
	var out [][2]int
	for _, l := range lines {
		out = append(out, [2]int{l.Start, l.End})
	}
	return out
}

// contentWidth is the width of a line without the spaces hanging at the
// end of a wrapped line.
func contentWidth(text []rune, ln *Line) float32 {
	hang := ln.End
	if !ln.Last {
		for hang > ln.Start && isBreakSpace(text[hang-1]) {
			hang--
		}
	}
	var w float32
	for _, r := range ln.Runs {
		for _, c := range r.Clusters {
			if c.Start < hang {
				w += c.X1 - c.X0
			}
		}
	}
	return w
}

// TestBreakWordsMatchesBreakLines: breaking word by word gives the line
// starts of breaking cluster by cluster, on every paragraph of the sample
// articles and a few odd ones, at widths from 1 to 1,200 px.
func TestBreakWordsMatchesBreakLines(t *testing.T) {
	var paras []string
	for _, a := range corpus(t) {
		paras = append(paras, strings.Split(a.text, "\n")...)
	}
	paras = append(paras, "   مسافات في البداية", "كلمةطويلةجداجداجداجداجداجداجداجدا قصيرة", "a  b   c", "    ", "AV Wa. To")
	f := mustFonts(t)
	sh := f.getShaper()
	defer f.putShaper(sh)
	sh.size = 20 << 6
	for _, p := range paras {
		sp := sh.shapeParagraph([]rune(p))
		if len(sp.clus) == 0 {
			continue
		}
		if sp.words == nil {
			t.Fatalf("no words for %q", p)
		}
		for w := float32(1); w <= 1200; w += 3.5 {
			if a, b := breakLines(sp.clus, w), breakWords(sp.clus, sp.words, w); !slices.Equal(a, b) {
				t.Fatalf("%q at %v px: breakLines %v, breakWords %v", p, w, a, b)
			}
		}
	}
}
