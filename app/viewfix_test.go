package app

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"tawsim/annotate"
)

// The annotation view's defects of issue 16 (hotkeys and the selection,
// the hover label, the reading position, Ctrl+L, reopening a document).

// clickAt presses and releases the primary button on the character at off
// and taps there, as a click in a real window does.
func clickAt(t *testing.T, u *UI, w fyne.Window, off int) {
	t.Helper()
	v := u.view
	p := posOf(t, u, off, -2)
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p.Subtract(abs)}, Button: desktop.MouseButtonPrimary}
	v.MouseDown(ev)
	v.MouseUp(ev)
	test.TapCanvas(w.Canvas(), p)
}

// hoverOver moves the pointer onto the character at off (view position).
func hoverOver(t *testing.T, u *UI, off int) fyne.Position {
	t.Helper()
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.view)
	p := posOf(t, u, off, -2).Subtract(abs)
	u.view.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}})
	return p
}

// commonColor is the most frequent colour of img inside r.
func commonColor(img image.Image, r image.Rectangle) color.NRGBA {
	n := map[color.NRGBA]int{}
	var best color.NRGBA
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if n[c]++; n[c] > n[best] {
				best = c
			}
		}
	}
	return best
}

func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// After a hotkey the new span is not left selected: its own colour shows,
// not the selection's blue over it, and the keys for the span under the
// caret (boundaries, delete) still reach it.
func TestHotkeyClearsTheSelection(t *testing.T) { bothLanguages(t, testHotkeyClearsTheSelection) }

func testHotkeyClearsTheSelection(t *testing.T) {
	u, w, _ := newTestUI(t)
	v := u.view
	const name = "هاكان فيدان"
	start := findIn(t, u.doc.Text, name, 0)
	end := start + len([]rune(name))
	v.Select(start, end)
	test.Type(v, "3") // ORGANIZATION
	if s, e := v.Selection(); s != end || e != end {
		t.Fatalf("after the hotkey: selection [%d,%d), want the caret at the span's end %d", s, e, end)
	}
	if sp, ok := v.ActiveSpan(); !ok || sp.Start != start || sp.End != end {
		t.Fatalf("the new span is not the active one: %+v %v", sp, ok)
	}
	if want := spanSaved(annotate.Span{Start: start, End: end, Label: "ORGANIZATION", Text: name}); u.message.text != want || !strings.Contains(want, name) {
		t.Fatalf("status %q", u.message.text)
	}
	th, variant := v.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	sel := th.Color(theme.ColorNameSelection, variant)
	for _, o := range test.WidgetRenderer(v).Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && o.Visible() && sameColor(r.FillColor, sel) {
			t.Fatalf("a selection rectangle is drawn at %v", r.Position())
		}
	}
	// Look at it: inside the span its highlight colour (the active
	// span's, over the text background), not mixed with blue.
	capture(t, w, "hotkey-cleared.png")
	img := w.Canvas().Capture()
	rects := v.Layout().Rects(start, end)
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
	px := w.Canvas().Scale() // capture pixels per unit
	lr := rects[0]
	box := image.Rect(int((abs.X+viewPad+lr.X0/v.scale)*px)+1, int((abs.Y+viewPad+(lr.Y0+2)/v.scale)*px)+1,
		int((abs.X+viewPad+lr.X1/v.scale)*px)-1, int((abs.Y+viewPad+(lr.Y1-4)/v.scale)*px)-1)
	got := commonColor(img, box)
	bg := color.NRGBAModel.Convert(th.Color(theme.ColorNameInputBackground, variant)).(color.NRGBA)
	col := u.colors["ORGANIZATION"]
	mix := func(a, b uint8) uint8 { return uint8((int(a)*0x7f + int(b)*0x80) / 0xff) }
	want := color.NRGBA{mix(bg.R, col.R), mix(bg.G, col.G), mix(bg.B, col.B), 0xff}
	if !near(got, want, 8) {
		t.Fatalf("inside the span the capture shows %v, want the span's colour %v (of %v)", got, want, col)
	}
	// The boundary keys act on the span just made.
	u.shortcut(altShift(fyne.KeyLeft))
	if sp := spansOf(t, u); len(sp) != 1 || sp[0].End != end+1 {
		t.Fatalf("Alt+Shift+Left after labelling: %+v", sp)
	}
}

