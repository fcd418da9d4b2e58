package app

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/storage"
)

// tapButton taps the button labelled text inside o (a dialog's overlay).
func tapButton(t *testing.T, o fyne.CanvasObject, text string) {
	t.Helper()
	b, ok := findObject(o, func(b *widget.Button) bool { return b.Text == text })
	if !ok {
		t.Fatalf("no button %q", text)
	}
	test.Tap(b)
}

// findObject is the first object of type T inside o (walking containers and
// widgets' renderers) that ok accepts.
func findObject[T fyne.CanvasObject](o fyne.CanvasObject, ok func(T) bool) (T, bool) {
	if x, is := o.(T); is && ok(x) {
		return x, true
	}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(x).Objects()
	}
	for _, c := range kids {
		if y, found := findObject(c, ok); found {
			return y, true
		}
	}
	var zero T
	return zero, false
}

// goldOf lists document doc's gold layer as decision:text.
func goldOf(t *testing.T, st *storage.Store, doc string) []string {
	t.Helper()
	spans, err := st.Spans(doc, storage.GoldLayer)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sp := range spans {
		out = append(out, string(sp.Decision)+":"+sp.Text)
	}
	return out
}

func statusOf(t *testing.T, st *storage.Store, doc string) annotate.GoldStatus {
	t.Helper()
	all, err := st.GoldStatuses()
	if err != nil {
		t.Fatal(err)
	}
	return all[doc].Status
}

// The settings: by default the annotators who worked (not amina, the user
// of this window, who labelled nothing); choosing the threshold and
// pre-filling records both and says why nothing was accepted.
func TestAdjudicationSettingsAndPrefillExplanation(t *testing.T) {
	u, _, st := newTestUI(t)
	d0 := u.doc
	for _, w := range []string{"أنقرة", "تركيا"} {
		mark(t, st, d0.ID, "badr", d0.Text, w, 0, "STATE")
		mark(t, st, d0.ID, "chadi", d0.Text, w, 0, "STATE")
	}
	mark(t, st, d0.ID, "dina", d0.Text, "داعش", 0, "ORGANIZATION")
	a := openAdj(u)
	if !reflect.DeepEqual(a.annotators, []string{"badr", "chadi", "dina"}) || !reflect.DeepEqual(a.all, []string{"amina", "badr", "chadi", "dina"}) {
		t.Fatalf("annotators %v of %v", a.annotators, a.all)
	}
	if a.minSel.Selected != "all 3 agree" || len(a.minSel.Options) != 3 {
		t.Fatalf("threshold %q of %v", a.minSel.Selected, a.minSel.Options)
	}
	test.TypeOnCanvas(a.win.Canvas(), "p")
	a.wait()
	want := "pre-fill accepted nothing: annotators badr, chadi, dina agree on 0 spans exactly; 2 of 3 agree on 2: lower the minimum to 2"
	if a.message.text != want {
		t.Fatalf("explanation\n%q, want\n%q", a.message.text, want)
	}
	a.minSel.SetSelected("2 of 3 agree")
	if a.minAgree != 2 {
		t.Fatalf("threshold %d", a.minAgree)
	}
	test.TypeOnCanvas(a.win.Canvas(), "p")
	a.wait()
	if !strings.Contains(a.message.text, "2 spans accepted, 0 removed; 1 group open in 1 document") {
		t.Fatalf("after pre-fill at 2: %q", a.message.text)
	}
	if got := goldOf(t, st, d0.ID); len(got) != 2 {
		t.Fatalf("gold %v", got)
	}
	if p, ok, _ := st.LastPrefillSettings(); !ok || p.MinAgree != 2 || !reflect.DeepEqual(p.Annotators, []string{"badr", "chadi", "dina"}) {
		t.Fatalf("recorded %+v", p)
	}
	// Taking dina out: her group goes; amina in: nothing of hers.
	a.annCheck.SetSelected([]string{"amina", "badr", "chadi"})
	if !reflect.DeepEqual(a.annotators, []string{"amina", "badr", "chadi"}) || len(a.groups) != 2 || a.minAgree != 2 {
		t.Fatalf("annotators %v, %d groups, threshold %d", a.annotators, len(a.groups), a.minAgree)
	}
	test.TypeOnCanvas(a.win.Canvas(), "p")
	a.wait()
	if !strings.Contains(a.message.text, "in the gold layer already (2 groups)") {
		t.Fatalf("nothing new: %q", a.message.text)
	}
}

