package agree_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/agree"
)

// relText: قال [0,3) الصفدي [4,10) إن [11,13) الأردن [14,20) يرفض [21,25)
// الخطة [26,31).
const relText = "قال الصفدي إن الأردن يرفض الخطة"

var (
	claim   = span(14, 31, "CLAIM")
	inner   = span(21, 31, "CLAIM") // nested in claim
	short   = span(14, 25, "CLAIM") // overlaps claim, other end
	safadi  = span(4, 10, "PERSON")
	jordan  = span(14, 20, "STATE")
	cue     = span(0, 3, "CUE")
	safadiO = span(4, 10, "ORGANIZATION")
)

func rel(h, t int, label string) annotate.Relation {
	return annotate.Relation{Head: h, Tail: t, Label: label}
}

type relLayer struct {
	spans []annotate.Span
	rels  []annotate.Relation
}

func relDoc(id string, a, b relLayer) agree.Doc {
	return agree.Doc{ID: id, Text: relText,
		Layers:    map[string][]annotate.Span{"a": a.spans, "b": b.spans},
		Relations: map[string][]annotate.Relation{"a": a.rels, "b": b.rels}}
}

// The a layer of most cases: الصفدي (SOURCE) said (CUE) the claim.
var saidBy = relLayer{[]annotate.Span{claim, safadi, cue}, []annotate.Relation{rel(0, 1, "SOURCE"), rel(0, 2, "CUE")}}

type relWant struct {
	strict, boundary agree.RelMatch
	overlap          agree.RelOverlap
	perLabel         map[string]agree.RelMatch
	claims, same     int
	agreement        float64 // −1: null
}

func rm(m, ref, cand int, p, r, f float64) agree.RelMatch {
	return agree.RelMatch{Matches: m, Reference: ref, Candidate: cand, Precision: p, Recall: r, F1: f}
}

func ro(mr, mc, ref, cand int, p, r, f float64) agree.RelOverlap {
	return agree.RelOverlap{MatchedReference: mr, MatchedCandidate: mc, Reference: ref, Candidate: cand, Precision: p, Recall: r, F1: f}
}

func near(x, y float64) bool { return x-y < tol && y-x < tol }

func sameMatch(x, y agree.RelMatch) bool {
	return x.Matches == y.Matches && x.Reference == y.Reference && x.Candidate == y.Candidate &&
		near(x.Precision, y.Precision) && near(x.Recall, y.Recall) && near(x.F1, y.F1)
}

func checkRel(t *testing.T, p agree.Pair, w relWant) {
	t.Helper()
	f := p.RelationF1
	if !sameMatch(f.Strict, w.strict) {
		t.Errorf("strict %+v, want %+v", f.Strict, w.strict)
	}
	if !sameMatch(f.Boundary, w.boundary) {
		t.Errorf("boundary %+v, want %+v", f.Boundary, w.boundary)
	}
	o, wo := f.Overlap, w.overlap
	if o.MatchedReference != wo.MatchedReference || o.MatchedCandidate != wo.MatchedCandidate || o.Reference != wo.Reference ||
		o.Candidate != wo.Candidate || !near(o.Precision, wo.Precision) || !near(o.Recall, wo.Recall) || !near(o.F1, wo.F1) {
		t.Errorf("overlap %+v, want %+v", o, wo)
	}
	if !maps.EqualFunc(f.PerLabel, w.perLabel, sameMatch) {
		t.Errorf("per label %+v, want %+v", f.PerLabel, w.perLabel)
	}
	at := p.Attribution
	if at.ClaimsMatched != w.claims || at.SameSource != w.same {
		t.Errorf("attribution %d paired, %d same; want %d, %d", at.ClaimsMatched, at.SameSource, w.claims, w.same)
	}
	switch {
	case w.agreement < 0 && at.Agreement != nil:
		t.Errorf("attribution agreement %v, want null", *at.Agreement)
	case w.agreement >= 0 && (at.Agreement == nil || !near(*at.Agreement, w.agreement)):
		t.Errorf("attribution agreement %v, want %v", at.Agreement, w.agreement)
	}
}

