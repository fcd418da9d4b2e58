package app

import (
	"path/filepath"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/storage"
)

func historyStore(t *testing.T) *storage.Store {
	t.Helper()
	st, err := storage.OpenEmpty(filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rec := annotate.Record{Doc: annotate.Document{ID: "d", Text: "قال فيدان إن تركيا مستعدة"},
		Layers: []annotate.Layer{{Annotator: "a",
			Spans:     []annotate.Span{{Start: 4, End: 9, Label: "PERSON"}, {Start: 13, End: 25, Label: "CLAIM"}},
			Relations: []annotate.Relation{{Head: 1, Tail: 0, Label: "SOURCE"}}}}}
	if _, err := st.Import([]annotate.Record{rec}, storage.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// Deleting a span deletes its relations; undo brings both back, redo
// deletes both again, and a second undo still finds everything.
func TestUndoDeleteRestoresRelations(t *testing.T) {
	st := historyStore(t)
	h := newHistory(st, "a")
	l, _ := st.Layer("d", "a")
	if err := h.Delete("d", l.Spans[0]); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.Layer("d", "a"); len(l.Spans) != 1 || len(l.Relations) != 0 {
		t.Fatalf("after delete: %+v", l)
	}
	for round := 0; round < 2; round++ {
		if _, err := h.Undo(); err != nil {
			t.Fatal(err)
		}
		l, _ := st.Layer("d", "a")
		if len(l.Spans) != 2 || len(l.Relations) != 1 || l.Spans[l.Relations[0].Head].Label != "CLAIM" || l.Spans[l.Relations[0].Tail].Text != "فيدان" {
			t.Fatalf("round %d after undo: %+v", round, l)
		}
		if _, err := h.Redo(); err != nil {
			t.Fatal(err)
		}
	}
}

// A step whose span was removed behind the history's back (a replaced
// text) is dropped with a message; the steps before it still undo.
func TestUndoDropsStepsWhoseSpanIsGone(t *testing.T) {
	st := historyStore(t)
	h := newHistory(st, "a")
	if _, err := h.Add("d", annotate.Span{Start: 0, End: 3, Label: "CLAIM"}); err != nil {
		t.Fatal(err)
	}
	second, _ := h.Add("d", annotate.Span{Start: 10, End: 12, Label: "STATE"})
	if err := st.DeleteSpan(second.ID); err != nil { // not through the history
		t.Fatal(err)
	}
	if _, err := h.Undo(); err == nil || !strings.Contains(err.Error(), "dropped") {
		t.Fatalf("undo of a vanished span: %v", err)
	}
	if _, err := h.Undo(); err != nil {
		t.Fatalf("undo of the step before: %v", err)
	}
	// Left: the two imported spans; the undone one at [0,3) is gone.
	if sp, _ := st.Spans("d", "a"); len(sp) != 2 || sp[0].Start != 4 {
		t.Fatalf("spans after undo: %+v", sp)
	}
}
