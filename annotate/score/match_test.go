package score

import (
	"strings"
	"testing"

	"tawsim/annotate"
)

func rec(id, text, annotator string, spans ...annotate.Span) annotate.Record {
	r := annotate.Record{Doc: annotate.Document{ID: id, Text: text}}
	if annotator != "" || len(spans) > 0 {
		r.Layers = []annotate.Layer{{Annotator: annotator, Spans: spans}}
	}
	return r
}

func TestMatch(t *testing.T) {
	gold := []annotate.Record{
		rec("b", testText, "", sp(0, 4, "PERSON")),
		rec("a", testText, "", sp(5, 8, "ORG")),
		rec("c", "نص", ""), // no layer: no gold spans
	}
	pred := []annotate.Record{rec("a", testText, "model", sp(5, 8, "ORG"))}
	docs, err := Match(gold, pred, Layers{})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 || docs[0].ID != "b" || docs[1].ID != "a" || docs[2].ID != "c" {
		t.Fatalf("docs %+v, want gold order b a c", docs)
	}
	if len(docs[0].Pred) != 0 || len(docs[0].Gold) != 1 {
		t.Errorf("b: gold only, got %+v", docs[0])
	}
	if len(docs[1].Pred) != 1 || docs[1].Text != testText {
		t.Errorf("a: %+v", docs[1])
	}
	if len(docs[2].Gold) != 0 || len(docs[2].Pred) != 0 {
		t.Errorf("c: %+v", docs[2])
	}
	// b's gold span is MIS, a is COR: strict 1 0 0 1 0.
	r := Score(docs)
	if got := counts(&r.Micro.Strict); got != [5]int{1, 0, 0, 1, 0} || r.Documents != 3 {
		t.Errorf("strict %v, documents %d", got, r.Documents)
	}
}

func TestMatchLayers(t *testing.T) {
	// One line per (document, annotator), as native JSONL carries them.
	gold := []annotate.Record{
		rec("a", testText, "amira", sp(0, 4, "PERSON")),
		rec("a", testText, "omar", sp(0, 4, "ORG"), sp(5, 8, "ORG")),
	}
	pred := []annotate.Record{rec("a", testText, "model", sp(0, 4, "PERSON"))}

	if _, err := Match(gold, pred, Layers{}); err == nil || !strings.Contains(err.Error(), `gold document "a" has 2 layers`) {
		t.Errorf("ambiguous layers: %v", err)
	}
	docs, err := Match(gold, pred, Layers{Gold: "omar"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || len(docs[0].Gold) != 2 || len(docs[0].Pred) != 1 {
		t.Errorf("omar: %+v", docs)
	}
	docs, err = Match(gold, pred, Layers{Gold: "amira", Pred: "other"})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs[0].Gold) != 1 || len(docs[0].Pred) != 0 {
		t.Errorf("predicted layer by another annotator counts as no predictions: %+v", docs)
	}
	if _, err := Match(gold, pred, Layers{Gold: "nadia"}); err == nil || !strings.Contains(err.Error(), `gold document "a" has no layer by annotator "nadia"`) {
		t.Errorf("missing gold layer: %v", err)
	}
	dup := append(gold, rec("a", testText, "amira"))
	if _, err := Match(dup, pred, Layers{Gold: "amira"}); err == nil || !strings.Contains(err.Error(), `two layers by annotator "amira"`) {
		t.Errorf("duplicate layer: %v", err)
	}
}

func TestMatchErrors(t *testing.T) {
	gold := []annotate.Record{rec("a", "abcdef", "", annotate.Span{Start: 0, End: 2, Label: "X", Text: "ab"})}
	cases := []struct {
		name       string
		gold, pred []annotate.Record
		want       string
	}{
		{"text differs", gold, []annotate.Record{rec("a", "abXdef", "")},
			`document "a": the predicted text differs from the gold text (first difference at code point 2; lengths 6 and 6)`},
		{"only in pred", gold, []annotate.Record{rec("a", "abcdef", ""), rec("z", "x", ""), rec("y", "x", "")},
			`predicted document "z" (and 1 more) is not in the gold data`},
		{"gold twice, other text", append(gold, rec("a", "abcdefg", "")), nil,
			`gold document "a" appears twice with different texts`},
		{"span past the end", gold, []annotate.Record{rec("a", "abcdef", "", annotate.Span{Start: 4, End: 7, Label: "X"})},
			`document "a": predicted span 0 [4,7) X ends past the text (length 6)`},
		{"empty span", gold, []annotate.Record{rec("a", "abcdef", "", annotate.Span{Start: 3, End: 3, Label: "X"})},
			`document "a": predicted span 0 [3,3) X is empty or negative`},
		{"no label", gold, []annotate.Record{rec("a", "abcdef", "", annotate.Span{Start: 1, End: 3})},
			`document "a": predicted span 0 [1,3) has no label`},
	}
	for _, tc := range cases {
		_, err := Match(tc.gold, tc.pred, Layers{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// Arabic text: a span ending at the last code point is inside, one past
	// it is not, although both are below the byte length.
	ar := "شخص"
	if _, err := Match([]annotate.Record{rec("a", ar, "", annotate.Span{Start: 0, End: 3, Label: "X"})}, nil, Layers{}); err != nil {
		t.Errorf("in range: %v", err)
	}
	if _, err := Match([]annotate.Record{rec("a", ar, "", annotate.Span{Start: 0, End: 4, Label: "X"})}, nil, Layers{}); err == nil {
		t.Errorf("span past the Arabic text accepted")
	}
}
