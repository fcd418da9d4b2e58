package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/assign"
	"tawsim/storage"
)

func init() { progressPoll = 0 } // the tests call checkChanges

// choose picks option of sel as a user does: a tap on the select, a tap on
// the option in the menu it opens.
func choose(t *testing.T, w fyne.Window, sel *widget.Select, option string) {
	t.Helper()
	test.Tap(sel)
	menu := w.Canvas().Overlays().Top()
	if menu == nil {
		t.Fatalf("tapping the select opened no menu")
	}
	// The option is the tappable widget that draws its text.
	item, found := findObject(menu, func(x fyne.Widget) bool {
		_, tappable := x.(fyne.Tappable)
		return tappable && slices.ContainsFunc(test.WidgetRenderer(x).Objects(), func(k fyne.CanvasObject) bool {
			txt, ok := k.(*canvas.Text)
			return ok && txt.Text == option
		})
	})
	if !found {
		t.Fatalf("no option %q in the menu", option)
	}
	test.Tap(item.(fyne.Tappable))
	if sel.Selected != option {
		t.Fatalf("selected %q after tapping %q", sel.Selected, option)
	}
}

func shownIDs(u *UI) []string {
	ids := make([]string, len(u.docs))
	for i, d := range u.docs {
		ids[i] = d.ID
	}
	return ids
}

// The sample's five documents, d[0] … d[4] in id order: amina is assigned
// d[1] and d[3], badr d[3]; amina is done with d[3] and has a PERSON span
// on d[4].
func assignedUI(t *testing.T) (*UI, fyne.Window, *storage.Store, []string) {
	t.Helper()
	u, w, st := newTestUI(t)
	d := shownIDs(u)
	plan := []assign.Assignment{{Doc: d[1], Annotators: []string{"amina"}}, {Doc: d[3], Annotators: []string{"amina", "badr"}}}
	if err := st.Assign(plan); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStatus(d[3], "amina", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	doc, err := st.Document(d[4])
	if err != nil {
		t.Fatal(err)
	}
	word := strings.Fields(doc.Text)[0]
	if _, err := st.AddSpan(d[4], "amina", annotate.Span{Start: 0, End: len([]rune(word)), Label: "PERSON"}); err != nil {
		t.Fatal(err)
	}
	if err := u.reloadDocs(); err != nil {
		t.Fatal(err)
	}
	return u, w, st, d
}

func TestDocumentListFiltersAndSort(t *testing.T) {
	u, w, _, d := assignedUI(t)
	open := u.doc.ID // d[0], opened before the plan
	if got, want := shownIDs(u), []string{d[1], d[3], d[0], d[2], d[4]}; !slices.Equal(got, want) {
		t.Fatalf("assigned first: %v, want %v", got, want)
	}
	if u.progress.Text != "1 / 2 done" || u.filt.head.Text != "Documents · 2 yours" || u.docs[u.cur].ID != open {
		t.Fatalf("progress %q, %q, current row %d", u.progress.Text, u.filt.head.Text, u.cur)
	}
	f := &u.filt
	choose(t, w, f.scope, docsAssignedMe)
	// The open document stays listed while it is open.
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[3], open}) || u.filt.head.Text != "Documents · 2 yours · 3 of 5 shown" {
		t.Fatalf("assigned to me: %v, %q", got, u.filt.head.Text)
	}
	// Next goes down the list on screen; the document left drops out.
	u.step(-1)
	if u.doc.ID != d[3] || !slices.Equal(shownIDs(u), []string{d[1], d[3]}) || u.cur != 1 {
		t.Fatalf("previous: open %s, list %v, row %d", u.doc.ID, shownIDs(u), u.cur)
	}
	choose(t, w, f.status, docsMineTodo)
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[3]}) { // d[3] is done but open
		t.Fatalf("mine to do: %v", got)
	}
	// Back to d[1]: d[3], done, is left and drops out. Done and next
	// looks in the list on screen, where nothing is left to do.
	u.step(-1)
	if !slices.Equal(shownIDs(u), []string{d[1]}) {
		t.Fatalf("mine to do, d[1] open: %v", shownIDs(u))
	}
	u.markDone()
	if u.doc.ID != d[1] || u.message.text != "All the documents listed are done" {
		t.Fatalf("after marking %s done: open %s, %q", d[1], u.doc.ID, u.message.text)
	}
	choose(t, w, f.scope, docsAll)
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[0], d[2]}) { // d[1] open; d[4] is in progress
		t.Fatalf("all, mine to do: %v", got)
	}
	choose(t, w, f.status, docsMineDone)
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[3]}) {
		t.Fatalf("mine done: %v", got)
	}
	choose(t, w, f.status, docsMineWorking)
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[4]}) { // d[1] open
		t.Fatalf("mine in progress: %v", got)
	}
	// d[1] is amina's alone and done; d[3] waits for badr.
	choose(t, w, f.status, docsAllDone)
	if got := shownIDs(u); !slices.Equal(got, []string{d[1]}) {
		t.Fatalf("everyone's all done: %v", got)
	}
	choose(t, w, f.status, docsNotAllDone)
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[3], d[0], d[2], d[4]}) { // d[1] open
		t.Fatalf("not all done: %v", got)
	}
	choose(t, w, f.status, docsAnyStatus)
	choose(t, w, f.label, "PERSON")
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[4]}) { // d[1] open
		t.Fatalf("label PERSON: %v", got)
	}
	choose(t, w, f.label, docsAnyLabel)
	choose(t, w, f.sort, sortByStatus)
	// Assigned first (both done), then d[4] in progress (a span), then
	// the two to do in id order.
	if got := shownIDs(u); !slices.Equal(got, []string{d[1], d[3], d[4], d[0], d[2]}) {
		t.Fatalf("by status: %v", got)
	}
	choose(t, w, f.sort, sortByTitle)
	rest := slices.Clone(u.docs[2:])
	if !slices.IsSortedFunc(rest, func(a, b storage.DocInfo) int { return strings.Compare(a.Title, b.Title) }) {
		t.Fatalf("by title: %v", shownIDs(u))
	}
	capture(t, w, "docs-filtered.png")
}

