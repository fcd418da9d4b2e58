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
	"tawsim/storage"
)

// posOf is the canvas position just inside the leading edge of the
// character at off (right edge in RTL), on its line's middle.
func posOf(t *testing.T, u *UI, off int, side float32) fyne.Position {
	t.Helper()
	v := u.view
	d := v.Layout()
	li, x := d.Caret(off)
	ln, _ := d.Line(li)
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
	return fyne.NewPos(abs.X+viewPad+x/v.scale+side, abs.Y+viewPad+(ln.Y+ln.Height/2)/v.scale)
}

func findIn(t *testing.T, text, word string, nth int) int {
	t.Helper()
	r := []rune(text)
	w := []rune(word)
	for i := 0; i+len(w) <= len(r); i++ {
		if string(r[i:i+len(w)]) == word {
			if nth == 0 {
				return i
			}
			nth--
		}
	}
	t.Fatalf("%q not in the text", word)
	return -1
}

func spansOf(t *testing.T, u *UI) []annotate.Span {
	t.Helper()
	spans, err := u.store.Spans(u.doc.ID, u.annotator)
	if err != nil {
		t.Fatal(err)
	}
	return spans
}

func TestDragAndHotkeyStoresExactSpan(t *testing.T) {
	u, w, _ := newTestUI(t)
	// "هاكان فيدان" in the first sample: drag from the right edge of ه to
	// the left edge of the final ن (RTL: the drag goes leftwards).
	start := findIn(t, u.doc.Text, "هاكان فيدان", 0)
	end := start + len([]rune("هاكان فيدان"))
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.view)
	from := posOf(t, u, start, -1) // just inside ه, the first letter (its right half)
	_, xEnd := u.view.Layout().Caret(end)
	to := fyne.NewPos(abs.X+viewPad+xEnd/u.view.scale+1, from.Y) // just inside the last letter's left half
	// Press at the start, drag to the end, release: as the GL driver
	// delivers it.
	u.view.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from.Subtract(abs)}, Button: desktop.MouseButtonPrimary})
	test.Drag(w.Canvas(), to, to.X-from.X, 0)
	u.view.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to.Subtract(abs)}, Button: desktop.MouseButtonPrimary})
	s, e := u.view.Selection()
	if s != start || e != end {
		t.Fatalf("drag selected [%d,%d) %q, want [%d,%d)", s, e, string([]rune(u.doc.Text)[s:e]), start, end)
	}
	test.Type(u.view, "1")
	spans := spansOf(t, u)
	if len(spans) != 1 || spans[0].Start != start || spans[0].End != end || spans[0].Label != "PERSON" || spans[0].Text != "هاكان فيدان" {
		t.Fatalf("stored %+v", spans)
	}
	capture(t, w, "labelled.png")
}

func press(v *SpanView, name fyne.KeyName, times int) {
	for i := 0; i < times; i++ {
		v.TypedKey(&fyne.KeyEvent{Name: name})
	}
}

func TestKeyboardOnlySubWordSpan(t *testing.T) {
	u, _, _ := newTestUI(t)
	target := findIn(t, u.doc.Text, "والأردن", 0) + 1 // الأردن without و
	v := u.view
	u.win.Canvas().Focus(v)
	// Walk the caret there with arrows only: Down to the line, then Left
	// (which in Arabic moves forward in reading order).
	li, _ := v.Layout().Caret(target)
	for i := 0; i < 100; i++ {
		if l, _ := v.Layout().Caret(v.Caret()); l >= li {
			break
		}
		press(v, fyne.KeyDown, 1)
	}
	press(v, fyne.KeyHome, 1)
	for i := 0; i < 400 && v.Caret() != target; i++ {
		press(v, fyne.KeyLeft, 1)
	}
	if v.Caret() != target {
		t.Fatalf("caret stuck at %d, want %d", v.Caret(), target)
	}
	v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	press(v, fyne.KeyLeft, 6)
	v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	test.Type(v, "2")
	spans := spansOf(t, u)
	if len(spans) != 1 || spans[0].Text != "الأردن" || spans[0].Start != target || spans[0].Label != "STATE" {
		t.Fatalf("stored %+v", spans)
	}
	// Alt+Shift+Left moves the end one letter on (RTL), Alt+Shift+Right back.
	u.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift})
	if sp := spansOf(t, u)[0]; sp.End != target+7 {
		t.Fatalf("after Alt+Shift+Left: %+v", sp)
	}
	u.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift})
	u.shortcut(&desktop.CustomShortcut{KeyName: fyne.KeyUp, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift})
	if sp := spansOf(t, u)[0]; sp.Start != target-1 || sp.End != target+6 || sp.Text != "والأردن" {
		t.Fatalf("after moving the start: %+v", sp)
	}
	// Escape clears the selection; the span stays.
	press(v, fyne.KeyEscape, 1)
	if s, e := v.Selection(); s != e {
		t.Fatalf("Escape left [%d,%d)", s, e)
	}
}

