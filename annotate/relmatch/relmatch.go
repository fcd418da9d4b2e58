// Package relmatch compares two layers' relations, the part that agreement
// (annotate/agree) and scoring (annotate/score) share.
//
// A relation is (head span, tail span, label) and a span is (start, end,
// label). Its strict key is (head start, head end, head label, tail start,
// tail end, tail label, relation label); its boundary key is the same
// without the two span labels. Two layers match one-to-one on equal keys:
// matches = Σ over keys of min(count in the reference, count in the
// candidate).
package relmatch

import (
	"fmt"
	"slices"
	"strings"

	"tawsim/annotate"
)

// Key is one relation reduced to what matching compares. Rel is the
// relation's index in its layer.
type Key struct {
	Label          string // the relation's label
	HeadL, TailL   string // the ends' span labels; "" in a boundary key
	HS, HE, TS, TE int    // the ends' offsets
	Rel            int
}

// Compare orders keys by relation label, the two span labels, then the
// offsets of head and tail: equal keys are adjacent, and keys of one
// relation label and span labels form one run sorted by head start.
func Compare(x, y *Key) int {
	if c := labelsCmp(x, y); c != 0 {
		return c
	}
	if c := annotate.CompareReading(x.HS, x.HE, 0, y.HS, y.HE, 0); c != 0 {
		return c
	}
	return annotate.CompareReading(x.TS, x.TE, 0, y.TS, y.TE, 0)
}

// Check reports the first relation whose head or tail is not an index of
// a layer of n spans, or that has no label.
func Check(n int, rels []annotate.Relation) error {
	for i, r := range rels {
		if !valid(n, r) {
			return fmt.Errorf("relation %d (head %d, tail %d, label %q): the ends must be indices of the %d spans and the label must be set", i, r.Head, r.Tail, r.Label, n)
		}
	}
	return nil
}

func valid(n int, r annotate.Relation) bool {
	return r.Head >= 0 && r.Head < n && r.Tail >= 0 && r.Tail < n && r.Label != ""
}

// Keys appends the strict keys of a layer's relations to buf[:0], sorted
// by Compare. A relation that Check refuses is left out, and Keys returns
// Check's error.
func Keys(buf []Key, spans []annotate.Span, rels []annotate.Relation) ([]Key, error) {
	buf = buf[:0]
	var first error
	for i, r := range rels {
		if !valid(len(spans), r) {
			if first == nil {
				first = Check(len(spans), rels)
			}
			continue
		}
		h, t := &spans[r.Head], &spans[r.Tail]
		buf = append(buf, Key{Label: r.Label, HeadL: h.Label, TailL: t.Label, HS: h.Start, HE: h.End, TS: t.Start, TE: t.End, Rel: i})
	}
	slices.SortFunc(buf, func(x, y Key) int { return Compare(&x, &y) })
	return buf, first
}

// Counts are the sizes of the two sides of a comparison and its matches.
type Counts struct {
	Matches, Reference, Candidate int
}

func (c *Counts) plus(o Counts) {
	c.Matches += o.Matches
	c.Reference += o.Reference
	c.Candidate += o.Candidate
}

// Tally sums the comparisons of many documents: strict and boundary
// overall, strict per relation label. The zero value is ready; a Tally
// also keeps the buffers it reuses between documents.
type Tally struct {
	Strict, Boundary Counts
	PerLabel         map[string]Counts // every relation label seen on either side

	bref, bcand []Key
}

// Unmatched receives a relation that Add found no strict match for: ref
// tells the side (reference or candidate), k its strict key.
type Unmatched func(ref bool, k *Key)