// A hotkey relabels a span only when it is selected exactly: a click in a
// long claim and a stray key leave it alone and say so. After a relabel,
// the hover label under the resting pointer follows.
func TestHotkeyRelabelsOnlyAnExactSelection(t *testing.T) {
	bothLanguages(t, testHotkeyRelabelsOnlyAnExactSelection)
}

func testHotkeyRelabelsOnlyAnExactSelection(t *testing.T) {
	u, w, _ := newTestUI(t)
	v := u.view
	text := []rune(u.doc.Text)
	// A long claim: from أفادت to the end of its sentence.
	start := findIn(t, u.doc.Text, "أفادت", 0)
	end := start
	for end < len(text) && text[end] != '.' && text[end] != '\n' && text[end] != '،' {
		end++
	}
	if end-start < 20 {
		t.Fatalf("claim of %d characters", end-start)
	}
	v.Select(start, end)
	test.Type(v, "4")
	spans := spansOf(t, u)
	if len(spans) != 1 || spans[0].Label != "CLAIM" {
		t.Fatalf("stored %+v", spans)
	}
	mid := start + (end-start)/2
	clickAt(t, u, w, mid)
	if s, e := v.Selection(); s != e || s < start || s >= end {
		t.Fatalf("the click selected [%d,%d)", s, e)
	}
	hoverOver(t, u, mid)
	if v.hoverText != "CLAIM" {
		t.Fatalf("hover %q", v.hoverText)
	}
	test.Type(v, "2")
	if sp := spansOf(t, u); len(sp) != 1 || sp[0].Label != "CLAIM" {
		t.Fatalf("a stray key with the caret in the claim relabelled it: %+v", sp)
	}
	if u.message.text != lang.L("Select the span exactly to relabel it (click it in the span list)") {
		t.Fatalf("status %q", u.message.text)
	}
	// Chosen in the span list it is selected exactly: the key relabels.
	u.spanList.Select(0)
	if s, e := v.Selection(); s != start || e != end {
		t.Fatalf("the span list selected [%d,%d)", s, e)
	}
	test.Type(v, "2")
	if sp := spansOf(t, u); len(sp) != 1 || sp[0].Label != "STATE" {
		t.Fatalf("exact selection not relabelled: %+v", sp)
	}
	if v.hoverText != "STATE" {
		t.Fatalf("after the relabel the hover label says %q", v.hoverText)
	}
	if s, e := v.Selection(); s != e {
		t.Fatalf("the relabelled span is left selected [%d,%d)", s, e)
	}
}

// The hover label sits above the pointer's line (or beside the span when
// there is no room above), never over the next line, always inside the
// visible part of the view: first and last line, both edges.
func TestHoverLabelPlacement(t *testing.T) { bothLanguages(t, testHoverLabelPlacement) }