// twoGroups opens the adjudication window on a document where badr and
// chadi agree on أنقرة and badr alone marked تركيا.
func twoGroups(t *testing.T) (*UI, *storage.Store, *annotate.Document, *adjScreen) {
	u, _, st := newTestUI(t)
	d0 := u.doc
	mark(t, st, d0.ID, "badr", d0.Text, "أنقرة", 0, "STATE")
	mark(t, st, d0.ID, "chadi", d0.Text, "أنقرة", 0, "STATE")
	mark(t, st, d0.ID, "badr", d0.Text, "تركيا", 0, "STATE")
	return u, st, d0, openAdj(u)
}

// Ctrl+Enter finishes the document and opens the next unfinished one,
// asking first while a group is open; Ctrl+U reopens; the list shows each
// document's status and filters by it.
func TestAdjudicationFinishAndReopen(t *testing.T) {
	u, st, d0, a := twoGroups(t)
	w := a.win
	if a.progress.Text != "0 / 5 documents finished" || a.pending() != 2 {
		t.Fatalf("progress %q, %d pending", a.progress.Text, a.pending())
	}
	a.shortcut(scDone)
	if a.confirm == nil || w.Canvas().Overlays().Top() == nil {
		t.Fatal("finishing with open groups did not ask")
	}
	tapButton(t, w.Canvas().Overlays().Top(), "Cancel")
	if statusOf(t, st, d0.ID) == annotate.GoldFinished || a.cur != 0 {
		t.Fatalf("cancelled, yet finished (document %d)", a.cur)
	}
	a.shortcut(scDone)
	tapButton(t, w.Canvas().Overlays().Top(), "Finish anyway")
	if s := statusOf(t, st, d0.ID); s != annotate.GoldFinished {
		t.Fatalf("status %q after confirming", s)
	}
	if a.cur != 1 || a.progress.Text != "1 / 5 documents finished" || !strings.Contains(a.message.text, "finished "+d0.ID) {
		t.Fatalf("after finishing: document %d, %q, %q", a.cur, a.progress.Text, a.message.text)
	}
	// Document 1 has no group: finished without a question, on to 2.
	a.shortcut(scDoneEnter)
	if a.cur != 2 || statusOf(t, st, u.docs[1].ID) != annotate.GoldFinished {
		t.Fatalf("document %d, status %q", a.cur, statusOf(t, st, u.docs[1].ID))
	}
	a.filter.SetSelected(filterFinished)
	if len(a.shown) != 2 || a.progress.Text != "2 / 5 documents finished · 2 shown" {
		t.Fatalf("finished filter: %v, %q", a.shown, a.progress.Text)
	}
	a.docList.Select(0)
	if a.cur != 0 {
		t.Fatalf("list click opened %d", a.cur)
	}
	a.shortcut(scAdjReopen)
	if s := statusOf(t, st, d0.ID); s != annotate.GoldInProgress || len(a.shown) != 1 {
		t.Fatalf("reopened: status %q, shown %v", s, a.shown)
	}
	a.filter.SetSelected(filterNotFinished)
	if len(a.shown) != 4 {
		t.Fatalf("not finished: %v", a.shown)
	}
	a.filter.SetSelected(filterAll)
	a.win.Resize(fyne.NewSize(1000, 700))
	capture(t, w, "adjudicate-1000.png")
	a.win.Resize(fyne.NewSize(1600, 1000))
	capture(t, w, "adjudicate-1600.png")
}

