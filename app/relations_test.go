package app

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
)

// attribution labels, in the first sample article, the claim "العاصمة
// أنقرة تشهد" (CLAIM) of "أفادت وسائل إعلام تركية أن …" with candidate
// sources at growing distance: وسائل إعلام تركية just before it, تركيا
// after it in the sentence, هاكان فيدان in the next paragraph. It returns
// the claim's offset.
func attribution(t *testing.T, u *UI) int {
	t.Helper()
	text := u.doc.Text
	mark := func(word string, key string) int {
		s := findIn(t, text, word, 0)
		u.view.Select(s, s+len([]rune(word)))
		test.Type(u.view, key)
		return s
	}
	claim := mark("العاصمة أنقرة تشهد", "4")
	mark("وسائل إعلام تركية", "3")
	mark("تركيا", "2")
	mark("هاكان فيدان", "1")
	if n := len(spansOf(t, u)); n != 4 {
		t.Fatalf("%d spans", n)
	}
	u.win.Canvas().Focus(u.view)
	u.view.Select(claim+3, claim+3) // the caret in the claim
	return claim
}

// relationsOf lists the stored relations as "LABEL head → tail", sorted
// (an undone delete gives a relation a new place in the store).
func relationsOf(t *testing.T, u *UI) []string {
	t.Helper()
	l, err := u.store.Layer(u.doc.ID, u.annotator)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range l.Relations {
		out = append(out, r.Label+" "+l.Spans[r.Head].Text+" → "+l.Spans[r.Tail].Text)
	}
	sort.Strings(out)
	return out
}

func wantRelations(t *testing.T, u *UI, want ...string) {
	t.Helper()
	got := relationsOf(t, u)
	want = slices.Sorted(slices.Values(want))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("relations %q, want %q", got, want)
	}
	if len(u.view.rel.arcs) != len(want) {
		t.Fatalf("the view draws %d relations, want %d", len(u.view.rel.arcs), len(want))
	}
}

func shiftTab(v *SpanView) {
	v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	press(v, fyne.KeyTab, 1)
	v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
}

func candidate(u *UI) string {
	if c := u.link.cand(); c != nil {
		return c.Text
	}
	return ""
}

func TestLinkByKeysCyclesNearestFirst(t *testing.T) {
	u, w, _ := newTestUI(t)
	v := u.view
	attribution(t, u)
	test.Type(v, "s")
	if u.link == nil || !v.AcceptsTab() {
		t.Fatal("S did not start linking")
	}
	var order []string
	for _, c := range u.link.cands {
		order = append(order, c.Text)
	}
	if strings.Join(order, "|") != "وسائل إعلام تركية|تركيا|هاكان فيدان" {
		t.Fatalf("candidates %q", order)
	}
	press(v, fyne.KeyTab, 1)
	if candidate(u) != "تركيا" {
		t.Fatalf("after Tab: %q", candidate(u))
	}
	shiftTab(v)
	shiftTab(v) // wraps round to the farthest
	if candidate(u) != "هاكان فيدان" {
		t.Fatalf("after Shift+Tab twice: %q", candidate(u))
	}
	press(v, fyne.KeyTab, 1)
	press(v, fyne.KeyReturn, 1)
	wantRelations(t, u, "SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية")
	if u.link != nil || v.AcceptsTab() {
		t.Fatal("still linking after Enter")
	}
	// Escape cancels; the Arabic layout's key for S (س) starts it too.
	test.Type(v, "س")
	press(v, fyne.KeyEscape, 1)
	if u.link != nil {
		t.Fatal("Escape did not cancel")
	}
	// The side panel lists the claim's relations under it.
	if got := u.relSummary(u.spans[1]); got != "مصدر: وسائل إعلام تركية" {
		t.Fatalf("summary %q (of %+v)", got, u.spans[1])
	}
	// A second source leaves the one already linked out.
	test.Type(v, "S")
	if candidate(u) != "تركيا" {
		t.Fatalf("second source candidates start with %q", candidate(u))
	}
	press(v, fyne.KeyEnter, 1)
	wantRelations(t, u, "SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية", "SOURCE العاصمة أنقرة تشهد → تركيا")
	if got := u.relSummary(u.spans[1]); !strings.Contains(got, "مصدر: تركيا") {
		t.Fatalf("summary %q", got)
	}
	// The cue too, then look at a narrow and a wide window.
	test.Type(v, "c")
	cue := findIn(t, u.doc.Text, "أفادت", 0)
	v.Select(cue, cue+5)
	test.Type(v, "5")
	capture(t, w, "relations.png")
	for _, width := range []float32{640, 1800} {
		w.Resize(fyne.NewSize(width, 800))
		capture(t, w, fmt.Sprintf("relations-%g.png", width))
	}
}

