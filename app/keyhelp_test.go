package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"tawsim/annotate"
)

// Each boundary key moves the boundary the list of keys (F1) says it
// moves, and that one only.
func TestBoundaryKeysDoWhatTheHelpSays(t *testing.T) {
	u, _, _ := newTestUI(t)
	sp, err := u.hist.Add(u.doc.ID, annotate.Span{Start: 4, End: 10, Label: u.labels[0].Name})
	if err != nil {
		t.Fatal(err)
	}
	u.replaceSpan(nil, &sp)
	start, end := lang.L("Move the start of the span under the caret"), lang.L("Move the end of the span under the caret")
	for _, k := range u.viewKeys {
		name := keyText(k.key)
		u.view.Select(sp.Start, sp.End)
		k.do()
		if len(u.spans) != 1 {
			t.Fatalf("%s: %d spans", name, len(u.spans))
		}
		got := u.spans[0]
		var did string
		switch {
		case got.Start != sp.Start && got.End == sp.End:
			did = start
		case got.End != sp.End && got.Start == sp.Start:
			did = end
		default:
			t.Fatalf("%s: the span went [%d,%d) → [%d,%d)", name, sp.Start, sp.End, got.Start, got.End)
		}
		if help := keyHelpByName()[name]; help != did {
			t.Errorf("%s: the help says %q, the key did %q ([%d,%d) → [%d,%d))", name, help, did, sp.Start, sp.End, got.Start, got.End)
		}
		u.undo()
		if u.spans[0].Start != sp.Start || u.spans[0].End != sp.End {
			t.Fatalf("%s: undo left [%d,%d)", name, u.spans[0].Start, u.spans[0].End)
		}
	}
}

// '?' opens the list of keys, and so does '؟', what the same key types
// on an Arabic keyboard: in the text and with nothing focused.
func TestArabicQuestionMarkOpensTheKeys(t *testing.T) {
	u, w, _ := newTestUI(t)
	for _, r := range []rune{'?', '؟'} {
		for where, typed := range map[string]func(rune){
			"in the text":     func(r rune) { w.Canvas().Focus(u.view); u.view.TypedRune(r) },
			"nothing focused": func(r rune) { w.Canvas().Unfocus(); w.Canvas().OnTypedRune()(r) },
		} {
			typed(r)
			top := w.Canvas().Overlays().Top()
			if top == nil || !hasLabel(top, "Keyboard shortcuts") {
				t.Errorf("%q %s: no list of keys", r, where)
				continue
			}
			w.Canvas().Overlays().Remove(top)
		}
	}
}

// In the list of keys, what a key does ends a scroll bar's width before
// the right edge, where the scroll bar is drawn over the list: right-
// aligned Arabic lost its first letter under it (تراجع read "راجع").
func TestKeyListClearsTheScrollBar(t *testing.T) {
	inArabic(t)
	u, w, _ := newTestUI(t)
	u.showHelpKeys()
	scroll, ok := findObject(w.Canvas().Overlays().Top(), func(*container.Scroll) bool { return true })
	if !ok {
		t.Fatal("no scrolled list of keys")
	}
	grid := scroll.Content.(*fyne.Container)
	right := scroll.Size().Width - theme.Size(theme.SizeNameScrollBar)
	n := 0
	for _, o := range grid.Objects {
		if tl, ok := o.(*TextLine); ok {
			n++
			if end := tl.Position().X + tl.Size().Width; end > right {
				t.Fatalf("%q ends at %g, under the scroll bar (from %g)", tl.Text(), end, right)
			}
		}
	}
	if n < 10 {
		t.Fatalf("%d descriptions in the list", n)
	}
}