// Every action is undone and redone: accept, reject, reopen, edit, add,
// delete, finish.
func TestAdjudicationUndoRedo(t *testing.T) {
	_, st, d0, a := twoGroups(t)
	w := a.win
	c := w.Canvas()
	gold := func() string { return strings.Join(goldOf(t, st, d0.ID), " ") }
	// check undoes the last step, expecting before, and redoes it,
	// expecting after.
	check := func(what, before, after string) {
		t.Helper()
		if got := gold(); got != after {
			t.Fatalf("%s: gold %q, want %q", what, got, after)
		}
		a.shortcut(scUndo)
		if got := gold(); got != before {
			t.Fatalf("undo %s: gold %q, want %q (%s)", what, got, before, a.message.text)
		}
		a.shortcut(scRedo)
		if got := gold(); got != after {
			t.Fatalf("redo %s: gold %q, want %q (%s)", what, got, after, a.message.text)
		}
	}
	a.selectGroup(0)
	key(w, fyne.KeyReturn) // accept أنقرة
	check("accept", "", "chosen:أنقرة")
	a.selectGroup(1)
	test.TypeOnCanvas(c, "r") // reject تركيا
	if rej, _ := st.GoldRejections(d0.ID); len(rej) != 1 {
		t.Fatalf("rejections %v", rej)
	}
	check("reject", "chosen:أنقرة", "chosen:أنقرة")
	a.shortcut(scUndo)
	if rej, _ := st.GoldRejections(d0.ID); len(rej) != 0 || a.groups[1].State != adjudicate.Open {
		t.Fatalf("undo reject: rejections %v, %v", rej, a.groups[1].State)
	}
	a.shortcut(scRedoY)
	if rej, _ := st.GoldRejections(d0.ID); len(rej) != 1 {
		t.Fatalf("redo reject (Ctrl+Y): %v", rej)
	}
	a.selectGroup(0)
	test.TypeOnCanvas(c, "u") // reopen أنقرة's group
	check("reopen", "chosen:أنقرة", "")
	// Add a span nobody marked, relabel it (edit), delete it.
	test.TypeOnCanvas(c, "a")
	s := findIn(t, d0.Text, "داعش", 0)
	a.view.Select(s, s+4)
	test.Type(a.view, "3")
	check("add", "", "added:داعش")
	a.view.Select(s+1, s+1)
	test.Type(a.view, "1")
	check("edit", "added:داعش", "edited:داعش")
	// The standard shortcuts, as the focused text passes them on.
	a.view.TypedShortcut(&fyne.ShortcutUndo{})
	if got := gold(); got != "added:داعش" {
		t.Fatalf("ShortcutUndo in the text: %q", got)
	}
	a.view.TypedShortcut(&fyne.ShortcutRedo{})
	if got := gold(); got != "edited:داعش" {
		t.Fatalf("ShortcutRedo in the text: %q", got)
	}
	a.view.Select(s+1, s+1)
	a.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	check("delete", "edited:داعش", "")
	// Finish (the groups are open: confirmed), undone: in progress again.
	a.win.Canvas().Unfocus()
	a.finishNow(true)
	if statusOf(t, st, d0.ID) != annotate.GoldFinished {
		t.Fatal("not finished")
	}
	a.shortcut(scUndo)
	if s := statusOf(t, st, d0.ID); s != annotate.GoldInProgress || a.cur != 0 {
		t.Fatalf("undo finish: %q, document %d", s, a.cur)
	}
	a.shortcut(scRedo)
	if s := statusOf(t, st, d0.ID); s != annotate.GoldFinished || a.docs[0].Gold.Status != annotate.GoldFinished {
		t.Fatalf("redo finish: %q", s)
	}
	for range 20 { // back to the start, and once more: nothing left
		a.shortcut(scUndo)
	}
	if gold() != "" || statusOf(t, st, d0.ID) == annotate.GoldFinished || a.message.text != "Nothing to undo" {
		t.Fatalf("all undone: %q %q %q", gold(), statusOf(t, st, d0.ID), a.message.text)
	}
	if rej, _ := st.GoldRejections(d0.ID); len(rej) != 0 {
		t.Fatalf("rejections %v", rej)
	}
}

// Another process (another store on the same file) finishes a document and
// marks a span: the window follows at its next look.
func TestAdjudicationFollowsOtherProcesses(t *testing.T) {
	u, _, st := newTestUI(t)
	mark(t, st, u.doc.ID, "badr", u.doc.Text, "تركيا", 0, "STATE")
	a := openAdj(u)
	other, err := storage.Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	d0 := u.doc
	before := len(a.groups)
	a.checkChanges() // nothing changed
	mark(t, other, d0.ID, "badr", d0.Text, "أنقرة", 0, "STATE")
	mark(t, other, d0.ID, "emad", d0.Text, "داعش", 0, "ORGANIZATION")
	if err := other.FinishGold([]string{u.docs[3].ID}, "lead", true, storage.PrefillSettings{}); err != nil {
		t.Fatal(err)
	}
	a.checkChanges()
	a.wait()
	if len(a.groups) != before+1 || a.progress.Text != "1 / 5 documents finished" || a.docs[3].Gold.Status != annotate.GoldFinished {
		t.Fatalf("after the other process: %d groups, %q", len(a.groups), a.progress.Text)
	}
	if !reflect.DeepEqual(a.annCheck.Options, []string{"amina", "badr", "emad"}) || !reflect.DeepEqual(a.annotators, []string{"badr"}) {
		t.Fatalf("new annotator: options %v, taking part %v", a.annCheck.Options, a.annotators)
	}
}
