package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
)

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
