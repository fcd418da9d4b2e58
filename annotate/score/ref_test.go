package score

import (
	"cmp"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
)

// This file is a literal, slow transcription of the specification: for
// every scheme separately, all pairs of a document are ranked by the
// scheme's full preference key and taken greedily; per-label scores filter
// both sides to the label and pair again, per scheme. Score takes two
// shortcuts (one pairing for strict/exact/partial, per-label pairs read off
// the type pairing) and sweeps instead of trying all pairs; random
// documents full of nesting, duplicates and touching spans check that it
// computes the same thing.

func refCorrect(s Scheme, sameB, sameL bool) bool {
	switch s {
	case Strict:
		return sameB && sameL
	case Exact, Partial:
		return sameB
	}
	return sameL
}

func refOutcome(s Scheme, sameB, sameL bool) int {
	switch {
	case sameB && sameL:
		return cor
	case sameB: // other label
		return [4]int{inc, cor, cor, inc}[s]
	case sameL: // overlap, same label
		return [4]int{inc, inc, par, cor}[s]
	}
	return [4]int{inc, inc, par, inc}[s]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func spanKey(a, b annotate.Span) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(a.End, b.End); c != 0 {
		return c
	}
	return strings.Compare(a.Label, b.Label)
}

// refPair returns gold index → pred index (-1 when unpaired).
func refPair(s Scheme, gold, pred []annotate.Span) []int {
	type pr struct{ g, p int }
	var all []pr
	for g := range gold {
		for p := range pred {
			if min(gold[g].End, pred[p].End) > max(gold[g].Start, pred[p].Start) {
				all = append(all, pr{g, p})
			}
		}
	}
	key := func(x pr) (bool, bool, bool, int, int) {
		g, p := gold[x.g], pred[x.p]
		sameB, sameL := g.Start == p.Start && g.End == p.End, g.Label == p.Label
		ov := min(g.End, p.End) - max(g.Start, p.Start)
		dist := abs(g.Start-p.Start) + abs(g.End-p.End)
		return refCorrect(s, sameB, sameL), sameB, sameL, ov, dist
	}
	slices.SortStableFunc(all, func(a, b pr) int {
		ac, ab, al, ao, ad := key(a)
		bc, bb, bl, bo, bd := key(b)
		if c := cmp.Compare(b2i(bc), b2i(ac)); c != 0 {
			return c
		}
		if c := cmp.Compare(b2i(bb), b2i(ab)); c != 0 {
			return c
		}
		if c := cmp.Compare(b2i(bl), b2i(al)); c != 0 {
			return c
		}
		if c := cmp.Compare(bo, ao); c != 0 {
			return c
		}
		if c := cmp.Compare(ad, bd); c != 0 {
			return c
		}
		if c := spanKey(gold[a.g], gold[b.g]); c != 0 {
			return c
		}
		return spanKey(pred[a.p], pred[b.p])
	})
	gp := make([]int, len(gold))
	pg := make([]int, len(pred))
	for i := range gp {
		gp[i] = -1
	}
	for i := range pg {
		pg[i] = -1
	}
	for _, x := range all {
		if gp[x.g] < 0 && pg[x.p] < 0 {
			gp[x.g], pg[x.p] = x.p, x.g
		}
	}
	return gp
}

// refCount adds gold and pred's outcomes under s to t; with errs non-nil
// it also appends the strict errors as comparable strings.
func refCount(s Scheme, gold, pred []annotate.Span, t *tally, id string, errs *[]string) {
	gp := refPair(s, gold, pred)
	paired := make([]bool, len(pred))
	for g, p := range gp {
		if p < 0 {
			t[s][mis]++
			if errs != nil {
				*errs = append(*errs, errString(id, KindMissing, &gold[g], nil))
			}
			continue
		}
		paired[p] = true
		sameB := gold[g].Start == pred[p].Start && gold[g].End == pred[p].End
		sameL := gold[g].Label == pred[p].Label
		t[s][refOutcome(s, sameB, sameL)]++
		if errs != nil && !(sameB && sameL) {
			kind := KindBoundaryLabel
			if sameB {
				kind = KindLabel
			} else if sameL {
				kind = KindBoundary
			}
			*errs = append(*errs, errString(id, kind, &gold[g], &pred[p]))
		}
	}
	for p := range pred {
		if !paired[p] {
			t[s][spu]++
			if errs != nil {
				*errs = append(*errs, errString(id, KindSpurious, nil, &pred[p]))
			}
		}
	}
}

