package agree_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/agree"
)

// text is n code points of Arabic letters with a space now and then; α_u
// counts every position, space or not.
func text(n int) string {
	var b strings.Builder
	for i := range n {
		if i%5 == 4 {
			b.WriteByte(' ')
		} else {
			b.WriteRune('ب')
		}
	}
	return b.String()
}

func layers(kv ...any) map[string][]annotate.Span {
	out := map[string][]annotate.Span{}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1].([]annotate.Span)
	}
	return out
}

// Krippendorff's (2004, p. 254) example through Compute: the continuum
// [150, 450) is one document of 300 code points, positions shifted by −150.
func TestUnitizingKrippendorff2004(t *testing.T) {
	sh := func(s, l int, lab string) annotate.Span { return span(s-150, s-150+l, lab) }
	docs := []agree.Doc{{ID: "p254", Text: text(300), Layers: layers(
		"i", []annotate.Span{sh(225, 70, "c"), sh(370, 30, "c"), sh(180, 60, "k"), sh(300, 50, "k")},
		"j", []annotate.Span{sh(220, 80, "c"), sh(355, 20, "c"), sh(400, 20, "c"), sh(180, 60, "k"), sh(300, 50, "k")})}}
	r := compute(t, docs, "i", "j")
	near := func(what string, got *float64, want, tol float64) {
		t.Helper()
		if got == nil || math.Abs(*got-want) > tol {
			t.Errorf("%s = %v, want %.4f ± %g", what, got, want, tol)
		}
	}
	for _, u := range []agree.UnitizingAlpha{r.All.UnitizingAlpha, r.Pairs[0].UnitizingAlpha} {
		near("α_u", u.AlphaU, 0.8591, 0.0005)
		near("α_u(c)", u.AlphaUPerLabel["c"], 0.7286, 0.0001)
		near("α_u(k)", u.AlphaUPerLabel["k"], 1, 1e-12)
	}
	near("document mean", r.All.AlphaUDocumentMean, *r.All.AlphaU, 1e-15)

	var buf bytes.Buffer
	if err := agree.WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"unitizing alpha", "(overall)  0.859  0.859", "c  0.729  0.729", "k  1.000  1.000",
		"per-document mean (as INCEpTION shows it): 0.859 over 1 documents; 0 overlapping same-label spans merged"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

// Two annotators on one document of 10 code points, label X, worked by
// hand (R = 2, L = 10, D_o = 2·Σδ²/(2·1·10²)):
//
//   - shifted: a [2,5), b [3,6). Σδ² = 1² + 1² = 2, D_o = 0.02. Units
//     3, 3 (N = 2): Σ(N−1)·l(l−1)(2l−1)/3 = 10 + 10; gaps 2, 5 (a) and 3, 4
//     (b), those ≥ 3 give (5−2) + (3−2) + (4−2) = 6, times 3² for each
//     unit: 108; D_e = (2/10)·128/(2·10·19 − 6 − 6) = 25.6/368; α_u =
//     1 − 0.02·368/25.6 = 0.7125.
//   - missing: a [2,5) [7,9), b [2,5). Σδ² = 2² (a's [7,9) lies in b's
//     gap), D_o = 0.04. Units 3, 2, 3 (N = 3): 2·(10 + 2 + 10) = 44; gaps 2,
//     2, 1 (a) and 2, 5 (b): l = 3 → 3·9 for each of two units = 54, l = 2
//     → (1 + 1 + 1 + 4)·4 = 28; D_e = 0.2·126/(380 − 14); α_u =
//     1 − 0.04·366/25.2 = 44/105.
func TestUnitizingByHand(t *testing.T) {
	doc := func(a, b []annotate.Span) []agree.Doc {
		return []agree.Doc{{ID: "d", Text: text(10), Layers: layers("a", a, "b", b)}}
	}
	X := func(s, e int) annotate.Span { return span(s, e, "X") }
	same := []annotate.Span{X(2, 5), X(7, 9), span(0, 10, "Y")}
	r := compute(t, doc(same, same), "a", "b")
	val(t, "identical", r.All.AlphaU, 1)
	val(t, "identical X", r.All.AlphaUPerLabel["X"], 1)
	val(t, "identical Y", r.All.AlphaUPerLabel["Y"], 1)

	r = compute(t, doc([]annotate.Span{X(2, 5)}, []annotate.Span{X(3, 6)}), "a", "b")
	val(t, "shifted", r.All.AlphaU, 0.7125)
	val(t, "shifted pair", r.Pairs[0].AlphaU, 0.7125)
	val(t, "shifted X", r.All.AlphaUPerLabel["X"], 0.7125)

	r = compute(t, doc([]annotate.Span{X(2, 5), X(7, 9)}, []annotate.Span{X(2, 5)}), "a", "b")
	val(t, "missing", r.All.AlphaU, 44.0/105)

	// Units of other labels are invisible for X: a Y nested in a's X and
	// another over both leave α_u(X) as it was. α_u(Y): a [3,4) against
	// nothing, Σδ² = 1, D_o = 0.01; D_e = 0.2·(3 + 6 + 10)/380 = 0.01 → 0.
	r = compute(t, doc([]annotate.Span{X(2, 5), span(3, 4, "Y")}, []annotate.Span{X(3, 6), span(1, 8, "Z")}), "a", "b")
	val(t, "nested X", r.All.AlphaUPerLabel["X"], 0.7125)
	val(t, "nested Y", r.All.AlphaUPerLabel["Y"], 0)
	if len(r.All.AlphaUPerLabel) != 3 {
		t.Errorf("per label %v", r.All.AlphaUPerLabel)
	}
	if r.All.AlphaUMergedOverlaps != 0 {
		t.Errorf("merged %d", r.All.AlphaUMergedOverlaps)
	}
}

// Overlapping spans of one annotator and label are merged into their union
// (and counted); spans of other labels and touching spans are not.
func TestUnitizingMergesOverlaps(t *testing.T) {
	X := func(s, e int) annotate.Span { return span(s, e, "X") }
	b := []annotate.Span{X(3, 6), X(6, 8)}
	over := compute(t, []agree.Doc{{ID: "d", Text: text(10), Layers: layers(
		"a", []annotate.Span{X(2, 4), X(3, 5), X(2, 5), X(2, 5), span(2, 5, "Y")}, "b", b)}}, "a", "b")
	union := compute(t, []agree.Doc{{ID: "d", Text: text(10), Layers: layers(
		"a", []annotate.Span{X(2, 5), span(2, 5, "Y")}, "b", b)}}, "a", "b")
	if over.All.AlphaUMergedOverlaps != 3 || union.All.AlphaUMergedOverlaps != 0 {
		t.Errorf("merged %d and %d, want 3 and 0", over.All.AlphaUMergedOverlaps, union.All.AlphaUMergedOverlaps)
	}
	val(t, "merged", over.All.AlphaU, *union.All.AlphaU)
	val(t, "merged X", over.All.AlphaUPerLabel["X"], *union.All.AlphaUPerLabel["X"])
}

// A value with D_e = 0 is null with a note: no spans at all, or spans that
// leave no gap and have length 1 (a one-code-point document both mark).
func TestUnitizingUndefined(t *testing.T) {
	r := compute(t, []agree.Doc{{ID: "d", Text: text(5), Layers: layers("a", []annotate.Span{}, "b", []annotate.Span{})}}, "a", "b")
	null(t, "no spans", r.All.AlphaU, r.All.AlphaUNote, "undefined: no spans")
	null(t, "no spans pair", r.Pairs[0].AlphaU, r.Pairs[0].AlphaUNote, "undefined: no spans")
	null(t, "no spans mean", r.All.AlphaUDocumentMean, r.All.AlphaUDocumentMeanNote, "undefined: no spans")
	if len(r.All.AlphaUPerLabel) != 0 {
		t.Errorf("per label %v", r.All.AlphaUPerLabel)
	}
	one := []annotate.Span{span(0, 1, "X")}
	r = compute(t, []agree.Doc{{ID: "d", Text: "ب", Layers: layers("a", one, "b", one)}}, "a", "b")
	const zero = "undefined: the expected disagreement is 0"
	null(t, "D_e 0", r.All.AlphaU, r.All.AlphaUNote, zero)
	if v, ok := r.All.AlphaUPerLabel["X"]; !ok || v != nil || r.All.AlphaUPerLabelNotes["X"] != zero {
		t.Errorf("per label %v, notes %v", r.All.AlphaUPerLabel, r.All.AlphaUPerLabelNotes)
	}
	var buf bytes.Buffer
	if err := agree.WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "a–b X: "+zero) || !strings.Contains(out, "(overall)    —    —") {
		t.Errorf("text report:\n%s", out)
	}
	b, _ := json.Marshal(r.All)
	if !strings.Contains(string(b), `"alpha_u":null`) || !strings.Contains(string(b), `"alpha_u_per_label":{"X":null}`) {
		t.Errorf("JSON %s", b)
	}
}

