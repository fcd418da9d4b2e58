package score

import (
	"cmp"
	"slices"

	"tawsim/annotate"
	"tawsim/annotate/relmatch"
)

// Relations are scored by key, as annotate/relmatch defines the keys: a
// predicted relation is correct (COR) when gold has one with the same
// strict key (head and tail offsets and span labels, relation label) —
// boundary: the same without the span labels — counted one-to-one;
// POS = gold relations, ACT = predicted ones, MIS = POS − COR,
// SPU = ACT − COR, P = COR/ACT, R = COR/POS (0 on a zero denominator).

// RelCounts are one relation scheme's counts and scores.
type RelCounts struct {
	Cor       int     `json:"cor"`
	Mis       int     `json:"mis"`
	Spu       int     `json:"spu"`
	Possible  int     `json:"possible"`
	Actual    int     `json:"actual"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// RelResult is the relation scoring: strict and boundary over all
// relations, strict per relation label (those in gold or predictions).
type RelResult struct {
	Strict   RelCounts            `json:"strict"`
	Boundary RelCounts            `json:"boundary"`
	PerLabel map[string]RelCounts `json:"per_label"`
}

// Relation error kinds: relations without a strict match.
const (
	KindMissingRelation  = "missing_relation"  // a gold relation no prediction has
	KindSpuriousRelation = "spurious_relation" // a predicted relation gold lacks
)

// RelationError is a gold relation left without a strict match (missing)
// or a predicted one (spurious), with both ends' spans and text.
type RelationError struct {
	Document string         `json:"document"`
	Kind     string         `json:"kind"`
	Relation string         `json:"relation"` // its label
	Head     *annotate.Span `json:"head"`
	Tail     *annotate.Span `json:"tail"`
}

func relCounts(c relmatch.Counts) RelCounts {
	p, r, f := relmatch.PRF(c.Matches, c.Matches, c.Reference, c.Candidate)
	return RelCounts{Cor: c.Matches, Mis: c.Reference - c.Matches, Spu: c.Candidate - c.Matches,
		Possible: c.Reference, Actual: c.Candidate, Precision: p, Recall: r, F1: f}
}

// relations scores the current document's relations into sc.rel and
// leaves their errors, sorted by head then tail, in sc.relErrs. A
// relation whose end is not a span is skipped (Match refuses it).
func (sc *scratch) relations(d *Doc) {
	sc.relErrs = sc.relErrs[:0]
	if len(d.GoldRel) == 0 && len(d.PredRel) == 0 {
		return
	}
	sc.gk, _ = relmatch.Keys(sc.gk, d.Gold, d.GoldRel)
	sc.pk, _ = relmatch.Keys(sc.pk, d.Pred, d.PredRel)
	sc.rel.Add(sc.gk, sc.pk, func(gold bool, k *relmatch.Key) {
		spans, rels, kind := d.Pred, d.PredRel, KindSpuriousRelation
		if gold {
			spans, rels, kind = d.Gold, d.GoldRel, KindMissingRelation
		}
		r := rels[k.Rel]
		sc.relErrs = append(sc.relErrs, RelationError{Document: d.ID, Kind: kind, Relation: r.Label,
			Head: sc.errSpan(spans[r.Head]), Tail: sc.errSpan(spans[r.Tail])})
	})
	slices.SortFunc(sc.relErrs, func(x, y RelationError) int {
		if c := annotate.CompareSpans(*x.Head, *y.Head); c != 0 {
			return c
		}
		if c := annotate.CompareSpans(*x.Tail, *y.Tail); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Relation, y.Relation); c != 0 {
			return c
		}
		return cmp.Compare(x.Kind, y.Kind)
	})
}

// relResult turns the relation tally into the report's figures.
func relResult(t *relmatch.Tally) RelResult {
	r := RelResult{Strict: relCounts(t.Strict), Boundary: relCounts(t.Boundary), PerLabel: make(map[string]RelCounts, len(t.PerLabel))}
	for l, c := range t.PerLabel {
		r.PerLabel[l] = relCounts(c)
	}
	return r
}