// Add compares one document's reference and candidate keys (each sorted
// by Compare, as Keys gives them). unmatched, when not nil, receives the
// relations without a strict match, in key order (reference first).
func (t *Tally) Add(ref, cand []Key, unmatched Unmatched) {
	if len(ref) == 0 && len(cand) == 0 {
		return
	}
	if t.PerLabel == nil {
		t.PerLabel = map[string]Counts{}
	}
	t.Strict.Reference += len(ref)
	t.Strict.Candidate += len(cand)
	t.Boundary.Reference += len(ref)
	t.Boundary.Candidate += len(cand)
	// Runs of one relation label, strict matches within them.
	for i, j := 0, 0; i < len(ref) || j < len(cand); {
		var label string
		switch {
		case j == len(cand) || i < len(ref) && ref[i].Label < cand[j].Label:
			label = ref[i].Label
		default:
			label = cand[j].Label
		}
		ie, je := i, j
		for ie < len(ref) && ref[ie].Label == label {
			ie++
		}
		for je < len(cand) && cand[je].Label == label {
			je++
		}
		m := intersect(ref[i:ie], cand[j:je], unmatched)
		c := t.PerLabel[label]
		c.plus(Counts{Matches: m, Reference: ie - i, Candidate: je - j})
		t.PerLabel[label] = c
		t.Strict.Matches += m
		i, j = ie, je
	}
	t.bref, t.bcand = boundaryKeys(t.bref, ref), boundaryKeys(t.bcand, cand)
	t.Boundary.Matches += intersect(t.bref, t.bcand, nil)
}

// boundaryKeys copies keys without their span labels, sorted.
func boundaryKeys(buf, keys []Key) []Key {
	buf = append(buf[:0], keys...)
	for i := range buf {
		buf[i].HeadL, buf[i].TailL = "", ""
	}
	slices.SortFunc(buf, func(x, y Key) int { return Compare(&x, &y) })
	return buf
}

// intersect counts the one-to-one matches of two sorted key lists and
// passes what is left on either side to unmatched.
func intersect(a, b []Key, unmatched Unmatched) int {
	m := 0
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch c := Compare(&a[i], &b[j]); {
		case c < 0:
			if unmatched != nil {
				unmatched(true, &a[i])
			}
			i++
		case c > 0:
			if unmatched != nil {
				unmatched(false, &b[j])
			}
			j++
		default:
			m++
			i++
			j++
		}
	}
	if unmatched != nil {
		for ; i < len(a); i++ {
			unmatched(true, &a[i])
		}
		for ; j < len(b); j++ {
			unmatched(false, &b[j])
		}
	}
	return m
}

// Merge adds o's sums to t's.
func (t *Tally) Merge(o *Tally) {
	t.Strict.plus(o.Strict)
	t.Boundary.plus(o.Boundary)
	for l, c := range o.PerLabel {
		if t.PerLabel == nil {
			t.PerLabel = map[string]Counts{}
		}
		x := t.PerLabel[l]
		x.plus(c)
		t.PerLabel[l] = x
	}
}

// PRF is precision candMatched/cand, recall refMatched/ref and their
// harmonic mean; a ratio whose denominator is 0 is 0.
func PRF(candMatched, refMatched, ref, cand int) (p, r, f float64) {
	if cand > 0 {
		p = float64(candMatched) / float64(cand)
	}
	if ref > 0 {
		r = float64(refMatched) / float64(ref)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

// Overlaps reports whether [s1,e1) and [s2,e2) share a code point.
func Overlaps(s1, e1, s2, e2 int) bool { return s1 < e2 && s2 < e1 }

// OverlapMatched counts the keys of xs that have a key in ys with the same
// relation label and span labels whose head overlaps xs's head and whose
// tail overlaps its tail (both sorted by Compare).
func OverlapMatched(xs, ys []Key) int {
	n := 0
	j := 0 // start of ys's run with xs[i]'s labels
	for i := range xs {
		x := &xs[i]
		for j < len(ys) && labelsCmp(&ys[j], x) < 0 {
			j++
		}
		for y := j; y < len(ys) && labelsCmp(&ys[y], x) == 0 && ys[y].HS < x.HE; y++ {
			if Overlaps(x.HS, x.HE, ys[y].HS, ys[y].HE) && Overlaps(x.TS, x.TE, ys[y].TS, ys[y].TE) {
				n++
				break
			}
		}
	}
	return n
}

func labelsCmp(x, y *Key) int {
	if c := strings.Compare(x.Label, y.Label); c != 0 {
		return c
	}
	if c := strings.Compare(x.HeadL, y.HeadL); c != 0 {
		return c
	}
	return strings.Compare(x.TailL, y.TailL)
}