func TestDeleteUndoRedoMarkDoneReopen(t *testing.T) {
	u, _, st := newTestUI(t)
	v := u.view
	text := u.doc.Text
	a := findIn(t, text, "تركيا", 0)
	b := findIn(t, text, "سوريا", 0)
	v.Select(a, a+5)
	test.Type(v, "2")
	v.Select(b, b+5)
	test.Type(v, "2")
	if n := len(spansOf(t, u)); n != 2 {
		t.Fatalf("%d spans", n)
	}
	// Delete the span under the caret.
	v.Select(a+2, a+2)
	press(v, fyne.KeyDelete, 1)
	if sp := spansOf(t, u); len(sp) != 1 || sp[0].Start != b {
		t.Fatalf("after delete: %+v", sp)
	}
	// Ctrl+Z brings it back, Ctrl+Shift+Z deletes it again, Ctrl+Z again;
	// the status line names each step.
	u.shortcut(&fyne.ShortcutUndo{})
	if n := len(spansOf(t, u)); n != 2 {
		t.Fatalf("after undo: %d spans", n)
	}
	wantStatus(t, u, "Undone: deleting STATE «تركيا»; it is back")
	u.shortcut(scRedo)
	if n := len(spansOf(t, u)); n != 1 {
		t.Fatalf("after redo: %d spans", n)
	}
	wantStatus(t, u, "Redone: deleting STATE «تركيا»")
	u.shortcut(scUndo)
	// Undo the second label too, then redo it: the span comes back with a
	// new id, and a later relabel of it must still work.
	u.shortcut(scUndo)
	wantStatus(t, u, "Undone: labelling STATE «سوريا»")
	u.shortcut(scRedo)
	wantStatus(t, u, "Redone: labelling STATE «سوريا»")
	v.Select(b, b+5)
	test.Type(v, "3")
	// b comes before a in the text, so it is the first span.
	sp := spansOf(t, u)
	if len(sp) != 2 || sp[0].Start != b || sp[0].Label != "ORGANIZATION" {
		t.Fatalf("after relabel: %+v", sp)
	}
	u.shortcut(scUndo)
	if sp := spansOf(t, u); sp[0].Label != "STATE" {
		t.Fatalf("undo relabel: %+v", sp)
	}
	wantStatus(t, u, "Undone: changing STATE «سوريا» into ORGANIZATION «سوريا»")
	// The view shows what is stored.
	if got := v.Spans(); len(got) != 2 {
		t.Fatalf("view shows %d spans", len(got))
	}
	// Ctrl+Enter marks done and opens the next document.
	first := u.doc.ID
	u.shortcut(scDone)
	if st, _, _ := st.Status(first, "amina"); st != annotate.StatusDone {
		t.Fatalf("status %v", st)
	}
	if u.doc.ID == first || u.progress.Text != "1 / 5 done" {
		t.Fatalf("after done: doc %s, progress %q", u.doc.ID, u.progress.Text)
	}
	// A new window on the same database shows the same highlights.
	u.Close()
	u2, _, _ := reopen(t, st)
	u2.Open(0)
	got := u2.view.Spans()
	if len(got) != 2 || got[0].Start != b || got[1].Start != a {
		t.Fatalf("reopened view shows %+v", got)
	}
	if !strings.Contains(u2.docTitle.text, "فيدان") {
		t.Fatalf("title %q", u2.docTitle.text)
	}
}