func TestLinkByClick(t *testing.T) {
	u, w, _ := newTestUI(t)
	v := u.view
	attribution(t, u)
	click := func(word string) {
		off := findIn(t, u.doc.Text, word, 0) + 1
		p := posOf(t, u, off, -2)
		abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
		v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p.Subtract(abs)}, Button: desktop.MouseButtonPrimary})
		v.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p.Subtract(abs)}, Button: desktop.MouseButtonPrimary})
		test.TapCanvas(w.Canvas(), p)
	}
	test.Type(v, "c")
	// A PERSON cannot be a cue: refused in the status line.
	click("هاكان فيدان")
	if !strings.Contains(u.message.text, "CUE relation") || u.link == nil {
		t.Fatalf("status %q, linking %v", u.message.text, u.link != nil)
	}
	press(v, fyne.KeyEscape, 1)
	v.Select(findIn(t, u.doc.Text, "العاصمة", 0), findIn(t, u.doc.Text, "العاصمة", 0))
	test.Type(v, "s")
	click("هاكان فيدان")
	wantRelations(t, u, "SOURCE العاصمة أنقرة تشهد → هاكان فيدان")
	// A click on an arc selects that relation.
	seg := v.rel.drawn[0][1]
	mid := fyne.NewPos((seg.a.X+seg.b.X)/2, (seg.a.Y+seg.b.Y)/2)
	v.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: mid}})
	if v.HoveredRelation() != 0 || v.hoverText != "SOURCE" {
		t.Fatalf("hover over the arc: %d %q", v.HoveredRelation(), v.hoverText)
	}
	v.Tapped(&fyne.PointEvent{Position: mid})
	if u.relFocus != 0 || v.rel.focus != 0 {
		t.Fatalf("clicking the arc selected %d", u.relFocus)
	}
}

func TestLinkToNewSpanUndoRedo(t *testing.T) {
	u, _, _ := newTestUI(t)
	v := u.view
	claim := attribution(t, u)
	cue := findIn(t, u.doc.Text, "أفادت", 0)
	test.Type(v, "c")
	if u.link.cand() != nil {
		t.Fatal("a cue candidate before there is a CUE span")
	}
	// A CLAIM is no cue: refused before anything is stored.
	v.Select(cue, cue+5)
	test.Type(v, "4")
	if n := len(spansOf(t, u)); n != 4 || !strings.Contains(u.message.text, "CUE relation") {
		t.Fatalf("%d spans, status %q", n, u.message.text)
	}
	test.Type(v, "5")
	wantRelations(t, u, "CUE العاصمة أنقرة تشهد → أفادت")
	if n := len(spansOf(t, u)); n != 5 {
		t.Fatalf("%d spans", n)
	}
	// One step: undo removes the new span with its relation.
	u.shortcut(scUndo)
	wantRelations(t, u)
	if n := len(spansOf(t, u)); n != 4 {
		t.Fatalf("after undo: %d spans", n)
	}
	u.shortcut(scRedo)
	wantRelations(t, u, "CUE العاصمة أنقرة تشهد → أفادت")
	// A link of existing spans undoes and redoes alone.
	v.Select(claim, claim)
	test.Type(v, "s")
	press(v, fyne.KeyReturn, 1)
	u.shortcut(scUndo)
	wantRelations(t, u, "CUE العاصمة أنقرة تشهد → أفادت")
	u.shortcut(scRedo)
	wantRelations(t, u, "CUE العاصمة أنقرة تشهد → أفادت", "SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية")
}