func testHoverLabelPlacement(t *testing.T) {
	u, w, _ := newTestUI(t)
	v := u.view
	d := v.Layout()
	r := test.WidgetRenderer(v).(*spanViewRenderer)
	visTop, visBottom := v.viewTop, v.viewTop+v.viewHeight
	if v.viewHeight <= 0 {
		visBottom = v.Size().Height
	}
	// The first line, a line as wide as the view and the last non-empty
	// line wholly in view.
	full, last := -1, d.LineAt((visBottom-viewPad)*v.scale)-1
	for i := 0; full < 0; i++ {
		if ln, _ := d.Line(i); ln.X0 < 100 {
			full = i
		}
	}
	for ln, _ := d.Line(last); ln.End-ln.Start < 4; ln, _ = d.Line(last) {
		last--
	}
	var probes []int
	for _, li := range []int{0, full, last} {
		ln, _ := d.Line(li)
		probes = append(probes, ln.Start+1, ln.End-2) // the line's right end, then its left end (RTL)
	}
	var spans []annotate.Span
	for _, off := range probes {
		s, e := d.WordAt(off)
		spans = append(spans, annotate.Span{Start: s, End: e, Label: "ORGANIZATION"})
	}
	u.spans = spans
	u.showSpans()
	for i := range probes {
		off := (spans[i].Start + spans[i].End) / 2 // inside the edge word, wherever the lines break
		p := hoverOver(t, u, off)
		if v.hoverText == "" {
			t.Fatalf("probe %d: no hover label at %d (point %v, view %v, span %+v, text %q)", i, off, p, v.Size(), spans[i], []rune(u.doc.Text)[spans[i].Start:spans[i].End])
		}
		test.WidgetRenderer(v).Refresh()
		pos, size := r.tipBox.Position(), r.tipBox.Size()
		name := []string{"first line, right", "first line, left", "full line, right", "full line, left", "last line, right", "last line, left"}[i]
		capture(t, w, "hover-"+strings.NewReplacer(", ", "-", " ", "-").Replace(name)+".png")
		if !r.tipBox.Visible() || pos.X < 0 || pos.X+size.Width > v.Size().Width || pos.Y < visTop || pos.Y+size.Height > visBottom {
			t.Errorf("%s: label at %v size %v, outside the view (width %g, visible %g–%g)", name, pos, size, v.Size().Width, visTop, visBottom)
		}
		li, _ := d.Caret(off)
		ln, _ := d.Line(li)
		lineTop, lineBottom := viewPad+ln.Y/v.scale, viewPad+(ln.Y+ln.Height)/v.scale
		if pos.Y+size.Height > lineBottom+0.5 {
			t.Errorf("%s: label %g–%g reaches below its line (%g–%g), over the next one", name, pos.Y, pos.Y+size.Height, lineTop, lineBottom)
		}
		// It never hides the hovered span itself.
		for _, lr := range d.Rects(spans[i].Start, spans[i].End) {
			x0, x1 := viewPad+lr.X0/v.scale, viewPad+lr.X1/v.scale
			y0, y1 := viewPad+lr.Y0/v.scale, viewPad+lr.Y1/v.scale
			if pos.X < x1 && pos.X+size.Width > x0 && pos.Y < y1 && pos.Y+size.Height > y0 {
				t.Errorf("%s: label %v %v covers the hovered word [%g,%g]×[%g,%g] (pointer %v)", name, pos, size, x0, x1, y0, y1, p)
			}
		}
	}
}

// Narrowing (or widening) the window re-wraps a long document: the first
// visible character stays in the first visible line, it does not jump to
// the top. So does a change of text size.
func TestRewrapKeepsTheReadingPosition(t *testing.T) {
	bothLanguages(t, testRewrapKeepsTheReadingPosition)
}

// bigScrolledView is a scrolled span view of the 100,000-code-point text
// alone in a window of size, scrolled to the top.
func bigScrolledView(t *testing.T, size fyne.Size) (*SpanView, *viewScroll, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	v, s := scrolledView(testFonts, 20)
	w := test.NewWindow(s)
	t.Cleanup(w.Close)
	w.Resize(size)
	v.SetText(bigArabic(t))
	scrollToTop(v, s)
	return v, s, w
}

func testRewrapKeepsTheReadingPosition(t *testing.T) {
	v, s, w := bigScrolledView(t, fyne.NewSize(1000, 700))
	mid := v.Layout().Len() / 2
	scrollIntoView(v, s, mid)
	firstVisible := func() (int, int) {
		y := (s.Offset.Y - viewPad) * v.scale
		first, _ := v.Layout().LinesInRange(y, y+1)
		ln, _ := v.Layout().Line(first)
		return ln.Start, ln.End
	}
	top, _ := firstVisible()
	if top < mid/2 {
		t.Fatalf("not scrolled to the middle: first visible %d", top)
	}
	for _, width := range []float32{640, 820, 420, 1200} {
		w.Resize(fyne.NewSize(width, 700))
		ls, le := firstVisible()
		if top < ls || top >= le {
			t.Fatalf("at width %g the first visible line is [%d,%d), want the one holding %d (offset %g, view top %g)", width, ls, le, top, s.Offset.Y, v.viewTop)
		}
		if v.viewTop != s.Offset.Y {
			t.Fatalf("at width %g the view draws from %g, the scroller shows %g", width, v.viewTop, s.Offset.Y)
		}
	}
	v.SetTextSize(28)
	test.WidgetRenderer(v).Layout(v.Size())
	if ls, le := firstVisible(); top < ls || top >= le {
		t.Fatalf("after a text size change the first visible line is [%d,%d), want the one holding %d", ls, le, top)
	}
	// A new document starts at the top.
	v.SetText(bigArabic(t))
	scrollToTop(v, s)
	w.Resize(fyne.NewSize(900, 700))
	if s.Offset.Y != 0 {
		t.Fatalf("a new document re-wrapped at %g", s.Offset.Y)
	}
}

