package agree_test

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/agree"
	"tawsim/export"
)

const tol = 1e-9

func val(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %.12g", what, want)
		return
	}
	if math.IsNaN(*got) || math.Abs(*got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g", what, *got, want)
	}
}

func null(t *testing.T, what string, got *float64, note, wantNote string) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want nil", what, *got)
	}
	if note != wantNote {
		t.Errorf("%s note = %q, want %q", what, note, wantNote)
	}
}

func span(s, e int, label string) annotate.Span { return annotate.Span{Start: s, End: e, Label: label} }

func compute(t *testing.T, docs []agree.Doc, ann ...string) *agree.Report {
	t.Helper()
	r, err := agree.Compute(docs, ann, agree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Perfect agreement. "زار محمد عمان": ز0 ا1 ر2 _3 م4 ح5 م6 د7 _8 ع9 م10 ا11 ن12
// → 11 units: O×3, PERSON×4, STATE×4 for both.
// po = 1, pe = (3² + 4² + 4²)/11² = 41/121, kappa = 1. Alpha: no
// disagreement → 1. Fleiss (m = 2): P̄ = 1 → 1. Every span matches: F1 = 1.
func TestPerfectAgreement(t *testing.T) {
	layer := []annotate.Span{span(4, 8, "PERSON"), span(9, 13, "STATE")}
	docs := []agree.Doc{{ID: "d", Text: "زار محمد عمان", Layers: map[string][]annotate.Span{"a": layer, "b": layer}}}
	r := compute(t, docs, "a", "b")
	if r.Units != 11 || r.Documents != 1 {
		t.Fatalf("units %d documents %d", r.Units, r.Documents)
	}
	p := r.Pairs[0]
	val(t, "kappa", p.CohenKappa, 1)
	val(t, "po", p.ObservedAgreement, 1)
	val(t, "pe", p.ExpectedAgreement, 41.0/121)
	val(t, "alpha", p.KrippendorffAlpha, 1)
	val(t, "fleiss", r.All.FleissKappa, 1)
	val(t, "alpha all", r.All.KrippendorffAlpha, 1)
	for name, m := range map[string]agree.Match{"strict": p.SpanF1.Strict, "boundary": p.SpanF1.Boundary, "PERSON": p.SpanF1.PerLabel["PERSON"], "STATE": p.SpanF1.PerLabel["STATE"]} {
		val(t, name+" P", m.Precision, 1)
		val(t, name+" R", m.Recall, 1)
		val(t, name+" F1", m.F1, 1)
	}
	val(t, "overlap F1", p.SpanF1.Overlap.F1, 1)
	if p.Disagreements.Total != 0 || r.Docs[0].Items != nil {
		t.Errorf("disagreements %+v items %v", p.Disagreements, r.Docs[0].Items)
	}
}

// No spans at all: "نص بلا وسوم" has 2+3+4 = 9 units, all "O" for both.
// po = 1, pe = 9·9/81 = 1 → kappa undefined; alpha: expected disagreement
// n² − Σn_c² = 18² − 18² = 0 → undefined; Fleiss P̄e = 1 → undefined. Span
// F1: no spans on either side → nil with a note; per label empty.
func TestNoSpans(t *testing.T) {
	docs := []agree.Doc{{ID: "d", Text: "نص بلا وسوم", Layers: map[string][]annotate.Span{"a": nil, "b": nil}}}
	r := compute(t, docs, "a", "b")
	const one = "undefined: every unit has the same category for all annotators"
	p := r.Pairs[0]
	if r.Units != 9 {
		t.Fatalf("units %d", r.Units)
	}
	null(t, "kappa", p.CohenKappa, p.CohenKappaNote, one)
	val(t, "po", p.ObservedAgreement, 1)
	val(t, "pe", p.ExpectedAgreement, 1)
	null(t, "alpha", p.KrippendorffAlpha, p.KrippendorffAlphaNote, one)
	null(t, "fleiss", r.All.FleissKappa, r.All.FleissKappaNote, one)
	null(t, "alpha all", r.All.KrippendorffAlpha, r.All.KrippendorffAlphaNote, one)
	null(t, "strict F1", p.SpanF1.Strict.F1, p.SpanF1.Strict.Note, "undefined: neither annotator has spans")
	null(t, "overlap P", p.SpanF1.Overlap.Precision, p.SpanF1.Overlap.Note, "undefined: neither annotator has spans")
	if len(p.SpanF1.PerLabel) != 0 {
		t.Errorf("per label %v", p.SpanF1.PerLabel)
	}

	// JSON: null with a sibling note key, never NaN or 1.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	pair := m["pairs"].([]any)[0].(map[string]any)
	if v, ok := pair["cohen_kappa"]; !ok || v != nil {
		t.Errorf("cohen_kappa = %v (present %v), want null", v, ok)
	}
	if pair["cohen_kappa_note"] != one {
		t.Errorf("cohen_kappa_note = %v", pair["cohen_kappa_note"])
	}
	all := m["all"].(map[string]any)
	if all["fleiss_kappa"] != nil || all["fleiss_kappa_note"] != one || all["krippendorff_alpha_note"] != one {
		t.Errorf("all = %v", all)
	}
}

// mixedDocs are five documents, annotators a and b, covering a clitic
// boundary, a label confusion with a no-break space, nested and crossing
// spans with a character outside the BMP, an exact tie between two
// labels on one range, missing spans and touching (not overlapping) spans.
// Categories: O=0, ORGANIZATION=1, PERSON=2, STATE=3.
func mixedDocs() []agree.Doc {
	L := func(s ...annotate.Span) []annotate.Span { return s }
	return []agree.Doc{
		// d1 "زار والأردن وفد": ز0 ا1 ر2 _3 و4 ا5 ل6 أ7 ر8 د9 ن10 _11 و12 ف13 د14:
		// 13 units. a STATE [4,11) "والأردن", b STATE [5,11) "الأردن".
		// Units: O/O 6 (0,1,2,12,13,14), STATE/O 1 (4), STATE/STATE 6 (5–10).
		// Disagreement: boundary, cause clitic (و).
		{ID: "d1", Text: "زار والأردن وفد", Layers: map[string][]annotate.Span{
			"a": L(span(4, 11, "STATE")), "b": L(span(5, 11, "STATE"))}},
		// d2 "قال\u00a0عون": ق0 ا1 ل2 NBSP3 ع4 و5 ن6: 6 units (the NBSP is
		// space). a PERSON [4,7), b ORGANIZATION [4,7).
		// Units: O/O 3, PERSON/ORGANIZATION 3. Disagreement: label.
		{ID: "d2", Text: "قال\u00a0عون", Layers: map[string][]annotate.Span{
			"a": L(span(4, 7, "PERSON")), "b": L(span(4, 7, "ORGANIZATION"))}},
		// d3 "😀 وزارة خارجية لبنان": 😀0 _1 و2 ز3 ا4 ر5 ة6 _7 خ8 ا9 ر10 ج11 ي12
		// ة13 _14 ل15 ب16 ن17 ا18 ن19: 17 units (U+1F600 is one code point).
		// a ORGANIZATION [2,20) with STATE [15,20) nested: units 2–13 ORG
		// (11), 15–19 STATE (shortest covering span), 0 O.
		// b ORGANIZATION [2,14) and PERSON [8,20), crossing: units 8–13 are
		// covered by both, equally long (12) → the earlier start, ORG; so
		// 2–13 ORG (11), 15–19 PERSON (5), 0 O.
		// Units: O/O 1, ORG/ORG 11, STATE/PERSON 5.
		// Disagreements: ORG [2,20) vs ORG [2,14) boundary (same start: no
		// cause); STATE [15,20) vs PERSON [8,20) crossing.
		{ID: "d3", Text: "😀 وزارة خارجية لبنان", Layers: map[string][]annotate.Span{
			"a": L(span(2, 20, "ORGANIZATION"), span(15, 20, "STATE")),
			"b": L(span(2, 14, "ORGANIZATION"), span(8, 20, "PERSON"))}},
		// d4 "عون وسلام": ع0 و1 ن2 _3 و4 س5 ل6 ا7 م8: 8 units.
		// a PERSON [0,3), PERSON [5,9); b PERSON [0,3), PERSON [5,9) and
		// ORGANIZATION [5,9): same length and start → label order,
		// ORGANIZATION < PERSON, so b's units 5–8 are ORG.
		// Units: PERSON/PERSON 3, O/O 1 (4), PERSON/ORG 4.
		// Spans: 2 exact matches; b's ORG [5,9) is left over against a's
		// PERSON [5,9): label.
		{ID: "d4", Text: "عون وسلام", Layers: map[string][]annotate.Span{
			"a": L(span(0, 3, "PERSON"), span(5, 9, "PERSON")),
			"b": L(span(5, 9, "PERSON"), span(0, 3, "PERSON"), span(5, 9, "ORGANIZATION"))}},
		// d5 "في بيروت": ف0 ي1 _2 ب3 ي4 ر5 و6 ت7: 7 units.
		// a STATE [0,2); b STATE [2,8): they touch at 2, no shared code point.
		// Units: STATE/O 2 (0,1), O/STATE 5 (3–7).
		// Disagreements: missing in b (a's span), missing in a (b's span).
		{ID: "d5", Text: "في بيروت", Layers: map[string][]annotate.Span{
			"a": L(span(0, 2, "STATE")), "b": L(span(2, 8, "STATE"))}},
	}
}

// Pooled over the five documents (rows a, columns b), N = 13+6+17+8+7 = 51:
//
//	       O  ORG PER STATE | row
//	O     11   0   0   5    | 16
//	ORG    0  11   0   0    | 11
//	PER    0   7   3   0    | 10
//	STATE  3   0   5   6    | 14
//	col   14  18   8  11
//
// Cohen: po = (11+11+3+6)/51 = 31/51; Σ row·col = 16·14 + 11·18 + 10·8 +
// 14·11 = 224+198+80+154 = 656, pe = 656/2601;
// kappa = (51·31 − 656)/(2601 − 656) = 925/1945 = 185/389.
// Alpha (pair): n = 102, n_c = row+col = 30, 29, 18, 25, Σn_c² = 900+841+
// 324+625 = 2690; disagreeing coincidences 2·(51−31) = 40;
// alpha = 1 − 101·40/(102² − 2690) = 1 − 4040/7714 = 3674/7714.
// Fleiss (m = 2): P̄ = 2·31/(51·2) = 31/51 = 6324/10404, P̄e = 2690/10404,
// kappa = (6324 − 2690)/(10404 − 2690) = 3634/7714.
//
// Spans: a (reference) 7 = d1 1, d2 1, d3 2, d4 2, d5 1; b (candidate) 8 =
// 1, 1, 2, 3, 1.
// strict: 2 matches (d4): P = 2/8, R = 2/7, F1 = 2·2/(7+8) = 4/15.
// boundary: d2 [4,7) and d4 [0,3), [5,9) → 3: P = 3/8, R = 3/7, F1 = 6/15.
// overlap: reference matched d1, d3 ORG, d4 ×2 = 4 → R = 4/7; candidate
// matched d1, d3 ORG, d4 PERSON ×2 = 4 → P = 4/8; F1 = 2·(1/2)(4/7)/
// (1/2 + 4/7) = 8/15.
// per label: ORGANIZATION ref 1, cand 3, 0 matches → 0/0/0; PERSON ref 3,
// cand 3, 2 matches → 2/3 each; STATE ref 3, cand 2, 0 matches → 0/0/0.
func TestMixedPair(t *testing.T) {
	r := compute(t, mixedDocs(), "a", "b")
	if r.Units != 51 || r.Documents != 5 {
		t.Fatalf("units %d documents %d", r.Units, r.Documents)
	}
	if got := strings.Join(r.Categories, ","); got != "O,ORGANIZATION,PERSON,STATE" {
		t.Fatalf("categories %s", got)
	}
	p := r.Pairs[0]
	want := [][]int64{{11, 0, 0, 5}, {0, 11, 0, 0}, {0, 7, 3, 0}, {3, 0, 5, 6}}
	for i := range want {
		for j := range want[i] {
			if p.Confusion[i][j] != want[i][j] {
				t.Fatalf("confusion %v, want %v", p.Confusion, want)
			}
		}
	}
	val(t, "po", p.ObservedAgreement, 31.0/51)
	val(t, "pe", p.ExpectedAgreement, 656.0/2601)
	val(t, "kappa", p.CohenKappa, 185.0/389)
	val(t, "alpha", p.KrippendorffAlpha, 3674.0/7714)
	val(t, "fleiss", r.All.FleissKappa, 3634.0/7714)
	val(t, "alpha all", r.All.KrippendorffAlpha, 3674.0/7714)
	val(t, "P̄", r.All.ObservedAgreement, 31.0/51)
	val(t, "P̄e", r.All.ExpectedAgreement, 2690.0/10404)

	f := p.SpanF1
	if f.Strict.Matches != 2 || f.Strict.Reference != 7 || f.Strict.Candidate != 8 || f.Boundary.Matches != 3 {
		t.Errorf("strict %+v boundary %+v", f.Strict, f.Boundary)
	}
	val(t, "strict P", f.Strict.Precision, 2.0/8)
	val(t, "strict R", f.Strict.Recall, 2.0/7)
	val(t, "strict F1", f.Strict.F1, 4.0/15)
	val(t, "boundary P", f.Boundary.Precision, 3.0/8)
	val(t, "boundary R", f.Boundary.Recall, 3.0/7)
	val(t, "boundary F1", f.Boundary.F1, 6.0/15)
	if f.Overlap.MatchedReference != 4 || f.Overlap.MatchedCandidate != 4 {
		t.Errorf("overlap %+v", f.Overlap)
	}
	val(t, "overlap P", f.Overlap.Precision, 0.5)
	val(t, "overlap R", f.Overlap.Recall, 4.0/7)
	val(t, "overlap F1", f.Overlap.F1, 8.0/15)
	for l, w := range map[string][3]float64{"ORGANIZATION": {0, 0, 0}, "PERSON": {2.0 / 3, 2.0 / 3, 2.0 / 3}, "STATE": {0, 0, 0}} {
		m, ok := f.PerLabel[l]
		if !ok {
			t.Errorf("no per-label %s", l)
			continue
		}
		val(t, l+" P", m.Precision, w[0])
		val(t, l+" R", m.Recall, w[1])
		val(t, l+" F1", m.F1, w[2])
	}

	wantDis := agree.DisagreementCounts{Total: 7, Boundary: 2, BoundaryClitic: 1, Label: 2, Crossing: 1, MissingInA: 1, MissingInB: 1}
	if p.Disagreements != wantDis {
		t.Errorf("disagreements %+v, want %+v", p.Disagreements, wantDis)
	}

	// Per label: spans a/b ORG 1/3, PERSON 3/3, STATE 3/2; units are the
	// row and column sums.
	wantL := map[string][4]int{"ORGANIZATION": {1, 3, 11, 18}, "PERSON": {3, 3, 10, 8}, "STATE": {3, 2, 14, 11}}
	for _, ls := range r.Labels {
		w := wantL[ls.Label]
		if ls.Spans["a"] != w[0] || ls.Spans["b"] != w[1] || ls.Units["a"] != w[2] || ls.Units["b"] != w[3] {
			t.Errorf("label %s: %+v, want %v", ls.Label, ls, w)
		}
	}

	// Per document: unit disagreements 1, 3, 5, 4, 7; span disagreements
	// 1, 1, 2, 1, 2 → review order d5 (2, 7), d3 (2, 5), d4 (1, 4),
	// d2 (1, 3), d1 (1, 1).
	for i, w := range []int{1, 3, 5, 4, 7} {
		if r.Docs[i].UnitDisagreements != w {
			t.Errorf("%s unit disagreements %d, want %d", r.Docs[i].ID, r.Docs[i].UnitDisagreements, w)
		}
	}
	var order []string
	for _, d := range r.DocsByDisagreement() {
		order = append(order, d.ID)
	}
	if got := strings.Join(order, " "); got != "d5 d3 d4 d2 d1" {
		t.Errorf("review order %s", got)
	}

	type item struct {
		kind, cause, a, b string
	}
	desc := func(s *annotate.Span) string {
		if s == nil {
			return "-"
		}
		return s.Label + ":" + s.Text
	}
	wantItems := map[string][]item{
		"d1": {{"boundary", "clitic", "STATE:والأردن", "STATE:الأردن"}},
		"d2": {{"label", "", "PERSON:عون", "ORGANIZATION:عون"}},
		"d3": {{"boundary", "", "ORGANIZATION:وزارة خارجية لبنان", "ORGANIZATION:وزارة خارجية"}, {"crossing", "", "STATE:لبنان", "PERSON:خارجية لبنان"}},
		"d4": {{"label", "", "PERSON:سلام", "ORGANIZATION:سلام"}},
		"d5": {{"missing", "", "STATE:في", "-"}, {"missing", "", "-", "STATE: بيروت"}},
	}
	for _, d := range r.Docs {
		var got []item
		for _, it := range d.Items {
			if it.Doc != d.ID || it.A != "a" || it.B != "b" {
				t.Errorf("item %+v in %s", it, d.ID)
			}
			got = append(got, item{string(it.Kind), it.Cause, desc(it.SpanA), desc(it.SpanB)})
		}
		w := wantItems[d.ID]
		if len(got) != len(w) {
			t.Errorf("%s items %v, want %v", d.ID, got, w)
			continue
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s item %d %v, want %v", d.ID, i, got[i], w[i])
			}
		}
	}
	// d3's offsets are code points: ORGANIZATION [2,20) after U+1F600.
	if s := r.Docs[2].Items[0].SpanA; s.Start != 2 || s.End != 20 {
		t.Errorf("d3 span %+v", s)
	}

	var buf bytes.Buffer
	if err := agree.WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"a–b", "0.476", "ORGANIZATION", "1 / 11", "Fleiss kappa 0.471"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, buf.String())
		}
	}
}