// The continuum is the documents concatenated in input order: two
// documents give what one document with both texts gives (a gap runs on
// across the boundary), which is not the mean of the two documents' own
// values; that mean is reported separately, over documents with spans.
func TestUnitizingContinuum(t *testing.T) {
	X := func(s, e int) annotate.Span { return span(s, e, "X") }
	d1 := agree.Doc{ID: "1", Text: text(10), Layers: layers("a", []annotate.Span{X(2, 5)}, "b", []annotate.Span{X(3, 6)})}
	d2 := agree.Doc{ID: "2", Text: text(10), Layers: layers("a", []annotate.Span{X(2, 5), X(7, 9)}, "b", []annotate.Span{X(2, 5)})}
	empty := agree.Doc{ID: "3", Text: text(7), Layers: layers("a", []annotate.Span{}, "b", []annotate.Span{})}
	both := agree.Doc{ID: "12", Text: text(10) + text(10) + text(7), Layers: layers(
		"a", []annotate.Span{X(2, 5), X(12, 15), X(17, 19)}, "b", []annotate.Span{X(3, 6), X(12, 15)})}
	r := compute(t, []agree.Doc{d1, d2, empty}, "a", "b")
	one := compute(t, []agree.Doc{both}, "a", "b")
	val(t, "pooled", r.All.AlphaU, *one.All.AlphaU)
	val(t, "document mean", r.All.AlphaUDocumentMean, (0.7125+44.0/105)/2)
	if r.All.AlphaUDocuments != 2 || r.All.AlphaUDocumentMeanNote != "" {
		t.Errorf("documents %d, note %q", r.All.AlphaUDocuments, r.All.AlphaUDocumentMeanNote)
	}
	if math.Abs(*r.All.AlphaU-*r.All.AlphaUDocumentMean) < 1e-3 {
		t.Errorf("pooled %v equals the mean", *r.All.AlphaU)
	}
	// Reordering the documents changes the gaps, hence D_e.
	re := compute(t, []agree.Doc{empty, d1, d2}, "a", "b")
	if re.All.AlphaU == nil || *re.All.AlphaU == *r.All.AlphaU {
		t.Errorf("reordered %v, in order %v", re.All.AlphaU, *r.All.AlphaU)
	}
}

