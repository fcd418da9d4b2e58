package app

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/annotate/layout"
	"tawsim/project"
)

// selectionNote only reads: with the caret in a suggestion it returns the
// suggestion's keys and leaves the status line to its callers.
func TestSelectionNoteWritesNothing(t *testing.T) {
	u, _, _ := newTestUI(t)
	sg := seedSuggestions(t, u, "STATE", "تركيا")[0]
	u.view.Select(sg.Start+1, sg.Start+1)
	u.say("something else")
	if msg := u.selectionNote(); msg != u.suggestionNote() || msg == "" {
		t.Fatalf("note %q, want the suggestion's %q", msg, u.suggestionNote())
	}
	if got := u.message.Text(); got != "something else" {
		t.Fatalf("selectionNote wrote the status line: %q", got)
	}
}

// "Select the span exactly" is about the span the caret is in: it goes
// when the caret leaves the span.
func TestRelabelHintGoesWithTheCaret(t *testing.T) {
	u, _, _ := newTestUI(t)
	s := findIn(t, u.doc.Text, "تركيا", 0)
	sp, err := u.hist.Add(u.doc.ID, annotate.Span{Start: s, End: s + 5, Label: "STATE"})
	if err != nil {
		t.Fatal(err)
	}
	u.replaceSpan(nil, &sp)
	clickInto(t, u, sp.Start, sp.End)
	test.Type(u.view, "1")
	const hint = "Select the span exactly"
	if !strings.Contains(u.message.Text(), hint) {
		t.Fatalf("a label key in the span: status %q", u.message.Text())
	}
	click(t, u, sp.End+3) // past the span, in plain text
	if _, in := u.view.ActiveSpan(); in {
		t.Fatal("the click landed in a span")
	}
	if got := u.message.Text(); strings.Contains(got, hint) {
		t.Fatalf("the caret left the span, the status line still says %q", got)
	}
}

// Escape while linking cancels it and clears the selection made for the
// tail, as Escape clears a selection elsewhere: the status line says
// linking is cancelled, and nothing stays highlighted.
func TestEscapeWhileLinkingClearsTheSelection(t *testing.T) {
	u, _, _ := newTestUI(t)
	v := u.view
	attribution(t, u)
	test.Type(v, "s")
	if u.link == nil {
		t.Fatal("S did not start linking")
	}
	cue := findIn(t, u.doc.Text, "أفادت", 0)
	v.Select(cue, cue+5)
	press(v, fyne.KeyEscape, 1)
	if u.link != nil {
		t.Fatal("Escape did not cancel linking")
	}
	if s, e := v.Selection(); s != e {
		t.Fatalf("linking cancelled, [%d,%d) still selected", s, e)
	}
	if got := u.message.Text(); got != "linking cancelled" {
		t.Fatalf("status %q", got)
	}
}

// Undoing an accepted suggestion says what was undone, and the
// suggestion's keys, back under the caret once the background count is
// in, do not overwrite that; the next move of the caret shows them.
func TestUndoAcceptedSuggestionSaysSo(t *testing.T) {
	asyncSuggestions(t)
	u, _, _ := newTestUI(t)
	settle(u)
	sg := seedSuggestions(t, u, "STATE", "تركيا")[0]
	clickInto(t, u, sg.Start, sg.End)
	press(u.view, fyne.KeyReturn, 1)
	settle(u)
	if _, ok := spanAt(t, u, sg.Start, sg.End); !ok {
		t.Fatal("Enter did not accept the suggestion")
	}
	u.view.TypedShortcut(scUndo)
	settle(u)
	if _, ok := suggestionAt(u, sg.Start, sg.End); !ok {
		t.Fatal("undo did not bring the suggestion back")
	}
	if got := u.message.Text(); !strings.Contains(got, "Undone: accepting STATE «تركيا»") {
		t.Fatalf("status after the undo: %q", got)
	}
	press(u.view, fyne.KeyLeft, 1)
	if got := u.message.Text(); !strings.Contains(got, "Enter accepts") {
		t.Fatalf("status in the suggestion after a move: %q", got)
	}
	// Accepted as another label (its key), the undo names that label.
	clickInto(t, u, sg.Start, sg.End)
	u.view.TypedRune('1')
	settle(u)
	if sp, ok := spanAt(t, u, sg.Start, sg.End); !ok || sp.Label != "PERSON" {
		t.Fatalf("the label key did not accept the suggestion as PERSON: %+v %v", sp, ok)
	}
	u.view.TypedShortcut(scUndo)
	settle(u)
	if got := u.message.Text(); !strings.Contains(got, "Undone: accepting PERSON «تركيا»") {
		t.Fatalf("status after undoing the accept as PERSON: %q", got)
	}
	u.view.TypedShortcut(scRedo)
	settle(u)
	if sp, ok := spanAt(t, u, sg.Start, sg.End); !ok || sp.Label != "PERSON" {
		t.Fatalf("redo did not accept the suggestion as PERSON again: %+v %v", sp, ok)
	}
	if got := u.message.Text(); !strings.Contains(got, "Redone: accepting PERSON «تركيا»") {
		t.Fatalf("status after the redo: %q", got)
	}
}