// Three annotators on "عون زار" (ع0 و1 ن2 _3 ز4 ا5 ر6, 6 units):
// a PERSON [0,3); b PERSON [0,3); c ORGANIZATION [0,3), PERSON [4,7).
// Units 0–2: PERSON, PERSON, ORG; units 4–6: O, O, PERSON.
// Fleiss: every unit has counts {2, 1} → Σ n(n−1) = 2, P̄ = 6·2/(6·3·2) =
// 1/3; totals O 6, ORG 3, PERSON 9 of 18 → P̄e = (36+9+81)/324 = 7/18;
// kappa = (1/3 − 7/18)/(1 − 7/18) = −1/11.
// Alpha: n = 18, disagreeing ordered pairs 4 per unit → Σ_{c≠k} o_ck =
// 6·4/2 = 12; alpha = 1 − 17·12/(324 − 126) = 1 − 204/198 = −1/33.
// a–b: all agree, pe = (3/6)² + (3/6)² = 1/2, kappa 1, alpha 1.
// a–c (and b–c): po = 0; rows PERSON 3, O 3; columns ORG 3, PERSON 3;
// pe = 3·3/36 = 1/4, kappa = −(1/4)/(3/4) = −1/3; alpha: n = 12, n_c =
// O 3, ORG 3, PERSON 6, Σn_c² = 54, disagreeing 12 → 1 − 11·12/(144 − 54)
// = −7/15.
func TestThreeAnnotators(t *testing.T) {
	docs := []agree.Doc{{ID: "d", Text: "عون زار", Layers: map[string][]annotate.Span{
		"a": {span(0, 3, "PERSON")},
		"b": {span(0, 3, "PERSON")},
		"c": {span(0, 3, "ORGANIZATION"), span(4, 7, "PERSON")},
	}}}
	r := compute(t, docs, "a", "b", "c")
	if len(r.Pairs) != 3 || r.Pairs[0].A != "a" || r.Pairs[0].B != "b" || r.Pairs[1].B != "c" || r.Pairs[2].A != "b" {
		t.Fatalf("pairs %+v", r.Pairs)
	}
	val(t, "fleiss", r.All.FleissKappa, -1.0/11)
	val(t, "P̄", r.All.ObservedAgreement, 1.0/3)
	val(t, "P̄e", r.All.ExpectedAgreement, 7.0/18)
	val(t, "alpha all", r.All.KrippendorffAlpha, -1.0/33)
	val(t, "a–b kappa", r.Pairs[0].CohenKappa, 1)
	val(t, "a–b pe", r.Pairs[0].ExpectedAgreement, 0.5)
	val(t, "a–b alpha", r.Pairs[0].KrippendorffAlpha, 1)
	for _, p := range r.Pairs[1:] {
		val(t, p.A+"–c po", p.ObservedAgreement, 0)
		val(t, p.A+"–c pe", p.ExpectedAgreement, 0.25)
		val(t, p.A+"–c kappa", p.CohenKappa, -1.0/3)
		val(t, p.A+"–c alpha", p.KrippendorffAlpha, -7.0/15)
		// spans: a/b PERSON [0,3) vs c ORG [0,3) (label) and c PERSON
		// [4,7) (missing in a/b): strict 0 of 1 and 2 → P = R = F1 = 0.
		val(t, p.A+"–c strict F1", p.SpanF1.Strict.F1, 0)
		if d := p.Disagreements; d.Label != 1 || d.MissingInA != 1 || d.Total != 2 {
			t.Errorf("%s–c disagreements %+v", p.A, d)
		}
	}
	if r.Docs[0].Disagreements.Total != 4 || len(r.Docs[0].Items) != 4 || r.Docs[0].UnitDisagreements != 6 {
		t.Errorf("doc %+v", r.Docs[0])
	}
}