// Ctrl+L and strip-on-double-click follow one rule (a proclitic is cut
// where the article follows or the rest is a word of the document):
// واشنطن stays whole; والأردن loses its و.
func TestStripCommandFollowsTheDoubleClickRule(t *testing.T) {
	bothLanguages(t, testStripCommandFollowsTheDoubleClickRule)
}

func testStripCommandFollowsTheDoubleClickRule(t *testing.T) {
	u, _, _ := newTestUI(t)
	v := u.view
	for i, d := range u.docs {
		if doc, _ := u.store.Document(d.ID); strings.Contains(doc.Text, "واشنطن") {
			u.Open(i)
			break
		}
	}
	w := findIn(t, u.doc.Text, "واشنطن", 0)
	e := w + len([]rune("واشنطن"))
	u.stripTick.SetChecked(true)
	if s, e2 := u.doubleTap(w, e); s != w || e2 != e {
		t.Fatalf("double-click strip gave [%d,%d)", s, e2)
	}
	v.Select(w, e)
	u.shortcut(scStrip)
	if s, e2 := v.Selection(); s != w || e2 != e {
		t.Fatalf("Ctrl+L made «%s» of واشنطن", string([]rune(u.doc.Text)[s:e2]))
	}
	if want := fmt.Sprintf(lang.L("«%s» of «%s» is kept: «%s» does not occur on its own in this document (on a span, Alt+Shift+↓ moves its start one letter on)"), "و", "واشنطن", "اشنطن"); u.message.text != want {
		t.Fatalf("status %q, want %q", u.message.text, want)
	}
	// A word without proclitic letters says so.
	tr := findIn(t, u.doc.Text, "تركيا", 0)
	v.Select(tr, tr+5)
	u.shortcut(scStrip)
	if u.message.text != lang.L("No proclitic to strip here") {
		t.Fatalf("Ctrl+L on تركيا: status %q", u.message.text)
	}
	v.Select(w, e)
	// As a span too: Ctrl+L on the span leaves it whole.
	test.Type(v, "2")
	v.Select(w, e)
	u.shortcut(scStrip)
	if sp := spansOf(t, u); len(sp) != 1 || sp[0].Text != "واشنطن" {
		t.Fatalf("Ctrl+L on the span: %+v", sp)
	}
	// Where the rule licenses a strip, both cut the same.
	u.Open(0)
	a := findIn(t, u.doc.Text, "والأردن", 0)
	b := a + len([]rune("والأردن"))
	ds, _ := u.doubleTap(a, b)
	v.Select(a, b)
	u.shortcut(scStrip)
	if s, _ := v.Selection(); s != a+1 || ds != a+1 {
		t.Fatalf("والأردن: Ctrl+L from %d, double-click from %d, want %d", s, ds, a+1)
	}
}

// menuAction is the action of the menu item labelled item in menu menu.
func menuAction(t *testing.T, u *UI, menu, item string) func() {
	t.Helper()
	for _, m := range u.mainMenu().Items {
		for _, it := range m.Items {
			if m.Label == menu && it.Label == item {
				return it.Action
			}
		}
	}
	t.Fatalf("no menu item %s ▸ %s", menu, item)
	return nil
}

// ✓ / Ctrl+Enter toggles the open document between done and in progress;
// Document ▸ Reopen reopens it.
func TestDoneTogglesAndReopens(t *testing.T) { bothLanguages(t, testDoneTogglesAndReopens) }

