package app

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/storage"
)

// The tests look for changes made elsewhere by hand (checkChanges).
func init() { adjPoll = 0 }

// openAdj opens the adjudication window and waits for its document list.
func openAdj(u *UI) *adjScreen {
	a := u.openAdjudication()
	if a != nil {
		a.wait()
	}
	return a
}

func mark(t *testing.T, st *storage.Store, doc, who string, text string, word string, nth int, label string) annotate.Span {
	t.Helper()
	s := findIn(t, text, word, nth)
	sp, err := st.AddSpan(doc, who, annotate.Span{Start: s, End: s + len([]rune(word)), Label: label})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func key(w fyne.Window, name fyne.KeyName) {
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func TestAdjudicationScreen(t *testing.T) {
	u, _, st := newTestUI(t)
	d0 := u.doc
	// Document 0, three annotators:
	//   داعش (title)     amina ORGANIZATION              open (one vote of three)
	//   أنقرة            all three STATE                  agreed
	//   هاكان فيدان      amina, badr PERSON; chadi only فيدان (inside it): open
	mark(t, st, d0.ID, "amina", d0.Text, "داعش", 0, "ORGANIZATION")
	for _, who := range []string{"amina", "badr", "chadi"} {
		mark(t, st, d0.ID, who, d0.Text, "أنقرة", 0, "STATE")
	}
	mark(t, st, d0.ID, "amina", d0.Text, "هاكان فيدان", 0, "PERSON")
	mark(t, st, d0.ID, "badr", d0.Text, "هاكان فيدان", 0, "PERSON")
	fidan := findIn(t, d0.Text, "هاكان فيدان", 0) + len([]rune("هاكان "))
	if _, err := st.AddSpan(d0.ID, "chadi", annotate.Span{Start: fidan, End: fidan + 5, Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	d1, err := st.Document(u.docs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	// Document 1: one span by badr only: open.
	x := mark(t, st, d1.ID, "badr", d1.Text, "سوريا", 0, "STATE")

	a := openAdj(u)
	if a == nil || a.cur != 0 || !reflect.DeepEqual(a.annotators, []string{"amina", "badr", "chadi"}) {
		t.Fatalf("screen %+v", a)
	}
	w := a.win
	if len(a.groups) != 3 || a.groups[0].State != adjudicate.Open || a.groups[1].State != adjudicate.Agreed || a.groups[2].State != adjudicate.Open {
		t.Fatalf("groups %+v", a.groups)
	}
	if g := a.groups[2]; len(g.Candidates) != 2 || !reflect.DeepEqual(g.Candidates[0].Votes, []string{"amina", "badr"}) || g.Candidates[1].Text != "فيدان" {
		t.Fatalf("Fidan group %+v", g)
	}
	// The true count of finished documents: none yet (the count of documents
	// without an open group said 3, of which three have no spans at all).
	if a.sel != 0 || a.progress.Text != "0 / 5 documents finished" {
		t.Fatalf("selected %d, progress %q", a.sel, a.progress.Text)
	}

	// P pre-fills: أنقرة becomes automatic with all three votes.
	test.TypeOnCanvas(w.Canvas(), "p")
	a.wait()
	if a.groups[1].State != adjudicate.Automatic {
		t.Fatalf("after pre-fill: %+v", a.groups[1])
	}
	// Select the Fidan group in the list, Enter accepts its top candidate.
	for i, r := range a.rows {
		if r.group == 2 && r.cand < 0 {
			a.list.Select(i)
		}
	}
	if a.sel != 2 {
		t.Fatalf("list selection gave group %d", a.sel)
	}
	key(w, fyne.KeyReturn)
	// Up twice to داعش, R rejects it.
	key(w, fyne.KeyUp)
	key(w, fyne.KeyUp)
	test.TypeOnCanvas(w.Canvas(), "r")
	gold, _ := st.Layer(d0.ID, storage.GoldLayer)
	names := func(sp annotate.Span) string { return string(sp.Decision) + ":" + sp.Text }
	var got []string
	for _, sp := range gold.Spans {
		got = append(got, names(sp))
	}
	if !reflect.DeepEqual(got, []string{"automatic:أنقرة", "chosen:هاكان فيدان"}) {
		t.Fatalf("gold = %v", got)
	}
	if c := gold.Spans[1]; !reflect.DeepEqual(c.Votes, []string{"amina", "badr"}) || c.DecidedBy != "amina" {
		t.Fatalf("chosen span provenance %+v", c)
	}
	if rej, _ := st.GoldRejections(d0.ID); len(rej) != 1 || rej[0].DecidedBy != "amina" {
		t.Fatalf("rejections %+v", rej)
	}
	if a.groups[0].State != adjudicate.Rejected || a.groups[2].State != adjudicate.Decided || a.progress.Text != "0 / 5 documents finished" {
		t.Fatalf("after decisions: %v %v %q", a.groups[0].State, a.groups[2].State, a.progress.Text)
	}

	// N goes to the next open group: document 1.
	test.TypeOnCanvas(w.Canvas(), "n")
	if a.cur != 1 || a.sel != 0 || a.groups[0].Candidates[0].Start != x.Start {
		t.Fatalf("next open: document %d group %d", a.cur, a.sel)
	}
	// A: add in the text. Select the word with the letter before it and
	// press 2 (STATE): it overlaps badr's span, so it is an edit.
	test.TypeOnCanvas(w.Canvas(), "a")
	if w.Canvas().Focused() != a.view {
		t.Fatal("the text did not get the focus")
	}
	a.view.Select(x.Start-1, x.End)
	test.Type(a.view, "2")
	gold, _ = st.Layer(d1.ID, storage.GoldLayer)
	if len(gold.Spans) != 1 || gold.Spans[0].Start != x.Start-1 || gold.Spans[0].Decision != annotate.DecisionEdited || gold.Spans[0].Votes != nil {
		t.Fatalf("edited gold %+v", gold.Spans)
	}
	// Relabel it with the caret inside: still edited, now PERSON.
	a.view.Select(x.Start+1, x.Start+1)
	test.Type(a.view, "1")
	gold, _ = st.Layer(d1.ID, storage.GoldLayer)
	if len(gold.Spans) != 1 || gold.Spans[0].Label != "PERSON" {
		t.Fatalf("relabelled gold %+v", gold.Spans)
	}
	if a.progress.Text != "0 / 5 documents finished" {
		t.Fatalf("progress %q", a.progress.Text)
	}
	// The pre-fill again leaves every hand decision as it was.
	a.prefill()
	a.wait()
	gold, _ = st.Layer(d0.ID, storage.GoldLayer)
	if len(gold.Spans) != 2 || gold.Spans[1].Decision != annotate.DecisionChosen {
		t.Fatalf("gold after a second pre-fill %+v", gold.Spans)
	}
	if rej, _ := st.GoldRejections(d0.ID); len(rej) != 1 {
		t.Fatal("rejection lost")
	}

	// Back to document 0 (PgUp once the list has the focus), Fidan group
	// selected, for the picture.
	w.Canvas().Unfocus()
	key(w, fyne.KeyPageUp)
	if a.cur != 0 {
		t.Fatalf("PgUp: document %d", a.cur)
	}
	a.selectGroup(2)
	capture(t, w, "adjudicate.png")
}

// The list's own selection never disagrees with the group the keys act on;
// Escape twice in the text gives the keys back to the groups; a pre-fill
// recorded by the command line with --min-agree 2 is what P repeats.
func TestAdjudicationListKeysAndRecordedThreshold(t *testing.T) {
	u, _, st := newTestUI(t)
	d0 := u.doc
	for _, who := range []string{"amina", "badr"} {
		mark(t, st, d0.ID, who, d0.Text, "أنقرة", 0, "STATE")
		mark(t, st, d0.ID, who, d0.Text, "تركيا", 0, "STATE")
	}
	mark(t, st, d0.ID, "chadi", d0.Text, "داعش", 0, "ORGANIZATION")
	// As `tawsim adjudicate --min-agree 2` records it.
	if err := st.SavePrefillSettings(storage.PrefillSettings{Annotators: []string{"amina", "badr", "chadi"}, MinAgree: 2}); err != nil {
		t.Fatal(err)
	}
	a := openAdj(u)
	if a.minAgree != 2 {
		t.Fatalf("threshold %d, want the recorded 2", a.minAgree)
	}
	w := a.win
	test.TypeOnCanvas(w.Canvas(), "p")
	a.wait()
	gold, _ := st.Spans(d0.ID, storage.GoldLayer)
	if len(gold) != 2 {
		t.Fatalf("P at the recorded threshold: gold %+v", gold)
	}
	test.TypeOnCanvas(w.Canvas(), "p") // again: nothing dropped
	a.wait()
	if g, _ := st.Spans(d0.ID, storage.GoldLayer); len(g) != 2 {
		t.Fatalf("second P dropped spans: %+v", g)
	}
	header := func(k int) int {
		for i, r := range a.rows {
			if r.group == k && r.cand < 0 {
				return i
			}
		}
		t.Fatalf("no row for group %d", k)
		return -1
	}
	a.list.Select(header(0))
	key(w, fyne.KeyDown)
	key(w, fyne.KeyDown)
	if a.sel != 2 {
		t.Fatalf("after two Down: group %d", a.sel)
	}
	a.list.Select(header(0)) // the same row again
	if a.sel != 0 {
		t.Fatalf("clicking row 0 again left group %d selected", a.sel)
	}
	// E puts the keyboard in the text; Esc Esc brings it back.
	test.TypeOnCanvas(w.Canvas(), "e")
	if w.Canvas().Focused() != a.view {
		t.Fatalf("E: focus on %T", w.Canvas().Focused())
	}
	a.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	a.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.Canvas().Focused() != nil {
		t.Fatalf("Esc Esc: focus still on %T", w.Canvas().Focused())
	}
}

// A span deleted in the main window while the adjudication window is open
// disappears from its groups at once.
func TestAdjudicationFollowsTheMainWindow(t *testing.T) {
	u, _, st := newTestUI(t)
	d0 := u.doc
	mark(t, st, d0.ID, "badr", d0.Text, "أنقرة", 0, "STATE")
	mark(t, st, d0.ID, "amina", d0.Text, "أنقرة", 0, "STATE")
	u.reloadSpans()
	a := openAdj(u)
	before := len(a.groups)
	// amina labels تركيا in the main window.
	s := findIn(t, d0.Text, "تركيا", 0)
	u.view.Select(s, s+5)
	test.Type(u.view, "2")
	if len(a.groups) != before+1 {
		t.Fatalf("groups %d → %d after a label in the main window", before, len(a.groups))
	}
	u.shortcut(&fyne.ShortcutUndo{})
	if len(a.groups) != before {
		t.Fatalf("groups %d after undo, want %d", len(a.groups), before)
	}
	a.win.Close()
	test.Type(u.view, "2") // no panic once the window is gone
}

// Deleting a gold span added by hand (no annotator marked anything there)
// leaves its group open, as the message says, until R rejects it or a gold
// span is put there again.
func TestAdjudicationDeleteHandAddedSpanLeavesGroupOpen(t *testing.T) {
	u, _, st := newTestUI(t)
	d0 := u.doc
	mark(t, st, d0.ID, "badr", d0.Text, "أنقرة", 0, "STATE")
	a := openAdj(u)
	w := a.win
	before := len(a.groups)
	test.TypeOnCanvas(w.Canvas(), "a")
	s := findIn(t, d0.Text, "تركيا", 0)
	a.view.Select(s, s+5)
	test.Type(a.view, "2")
	gold, _ := st.Spans(d0.ID, storage.GoldLayer)
	if len(gold) != 1 || gold[0].Decision != annotate.DecisionAdded || len(a.groups) != before+1 {
		t.Fatalf("added gold %+v, %d groups", gold, len(a.groups))
	}
	a.view.Select(s+1, s+1)
	a.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if g, _ := st.Spans(d0.ID, storage.GoldLayer); len(g) != 0 {
		t.Fatalf("gold after Delete %+v", g)
	}
	if !strings.Contains(a.message.text, "open again") {
		t.Fatalf("message %q", a.message.text)
	}
	k := -1
	for i, g := range a.groups {
		if g.Start == s && g.End == s+5 {
			k = i
		}
	}
	if len(a.groups) != before+1 || k < 0 || a.groups[k].State != adjudicate.Open {
		t.Fatalf("after Delete: %d groups (want %d), the deleted span's group at %d: %+v", len(a.groups), before+1, k, a.groups)
	}
	// R rejects it for good: no group needs work there any more.
	w.Canvas().Unfocus()
	a.selectGroup(k)
	test.TypeOnCanvas(w.Canvas(), "r")
	for _, g := range a.groups {
		if g.Start == s && g.Pending() {
			t.Fatalf("rejected group still pending: %+v", g)
		}
	}
}

func TestAdjudicationRelations(t *testing.T) {
	// amina and badr: the claim's source; amina alone: its cue.
	u, st, id := twoClaims(t, "badr", "وسائل إعلام تركية")
	a := openAdj(u)
	if a == nil {
		t.Fatal("no window")
	}
	if len(a.rels) != 2 || a.rels[0].Label != "SOURCE" || a.rels[1].Label != "CUE" {
		t.Fatalf("relations %+v", a.rels)
	}
	left, right, text := a.relRowText(0)
	if !strings.Contains(left, "R1 SOURCE agreed +2") || right != "amina, badr" || !strings.HasPrefix(text, "\u200e«العاصمة …»") ||
		!strings.Contains(text, "→\u200e وسائل إعلا…") {
		t.Fatalf("row %q | %q | %q", left, right, text)
	}
	// ↓ past the span groups reaches the relations; Enter accepts the
	// source with both its ends.
	for a.rel() == nil {
		key(a.win, fyne.KeyDown)
	}
	if a.rel().Label != "SOURCE" || a.view.rel.focus != 0 || len(a.view.rel.arcs) != 1 {
		t.Fatalf("selected %+v, arcs %d focus %d", a.rel(), len(a.view.rel.arcs), a.view.rel.focus)
	}
	key(a.win, fyne.KeyReturn)
	gold := func() annotate.Layer {
		t.Helper()
		l, err := st.Layer(id, storage.GoldLayer)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	l := gold()
	if len(l.Spans) != 2 || len(l.Relations) != 1 {
		t.Fatalf("gold %+v", l)
	}
	if r := l.Relations[0]; r.Label != "SOURCE" || r.Decision != annotate.DecisionChosen || r.DecidedBy != "amina" || !reflect.DeepEqual(r.Votes, []string{"amina", "badr"}) {
		t.Fatalf("gold relation %+v", r)
	}
	if c := a.rel(); c == nil || c.Gold == nil || !strings.Contains(a.message.text, "with 2 ends") {
		t.Fatalf("after accepting: %+v, %q", c, a.message.text)
	}
	if left, right, _ := a.relRowText(0); !strings.Contains(left, "R1 SOURCE ★ chosen") || right != "amina, badr" {
		t.Fatalf("gold row %q | %q", left, right)
	}
	if a.selectGroup(a.sel); !strings.Contains(a.message.text, "gold, chosen by amina") {
		t.Fatalf("message %q", a.message.text)
	}
	if len(a.view.rel.arcs) != 1 || a.view.rel.arcs[0].Tail.Text != "وسائل إعلام تركية" {
		t.Fatalf("gold arcs %+v", a.view.rel.arcs)
	}
	capture(t, a.win, "adjudication-relations.png")
	// Undo takes the relation and its ends out; redo puts them back.
	a.undo()
	if l := gold(); len(l.Spans) != 0 || len(l.Relations) != 0 {
		t.Fatalf("after undo %+v", l)
	}
	a.redo()
	if l := gold(); len(l.Spans) != 2 || len(l.Relations) != 1 || l.Relations[0].DecidedBy != "amina" {
		t.Fatalf("after redo %+v", l)
	}
	// The cue: reject, undo.
	for a.rel() == nil || a.rel().Label != "CUE" {
		key(a.win, fyne.KeyDown)
	}
	a.typedRune('r')
	if c := a.rel(); c == nil || !c.Rejected {
		t.Fatalf("cue not rejected: %+v", c)
	}
	a.undo()
	if c := a.rel(); c == nil || c.Rejected {
		t.Fatalf("cue still rejected: %+v", c)
	}
	// U on the source removes the relation, not its ends; undo restores it.
	key(a.win, fyne.KeyUp)
	a.typedRune('u')
	if l := gold(); len(l.Spans) != 2 || len(l.Relations) != 0 {
		t.Fatalf("after reopening %+v", l)
	}
	a.undo()
	if l := gold(); len(l.Relations) != 1 || l.Relations[0].Decision != annotate.DecisionChosen {
		t.Fatalf("after undoing the reopen %+v", l)
	}
	// Deleting an end deletes its relation; undo restores both.
	head := gold().Spans[0]
	a.editInText(false)
	a.view.Select(head.Start, head.Start)
	a.deleteGold()
	if l := gold(); len(l.Spans) != 1 || len(l.Relations) != 0 {
		t.Fatalf("after deleting an end %+v", l)
	}
	a.undo()
	if l := gold(); len(l.Spans) != 2 || len(l.Relations) != 1 {
		t.Fatalf("after undoing the delete %+v", l)
	}
}
