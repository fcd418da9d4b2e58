package app

import (
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
	// Ctrl+Z brings it back, Ctrl+Shift+Z deletes it again, Ctrl+Z again.
	u.shortcut(&fyne.ShortcutUndo{})
	if n := len(spansOf(t, u)); n != 2 {
		t.Fatalf("after undo: %d spans", n)
	}
	u.shortcut(scRedo)
	if n := len(spansOf(t, u)); n != 1 {
		t.Fatalf("after redo: %d spans", n)
	}
	u.shortcut(scUndo)
	// Undo the second label too, then redo it: the span comes back with a
	// new id, and a later relabel of it must still work.
	u.shortcut(scUndo)
	u.shortcut(scRedo)
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