func reopen(t *testing.T, st interface{}) (*UI, fyne.Window, interface{}) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amina")
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	u, err := NewUI(a, w, st.(*storage.Store), testFonts)
	if err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1280, 800))
	return u, w, st
}

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

// wantStatus fails unless the status line says want.
func wantStatus(t *testing.T, u *UI, want string) {
	t.Helper()
	if got := u.message.Text(); got != want {
		t.Fatalf("status %q, want %q", got, want)
	}
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
	for _, width := range []float32{640, 1400, 1800} {
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
	wantStatus(t, u, "Undone: labelling CUE «أفادت» with its CUE relation")
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
	wantStatus(t, u, "Undone: linking SOURCE «العاصمة أنقرة تشهد» → «وسائل إعلام تركية»")
	u.shortcut(scRedo)
	wantRelations(t, u, "CUE العاصمة أنقرة تشهد → أفادت", "SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية")
	wantStatus(t, u, "Redone: linking SOURCE «العاصمة أنقرة تشهد» → «وسائل إعلام تركية»")
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
	wantStatus(t, u, "Undone: removing the SOURCE relation «العاصمة أنقرة تشهد» → «وسائل إعلام تركية»; it is back")
	u.shortcut(scRedo)
	wantRelations(t, u, both[1])
	wantStatus(t, u, "Redone: removing the SOURCE relation «العاصمة أنقرة تشهد» → «وسائل إعلام تركية»")
	u.shortcut(scUndo)
	// Deleting the source span takes its relation; undo brings both.
	src := findIn(t, u.doc.Text, "تركيا", 0)
	v.Select(src+1, src+1)
	press(v, fyne.KeyDelete, 1)
	wantRelations(t, u, both[0])
	u.shortcut(scUndo)
	wantRelations(t, u, both[0], both[1])
	wantStatus(t, u, "Undone: deleting STATE «تركيا»; it is back with its relations")
}

// A span in a relation keeps a label the relation allows: a claim made a
// PERSON, or its source made a CUE, is refused in the status line; a
// source made a STATE is relabelled with its relation.
func TestRelabelKeepsRelationsValid(t *testing.T) {
	u, _, _ := newTestUI(t)
	v := u.view
	attribution(t, u)
	test.Type(v, "s")
	press(v, fyne.KeyReturn, 1)
	wantRelations(t, u, "SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية")
	labelOf := func(text string) string {
		for _, sp := range spansOf(t, u) {
			if sp.Text == text {
				return sp.Label
			}
		}
		return ""
	}
	relabel := func(text, key string) {
		t.Helper()
		s := findIn(t, u.doc.Text, text, 0)
		v.Select(s, s+len([]rune(text)))
		test.Type(v, key)
	}
	relabel("العاصمة أنقرة تشهد", "1")
	if got := labelOf("العاصمة أنقرة تشهد"); got != "CLAIM" || !strings.Contains(u.message.text, "SOURCE relation") ||
		!strings.Contains(u.message.text, "«العاصمة أنقرة تشهد» → «وسائل إعلام تركية»") {
		t.Fatalf("claim relabelled PERSON: label %q, status %q", got, u.message.text)
	}
	relabel("وسائل إعلام تركية", "5")
	if got := labelOf("وسائل إعلام تركية"); got != "ORGANIZATION" || !strings.Contains(u.message.text, "SOURCE relation") {
		t.Fatalf("source relabelled CUE: label %q, status %q", got, u.message.text)
	}
	wantRelations(t, u, "SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية")
	relabel("وسائل إعلام تركية", "2")
	if got := labelOf("وسائل إعلام تركية"); got != "STATE" {
		t.Fatalf("source relabelled STATE: label %q, status %q", got, u.message.text)
	}
	wantRelations(t, u, "SOURCE العاصمة أنقرة تشهد → وسائل إعلام تركية")
	// A span in no relation is relabelled freely.
	relabel("هاكان فيدان", "3")
	if got := labelOf("هاكان فيدان"); got != "ORGANIZATION" {
		t.Fatalf("free span: label %q, status %q", got, u.message.text)
	}
}
