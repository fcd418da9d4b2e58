package storage

import (
	"errors"
	"strings"
	"testing"

	"tawsim/annotate"
)

func rec(id, text, who string, spans ...annotate.Span) annotate.Record {
	r := annotate.Record{Doc: annotate.Document{ID: id, Text: text}}
	if len(spans) > 0 {
		r.Layers = []annotate.Layer{{Annotator: who, Spans: spans}}
	}
	return r
}

func TestImportStreamBatches(t *testing.T) {
	s, _ := tempStore(t)
	sp := func(start, end int) annotate.Span { return annotate.Span{Start: start, End: end, Label: "PER"} }
	batches := [][]annotate.Record{
		{rec("a", "علي هنا", "x", sp(0, 3)), rec("b", "نص", "")},
		{rec("a", "علي هنا", "y", sp(0, 3)), rec("c", "سعاد هنا", "x", sp(0, 4))},
	}
	scan := func(bs [][]annotate.Record) func(func([]annotate.Record) error) error {
		return func(add func([]annotate.Record) error) error {
			for _, b := range bs {
				if err := add(b); err != nil {
					return err
				}
			}
			return nil
		}
	}
	// PER is not a label of the project: the spans of every batch are
	// counted in the refusal, and nothing is stored.
	_, err := s.ImportStream(scan(batches), ImportOptions{File: "f.jsonl"})
	var unknown *UnknownLabelsError
	if !errors.As(err, &unknown) || len(unknown.Labels) != 1 || unknown.Labels[0].Spans != 3 {
		t.Fatalf("unknown label over batches: %v", err)
	}
	if _, err := s.Document("a"); err == nil {
		t.Fatal("a document of the refused import was stored")
	}
	res, err := s.ImportStream(scan(batches), ImportOptions{File: "f.jsonl", AddLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Added) != 3 || res.Spans != 3 || len(res.Skipped) != 0 {
		t.Fatalf("result %+v", res)
	}
	if got, err := s.Spans("a", "y"); err != nil || len(got) != 1 {
		t.Fatalf("a's layer of y, from the second batch: %v %v", got, err)
	}
	// A repeated id with another text in a later batch is refused, and
	// nothing of the import stays.
	bad := [][]annotate.Record{{rec("d", "جديد", "")}, {rec("d", "آخر", "")}}
	if _, err := s.ImportStream(scan(bad), ImportOptions{File: "g.jsonl"}); err == nil || !strings.Contains(err.Error(), `document "d" appears twice`) {
		t.Fatalf("repeated id across batches: %v", err)
	}
	stop := errors.New("read error")
	_, err = s.ImportStream(func(add func([]annotate.Record) error) error {
		if err := add([]annotate.Record{rec("e", "هنا", "")}); err != nil {
			return err
		}
		return stop
	}, ImportOptions{})
	if !errors.Is(err, stop) {
		t.Fatalf("the scan's error: %v", err)
	}
	for _, id := range []string{"d", "e"} {
		if _, err := s.Document(id); err == nil {
			t.Fatalf("document %s of a refused import was stored", id)
		}
	}
	// Empty documents only, over several batches, are refused.
	empty := [][]annotate.Record{{rec("f", "", "")}, {rec("g", "", "")}}
	if _, err := s.ImportStream(scan(empty), ImportOptions{}); err == nil || !strings.Contains(err.Error(), "every document is empty") {
		t.Fatalf("empty documents only: %v", err)
	}
}