// A status message is a paragraph in the interface's direction: in
// English, left to right even when it starts with a quoted Arabic span, or
// when cut to fit it keeps nothing outside its isolates (the first strong
// letter would make either right to left, the label and "saved" at the
// wrong end).
func TestStatusLineReadsInTheInterfaceDirection(t *testing.T) {
	test.NewTempApp(t)
	if rtl() {
		t.Fatal("the tests run in a left-to-right interface")
	}
	for _, msg := range []string{
		"«قال فيدان إن تركيا مستعدة» saved",
		isolate("CLAIM [0,25)") + " «" + isolate("قال فيدان إن تركيا مستعدة") + "…",
	} {
		tl := NewTextLine(testFonts, msg)
		tl.ui = true
		ln, ok := layout.NewDocument(tl.shown(), testFonts, layout.Options{Size: 14, Scale: 1}).Line(0)
		if !ok || ln.RTL {
			t.Errorf("%q is laid out right to left", msg)
		}
	}
}

// In Arabic, a document id in "… marked done" and a path in the export
// summary read as they are written: isolated, not split into runs that the
// sentence's direction reorders ("8e17720d02d992ee_000", "tmp/x.jsonl: 5/").
func TestArabicMessagesKeepIDsAndPathsWhole(t *testing.T) {
	inArabic(t)
	u, _, st := newTestUI(t)
	first := u.doc.ID
	u.shortcut(scDone)
	wantWhole(t, u.message.Text(), first)

	dest := filepath.Join(t.TempDir(), "out.jsonl")
	outs, err := project.ExportProject(st, project.ExportJob{Format: "jsonl", Layer: "amina", Dest: dest}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantWhole(t, exportSummary("jsonl", outs, nil), dest)
}

// wantWhole fails unless sub's code points in msg, laid out as the status
// line lays out an interface string, stand left to right in their order.
func wantWhole(t *testing.T, msg, sub string) {
	t.Helper()
	tl := NewTextLine(testFonts, msg)
	tl.ui = true
	text := tl.shown()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, msg)
	}
	start := len([]rune(text[:i]))
	end := start + len([]rune(sub))
	// Unwrapped: one line. xs: the left edge of each code point of sub.
	ln, _ := layout.NewDocument(text, testFonts, layout.Options{Size: 14, Scale: 1}).Line(0)
	xs := make([]float32, end-start)
	for _, r := range ln.Runs {
		for _, c := range r.Clusters {
			for p := max(c.Start, start); p < min(c.End, end); p++ {
				xs[p-start] = c.X0
			}
		}
	}
	for k := 1; k < len(xs); k++ {
		if xs[k] < xs[k-1] {
			t.Fatalf("%q is reordered in %q", sub, msg)
		}
	}
}

// keptNote gives the rule's reason only where it is the reason: a stem of
// two letters or more, one word.
func TestKeptNote(t *testing.T) {
	none := lang.L("No proclitic to strip here")
	for word, want := range map[string]string{
		"تركيا":      none,
		"ولد":        none, // و + ل would leave «د»
		"وقال فيدان": none, // a phrase: the rule knows single words
		"وأكدت":      fmt.Sprintf(lang.L("«%s» of «%s» is kept: «%s» does not occur on its own in this document (on a span, Alt+Shift+↓ moves its start one letter on)"), "و", "وأكدت", "أكدت"),
	} {
		if got := keptNote([]rune(word)); got != want {
			t.Errorf("%s: %q, want %q", word, got, want)
		}
	}
}

// Undoing a moved boundary names both ranges: the texts of a long claim,
// cut to fit a note, would read the same.
func TestUndoResizeNamesTheRanges(t *testing.T) {
	u, _, _ := newTestUI(t)
	s := findIn(t, u.doc.Text, "الصفدي", 0)
	e := s + len([]rune("الصفدي"))
	u.view.Select(s, e)
	test.Type(u.view, "1")
	u.view.Select(s, e)
	u.moveBoundary(false, +1)
	u.undo()
	wantStatus(t, u, fmt.Sprintf("Undone: resizing PERSON [%d,%d) to PERSON [%d,%d)", s, e, s+1, e))
	u.redo()
	wantStatus(t, u, fmt.Sprintf("Redone: resizing PERSON [%d,%d) to PERSON [%d,%d)", s, e, s+1, e))
}
