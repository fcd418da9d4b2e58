package score

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
)

// relText: قال [0,3) الصفدي [4,10) إن [11,13) الأردن [14,20) يرفض [21,25)
// الخطة [26,31).
const relText = "قال الصفدي إن الأردن يرفض الخطة"

func rsp(s, e int, label string) annotate.Span { return annotate.Span{Start: s, End: e, Label: label} }

var (
	rClaim   = rsp(14, 31, "CLAIM")
	rInner   = rsp(21, 31, "CLAIM")
	rShort   = rsp(14, 25, "CLAIM")
	rSafadi  = rsp(4, 10, "PERSON")
	rSafadiO = rsp(4, 10, "ORGANIZATION")
	rJordan  = rsp(14, 20, "STATE")
	rCue     = rsp(0, 3, "CUE")
)

func rl(h, t int, label string) annotate.Relation {
	return annotate.Relation{Head: h, Tail: t, Label: label}
}

// rc is cor, mis, spu with P, R, F1.
func rc(cor, mis, spu int, p, r, f float64) RelCounts {
	return RelCounts{Cor: cor, Mis: mis, Spu: spu, Possible: cor + mis, Actual: cor + spu, Precision: p, Recall: r, F1: f}
}

func sameRel(x, y RelCounts) bool {
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	return x.Cor == y.Cor && x.Mis == y.Mis && x.Spu == y.Spu && x.Possible == y.Possible && x.Actual == y.Actual &&
		near(x.Precision, y.Precision) && near(x.Recall, y.Recall) && near(x.F1, y.F1)
}

func TestScoreRelations(t *testing.T) {
	saidGold := []annotate.Span{rClaim, rSafadi, rCue}
	saidRels := []annotate.Relation{rl(0, 1, "SOURCE"), rl(0, 2, "CUE")}
	for _, c := range []struct {
		name             string
		gold, pred       []annotate.Span
		goldRel, predRel []annotate.Relation
		strict, boundary RelCounts
		perLabel         map[string]RelCounts
		errs             []string // kind relation head-text tail-text
	}{{
		name: "different source", gold: saidGold, goldRel: saidRels,
		pred: []annotate.Span{rClaim, rJordan, rCue}, predRel: []annotate.Relation{rl(0, 1, "SOURCE"), rl(0, 2, "CUE")},
		strict: rc(1, 1, 1, .5, .5, .5), boundary: rc(1, 1, 1, .5, .5, .5),
		perLabel: map[string]RelCounts{"CUE": rc(1, 0, 0, 1, 1, 1), "SOURCE": rc(0, 1, 1, 0, 0, 0)},
		errs: []string{
			"missing_relation SOURCE الأردن يرفض الخطة/CLAIM الصفدي/PERSON",
			"spurious_relation SOURCE الأردن يرفض الخطة/CLAIM الأردن/STATE",
		},
	}, {
		name: "missing cue", gold: saidGold, goldRel: saidRels,
		pred: []annotate.Span{rClaim, rSafadi}, predRel: []annotate.Relation{rl(0, 1, "SOURCE")},
		strict: rc(1, 1, 0, 1, .5, 2./3), boundary: rc(1, 1, 0, 1, .5, 2./3),
		perLabel: map[string]RelCounts{"CUE": rc(0, 1, 0, 0, 0, 0), "SOURCE": rc(1, 0, 0, 1, 1, 1)},
		errs:     []string{"missing_relation CUE الأردن يرفض الخطة/CLAIM قال/CUE"},
	}, {
		// Same offsets, another span label: boundary COR, strict not.
		name: "other span label", gold: []annotate.Span{rClaim, rSafadi}, goldRel: []annotate.Relation{rl(0, 1, "SOURCE")},
		pred: []annotate.Span{rSafadiO, rClaim}, predRel: []annotate.Relation{rl(1, 0, "SOURCE")},
		strict: rc(0, 1, 1, 0, 0, 0), boundary: rc(1, 0, 0, 1, 1, 1),
		perLabel: map[string]RelCounts{"SOURCE": rc(0, 1, 1, 0, 0, 0)},
		errs: []string{
			"spurious_relation SOURCE الأردن يرفض الخطة/CLAIM الصفدي/ORGANIZATION", // tails in span order
			"missing_relation SOURCE الأردن يرفض الخطة/CLAIM الصفدي/PERSON",
		},
	}, {
		// An overlapping claim is no match in either scheme.
		name: "overlapping claim", gold: []annotate.Span{rClaim, rSafadi}, goldRel: []annotate.Relation{rl(0, 1, "SOURCE")},
		pred: []annotate.Span{rShort, rSafadi}, predRel: []annotate.Relation{rl(0, 1, "SOURCE")},
		strict: rc(0, 1, 1, 0, 0, 0), boundary: rc(0, 1, 1, 0, 0, 0),
		perLabel: map[string]RelCounts{"SOURCE": rc(0, 1, 1, 0, 0, 0)},
		errs: []string{
			"spurious_relation SOURCE الأردن يرفض/CLAIM الصفدي/PERSON",
			"missing_relation SOURCE الأردن يرفض الخطة/CLAIM الصفدي/PERSON",
		},
	}, {
		// Nested claims, both attributed in gold, the inner one predicted.
		name: "nested claims", gold: []annotate.Span{rClaim, rInner, rSafadi}, goldRel: []annotate.Relation{rl(0, 2, "SOURCE"), rl(1, 2, "SOURCE")},
		pred: []annotate.Span{rSafadi, rInner}, predRel: []annotate.Relation{rl(1, 0, "SOURCE")},
		strict: rc(1, 1, 0, 1, .5, 2./3), boundary: rc(1, 1, 0, 1, .5, 2./3),
		perLabel: map[string]RelCounts{"SOURCE": rc(1, 1, 0, 1, .5, 2./3)},
		errs:     []string{"missing_relation SOURCE الأردن يرفض الخطة/CLAIM الصفدي/PERSON"},
	}, {
		name: "none", gold: []annotate.Span{rClaim}, pred: []annotate.Span{rClaim},
		perLabel: map[string]RelCounts{},
	}} {
		t.Run(c.name, func(t *testing.T) {
			r := Score([]Doc{{ID: "d", Text: relText, Gold: c.gold, Pred: c.pred, GoldRel: c.goldRel, PredRel: c.predRel}})
			if !sameRel(r.Relations.Strict, c.strict) {
				t.Errorf("strict %+v, want %+v", r.Relations.Strict, c.strict)
			}
			if !sameRel(r.Relations.Boundary, c.boundary) {
				t.Errorf("boundary %+v, want %+v", r.Relations.Boundary, c.boundary)
			}
			if !maps.EqualFunc(r.Relations.PerLabel, c.perLabel, sameRel) {
				t.Errorf("per label %+v, want %+v", r.Relations.PerLabel, c.perLabel)
			}
			var errs []string
			for _, e := range r.RelationErrors {
				if e.Document != "d" {
					t.Errorf("error on document %q", e.Document)
				}
				errs = append(errs, e.Kind+" "+e.Relation+" "+e.Head.Text+"/"+e.Head.Label+" "+e.Tail.Text+"/"+e.Tail.Label)
			}
			if !slices.Equal(errs, c.errs) {
				t.Errorf("errors\n%s\nwant\n%s", strings.Join(errs, "\n"), strings.Join(c.errs, "\n"))
			}
		})
	}
}