// The label filter lists the documents where the current annotator used
// the label, as the palette counts them: another annotator's spans do not
// count, and the annotator's own changes count at once.
func TestLabelFilterIsMine(t *testing.T) {
	u, w, st := newTestUI(t)
	d := shownIDs(u)
	for _, s := range []struct {
		doc, who, label string
	}{{d[1], "chadi", "PERSON"}, {d[2], "amina", "PERSON"}, {d[3], "chadi", "STATE"}, {d[3], "amina", "STATE"}} {
		if _, err := st.AddSpan(s.doc, s.who, annotate.Span{Start: 0, End: 3, Label: s.label}); err != nil {
			t.Fatal(err)
		}
	}
	if err := u.reloadDocs(); err != nil {
		t.Fatal(err)
	}
	open := u.doc.ID // d[0], listed while open
	choose(t, w, u.filt.label, "PERSON")
	if got := shownIDs(u); !slices.Equal(got, []string{d[0], d[2]}) {
		t.Fatalf("PERSON: %v, want %v (not chadi's %s)", got, []string{open, d[2]}, d[1])
	}
	choose(t, w, u.filt.label, "STATE")
	if got := shownIDs(u); !slices.Equal(got, []string{d[0], d[3]}) {
		t.Fatalf("STATE: %v", got)
	}
	// A PERSON span on the open document: it stays listed once left.
	choose(t, w, u.filt.label, "PERSON")
	u.view.Select(0, 4)
	test.Type(u.view, "1")
	u.openID(d[2])
	if got := shownIDs(u); !slices.Equal(got, []string{d[0], d[2]}) {
		t.Fatalf("after labelling %s: %v", d[0], got)
	}
	// Its only PERSON span deleted: d[2] drops out once left.
	u.view.Select(0, 3)
	u.deleteActive()
	if len(u.spans) != 0 {
		t.Fatalf("spans left %+v", u.spans)
	}
	u.openID(d[0])
	if got := shownIDs(u); !slices.Equal(got, []string{d[0]}) {
		t.Fatalf("after deleting the span of %s: %v", d[2], got)
	}
	// Another annotator sees their own documents.
	if err := u.setAnnotator("chadi"); err != nil {
		t.Fatal(err)
	}
	if got := shownIDs(u); !slices.Equal(got, []string{d[0], d[1]}) {
		t.Fatalf("chadi's PERSON: %v", got)
	}
}

func TestProgressBoardFollowsChanges(t *testing.T) {
	u, _, st, d := assignedUI(t)
	b := openProgress(u)
	t.Cleanup(b.win.Close)
	b.loads.wait()
	cells := func(tb *widget.Table, cell func(int, int) string, row int) string {
		rows, cols := tb.Length()
		if row+1 >= rows {
			t.Fatalf("row %d of a table of %d", row, rows-1)
		}
		var out []string
		for c := range cols {
			out = append(out, cell(row, c))
		}
		return strings.Join(out, "|")
	}
	if rows, _ := b.anns.Length(); rows != 3 { // header, amina, badr
		t.Fatalf("%d annotator rows", rows)
	}
	amina := cells(b.anns, b.annCell, 0)
	if !strings.HasPrefix(amina, "amina|2|1|1|1|1|") {
		t.Fatalf("amina: %s", amina)
	}
	if badr := cells(b.anns, b.annCell, 1); !strings.HasPrefix(badr, "badr|1|0|0|0|0|0s|—") {
		t.Fatalf("badr: %s", badr)
	}
	row3 := cells(b.docs, b.docCell, 3)
	if !strings.HasPrefix(row3, d[3]+"|") || !strings.HasSuffix(row3, "|amina, badr|—|amina|no") {
		t.Fatalf("document 3: %s", row3)
	}
	// Another process (here: another connection) marks badr done: the
	// board sees it at its next look.
	other, err := storage.OpenWith(st.Path(), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.SetStatus(d[3], "badr", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	b.checkChanges()
	b.loads.wait()
	if row3 := cells(b.docs, b.docCell, 3); !strings.HasSuffix(row3, "|amina, badr|—|amina, badr|yes") {
		t.Fatalf("after badr is done elsewhere: %s", row3)
	}
	// Done here, in the annotation window: told at once.
	u.Open(slices.IndexFunc(u.docs, func(x storage.DocInfo) bool { return x.ID == d[1] }))
	u.markDone()
	b.loads.wait()
	if amina := cells(b.anns, b.annCell, 0); !strings.HasPrefix(amina, "amina|2|2|1|2|1|") {
		t.Fatalf("amina after marking %s done: %s", d[1], amina)
	}
	if !strings.Contains(b.status.Text, fmt.Sprintf("2 annotators · 2 of %d documents done", len(d))) {
		t.Fatalf("status: %q", b.status.Text)
	}
	b.win.Resize(fyne.NewSize(1200, 800))
	capture(t, b.win, "progress.png")
}
