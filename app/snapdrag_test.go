package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
)

// dragOver presses at the character at from, drags to the one at to and
// releases, with mod held at the press, as the GL driver delivers it.
func dragOver(t *testing.T, u *UI, w fyne.Window, from, to int, mod fyne.KeyModifier) (int, int) {
	t.Helper()
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.view)
	p, q := posOf(t, u, from, -1), posOf(t, u, to, -1)
	u.view.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p.Subtract(abs)}, Button: desktop.MouseButtonPrimary, Modifier: mod})
	test.Drag(w.Canvas(), q, q.X-p.X, q.Y-p.Y)
	u.view.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: q.Subtract(abs)}, Button: desktop.MouseButtonPrimary})
	return u.view.Selection()
}

func TestDragSnapsToWholeWords(t *testing.T) {
	u, w, _ := newTestUI(t)
	const name = "هاكان فيدان"
	start := findIn(t, u.doc.Text, name, 0)
	end := start + len([]rune(name))
	text := []rune(u.doc.Text)
	if annotate.IsWordRune(text[end]) {
		t.Fatalf("want no letter after %q, got %q", name, text[end])
	}
	quote := func(s, e int) string { return string(text[s:e]) }
	// From the middle of هاكان to the middle of فيدان: both words whole.
	if s, e := dragOver(t, u, w, start+2, end-2, 0); s != start || e != end {
		t.Fatalf("mid-word drag selected [%d,%d) %q, want [%d,%d) %q", s, e, quote(s, e), start, end, name)
	}
	// Backwards from the punctuation after the name: it is left out.
	if s, e := dragOver(t, u, w, end, start+1, 0); s != start || e != end {
		t.Fatalf("backward drag from the space selected [%d,%d) %q, want %q", s, e, quote(s, e), name)
	}
	if c := u.view.Caret(); c != start {
		t.Fatalf("backward drag: caret at %d, want %d (where the pointer is)", c, start)
	}
	// With Alt held: letter-exact, as before: the selection starts and
	// ends inside the words, at the letters pressed and released on.
	exact := func(s, e int) bool { return s == start+2 && e > s && e < end && e >= end-3 }
	if s, e := dragOver(t, u, w, start+2, end-2, fyne.KeyModifierAlt); !exact(s, e) {
		t.Fatalf("Alt drag selected [%d,%d) %q, want [%d,~%d)", s, e, quote(s, e), start+2, end-2)
	}
	// Alt held as a key (KeyDown … KeyUp) does the same.
	u.view.KeyDown(&fyne.KeyEvent{Name: desktop.KeyAltLeft})
	s, e := dragOver(t, u, w, start+2, end-2, 0)
	u.view.KeyUp(&fyne.KeyEvent{Name: desktop.KeyAltLeft})
	if !exact(s, e) {
		t.Fatalf("drag with Alt down selected [%d,%d) %q, want [%d,~%d)", s, e, quote(s, e), start+2, end-2)
	}
	// Alt released: the next drag snaps again.
	if s, e := dragOver(t, u, w, start+2, end-2, 0); s != start || e != end {
		t.Fatalf("after Alt: drag selected [%d,%d) %q, want %q", s, e, quote(s, e), name)
	}
	// The keyboard stays letter-exact: Shift+Left extends by one letter.
	u.view.Select(start+1, start+1)
	u.view.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	press(u.view, fyne.KeyLeft, 2)
	u.view.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	if s, e := u.view.Selection(); s != start+1 || e != start+3 {
		t.Fatalf("Shift+Left×2 selected [%d,%d), want [%d,%d)", s, e, start+1, start+3)
	}
}

func TestDragSnapsToStemWithStripOption(t *testing.T) {
	u, w, _ := newTestUI(t)
	word := findIn(t, u.doc.Text, "والأردن", 0)
	stem, end := word+1, word+len([]rune("والأردن"))
	if s, e := dragOver(t, u, w, word+3, end-2, 0); s != word || e != end {
		t.Fatalf("strip off: drag selected [%d,%d), want the whole word [%d,%d)", s, e, word, end)
	}
	u.stripTick.SetChecked(true)
	if s, e := dragOver(t, u, w, word+3, end-2, 0); s != stem || e != end {
		t.Fatalf("strip on: drag selected [%d,%d) %q, want الأردن [%d,%d)", s, e, string([]rune(u.doc.Text)[s:e]), stem, end)
	}
	test.Type(u.view, "2")
	if sp := spansOf(t, u); len(sp) != 1 || sp[0].Text != "الأردن" || sp[0].Label != "STATE" {
		t.Fatalf("stored %+v", sp)
	}
}
