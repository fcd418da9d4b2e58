package score

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"tawsim/annotate"
)

// testText is long enough for every hand-made span; offsets are code points.
const testText = "أحمد ذهب إلى القاهرة مع وزارة الخارجية في يوم الأحد الماضي وقال إن المحادثات كانت مثمرة جدا"

func sp(start, end int, label string) annotate.Span {
	return annotate.Span{Start: start, End: end, Label: label, Text: string([]rune(testText)[start:end])}
}

func doc(id string, gold, pred []annotate.Span) Doc {
	return Doc{ID: id, Text: testText, Gold: gold, Pred: pred}
}

// want is expected COR INC PAR MIS SPU per scheme (strict, exact, partial, type).
type want [4][5]int

func counts(c *Counts) [5]int { return [5]int{c.Cor, c.Inc, c.Par, c.Mis, c.Spu} }

func checkCounts(t *testing.T, what string, res *Result, w want) {
	t.Helper()
	for _, s := range AllSchemes {
		if got := counts(res.Get(s)); got != w[s] {
			t.Errorf("%s %s: COR INC PAR MIS SPU = %v, want %v", what, s, got, w[s])
		}
		c := res.Get(s)
		if c.Possible != c.Cor+c.Inc+c.Par+c.Mis || c.Actual != c.Cor+c.Inc+c.Par+c.Spu {
			t.Errorf("%s %s: possible/actual %d/%d inconsistent", what, s, c.Possible, c.Actual)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func checkPRF(t *testing.T, what string, p, r, f, wp, wr, wf float64) {
	t.Helper()
	if !near(p, wp) || !near(r, wr) || !near(f, wf) {
		t.Errorf("%s: P R F1 = %.6f %.6f %.6f, want %.6f %.6f %.6f", what, p, r, f, wp, wr, wf)
	}
}

// TestSchemeTable has one document per row of the scheme table.
func TestSchemeTable(t *testing.T) {
	cases := []struct {
		name       string
		gold, pred []annotate.Span
		want       want
		kind       string // strict error kind, "" for none
		// P R F1 of each scheme
		prf [4][3]float64
	}{
		{
			// Same boundaries, same label: COR everywhere; P = R = F1 = 1.
			name: "same boundaries same label",
			gold: []annotate.Span{sp(0, 4, "PERSON")}, pred: []annotate.Span{sp(0, 4, "PERSON")},
			want: want{{1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}},
			prf:  [4][3]float64{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
		},
		{
			// Same boundaries, other label: strict INC, exact COR, partial
			// COR, type INC. POS = ACT = 1: strict 0/1, exact 1/1, partial
			// (1+0)/1, type (0+0)/1.
			name: "same boundaries other label",
			gold: []annotate.Span{sp(0, 4, "PERSON")}, pred: []annotate.Span{sp(0, 4, "ORGANIZATION")},
			want: want{{0, 1, 0, 0, 0}, {1, 0, 0, 0, 0}, {1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}},
			kind: KindLabel,
			prf:  [4][3]float64{{0, 0, 0}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}},
		},
		{
			// Overlap [2,4) with other boundaries, same label: strict INC,
			// exact INC, partial PAR ((0+½)/1 = 0.5), type COR.
			name: "overlap same label",
			gold: []annotate.Span{sp(0, 4, "PERSON")}, pred: []annotate.Span{sp(2, 7, "PERSON")},
			want: want{{0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {1, 0, 0, 0, 0}},
			kind: KindBoundary,
			prf:  [4][3]float64{{0, 0, 0}, {0, 0, 0}, {0.5, 0.5, 0.5}, {1, 1, 1}},
		},
		{
			// Overlap, other label: INC, INC, PAR, INC.
			name: "overlap other label",
			gold: []annotate.Span{sp(0, 4, "PERSON")}, pred: []annotate.Span{sp(2, 7, "STATE")},
			want: want{{0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {0, 1, 0, 0, 0}},
			kind: KindBoundaryLabel,
			prf:  [4][3]float64{{0, 0, 0}, {0, 0, 0}, {0.5, 0.5, 0.5}, {0, 0, 0}},
		},
		{
			// Gold with no pair: MIS everywhere; POS 1, ACT 0: P = 0
			// (empty denominator), R = 0.
			name: "missing",
			gold: []annotate.Span{sp(0, 4, "PERSON")},
			want: want{{0, 0, 0, 1, 0}, {0, 0, 0, 1, 0}, {0, 0, 0, 1, 0}, {0, 0, 0, 1, 0}},
			kind: KindMissing,
		},
		{
			// Prediction with no pair: SPU everywhere; POS 0, ACT 1.
			name: "spurious",
			pred: []annotate.Span{sp(0, 4, "PERSON")},
			want: want{{0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}, {0, 0, 0, 0, 1}},
			kind: KindSpurious,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Score([]Doc{doc("d", tc.gold, tc.pred)})
			checkCounts(t, "micro", &r.Micro, tc.want)
			for _, s := range AllSchemes {
				c := r.Micro.Get(s)
				checkPRF(t, s.String(), c.Precision, c.Recall, c.F1, tc.prf[s][0], tc.prf[s][1], tc.prf[s][2])
			}
			if tc.kind == "" {
				if len(r.Errors) != 0 {
					t.Errorf("errors %v, want none", r.Errors)
				}
				return
			}
			if len(r.Errors) != 1 || r.Errors[0].Kind != tc.kind {
				t.Fatalf("errors %+v, want one %q", r.Errors, tc.kind)
			}
			e := r.Errors[0]
			if (e.Gold == nil) != (tc.gold == nil) || (e.Pred == nil) != (tc.pred == nil) {
				t.Errorf("error item sides %+v", e)
			}
		})
	}
}

// mixedDoc has one outcome of every kind; it is also the nervaluate
// cross-check (see TestNervaluateCrossCheck).
//
//	gold [0,5) PERSON    pred [0,5) PERSON         same boundaries, same label
//	gold [10,15) ORG     pred [10,15) PERSON       same boundaries, other label
//	gold [20,25) STATE   pred [21,26) STATE        overlap, same label
//	gold [30,35) PERSON  pred [31,33) ORG          overlap, other label
//	                     pred [40,45) ORG          spurious
//	gold [50,55) ORG                               missing
func mixedDoc() Doc {
	return doc("mixed",
		[]annotate.Span{sp(0, 5, "PERSON"), sp(10, 15, "ORG"), sp(20, 25, "STATE"), sp(30, 35, "PERSON"), sp(50, 55, "ORG")},
		[]annotate.Span{sp(0, 5, "PERSON"), sp(10, 15, "PERSON"), sp(21, 26, "STATE"), sp(31, 33, "ORG"), sp(40, 45, "ORG")})
}

// TestNervaluateCrossCheck works mixedDoc through nervaluate's
// compute_metrics by hand (its spans with inclusive ends: [0,4] PERSON, …).
// nervaluate walks the predictions in order:
//
//	[0,4] PERSON   is in the gold list: scenario I, COR in all four.
//	[10,14] PERSON gold [10,14] ORG has the same offsets, other type:
//	               scenario IV: strict INC, ent_type INC, partial COR, exact COR.
//	[21,25] STATE  overlaps gold [20,24] STATE: scenario V: strict INC,
//	               ent_type COR, partial PAR, exact INC.
//	[31,32] ORG    overlaps gold [30,34] PERSON: scenario VI: strict INC,
//	               ent_type INC, partial PAR, exact INC.
//	[40,44] ORG    overlaps nothing: scenario II, SPU in all four.
//	gold [50,54] ORG was never overlapped: scenario III, MIS in all four.
//
// Totals (COR INC PAR MIS SPU): strict 1 3 0 1 1, exact 2 2 0 1 1, partial
// 2 0 2 1 1, ent_type 2 2 0 1 1. possible = actual = 5 everywhere, so
// precision = recall = F1: strict 1/5 = 0.2, exact 2/5 = 0.4, partial
// (2+½·2)/5 = 0.6, ent_type (2+0)/5 = 0.4.
func TestNervaluateCrossCheck(t *testing.T) {
	r := Score([]Doc{mixedDoc()})
	checkCounts(t, "micro", &r.Micro, want{{1, 3, 0, 1, 1}, {2, 2, 0, 1, 1}, {2, 0, 2, 1, 1}, {2, 2, 0, 1, 1}})
	for s, v := range []float64{0.2, 0.4, 0.6, 0.4} {
		c := r.Micro.Get(Scheme(s))
		if c.Possible != 5 || c.Actual != 5 {
			t.Errorf("%s: possible %d actual %d, want 5 5", Scheme(s), c.Possible, c.Actual)
		}
		checkPRF(t, Scheme(s).String(), c.Precision, c.Recall, c.F1, v, v, v)
	}
}

// TestPerLabelAndMacro scores mixedDoc per label. Restricted to one label:
//
//	PERSON: gold [0,5) [30,35), pred [0,5) [10,15). [0,5) pairs exactly: COR
//	        in all; [30,35) overlaps no PERSON prediction: MIS; pred [10,15)
//	        overlaps no PERSON gold: SPU. POS = ACT = 2: P = R = F1 = 0.5 in
//	        every scheme.
//	ORG:    gold [10,15) [50,55), pred [31,33) [40,45): no overlaps: MIS 2,
//	        SPU 2, all scores 0.
//	STATE:  gold [20,25), pred [21,26): strict INC, exact INC, partial PAR,
//	        type COR; POS = ACT = 1: strict 0, exact 0, partial 0.5, type 1.
//
// Macro (unweighted mean over ORG, PERSON, STATE of P, R and F1):
// strict (0+0.5+0)/3 = 1/6, exact 1/6, partial (0+0.5+0.5)/3 = 1/3, type
// (0+0.5+1)/3 = 1/2.
func TestPerLabelAndMacro(t *testing.T) {
	r := Score([]Doc{mixedDoc()})
	if !reflect.DeepEqual(r.Labels, []string{"ORG", "PERSON", "STATE"}) {
		t.Fatalf("labels %v", r.Labels)
	}
	all := func(c [5]int) want { return want{c, c, c, c} }
	per := map[string]want{
		"PERSON": all([5]int{1, 0, 0, 1, 1}),
		"ORG":    all([5]int{0, 0, 0, 2, 2}),
		"STATE":  {{0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {1, 0, 0, 0, 0}},
	}
	for l, w := range per {
		res := r.PerLabel[l]
		checkCounts(t, l, &res, w)
	}
	p := r.PerLabel["PERSON"]
	checkPRF(t, "PERSON strict", p.Strict.Precision, p.Strict.Recall, p.Strict.F1, 0.5, 0.5, 0.5)
	st := r.PerLabel["STATE"]
	checkPRF(t, "STATE partial", st.Partial.Precision, st.Partial.Recall, st.Partial.F1, 0.5, 0.5, 0.5)
	checkPRF(t, "STATE type", st.Type.Precision, st.Type.Recall, st.Type.F1, 1, 1, 1)
	for s, v := range []float64{1.0 / 6, 1.0 / 6, 1.0 / 3, 0.5} {
		m := r.Macro.Get(Scheme(s))
		checkPRF(t, "macro "+Scheme(s).String(), m.Precision, m.Recall, m.F1, v, v, v)
	}
}

// TestNestedGold: gold [0,10) ORG contains gold [0,4) PERSON; the prediction
// equals the inner one. Candidates: (outer, pred) other boundaries and
// label; (inner, pred) same boundaries and label, preferred by every
// scheme. Inner COR, outer MIS, in all four schemes, in either input order.
func TestNestedGold(t *testing.T) {
	for _, outer := range []string{"ORG", "PERSON"} {
		gold := []annotate.Span{sp(0, 10, outer), sp(0, 4, "PERSON")}
		for _, g := range [][]annotate.Span{gold, {gold[1], gold[0]}} {
			r := Score([]Doc{doc("n", g, []annotate.Span{sp(0, 4, "PERSON")})})
			c := [5]int{1, 0, 0, 1, 0}
			checkCounts(t, "nested "+outer, &r.Micro, want{c, c, c, c})
			if len(r.Errors) != 1 || r.Errors[0].Kind != KindMissing || r.Errors[0].Gold.End != 10 {
				t.Errorf("errors %+v, want the outer span missing", r.Errors)
			}
		}
	}
}

// TestSchemesPairDifferently: gold [0,4) PERSON inside gold [0,6) ORG, pred
// [0,4) ORG. Strict, exact and partial prefer same boundaries: pred pairs
// with [0,4) PERSON (strict INC, exact COR, partial COR), [0,6) ORG is MIS.
// Type prefers the correct-under-type pair (same label): pred pairs with
// [0,6) ORG (type COR), [0,4) PERSON is MIS.
// Per label: ORG: gold [0,6), pred [0,4): INC, INC, PAR, COR. PERSON: gold
// [0,4), no PERSON prediction: MIS in every scheme.
func TestSchemesPairDifferently(t *testing.T) {
	r := Score([]Doc{doc("d", []annotate.Span{sp(0, 4, "PERSON"), sp(0, 6, "ORG")}, []annotate.Span{sp(0, 4, "ORG")})})
	checkCounts(t, "micro", &r.Micro, want{{0, 1, 0, 1, 0}, {1, 0, 0, 1, 0}, {1, 0, 0, 1, 0}, {1, 0, 0, 1, 0}})
	org, per := r.PerLabel["ORG"], r.PerLabel["PERSON"]
	checkCounts(t, "ORG", &org, want{{0, 1, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, 0, 1, 0, 0}, {1, 0, 0, 0, 0}})
	m := [5]int{0, 0, 0, 1, 0}
	checkCounts(t, "PERSON", &per, want{m, m, m, m})
	// Strict errors: label error on [0,4), then [0,6) ORG missing (same
	// start, gold [0,4) sorts before [0,6)).
	if len(r.Errors) != 2 || r.Errors[0].Kind != KindLabel || r.Errors[1].Kind != KindMissing {
		t.Errorf("errors %+v", r.Errors)
	}
}

// TestTouching: [0,3) and [3,5) share no code point: never paired.
func TestTouching(t *testing.T) {
	c := [5]int{0, 0, 0, 1, 1}
	for _, pair := range [][2]annotate.Span{
		{sp(0, 3, "PERSON"), sp(3, 5, "PERSON")},
		{sp(3, 5, "PERSON"), sp(0, 3, "PERSON")},
	} {
		r := Score([]Doc{doc("t", []annotate.Span{pair[0]}, []annotate.Span{pair[1]})})
		checkCounts(t, "touching", &r.Micro, want{c, c, c, c})
	}
}

// TestPredOverTwoGold: gold [0,4) PERSON and [6,10) PERSON, one prediction.
func TestPredOverTwoGold(t *testing.T) {
	pairedPart := [4][5]int{{0, 1, 0, 1, 0}, {0, 1, 0, 1, 0}, {0, 0, 1, 1, 0}, {1, 0, 0, 1, 0}}
	gold := []annotate.Span{sp(0, 4, "PERSON"), sp(6, 10, "PERSON")}
	cases := []struct {
		name   string
		pred   annotate.Span
		paired int // start of the gold span it pairs with
	}{
		// [2,8): overlap 2 with each, distance 2+4 = 6 with each: tie, the
		// earlier gold [0,4) wins; [6,10) MIS.
		{"tie goes to the earlier gold", sp(2, 8, "PERSON"), 0},
		// [2,9): overlap 2 with [0,4), 3 with [6,10): larger overlap wins.
		{"larger overlap", sp(2, 9, "PERSON"), 6},
		// [1,9): overlap 3 with each; distance 1+5 = 6 vs 5+1 = 6: tie,
		// earlier gold.
		{"overlap then earlier", sp(1, 9, "PERSON"), 0},
	}
	for _, tc := range cases {
		r := Score([]Doc{doc("d", gold, []annotate.Span{tc.pred})})
		checkCounts(t, tc.name, &r.Micro, pairedPart)
		var missing *ErrorItem
		for i := range r.Errors {
			if r.Errors[i].Kind == KindMissing {
				missing = &r.Errors[i]
			}
		}
		if missing == nil || missing.Gold.Start == tc.paired {
			t.Errorf("%s: errors %+v, want gold at %d paired", tc.name, r.Errors, tc.paired)
		}
	}
	// Same overlap, smaller distance wins: gold [0,6) and [1,8), pred
	// [1,6): overlap 5 with each; distance 1+0 = 1 and 0+2 = 2: [0,6) is
	// paired (boundary error), [1,8) is missing.
	r := Score([]Doc{doc("d", []annotate.Span{sp(1, 8, "PERSON"), sp(0, 6, "PERSON")}, []annotate.Span{sp(1, 6, "PERSON")})})
	if len(r.Errors) != 2 || r.Errors[0].Gold.Start != 0 || r.Errors[0].Pred == nil || r.Errors[1].Kind != KindMissing || r.Errors[1].Gold.Start != 1 {
		t.Errorf("distance tie-break: errors %+v", r.Errors)
	}
}

// TestOrderIndependence shuffles spans and documents: the report is the
// same.
func TestOrderIndependence(t *testing.T) {
	base := []Doc{
		mixedDoc(),
		doc("nested", []annotate.Span{sp(0, 10, "ORG"), sp(0, 4, "PERSON"), sp(0, 4, "PERSON")}, []annotate.Span{sp(0, 4, "PERSON"), sp(2, 8, "ORG"), sp(3, 12, "ORG")}),
		doc("two", []annotate.Span{sp(0, 4, "PERSON"), sp(6, 10, "PERSON"), sp(0, 6, "ORG")}, []annotate.Span{sp(2, 8, "PERSON"), sp(0, 4, "ORG"), sp(1, 9, "STATE")}),
		doc("empty", nil, nil),
	}
	want := Score(base)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		docs := make([]Doc, len(base))
		for i, d := range base {
			d.Gold = append([]annotate.Span(nil), d.Gold...)
			d.Pred = append([]annotate.Span(nil), d.Pred...)
			rng.Shuffle(len(d.Gold), func(i, j int) { d.Gold[i], d.Gold[j] = d.Gold[j], d.Gold[i] })
			rng.Shuffle(len(d.Pred), func(i, j int) { d.Pred[i], d.Pred[j] = d.Pred[j], d.Pred[i] })
			docs[i] = d
		}
		rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
		if got := Score(docs); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled input gives another report:\n%+v\nwant\n%+v", got, want)
		}
	}
}

// TestEmpty: no documents, and documents with no spans, give zeros.
func TestEmpty(t *testing.T) {
	for _, docs := range [][]Doc{nil, {doc("a", nil, nil), doc("b", nil, nil)}} {
		r := Score(docs)
		if r.Documents != len(docs) || r.GoldSpans != 0 || r.PredSpans != 0 || len(r.Errors) != 0 || len(r.PerLabel) != 0 {
			t.Errorf("report %+v", r)
		}
		checkCounts(t, "empty", &r.Micro, want{})
		if r.Micro != (Result{}) || r.Macro != (MacroResult{}) {
			t.Errorf("nonzero scores %+v %+v", r.Micro, r.Macro)
		}
		var buf bytes.Buffer
		if err := r.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), `"labels": []`) || !strings.Contains(buf.String(), `"per_label": {}`) {
			t.Errorf("JSON %s", buf.String())
		}
	}
}

// TestNoPredictions: 3 gold spans, no predictions: MIS 3 in every scheme,
// POS 3, ACT 0, all scores 0; per label the same.
func TestNoPredictions(t *testing.T) {
	r := Score([]Doc{
		doc("a", []annotate.Span{sp(0, 4, "PERSON"), sp(5, 8, "ORG")}, nil),
		doc("b", []annotate.Span{sp(0, 4, "PERSON")}, []annotate.Span{}),
	})
	m := [5]int{0, 0, 0, 3, 0}
	checkCounts(t, "micro", &r.Micro, want{m, m, m, m})
	if r.Micro.Strict.Possible != 3 || r.Micro.Strict.Actual != 0 || r.Micro.Partial.Recall != 0 {
		t.Errorf("micro %+v", r.Micro.Strict)
	}
	p := [5]int{0, 0, 0, 2, 0}
	per := r.PerLabel["PERSON"]
	checkCounts(t, "PERSON", &per, want{p, p, p, p})
	if len(r.Errors) != 3 {
		t.Errorf("errors %+v", r.Errors)
	}
}

// TestErrorsJSONL: mixedDoc's strict errors, one line each, by offset; a
// second document "a" sorts first.
func TestErrorsJSONL(t *testing.T) {
	r := Score([]Doc{mixedDoc(), doc("a", nil, []annotate.Span{{Start: 0, End: 4, Label: "PERSON"}})})
	var buf bytes.Buffer
	if err := WriteErrors(&buf, r); err != nil {
		t.Fatal(err)
	}
	rs := []rune(testText)
	txt := func(s, e int) string { return string(rs[s:e]) }
	span := func(s, e int, l string) string {
		b, _ := json.Marshal(map[string]any{"start": s, "end": e, "label": l, "text": txt(s, e)})
		return string(b)
	}
	want := strings.Join([]string{
		`{"document":"a","kind":"spurious","gold":null,"pred":` + span(0, 4, "PERSON") + `}`, // text filled from the document
		`{"document":"mixed","kind":"label","gold":` + span(10, 15, "ORG") + `,"pred":` + span(10, 15, "PERSON") + `}`,
		`{"document":"mixed","kind":"boundary","gold":` + span(20, 25, "STATE") + `,"pred":` + span(21, 26, "STATE") + `}`,
		`{"document":"mixed","kind":"boundary+label","gold":` + span(30, 35, "PERSON") + `,"pred":` + span(31, 33, "ORG") + `}`,
		`{"document":"mixed","kind":"spurious","gold":null,"pred":` + span(40, 45, "ORG") + `}`,
		`{"document":"mixed","kind":"missing","gold":` + span(50, 55, "ORG") + `,"pred":null}`,
	}, "\n") + "\n"
	// json.Marshal of a map sorts keys; the writer keeps field order. Compare
	// decoded values line by line.
	gotLines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	wantLines := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("got %d lines:\n%s", len(gotLines), buf.String())
	}
	for i := range gotLines {
		var g, w any
		if err := json.Unmarshal([]byte(gotLines[i]), &g); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(wantLines[i]), &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, gotLines[i], wantLines[i])
		}
	}
	if !strings.HasPrefix(gotLines[1], `{"document":"mixed","kind":"label","gold":{"start":10,"end":15,"label":"ORG","text":`) {
		t.Errorf("field order: %s", gotLines[1])
	}
}