// slowAlphaU is α_u by the definition, in exact fractions: every section of
// every annotator against every section of every other, D_e term by term.
type slowAlphaU struct {
	do, de   map[string]*big.Rat // per label
	L        int64
	raters   int
	hasUnits bool
}

type section struct {
	b, e int64
	unit bool
}

// slowSections cuts the continuum [0, L) for one annotator and label into
// units (the spans, overlapping ones merged by repeated pairwise union)
// and the gaps between them.
func slowSections(spans [][2]int64, L int64) []section {
	units := slices.Clone(spans)
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(units) && !merged; i++ {
			for j := i + 1; j < len(units); j++ {
				if units[i][0] < units[j][1] && units[j][0] < units[i][1] {
					units[i] = [2]int64{min(units[i][0], units[j][0]), max(units[i][1], units[j][1])}
					units = slices.Delete(units, j, j+1)
					merged = true
					break
				}
			}
		}
	}
	slices.SortFunc(units, func(x, y [2]int64) int { return int(x[0] - y[0]) })
	var out []section
	pos := int64(0)
	for _, u := range units {
		if u[0] > pos {
			out = append(out, section{pos, u[0], false})
		}
		out = append(out, section{u[0], u[1], true})
		pos = u[1]
	}
	if pos < L {
		out = append(out, section{pos, L, false})
	}
	return out
}

func delta2(g, h section) int64 {
	switch {
	case g.unit && h.unit && g.b < h.e && h.b < g.e:
		return (g.b-h.b)*(g.b-h.b) + (g.e-h.e)*(g.e-h.e)
	case g.unit && !h.unit && h.b <= g.b && g.e <= h.e:
		return (g.e - g.b) * (g.e - g.b)
	case h.unit && !g.unit && g.b <= h.b && h.e <= g.e:
		return (h.e - h.b) * (h.e - h.b)
	}
	return 0
}

func rat(n int64) *big.Rat { return new(big.Rat).SetInt64(n) }

// slow computes D_o and D_e per label for raters over docs, concatenated.
func slow(docs []agree.Doc, raters []string) slowAlphaU {
	var L int64
	spans := map[string]map[string][][2]int64{} // label → rater → spans
	for _, d := range docs {
		for _, a := range raters {
			for _, s := range d.Layers[a] {
				if spans[s.Label] == nil {
					spans[s.Label] = map[string][][2]int64{}
				}
				spans[s.Label][a] = append(spans[s.Label][a], [2]int64{L + int64(s.Start), L + int64(s.End)})
			}
		}
		L += int64(len([]rune(d.Text)))
	}
	out := slowAlphaU{do: map[string]*big.Rat{}, de: map[string]*big.Rat{}, L: L, raters: len(raters)}
	R := int64(len(raters))
	for lab, by := range spans {
		secs := make([][]section, R)
		var units []section
		var gaps []int64
		for i, a := range raters {
			secs[i] = slowSections(by[a], L)
			for _, s := range secs[i] {
				if s.unit {
					units = append(units, s)
				} else {
					gaps = append(gaps, s.e-s.b)
				}
			}
		}
		if len(units) == 0 {
			continue
		}
		out.hasUnits = true
		var sum int64
		for i := range secs {
			for j := range secs {
				if i == j {
					continue
				}
				for _, g := range secs[i] {
					for _, h := range secs[j] {
						sum += delta2(g, h)
					}
				}
			}
		}
		out.do[lab] = new(big.Rat).SetFrac(big.NewInt(sum), big.NewInt(R*(R-1)*L*L))
		N := int64(len(units))
		num, sq := new(big.Rat), int64(0)
		for _, u := range units {
			l := u.e - u.b
			sq += l * (l - 1)
			num.Add(num, new(big.Rat).SetFrac(big.NewInt((N-1)*(2*l*l*l-3*l*l+l)), big.NewInt(3)))
			var gs int64
			for _, g := range gaps {
				if g >= l {
					gs += g - l + 1
				}
			}
			num.Add(num, rat(l*l*gs))
		}
		de := new(big.Rat).Mul(num, new(big.Rat).SetFrac(big.NewInt(2), big.NewInt(L)))
		out.de[lab] = de.Quo(de, rat(R*L*(R*L-1)-sq))
	}
	return out
}