func TestRelationAgreement(t *testing.T) {
	for _, c := range []struct {
		name string
		b    relLayer
		a    *relLayer // nil: saidBy
		want relWant
	}{{
		// b says Jordan is the source: the CUE relations match, the SOURCE
		// ones differ in their tail (another place and label, no overlap).
		// 1 match of 2 and 2 everywhere.
		name: "different source",
		b:    relLayer{[]annotate.Span{claim, jordan, cue}, []annotate.Relation{rel(0, 1, "SOURCE"), rel(0, 2, "CUE")}},
		want: relWant{strict: rm(1, 2, 2, .5, .5, .5), boundary: rm(1, 2, 2, .5, .5, .5), overlap: ro(1, 1, 2, 2, .5, .5, .5),
			perLabel: map[string]agree.RelMatch{"CUE": rm(1, 1, 1, 1, 1, 1), "SOURCE": rm(0, 1, 1, 0, 0, 0)},
			claims:   1, same: 0, agreement: 0},
	}, {
		// b has no cue: P = 1/1, R = 1/2, F1 = 2/3; the sources agree.
		name: "missing cue",
		b:    relLayer{[]annotate.Span{claim, safadi}, []annotate.Relation{rel(0, 1, "SOURCE")}},
		want: relWant{strict: rm(1, 2, 1, 1, .5, 2./3), boundary: rm(1, 2, 1, 1, .5, 2./3), overlap: ro(1, 1, 2, 1, 1, .5, 2./3),
			perLabel: map[string]agree.RelMatch{"CUE": rm(0, 1, 0, 0, 0, 0), "SOURCE": rm(1, 1, 1, 1, 1, 1)},
			claims:   1, same: 1, agreement: 1},
	}, {
		// The same offsets, the source an ORGANIZATION in b: boundary
		// matches, strict and overlap (which keep span labels) do not, and
		// the source sets differ.
		name: "other span label",
		a:    &relLayer{[]annotate.Span{claim, safadi}, []annotate.Relation{rel(0, 1, "SOURCE")}},
		b:    relLayer{[]annotate.Span{claim, safadiO}, []annotate.Relation{rel(0, 1, "SOURCE")}},
		want: relWant{strict: rm(0, 1, 1, 0, 0, 0), boundary: rm(1, 1, 1, 1, 1, 1), overlap: ro(0, 0, 1, 1, 0, 0, 0),
			perLabel: map[string]agree.RelMatch{"SOURCE": rm(0, 1, 1, 0, 0, 0)},
			claims:   1, same: 0, agreement: 0},
	}, {
		// b's claim ends earlier: no key matches, but the heads overlap
		// with the same label and the tails are equal, so overlap matches
		// on both sides; no claim is paired, so agreement is null.
		name: "overlapping claim",
		a:    &relLayer{[]annotate.Span{claim, safadi}, []annotate.Relation{rel(0, 1, "SOURCE")}},
		b:    relLayer{[]annotate.Span{safadi, short}, []annotate.Relation{rel(1, 0, "SOURCE")}},
		want: relWant{strict: rm(0, 1, 1, 0, 0, 0), boundary: rm(0, 1, 1, 0, 0, 0), overlap: ro(1, 1, 1, 1, 1, 1, 1),
			perLabel: map[string]agree.RelMatch{"SOURCE": rm(0, 1, 1, 0, 0, 0)},
			claims:   0, same: 0, agreement: -1},
	}, {
		// Nested claims, both attributed to الصفدي by a, only the inner one
		// by b. Strict 1 of 2 and 1. Overlap: a's outer relation overlaps
		// b's inner one (heads [14,31) and [21,31)), so 2 of 2 and 1 of 1.
		// Attribution: both claims paired; the inner agrees, the outer's
		// sets are {الصفدي} and {}.
		name: "nested claims",
		a:    &relLayer{[]annotate.Span{claim, inner, safadi}, []annotate.Relation{rel(0, 2, "SOURCE"), rel(1, 2, "SOURCE")}},
		b:    relLayer{[]annotate.Span{safadi, inner, claim}, []annotate.Relation{rel(1, 0, "SOURCE")}},
		want: relWant{strict: rm(1, 2, 1, 1, .5, 2./3), boundary: rm(1, 2, 1, 1, .5, 2./3), overlap: ro(2, 1, 2, 1, 1, 1, 1),
			perLabel: map[string]agree.RelMatch{"SOURCE": rm(1, 2, 1, 1, .5, 2./3)},
			claims:   2, same: 1, agreement: .5},
	}, {
		// Claims without sources on both sides agree; no relations: every
		// ratio 0, no labels.
		name: "both without sources",
		a:    &relLayer{[]annotate.Span{claim, safadi}, nil},
		b:    relLayer{[]annotate.Span{claim}, nil},
		want: relWant{perLabel: map[string]agree.RelMatch{}, claims: 1, same: 1, agreement: 1},
	}, {
		// The same relation twice in a (its claim span repeated) and once
		// in b: one match; the repeated claims pair one-to-one (1 pair),
		// and that pair agrees.
		name: "repeated",
		a:    &relLayer{[]annotate.Span{claim, safadi, claim}, []annotate.Relation{rel(0, 1, "SOURCE"), rel(2, 1, "SOURCE")}},
		b:    relLayer{[]annotate.Span{claim, safadi}, []annotate.Relation{rel(0, 1, "SOURCE")}},
		want: relWant{strict: rm(1, 2, 1, 1, .5, 2./3), boundary: rm(1, 2, 1, 1, .5, 2./3), overlap: ro(2, 1, 2, 1, 1, 1, 1),
			perLabel: map[string]agree.RelMatch{"SOURCE": rm(1, 2, 1, 1, .5, 2./3)},
			claims:   1, same: 1, agreement: 1},
	}, {
		// Repeated claims with different sources in a: of a's two claims
		// at [14,31), the one attributed to الأردن pairs with b's (equal
		// sets first), whatever the order of spans.
		name: "repeated, equal sets first",
		a:    &relLayer{[]annotate.Span{claim, safadi, claim, jordan}, []annotate.Relation{rel(0, 1, "SOURCE"), rel(2, 3, "SOURCE")}},
		b:    relLayer{[]annotate.Span{claim, jordan}, []annotate.Relation{rel(0, 1, "SOURCE")}},
		want: relWant{strict: rm(1, 2, 1, 1, .5, 2./3), boundary: rm(1, 2, 1, 1, .5, 2./3), overlap: ro(1, 1, 2, 1, 1, .5, 2./3),
			perLabel: map[string]agree.RelMatch{"SOURCE": rm(1, 2, 1, 1, .5, 2./3)},
			claims:   1, same: 1, agreement: 1},
	}} {
		t.Run(c.name, func(t *testing.T) {
			a := saidBy
			if c.a != nil {
				a = *c.a
			}
			r := compute(t, []agree.Doc{relDoc("d", a, c.b)}, "a", "b")
			checkRel(t, r.Pairs[0], c.want)
		})
	}
}

