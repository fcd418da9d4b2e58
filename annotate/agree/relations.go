package agree

import (
	"cmp"
	"fmt"
	"slices"

	"tawsim/annotate"
	"tawsim/annotate/relmatch"
)

// RelationF1 is the relation comparison of a pair (A reference, B
// candidate), in the keys of the package doc.
type RelationF1 struct {
	Strict   RelMatch            `json:"strict"`
	Boundary RelMatch            `json:"boundary"`
	Overlap  RelOverlap          `json:"overlap"`
	PerLabel map[string]RelMatch `json:"per_label"`
}

// RelMatch is a one-to-one relation match count with its scores; a ratio
// whose denominator is 0 is 0.
type RelMatch struct {
	Matches   int     `json:"matches"`
	Reference int     `json:"reference"`
	Candidate int     `json:"candidate"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// RelOverlap counts the relations matched by overlap on each side.
type RelOverlap struct {
	MatchedReference int     `json:"matched_reference"`
	MatchedCandidate int     `json:"matched_candidate"`
	Reference        int     `json:"reference"`
	Candidate        int     `json:"candidate"`
	Precision        float64 `json:"precision"`
	Recall           float64 `json:"recall"`
	F1               float64 `json:"f1"`
}

// ClaimLabel and SourceRelation are the names attribution reads: a claim
// span and its SOURCE relations.
const ClaimLabel, SourceRelation = "CLAIM", "SOURCE"

// Attribution compares who the two annotators say made each claim they
// both marked; Agreement is nil when no claim is paired.
type Attribution struct {
	ClaimsMatched int      `json:"claims_matched"`
	SameSource    int      `json:"same_source"`
	Agreement     *float64 `json:"agreement"`
}

func relMatch(c relmatch.Counts) RelMatch {
	p, r, f := relmatch.PRF(c.Matches, c.Matches, c.Reference, c.Candidate)
	return RelMatch{Matches: c.Matches, Reference: c.Reference, Candidate: c.Candidate, Precision: p, Recall: r, F1: f}
}

// srcTail is the tail of a SOURCE relation from the claim span head.
type srcTail struct{ head, s, e, lab int32 }

func cmpSrc(x, y srcTail) int {
	if x.head != y.head {
		return cmp.Compare(x.head, y.head)
	}
	return annotate.CompareReading(x.s, x.e, x.lab, y.s, y.e, y.lab)
}

// docRelations reads the current document's relations of every annotator:
// their keys and, for attribution, the tails of SOURCE relations by head
// (a set: sorted, without repeats).
func (st *state) docRelations(d *Doc) error {
	for a, name := range st.ann {
		rels := d.Relations[name]
		keys, err := relmatch.Keys(st.relKeys[a], st.layers[a], rels)
		st.relKeys[a] = keys
		if err != nil {
			return fmt.Errorf("document %q, annotator %q: %w", d.ID, name, err)
		}
		src := st.srcs[a][:0]
		for _, r := range rels {
			if r.Label == SourceRelation {
				t := &st.layers[a][r.Tail]
				l, _ := slices.BinarySearch(st.names[1:], t.Label)
				src = append(src, srcTail{head: int32(r.Head), s: int32(t.Start), e: int32(t.End), lab: int32(l + 1)})
			}
		}
		slices.SortFunc(src, cmpSrc)
		st.srcs[a] = slices.Compact(src)
	}
	return nil
}

// pairRelations compares the relations of pair p on the current document.
func (st *state) pairRelations(p int, pr pairIdx) {
	ka, kb := st.relKeys[pr.a], st.relKeys[pr.b]
	st.rel[p].Add(ka, kb, nil)
	st.relOvRef[p] += int64(relmatch.OverlapMatched(ka, kb))
	st.relOvCand[p] += int64(relmatch.OverlapMatched(kb, ka))
	if st.claim > 0 {
		st.attribution(p, pr)
	}
}

// attribution pairs the claims of A and B with the same offsets and counts
// the pairs whose source sets are equal. Claims repeated at one offset in
// a layer are paired one-to-one, equal source sets first.
func (st *state) attribution(p int, pr pairIdx) {
	A, B := st.claims(pr.a, &st.claimsA), st.claims(pr.b, &st.claimsB)
	sameOffsets(A, B, func(i, ie, j, je int) {
		st.claimPairs[p] += int64(min(ie-i, je-j))
		used := resetBools(&st.claimUsed, je-j)
		for x := i; x < ie; x++ {
			sa := st.sources(pr.a, A[x].idx)
			for y := j; y < je; y++ {
				if !used[y-j] && sameTails(sa, st.sources(pr.b, B[y].idx)) {
					used[y-j] = true
					st.sameSource[p]++
					break
				}
			}
		}
	})
}

// claims lists annotator a's claim spans in position order.
func (st *state) claims(a int, buf *[]sp) []sp {
	out := (*buf)[:0]
	for _, s := range st.pos[a] {
		if s.lab == st.claim {
			out = append(out, s)
		}
	}
	*buf = out
	return out
}

// sources is the source set of annotator a's span idx.
func (st *state) sources(a int, idx int32) []srcTail {
	src := st.srcs[a]
	lo, _ := slices.BinarySearchFunc(src, idx, func(t srcTail, h int32) int { return cmp.Compare(t.head, h) })
	hi := lo
	for hi < len(src) && src[hi].head == idx {
		hi++
	}
	return src[lo:hi]
}

// sameTails compares two source sets by their tails, whatever the heads.
func sameTails(x, y []srcTail) bool {
	return slices.EqualFunc(x, y, func(s, t srcTail) bool { return s.s == t.s && s.e == t.e && s.lab == t.lab })
}

// relationF1 and attributionOf report pair p's relation figures.
func (st *state) relationF1(p int) RelationF1 {
	t := &st.rel[p]
	ref, cand := t.Strict.Reference, t.Strict.Candidate
	ovP, ovR, ovF := relmatch.PRF(int(st.relOvCand[p]), int(st.relOvRef[p]), ref, cand)
	f := RelationF1{
		Strict:   relMatch(t.Strict),
		Boundary: relMatch(t.Boundary),
		Overlap: RelOverlap{MatchedReference: int(st.relOvRef[p]), MatchedCandidate: int(st.relOvCand[p]),
			Reference: ref, Candidate: cand, Precision: ovP, Recall: ovR, F1: ovF},
		PerLabel: make(map[string]RelMatch, len(t.PerLabel)),
	}
	for l, c := range t.PerLabel {
		f.PerLabel[l] = relMatch(c)
	}
	return f
}

func (st *state) attributionOf(p int) Attribution {
	at := Attribution{ClaimsMatched: int(st.claimPairs[p]), SameSource: int(st.sameSource[p])}
	if at.ClaimsMatched > 0 {
		at.Agreement = f64(float64(at.SameSource) / float64(at.ClaimsMatched))
	}
	return at
}