func errString(id, kind string, g, p *annotate.Span) string {
	f := func(s *annotate.Span) string {
		if s == nil {
			return "-"
		}
		return strings.Join([]string{itoa(s.Start), itoa(s.End), s.Label, s.Text}, ",")
	}
	return id + "|" + kind + "|" + f(g) + "|" + f(p)
}

func itoa(i int) string {
	return string(rune('0'+i/100)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}

func filter(spans []annotate.Span, label string) []annotate.Span {
	var out []annotate.Span
	for _, s := range spans {
		if s.Label == label {
			out = append(out, s)
		}
	}
	return out
}

func refScore(docs []Doc) (micro tally, per map[string]*tally, errs []string) {
	per = map[string]*tally{}
	for _, d := range docs {
		for _, s := range AllSchemes {
			var e *[]string
			if s == Strict {
				e = &errs
			}
			refCount(s, d.Gold, d.Pred, &micro, d.ID, e)
		}
		for _, sp := range append(append([]annotate.Span(nil), d.Gold...), d.Pred...) {
			if per[sp.Label] == nil {
				per[sp.Label] = &tally{}
			}
		}
	}
	for l, t := range per {
		for _, d := range docs {
			g, p := filter(d.Gold, l), filter(d.Pred, l)
			for _, s := range AllSchemes {
				refCount(s, g, p, t, d.ID, nil)
			}
		}
	}
	slices.Sort(errs)
	return micro, per, errs
}

// randomDocs makes small documents dense with nesting, duplicates, touching
// spans and label clashes.
func randomDocs(rng *rand.Rand, n int) []Doc {
	labels := []string{"A", "B", "C"}
	text := []rune(strings.Repeat("abcdefghij", 3))
	mk := func(k int) []annotate.Span {
		out := make([]annotate.Span, k)
		for i := range out {
			s := rng.IntN(20)
			e := s + 1 + rng.IntN(6)
			out[i] = annotate.Span{Start: s, End: e, Label: labels[rng.IntN(len(labels))], Text: string(text[s:e])}
		}
		return out
	}
	docs := make([]Doc, n)
	for i := range docs {
		gold := mk(rng.IntN(7))
		pred := mk(rng.IntN(4))
		// Predictions near the gold spans.
		for _, g := range gold {
			if rng.IntN(3) == 0 {
				continue
			}
			p := g
			if rng.IntN(2) == 0 {
				p.Start = max(0, p.Start+rng.IntN(3)-1)
				p.End = max(p.Start+1, p.End+rng.IntN(3)-1)
			}
			if rng.IntN(3) == 0 {
				p.Label = labels[rng.IntN(len(labels))]
			}
			p.Text = string(text[p.Start:p.End])
			pred = append(pred, p)
		}
		rng.Shuffle(len(pred), func(a, b int) { pred[a], pred[b] = pred[b], pred[a] })
		docs[i] = Doc{ID: "d" + itoa(i%1000) + string(rune('a'+i/1000)), Text: string(text), Gold: gold, Pred: pred}
	}
	return docs
}

func TestAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for round := range 50 {
		docs := randomDocs(rng, 40)
		rep := Score(docs)
		micro, per, errs := refScore(docs)
		if got, want := rep.Micro, micro.result(); got != want {
			t.Fatalf("round %d micro:\n got %+v\nwant %+v", round, got, want)
		}
		if len(rep.PerLabel) != len(per) {
			t.Fatalf("round %d labels %v vs %d", round, rep.Labels, len(per))
		}
		for l, tl := range per {
			if got, want := rep.PerLabel[l], tl.result(); got != want {
				t.Fatalf("round %d label %s:\n got %+v\nwant %+v", round, l, got, want)
			}
		}
		// Per-document checks pin a failure down.
		for _, d := range docs {
			r1 := Score([]Doc{d})
			m1, _, _ := refScore([]Doc{d})
			if r1.Micro != m1.result() {
				t.Fatalf("doc %+v:\n got %+v\nwant %+v", d, r1.Micro, m1.result())
			}
		}
		var got []string
		for _, e := range rep.Errors {
			got = append(got, errString(e.Document, e.Kind, e.Gold, e.Pred))
		}
		// The report's order: by document, then offset.
		if !slices.IsSortedFunc(rep.Errors, func(a, b ErrorItem) int {
			if c := strings.Compare(a.Document, b.Document); c != 0 {
				return c
			}
			return compareErrors(a, b)
		}) {
			t.Fatalf("round %d: errors not sorted", round)
		}
		slices.Sort(got)
		if !reflect.DeepEqual(got, errs) {
			t.Fatalf("round %d errors:\n got %v\nwant %v", round, got, errs)
		}
	}
}