// The JSON shape of the brief: keys and order of pairs.
func TestJSONShape(t *testing.T) {
	r := compute(t, mixedDocs(), "a", "b")
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"unit", "documents", "units", "annotators", "pairs", "all"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	if m["unit"] != "char" || m["documents"] != 5.0 || m["units"] != 51.0 {
		t.Errorf("head %v %v %v", m["unit"], m["documents"], m["units"])
	}
	pair := m["pairs"].([]any)[0].(map[string]any)
	for _, k := range []string{"a", "b", "cohen_kappa", "observed_agreement", "expected_agreement", "krippendorff_alpha", "span_f1"} {
		if _, ok := pair[k]; !ok {
			t.Errorf("pair has no %q", k)
		}
	}
	f1 := pair["span_f1"].(map[string]any)
	for _, k := range []string{"strict", "boundary"} {
		for _, kk := range []string{"matches", "precision", "recall", "f1"} {
			if _, ok := f1[k].(map[string]any)[kk]; !ok {
				t.Errorf("span_f1.%s has no %q", k, kk)
			}
		}
	}
	for _, kk := range []string{"precision", "recall", "f1"} {
		if _, ok := f1["overlap"].(map[string]any)[kk]; !ok {
			t.Errorf("span_f1.overlap has no %q", kk)
		}
		if _, ok := f1["per_label"].(map[string]any)["PERSON"].(map[string]any)[kk]; !ok {
			t.Errorf("span_f1.per_label.PERSON has no %q", kk)
		}
	}
	for _, k := range []string{"alpha_u", "alpha_u_per_label"} {
		if _, ok := pair[k]; !ok {
			t.Errorf("pair has no %q", k)
		}
	}
	all := m["all"].(map[string]any)
	for _, k := range []string{"fleiss_kappa", "krippendorff_alpha", "observed_agreement",
		"alpha_u", "alpha_u_per_label", "alpha_u_merged_overlaps", "alpha_u_document_mean", "alpha_u_documents"} {
		if _, ok := all[k]; !ok {
			t.Errorf("all has no %q", k)
		}
	}
	if strings.Contains(string(b), "NaN") || strings.Contains(string(b), "_note") {
		t.Errorf("defined report has NaN or a note: %s", b)
	}
}

