package storage

import (
	"testing"

	"tawsim/annotate"
)

func TestDeleteRelation(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	claim, _ := s.AddSpan("d1", "a", annotate.Span{Start: 0, End: 4, Label: "CLAIM"})
	who, _ := s.AddSpan("d1", "a", annotate.Span{Start: 5, End: 10, Label: "PERSON"})
	if err := s.AddRelation(claim.ID, who.ID, "SOURCE"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRelation(claim.ID, who.ID, "CUE"); err == nil {
		t.Fatal("deleting a relation that is not there gave no error")
	}
	if err := s.DeleteRelation(claim.ID, who.ID, "SOURCE"); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Layer("d1", "a"); len(l.Spans) != 2 || len(l.Relations) != 0 {
		t.Fatalf("after delete: %+v", l)
	}
	if err := s.DeleteRelation(claim.ID, who.ID, "SOURCE"); err == nil {
		t.Fatal("deleting twice gave no error")
	}
}