// alpha is the overall α_u (nil when Σ D_e = 0) and the per-label values.
func (s slowAlphaU) alpha() (*float64, map[string]*float64) {
	per := map[string]*float64{}
	do, de := new(big.Rat), new(big.Rat)
	for lab := range s.do {
		do.Add(do, s.do[lab])
		de.Add(de, s.de[lab])
		if s.de[lab].Sign() == 0 {
			per[lab] = nil
			continue
		}
		v, _ := new(big.Rat).Sub(rat(1), new(big.Rat).Quo(s.do[lab], s.de[lab])).Float64()
		per[lab] = &v
	}
	if de.Sign() == 0 {
		return nil, per
	}
	v, _ := new(big.Rat).Sub(rat(1), new(big.Rat).Quo(do, de)).Float64()
	return &v, per
}

func randomDocs(rng *rand.Rand, ann []string) []agree.Doc {
	labels := []string{"X", "Y", "Z"}
	docs := make([]agree.Doc, 1+rng.IntN(4))
	for i := range docs {
		n := rng.IntN(40)
		docs[i] = agree.Doc{ID: itoa(i), Text: text(n), Layers: map[string][]annotate.Span{}}
		for _, a := range ann {
			spans := []annotate.Span{}
			for range rng.IntN(8) {
				if n == 0 {
					break
				}
				s := rng.IntN(n)
				e := s + 1 + rng.IntN(min(n-s, 1+rng.IntN(12)))
				spans = append(spans, span(s, e, labels[rng.IntN(len(labels))]))
			}
			docs[i].Layers[a] = spans
		}
	}
	return docs
}

func closeTo(t *testing.T, what string, got, want *float64) {
	t.Helper()
	switch {
	case (got == nil) != (want == nil):
		t.Errorf("%s = %v, want %v", what, got, want)
	case got != nil && math.Abs(*got-*want) > 1e-12:
		t.Errorf("%s = %.15g, want %.15g", what, *got, *want)
	}
}

// Compute agrees with the definition to 1e-12 on random layers: overall,
// per label, per pair and the per-document mean.
func TestUnitizingAgainstDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 1))
	ann := []string{"a", "b", "c"}
	for iter := range 300 {
		docs := randomDocs(rng, ann)
		r := compute(t, docs, ann...)
		check := func(what string, got agree.UnitizingAlpha, raters []string) {
			wantAll, wantPer := slow(docs, raters).alpha()
			closeTo(t, what, got.AlphaU, wantAll)
			if len(got.AlphaUPerLabel) != len(wantPer) {
				t.Errorf("%s: labels %v, want %v", what, got.AlphaUPerLabel, wantPer)
			}
			for lab, w := range wantPer {
				closeTo(t, what+" "+lab, got.AlphaUPerLabel[lab], w)
			}
		}
		check(itoa(iter)+" all", r.All.UnitizingAlpha, ann)
		for _, p := range r.Pairs {
			check(itoa(iter)+" "+p.A+"–"+p.B, p.UnitizingAlpha, []string{p.A, p.B})
		}
		var sum float64
		n := 0
		for _, d := range docs {
			s := slow([]agree.Doc{d}, ann)
			if v, _ := s.alpha(); s.hasUnits && v != nil {
				sum += *v
				n++
			}
		}
		if n == 0 {
			closeTo(t, itoa(iter)+" mean", r.All.AlphaUDocumentMean, nil)
		} else {
			closeTo(t, itoa(iter)+" mean", r.All.AlphaUDocumentMean, f(sum/float64(n)))
		}
		if t.Failed() {
			t.Fatalf("documents %+v", docs)
		}
	}
}

func f(v float64) *float64 { return &v }
