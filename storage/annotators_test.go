package storage

import (
	"testing"

	"tawsim/annotate"
)

// A document counts once whether the annotator put spans on it, marked it
// or both; a document only opened (time spent, status todo) does not.
func TestAnnotatorWorkCountsSpansAndDocuments(t *testing.T) {
	s, _ := tempStore(t)
	var recs []annotate.Record
	for _, id := range []string{"d1", "d2", "d3", "d4"} {
		recs = append(recs, annotate.Record{Doc: annotate.Document{ID: id, Text: sampleText}})
	}
	if _, err := s.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, sp := range []annotate.Span{{Start: 42, End: 48, Label: "STATE"}, {Start: 0, End: 4, Label: "PERSON"}} {
		if _, err := s.AddSpan("d1", "amina", sp); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddSpan("d2", "amina", annotate.Span{Start: 42, End: 48, Label: "STATE"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan("d2", "badr", annotate.Span{Start: 42, End: 48, Label: "STATE"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus("d2", "amina", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus("d3", "amina", annotate.StatusDone); err != nil { // done with no entity
		t.Fatal(err)
	}
	if err := s.AddTime("d4", "amina", 5e9); err != nil { // only opened
		t.Fatal(err)
	}
	for _, c := range []struct {
		name        string
		spans, docs int
	}{{"amina", 3, 3}, {"badr", 1, 1}, {"nobody", 0, 0}} {
		spans, docs, err := s.AnnotatorWork(c.name)
		if err != nil || spans != c.spans || docs != c.docs {
			t.Errorf("%s: %d spans in %d documents (%v), want %d in %d", c.name, spans, docs, err, c.spans, c.docs)
		}
	}
}