// Figures are summed over documents: "different source" and "missing cue"
// together give 2 matches of 4 and 3, 2 claims paired, 1 with the same
// source; a third annotator with saidBy on both agrees fully with a.
func TestRelationAgreementSums(t *testing.T) {
	docs := []agree.Doc{
		relDoc("1", saidBy, relLayer{[]annotate.Span{claim, jordan, cue}, []annotate.Relation{rel(0, 1, "SOURCE"), rel(0, 2, "CUE")}}),
		relDoc("2", saidBy, relLayer{[]annotate.Span{claim, safadi}, []annotate.Relation{rel(0, 1, "SOURCE")}}),
	}
	for i := range docs {
		docs[i].Layers["c"], docs[i].Relations["c"] = saidBy.spans, saidBy.rels
	}
	r := compute(t, docs, "a", "b", "c")
	checkRel(t, r.Pairs[0], relWant{strict: rm(2, 4, 3, 2./3, .5, 4./7), boundary: rm(2, 4, 3, 2./3, .5, 4./7), overlap: ro(2, 2, 4, 3, 2./3, .5, 4./7),
		perLabel: map[string]agree.RelMatch{"CUE": rm(1, 2, 1, 1, .5, 2./3), "SOURCE": rm(1, 2, 2, .5, .5, .5)},
		claims:   2, same: 1, agreement: .5})
	if p := r.Pairs[1]; p.A != "a" || p.B != "c" {
		t.Fatalf("pair 1 is %s–%s", p.A, p.B)
	}
	checkRel(t, r.Pairs[1], relWant{strict: rm(4, 4, 4, 1, 1, 1), boundary: rm(4, 4, 4, 1, 1, 1), overlap: ro(4, 4, 4, 4, 1, 1, 1),
		perLabel: map[string]agree.RelMatch{"CUE": rm(2, 2, 2, 1, 1, 1), "SOURCE": rm(2, 2, 2, 1, 1, 1)},
		claims:   2, same: 2, agreement: 1})
	var buf bytes.Buffer
	if err := agree.WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	rows := text[strings.Index(text, "\nrelations"):]
	for _, want := range []string{
		"a–b 4 3 0.667 0.500 0.571 0.571 0.667 0.500 0.571 2 1 0.500",
		"SOURCE 0.500 (1/2/2) 1.000 (2/2/2) 0.500 (1/2/2)",
	} {
		found := false
		for _, line := range strings.Split(rows, "\n") {
			found = found || strings.Join(strings.Fields(line), " ") == want
		}
		if !found {
			t.Errorf("text report lacks the row %q:\n%s", want, rows)
		}
	}
}