// TestJSONShape checks the keys of the report's JSON form.
func TestJSONShape(t *testing.T) {
	r := Score([]Doc{mixedDoc()})
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"documents", "gold_spans", "pred_spans", "micro", "per_label", "macro"} {
		if _, ok := m[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	if m["documents"] != 1.0 || m["gold_spans"] != 5.0 || m["pred_spans"] != 5.0 {
		t.Errorf("totals %v %v %v", m["documents"], m["gold_spans"], m["pred_spans"])
	}
	micro := m["micro"].(map[string]any)
	for _, s := range AllSchemes {
		c := micro[s.String()].(map[string]any)
		for _, k := range []string{"cor", "inc", "par", "mis", "spu", "possible", "actual", "precision", "recall", "f1"} {
			if _, ok := c[k]; !ok {
				t.Errorf("micro.%s missing %q", s, k)
			}
		}
		mac := m["macro"].(map[string]any)[s.String()].(map[string]any)
		for _, k := range []string{"precision", "recall", "f1"} {
			if _, ok := mac[k]; !ok {
				t.Errorf("macro.%s missing %q", s, k)
			}
		}
	}
	per := m["per_label"].(map[string]any)
	if _, ok := per["PERSON"].(map[string]any)["strict"].(map[string]any)["cor"]; !ok {
		t.Errorf("per_label.PERSON.strict.cor missing")
	}
	if _, ok := m["errors"]; ok {
		t.Errorf("errors belong in the JSONL file, not the report")
	}
}

func TestWriteText(t *testing.T) {
	r := Score([]Doc{mixedDoc(), doc("ar", []annotate.Span{sp(0, 4, "شخص")}, []annotate.Span{sp(0, 4, "شخص")})})
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"COR", "INC", "PAR", "MIS", "SPU", "F1", "micro", "PERSON", "شخص", "macro",
		// mixedDoc's strict 1 3 0 1 1 plus one exact match: 2 3 0 1 1,
		// POS = ACT = 6, P = R = F1 = 2/6.
		"micro   strict        2       3       0       1       1  0.3333  0.3333  0.3333",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("text report lacks %q:\n%s", s, out)
		}
	}
	if testing.Verbose() {
		t.Log("\n" + out)
	}
}
