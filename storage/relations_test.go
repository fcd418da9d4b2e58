package storage

import (
	"testing"

	"tawsim/annotate"
)

// DeleteRelation removes exactly the relation named and refuses one that
// is not stored.
func TestDeleteRelation(t *testing.T) {
	s, _ := tempStore(t)
	layer := annotate.Layer{Annotator: "a",
		Spans:     []annotate.Span{{Start: 0, End: 4, Label: "CLAIM"}, {Start: 5, End: 10, Label: "PERSON"}},
		Relations: []annotate.Relation{{Head: 0, Tail: 1, Label: "SOURCE"}}}
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}, Layers: []annotate.Layer{layer}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	l, _ := s.Layer("d1", "a")
	claim, who := l.Spans[0].ID, l.Spans[1].ID
	for _, c := range []struct {
		label string
		ok    bool
		left  int
	}{{"CUE", false, 1}, {"SOURCE", true, 0}, {"SOURCE", false, 0}} {
		err := s.DeleteRelation(claim, who, c.label)
		if (err == nil) != c.ok {
			t.Fatalf("deleting %s: %v", c.label, err)
		}
		if l, _ := s.Layer("d1", "a"); len(l.Spans) != 2 || len(l.Relations) != c.left {
			t.Fatalf("after deleting %s: %+v", c.label, l)
		}
	}
}