// Relations sum over documents; the errors file lists span errors, then
// relation errors with both ends' text; the JSON report has the relations
// block in its shape; the text report shows it.
func TestRelationsReport(t *testing.T) {
	gold := []annotate.Span{rClaim, rSafadi, rCue}
	goldRel := []annotate.Relation{rl(0, 1, "SOURCE"), rl(0, 2, "CUE")}
	docs := []Doc{
		{ID: "b", Text: relText, Gold: gold, GoldRel: goldRel, Pred: gold, PredRel: goldRel},
		{ID: "a", Text: relText, Gold: gold, GoldRel: goldRel, Pred: []annotate.Span{rClaim, rSafadi}, PredRel: goldRel[:1]},
	}
	r := Score(docs)
	if want := rc(3, 1, 0, 1, .75, 6./7); !sameRel(r.Relations.Strict, want) {
		t.Errorf("strict %+v, want %+v", r.Relations.Strict, want)
	}
	var buf bytes.Buffer
	if err := WriteErrors(&buf, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if want := `{"document":"a","kind":"missing_relation","relation":"CUE","head":{"start":14,"end":31,"label":"CLAIM","text":"الأردن يرفض الخطة"},"tail":{"start":0,"end":3,"label":"CUE","text":"قال"}}`; len(lines) != 2 || lines[1] != want {
		t.Errorf("errors:\n%s\nwant a span error, then\n%s", buf.String(), want)
	}
	buf.Reset()
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Relations map[string]json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(slices.Sorted(maps.Keys(rep.Relations)), ","); got != "boundary,per_label,strict" {
		t.Errorf("relations keys %s", got)
	}
	var strict map[string]any
	if err := json.Unmarshal(rep.Relations["strict"], &strict); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(slices.Sorted(maps.Keys(strict)), ","); got != "actual,cor,f1,mis,possible,precision,recall,spu" {
		t.Errorf("strict keys %s", got)
	}
	buf.Reset()
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"relations  scheme       COR     MIS     SPU       P       R      F1",
		"all        strict         3       1       0  1.0000  0.7500  0.8571",
		"CUE        strict         1       1       0  1.0000  0.5000  0.6667",
		"relation errors (strict) 1",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, buf.String())
		}
	}
}

// Match carries each side's relations and refuses one whose end is not a
// span of its side.
func TestMatchRelations(t *testing.T) {
	rec := func(spans []annotate.Span, rels []annotate.Relation) []annotate.Record {
		return []annotate.Record{{Doc: annotate.Document{ID: "d", Text: relText}, Layers: []annotate.Layer{{Spans: spans, Relations: rels}}}}
	}
	docs, err := Match(rec([]annotate.Span{rClaim, rSafadi}, []annotate.Relation{rl(0, 1, "SOURCE")}), rec([]annotate.Span{rClaim}, nil), Layers{})
	if err != nil || len(docs) != 1 || len(docs[0].GoldRel) != 1 || docs[0].PredRel != nil {
		t.Fatalf("docs %+v err %v", docs, err)
	}
	_, err = Match(rec([]annotate.Span{rClaim}, nil), rec([]annotate.Span{rClaim}, []annotate.Relation{rl(0, 3, "SOURCE")}), Layers{})
	if err == nil || !strings.Contains(err.Error(), `document "d": predicted relation 0`) {
		t.Fatalf("err %v", err)
	}
}