func TestErrors(t *testing.T) {
	d := func(s annotate.Span) []agree.Doc {
		return []agree.Doc{{ID: "d", Text: "عون", Layers: map[string][]annotate.Span{"a": {s}}}}
	}
	for name, c := range map[string]struct {
		docs []agree.Doc
		ann  []string
	}{
		"one annotator": {d(span(0, 1, "X")), []string{"a"}},
		"twice":         {d(span(0, 1, "X")), []string{"a", "a"}},
		"past the end":  {d(span(0, 4, "X")), []string{"a", "b"}},
		"empty span":    {d(span(1, 1, "X")), []string{"a", "b"}},
		"negative":      {d(span(-1, 1, "X")), []string{"a", "b"}},
		"label O":       {d(span(0, 1, "O")), []string{"a", "b"}},
		"no label":      {d(span(0, 1, "")), []string{"a", "b"}},
		"unnamed":       {d(span(0, 1, "X")), []string{"a", ""}},
	} {
		if _, err := agree.Compute(c.docs, c.ann, agree.Options{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := agree.Compute(nil, []string{"a", "b"}, agree.Options{Unit: "token"}); err == nil {
		t.Error("unit token: no error")
	}
}

// JSONL with one line per document and annotator, read by export.ReadJSONL
// and grouped by DocsFromRecords; the third document lacks b's layer and is
// excluded by Complete.
func TestFromJSONL(t *testing.T) {
	in := `{"id":"d1","text":"زار والأردن","annotator":"a","spans":[{"start":4,"end":11,"label":"STATE"}]}
{"id":"d1","text":"زار والأردن","annotator":"b","spans":[{"start":5,"end":11,"label":"STATE"}]}
{"id":"d2","text":"قال عون","annotator":"b","spans":[]}
{"id":"d2","text":"قال عون","annotator":"a","spans":[{"start":4,"end":7,"label":"PERSON"}]}
{"id":"d3","text":"نص","annotator":"a"}
`
	recs, err := export.ReadJSONL(strings.NewReader(in), "t.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := agree.DocsFromRecords(recs)
	if err != nil {
		t.Fatal(err)
	}
	ann := agree.Annotators(docs)
	if strings.Join(ann, ",") != "a,b" || len(docs) != 3 {
		t.Fatalf("annotators %v docs %d", ann, len(docs))
	}
	kept, excluded := agree.Complete(docs, ann)
	if len(kept) != 2 || strings.Join(excluded, ",") != "d3" {
		t.Fatalf("kept %d excluded %v", len(kept), excluded)
	}
	r := compute(t, kept, ann...)
	// d1: 10 units, O/O 3, STATE/O 1, STATE/STATE 6; d2: 6 units, O/O 3,
	// PERSON/O 3. Categories O, PERSON, STATE; N = 16, diagonal O/O 3+3 +
	// STATE/STATE 6 = 12.
	// Rows: O 6, PERSON 3, STATE 7; columns: O 10, STATE 6.
	// pe = (6·10 + 7·6)/256 = 102/256; kappa = (16·12 − 102)/(256 − 102) =
	// 90/154.
	if r.Units != 16 {
		t.Fatalf("units %d", r.Units)
	}
	val(t, "kappa", r.Pairs[0].CohenKappa, 90.0/154)
	if d := r.Pairs[0].Disagreements; d.BoundaryClitic != 1 || d.MissingInB != 1 || d.Total != 2 {
		t.Errorf("disagreements %+v", d)
	}

	bad := `{"id":"d1","text":"نص","annotator":"a"}
{"id":"d1","text":"نصّ","annotator":"b"}
`
	recs, err = export.ReadJSONL(strings.NewReader(bad), "t.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := agree.DocsFromRecords(recs); err == nil {
		t.Error("different texts: no error")
	}
}

// No documents (or only white space): every coefficient is undefined for
// want of units, and the observed/expected agreements are null too.
func TestNoUnits(t *testing.T) {
	const none = "undefined: there are no units"
	for _, docs := range [][]agree.Doc{nil, {{ID: "d", Text: " \u00a0\n\u3000"}}} {
		r := compute(t, docs, "a", "b")
		p := r.Pairs[0]
		if r.Units != 0 || p.ObservedAgreement != nil || p.ExpectedAgreement != nil || r.All.ObservedAgreement != nil {
			t.Errorf("units %d po %v pe %v all %v", r.Units, p.ObservedAgreement, p.ExpectedAgreement, r.All.ObservedAgreement)
		}
		null(t, "kappa", p.CohenKappa, p.CohenKappaNote, none)
		null(t, "alpha", p.KrippendorffAlpha, p.KrippendorffAlphaNote, none)
		null(t, "fleiss", r.All.FleissKappa, r.All.FleissKappaNote, none)
		null(t, "alpha all", r.All.KrippendorffAlpha, r.All.KrippendorffAlphaNote, none)
	}
}
