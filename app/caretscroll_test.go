package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// scrolledText is a span view of the sample paragraphs in a scroller of a
// small window, focused, its caret at the top.
func scrolledText(t *testing.T) (*SpanView, *viewScroll, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	v, s := scrolledView(testFonts, 20)
	w := test.NewWindow(s)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(600, 300))
	v.SetText(strings.Join(sampleParagraphs()[:12], "\n"))
	scrollToTop(v, s)
	w.Canvas().Focus(v)
	return v, s, w
}

// caretLine is the caret's line box, Fyne units in the view.
func caretLine(v *SpanView) (top, bottom float32) {
	i, _ := v.Layout().Caret(v.Caret())
	ln, _ := v.Layout().Line(i)
	return v.LineTop(v.Caret()), viewPad + (ln.Y+ln.Height)/v.scale
}

// inView fails unless the caret's line is wholly in the scroller's view.
func inView(t *testing.T, v *SpanView, s *viewScroll, after string) {
	t.Helper()
	top, bottom := caretLine(v)
	if top < s.Offset.Y-0.5 || bottom > s.Offset.Y+s.Size().Height+0.5 {
		t.Fatalf("after %s the caret's line %g–%g is out of the view %g–%g", after, top, bottom, s.Offset.Y, s.Offset.Y+s.Size().Height)
	}
	if v.viewTop != s.Offset.Y {
		t.Fatalf("after %s the view draws from %g, the scroller shows %g", after, v.viewTop, s.Offset.Y)
	}
}

// Arrow keys, Home and End scroll the view the least that shows the
// caret's line.
func TestCaretKeysScrollTheCaretIntoView(t *testing.T) {
	v, s, _ := scrolledText(t)
	h := s.Size().Height
	for i := 0; s.Offset.Y == 0; i++ {
		if i > 200 {
			t.Fatal("Down never scrolled")
		}
		press(v, fyne.KeyDown, 1)
		inView(t, v, s, "Down")
	}
	// The least: the caret's line is the last one in view.
	if _, bottom := caretLine(v); bottom-s.Offset.Y-h > 0.5 || bottom-s.Offset.Y-h < -0.5 {
		t.Fatalf("Down scrolled to %g: the caret's line ends at %g, the view at %g", s.Offset.Y, bottom, s.Offset.Y+h)
	}
	press(v, fyne.KeyDown, 20)
	inView(t, v, s, "Down×20")
	for v.Caret() > 0 {
		press(v, fyne.KeyUp, 1)
		inView(t, v, s, "Up")
	}
	if s.Offset.Y != 0 {
		t.Fatalf("the caret at the top, the view at %g", s.Offset.Y)
	}
	// The wheel scrolls the caret out of view; a key brings it back.
	press(v, fyne.KeyDown, 2)
	for _, k := range []fyne.KeyName{fyne.KeyEnd, fyne.KeyHome, fyne.KeyLeft, fyne.KeyRight} {
		s.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -10*h)})
		if s.Offset.Y == 0 {
			t.Fatal("the wheel did not scroll")
		}
		press(v, k, 1)
		inView(t, v, s, string(k))
	}
}

// PgDn and PgUp move the caret and the view by about the visible height,
// keeping the caret's x; with Shift the selection extends.
func TestPageKeysMoveCaretAndView(t *testing.T) {
	v, s, _ := scrolledText(t)
	h := s.Size().Height
	press(v, fyne.KeyDown, 1)
	press(v, fyne.KeyLeft, 5)
	start := v.Caret()
	_, x0 := v.Layout().Caret(start)
	top0, _ := caretLine(v)
	press(v, fyne.KeyPageDown, 1)
	inView(t, v, s, "PgDn")
	top1, _ := caretLine(v)
	if d := top1 - top0; d < h/2 || d > h {
		t.Fatalf("PgDn moved the caret %g down, the view is %g high", d, h)
	}
	if d := s.Offset.Y; d < h/2 || d > h {
		t.Fatalf("PgDn scrolled %g, the view is %g high", d, h)
	}
	if _, x1 := v.Layout().Caret(v.Caret()); x1-x0 > 20 || x0-x1 > 20 {
		t.Fatalf("PgDn moved the caret's x from %g to %g", x0, x1)
	}
	if s, e := v.Selection(); s != e {
		t.Fatalf("PgDn selected [%d,%d)", s, e)
	}
	press(v, fyne.KeyPageUp, 1)
	inView(t, v, s, "PgUp")
	if v.Caret() != start || s.Offset.Y != 0 {
		t.Fatalf("PgUp: caret %d (was %d), view at %g", v.Caret(), start, s.Offset.Y)
	}
	v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	press(v, fyne.KeyPageDown, 2)
	v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	inView(t, v, s, "Shift+PgDn×2")
	if a, e := v.Selection(); a != start || e != v.Caret() || e <= start {
		t.Fatalf("Shift+PgDn selected [%d,%d), want from %d to the caret %d", a, e, start, v.Caret())
	}
	press(v, fyne.KeyPageUp, 100)
	if v.Caret() >= start || s.Offset.Y != 0 {
		t.Fatalf("PgUp at the top: caret %d, view at %g", v.Caret(), s.Offset.Y)
	}
}