func TestDeleteRelationUndoRedo(t *testing.T) {
	u, _, _ := newTestUI(t)
	v := u.view
	claim := attribution(t, u)
	test.Type(v, "s")
	press(v, fyne.KeyReturn, 1)
	test.Type(v, "s")
	press(v, fyne.KeyReturn, 1)
	both := []string{"SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية", "SOURCE العاصمة أنقرة تشهد → تركيا"}
	wantRelations(t, u, both...)
	// R selects the claim's relations in turn; Delete removes the
	// selected one and keeps the spans.
	v.Select(claim, claim)
	test.Type(v, "r")
	test.Type(v, "r")
	if u.relFocus != 1 || !strings.Contains(u.relSummary(u.spans[1]), "◂ مصدر: تركيا") {
		t.Fatalf("selected %d, summary %q", u.relFocus, u.relSummary(u.spans[1]))
	}
	test.Type(v, "R")
	press(v, fyne.KeyDelete, 1)
	wantRelations(t, u, both[1])
	if n := len(spansOf(t, u)); n != 4 {
		t.Fatalf("%d spans after deleting a relation", n)
	}
	u.shortcut(scUndo)
	wantRelations(t, u, both...)
	u.shortcut(scRedo)
	wantRelations(t, u, both[1])
	u.shortcut(scUndo)
	// Deleting the source span takes its relation; undo brings both.
	src := findIn(t, u.doc.Text, "تركيا", 0)
	v.Select(src+1, src+1)
	press(v, fyne.KeyDelete, 1)
	wantRelations(t, u, both[0])
	u.shortcut(scUndo)
	wantRelations(t, u, both[0], both[1])
}

// The arcs of the mixed paragraph start over the CLAIM and end over each
// tail, also across the line break.
func TestArcsEndOverTheirSpans(t *testing.T) {
	doc, _ := mixedDoc(t)
	spans, rels := mixedRelations(t)
	v := NewSpanView(testFonts, 20)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(700, 300))
	v.SetText(doc.Text)
	v.SetSpans(spans, nil)
	v.SetRelations(arcsOf(spans, rels), -1)
	inside := func(sp annotate.Span, p fyne.Position) bool {
		for _, r := range v.doc.Rects(sp.Start, sp.End) {
			if p.X > r.X0 && p.X < r.X1 && p.Y >= r.Y0 && p.Y < r.Y1 {
				return true
			}
		}
		return false
	}
	lines := map[int]bool{}
	for i, a := range arcsOf(spans, rels) {
		pts, ok := v.arcPath(a, 0, i)
		if !ok {
			t.Fatalf("arc %d not drawn", i)
		}
		if !inside(a.Head, pts[0]) || !inside(a.Tail, pts[len(pts)-1]) {
			t.Errorf("arc %d (%s → %s) runs %v", i, a.Head.Text, a.Tail.Text, pts)
		}
		if len(pts) > 4 { // across lines: the run is in the margin
			lines[i] = true
			if x := pts[2].X; x <= v.wrapPx || x >= v.wrapPx+viewPad*v.scale {
				t.Errorf("arc %d's margin run at x=%g (text width %g)", i, x, v.wrapPx)
			}
		}
	}
	if !lines[0] || lines[2] {
		t.Fatalf("arcs across lines: %v (want the one to Türkiye Gazetesi only)", lines)
	}
}