func testDoneTogglesAndReopens(t *testing.T) {
	u, _, st := newTestUI(t)
	first := u.doc.ID
	status := func() annotate.Status {
		t.Helper()
		s, _, err := st.Status(first, "amina")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	u.shortcut(scDone)
	if status() != annotate.StatusDone || u.doc.ID == first || u.message.text != fmt.Sprintf(lang.L("%s marked done (Document ▸ Reopen, or Ctrl+Enter on it, reopens it)"), isolateRTL(first)) {
		t.Fatalf("Ctrl+Enter: status %q, open %s, status line %q", status(), u.doc.ID, u.message.text)
	}
	u.Open(0)
	u.shortcut(scDone)
	if status() != annotate.StatusInProgress || u.doc.ID != first {
		t.Fatalf("Ctrl+Enter on a done document: status %q, open %s", status(), u.doc.ID)
	}
	reopened := lang.L("Reopened: this document is in progress again (Ctrl+Enter marks it done)")
	if u.message.text != reopened || u.progress.Text != fmt.Sprintf(lang.L("%d / %d done"), 0, 5) {
		t.Fatalf("status line %q, progress %q", u.message.text, u.progress.Text)
	}
	if u.docs[u.cur].Status["amina"] != annotate.StatusInProgress {
		t.Fatalf("the list shows %q", u.docs[u.cur].Status["amina"])
	}
	// The toolbar's ✓ does the same as Ctrl+Enter: done again, next.
	u.markDone()
	if status() != annotate.StatusDone || u.doc.ID == first {
		t.Fatalf("✓: status %q, open %s", status(), u.doc.ID)
	}
	u.Open(0)
	reopen := menuAction(t, u, lang.L("Document"), lang.L("Reopen"))
	reopen()
	if status() != annotate.StatusInProgress || u.doc.ID != first || u.message.text != reopened {
		t.Fatalf("Document ▸ Reopen: status %q, open %s, status line %q", status(), u.doc.ID, u.message.text)
	}
	reopen()
	if status() != annotate.StatusInProgress || u.message.text != lang.L("This document is not marked done") {
		t.Fatalf("Reopen of an open document: status %q, status line %q", status(), u.message.text)
	}
}

// A drag selection that goes past the bottom (or top) of the visible part
// scrolls the view, so that a selection can be longer than a screen.
func TestDragPastTheEdgeScrolls(t *testing.T) {
	v, s, _ := bigScrolledView(t, fyne.NewSize(900, 600))
	h := s.Size().Height
	from := fyne.NewPos(400, 100)
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary})
	for _, y := range []float32{h - 20, h + 40, h + 120} { // the pointer leaves the view at the bottom
		v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(400, y)}, Dragged: fyne.NewDelta(0, 40)})
	}
	if got, want := s.Offset.Y, h+120-h; got != want {
		t.Fatalf("after dragging 120 px past the bottom the scroller is at %g, want %g", got, want)
	}
	if v.viewTop != s.Offset.Y {
		t.Fatalf("the view draws from %g, the scroller shows %g", v.viewTop, s.Offset.Y)
	}
	_, e := v.Selection()
	if want := v.hit(fyne.NewPos(400, h+120)); e != want {
		t.Fatalf("the selection ends at %d, want %d under the pointer", e, want)
	}
	// Back up past the top of what is now visible.
	v.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(400, 50)}, Dragged: fyne.NewDelta(0, -h)})
	if s.Offset.Y != 50 {
		t.Fatalf("after dragging above the visible part the scroller is at %g, want 50", s.Offset.Y)
	}
	v.DragEnd()
}

// Starting a relation (S) gives the layout its arc band, which makes every
// line taller: the line of the span the relation starts from stays where it
// was on the screen, not the first visible one, so the claim does not slide
// down or out of view.
func TestLinkingKeepsTheHeadInPlace(t *testing.T) {
	v, s, _ := bigScrolledView(t, fyne.NewSize(1000, 700))
	mid := v.Layout().Len() / 2
	scrollIntoView(v, s, mid)
	// A span two thirds down the screen.
	y := s.Offset.Y + 2*s.Size().Height/3
	off := v.hit(fyne.NewPos(500, y))
	head := annotate.Span{Start: off, End: off + 3, Label: "CLAIM"}
	v.Select(head.Start, head.End)
	before := v.LineTop(head.Start) - s.Offset.Y
	firstBefore := v.firstVisible()
	v.SetLinking(&head, nil, "SOURCE")
	test.WidgetRenderer(v).Layout(v.Size())
	if v.Layout().Metrics().SpaceAbove == 0 {
		t.Fatal("linking did not give the layout its arc band")
	}
	after := v.LineTop(head.Start) - s.Offset.Y
	if d := after - before; d < -1 || d > 1 {
		t.Fatalf("the head's line moved %g px on the screen (from %g to %g below the top; the first visible character was %d)", d, before, after, firstBefore)
	}
	if v.viewTop != s.Offset.Y {
		t.Fatalf("the view draws from %g, the scroller shows %g", v.viewTop, s.Offset.Y)
	}
}