// A relation whose end is not a span is an error naming document and
// annotator.
func TestRelationOutOfRange(t *testing.T) {
	d := relDoc("d", relLayer{[]annotate.Span{claim}, []annotate.Relation{rel(0, 1, "SOURCE")}}, relLayer{})
	_, err := agree.Compute([]agree.Doc{d}, []string{"a", "b"}, agree.Options{})
	if err == nil || !strings.Contains(err.Error(), `document "d", annotator "a": relation 0`) {
		t.Fatalf("err %v", err)
	}
}

// The JSON shape of a pair's relation figures.
func TestRelationJSONShape(t *testing.T) {
	r := compute(t, []agree.Doc{relDoc("d", saidBy, relLayer{[]annotate.Span{claim, safadi}, []annotate.Relation{rel(0, 1, "SOURCE")}})}, "a", "b")
	b, err := json.Marshal(r.Pairs[0])
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]json.RawMessage
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	keys := func(raw json.RawMessage) string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err, string(raw))
		}
		return strings.Join(slices.Sorted(maps.Keys(m)), ",")
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(p["relation_f1"], &f); err != nil {
		t.Fatal(err)
	}
	var perLabel map[string]json.RawMessage
	if err := json.Unmarshal(f["per_label"], &perLabel); err != nil {
		t.Fatal(err)
	}
	match := "candidate,f1,matches,precision,recall,reference"
	for what, got := range map[string]string{
		"relation_f1": keys(p["relation_f1"]), "strict": keys(f["strict"]), "boundary": keys(f["boundary"]),
		"overlap": keys(f["overlap"]), "per_label CUE": keys(perLabel["CUE"]), "attribution": keys(p["attribution"]),
	} {
		want := map[string]string{"relation_f1": "boundary,overlap,per_label,strict", "overlap": "candidate,f1,matched_candidate,matched_reference,precision,recall,reference",
			"attribution": "agreement,claims_matched,same_source"}[what]
		if want == "" {
			want = match
		}
		if got != want {
			t.Errorf("%s keys %s, want %s", what, got, want)
		}
	}
	if string(p["attribution"]) != `{"claims_matched":1,"same_source":1,"agreement":1}` {
		t.Errorf("attribution %s", p["attribution"])
	}
	// Without claims the agreement is null.
	r = compute(t, []agree.Doc{relDoc("d", relLayer{[]annotate.Span{safadi}, nil}, relLayer{})}, "a", "b")
	if b, _ := json.Marshal(r.Pairs[0].Attribution); string(b) != `{"claims_matched":0,"same_source":0,"agreement":null}` {
		t.Errorf("attribution %s", b)
	}
}
