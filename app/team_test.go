package app

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/storage"
)

// spanWords lists a layer of doc as label:text, in reading order.
func spanWords(t *testing.T, st *storage.Store, doc, who string) []string {
	t.Helper()
	spans, err := st.Spans(doc, who)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, sp := range spans {
		out = append(out, sp.Label+":"+sp.Text)
	}
	return out
}

// firstWords is a span over the first n runes of the document's text.
func firstWords(t *testing.T, st *storage.Store, doc string, n int, label string) annotate.Span {
	t.Helper()
	d, err := st.Document(doc)
	if err != nil {
		t.Fatal(err)
	}
	return annotate.Span{Start: 0, End: n, Label: label, Text: string([]rune(d.Text)[:n])}
}

// The loop as a lead does it in the app: File ▸ Hand out… writes amina's
// laptop copy; the laptop deletes one span and adds another; File ▸
// Merge… brings exactly that back (the open document too); a layer changed
// on both sides keeps the newer and Project ▸ Layer versions… restores the
// other.
func TestHandOutMergeAndRestoreInTheApp(t *testing.T) {
	u, w, st := newTestUI(t)
	doc := u.doc.ID
	old, err := st.AddSpan(doc, "amina", firstWords(t, st, doc, 3, "PERSON"))
	if err != nil {
		t.Fatal(err)
	}
	u.reloadSpans()

	laptopPath := filepath.Join(t.TempDir(), "amina")
	h := showHandOut(u)
	h.annotator.SetText("amina")
	h.dest.SetText(laptopPath) // ".db" is added
	test.Tap(h.run)
	h.wait()
	if !strings.Contains(h.summary.Text, "Handed out 5 documents and 1 layer of amina") {
		t.Fatalf("hand-out summary: %s", h.summary.Text)
	}
	laptopPath += ".db"
	laptop, err := storage.OpenWith(laptopPath, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(laptopPath); err != nil {
		t.Fatal(err)
	}
	// On the laptop: the span goes, another comes; a second document is
	// changed on the laptop first and in the lead later (a conflict).
	other := u.docs[1].ID
	if err := laptop.DeleteSpan(laptopSpanID(t, laptop, doc)); err != nil {
		t.Fatal(err)
	}
	for _, add := range []struct {
		doc   string
		n     int
		label string
	}{{doc, 5, "STATE"}, {other, 2, "PERSON"}} {
		if _, err := laptop.AddSpan(add.doc, "amina", firstWords(t, laptop, add.doc, add.n, add.label)); err != nil {
			t.Fatal(err)
		}
	}
	want := spanWords(t, laptop, doc, "amina")
	laptop.Close()
	if _, err := st.AddSpan(other, "amina", firstWords(t, st, other, 4, "STATE")); err != nil {
		t.Fatal(err)
	}

	m := showMerge(u)
	m.paths.SetText(laptopPath)
	test.Tap(m.run)
	m.wait()
	if !strings.Contains(m.summary.Text, "merged amina.db: 0 documents added, definition unchanged, layers: 1 replaced,") ||
		!strings.Contains(m.summary.Text, "unchanged, 1 conflict\n  conflict: document "+other+", annotator amina: changed on both sides; kept this project's (newer)") ||
		!strings.Contains(m.summary.Text, "Project ▸ Layer versions…") {
		t.Fatalf("merge summary:\n%s", m.summary.Text)
	}
	capture(t, w, "merge.png")
	if got := spanWords(t, st, doc, "amina"); !slices.Equal(got, want) {
		t.Fatalf("the lead's layer %v, the laptop's %v", got, want)
	}
	if len(u.spans) != 1 || u.spans[0].ID == old.ID {
		t.Fatalf("the open document shows %+v after the merge", u.spans)
	}
	lead := spanWords(t, st, other, "amina") // the lead's change was later: kept
	if len(lead) != 1 || !strings.HasPrefix(lead[0], "STATE:") {
		t.Fatalf("the conflict kept %v", lead)
	}

	v := openVersions(u)
	if len(v.versions) != 1 || v.versions[0].Doc != other {
		t.Fatalf("versions %+v", v.versions)
	}
	v.list.Select(0)
	if v.restore.Disabled() || len(v.spans.Objects) != 1 {
		t.Fatalf("a selected version shows %d lines, restore disabled: %v", len(v.spans.Objects), v.restore.Disabled())
	}
	v.win.Content().Refresh() // the test window lays out only when told
	capture(t, v.win, "versions.png")
	test.Tap(v.restore)
	tapButton(t, v.win.Canvas().Overlays().Top(), "Yes")
	if got := spanWords(t, st, other, "amina"); len(got) != 1 || !strings.HasPrefix(got[0], "PERSON:") {
		t.Fatalf("after restoring the laptop's side: %v", got)
	}
	// Nothing is lost: the state the restore replaced is a version too.
	if len(v.versions) != 2 || v.versions[0].Layer.Spans[0].Label != "STATE" || !strings.Contains(v.detail.Text, "Version #1 restored; the state it replaced is version #2") {
		t.Fatalf("after restoring: versions %+v, %q", v.versions, v.detail.Text)
	}
}

func laptopSpanID(t *testing.T, st *storage.Store, doc string) int64 {
	t.Helper()
	spans, err := st.Spans(doc, "amina")
	if err != nil || len(spans) != 1 {
		t.Fatalf("laptop spans %v, %v", spans, err)
	}
	return spans[0].ID
}

// A hand-out names what is missing instead of writing something.
func TestHandOutDialogRefusals(t *testing.T) {
	u, _, _ := newTestUI(t)
	h := showHandOut(u)
	test.Tap(h.run)
	if !strings.Contains(h.summary.Text, "Name the annotator") {
		t.Fatalf("no annotator: %s", h.summary.Text)
	}
	h.annotator.SetText("amina")
	h.which.SetSelected(handOutAssigned)
	test.Tap(h.run)
	if !strings.Contains(h.summary.Text, "no assignments") {
		t.Fatalf("assigned without a plan: %s", h.summary.Text)
	}
	h.which.SetSelected(handOutThese)
	h.ids.SetText(" , ")
	test.Tap(h.run)
	if !strings.Contains(h.summary.Text, "Name the documents") {
		t.Fatalf("no ids: %s", h.summary.Text)
	}
}
