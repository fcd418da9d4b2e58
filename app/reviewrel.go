package app

import (
	"fmt"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/relmatch"
)

// Relations in the review windows: how a relation is named in their lists,
// and the relation disagreements of two layers.

// shortText cuts a span's text to n code points, with an ellipsis.
func shortText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// relText names a relation by its ends' texts, cut to nh and nt code
// points: "SOURCE: «claim…» → فيدان".
// Left-to-right marks (first, and around the arrow) keep the two Arabic
// texts apart, in that order from the left, instead of one right-to-left
// run with the arrow pointing back. A nil
// relation is "—".
func relText(r *relArc, nh, nt int) string {
	if r == nil {
		return "—"
	}
	return r.Label + ": " + relEnds(r, nh, nt)
}

// relEnds is relText without the relation's label.
func relEnds(r *relArc, nh, nt int) string {
	return fmt.Sprintf("\u200e«%s» \u200e→\u200e %s", shortText(r.Head.Text, nh), shortText(r.Tail.Text, nt))
}

// relDiff is one relation disagreement of two layers: A's and B's relation
// of one label from the same head with different tails (both set), or a
// relation only one side drew (the other nil).
type relDiff struct {
	Kind  string
	A, B  *relArc
	Label string
}

// relDisagreements compares two layers' relations by strict key (see
// annotate/relmatch) and pairs what is left without a match: relations of
// one label from the same head (offsets and label) are a different tail
// ("different source"), the rest is missing on one side ("cue missing in
// B"). Relations whose ends are not spans are left out.
func relDisagreements(spansA []annotate.Span, relsA []annotate.Relation, spansB []annotate.Span, relsB []annotate.Relation) []relDiff {
	ka, _ := relmatch.Keys(nil, spansA, relsA)
	kb, _ := relmatch.Keys(nil, spansB, relsB)
	var onlyA, onlyB []relmatch.Key
	var t relmatch.Tally
	t.Add(ka, kb, func(ref bool, k *relmatch.Key) {
		if ref {
			onlyA = append(onlyA, *k)
		} else {
			onlyB = append(onlyB, *k)
		}
	})
	arc := func(spans []annotate.Span, rels []annotate.Relation, k relmatch.Key) *relArc {
		r := rels[k.Rel]
		return &relArc{Head: spans[r.Head], Tail: spans[r.Tail], Label: r.Label}
	}
	sameHead := func(x, y relmatch.Key) bool {
		return x.Label == y.Label && x.HeadL == y.HeadL && x.HS == y.HS && x.HE == y.HE
	}
	var out []relDiff
	usedB := make([]bool, len(onlyB))
	for _, x := range onlyA {
		d := relDiff{Label: x.Label, A: arc(spansA, relsA, x), Kind: strings.ToLower(x.Label) + " missing in B"}
		for j, y := range onlyB {
			if !usedB[j] && sameHead(x, y) {
				usedB[j] = true
				d.B, d.Kind = arc(spansB, relsB, y), "different "+strings.ToLower(x.Label)
				break
			}
		}
		out = append(out, d)
	}
	for j, y := range onlyB {
		if !usedB[j] {
			out = append(out, relDiff{Label: y.Label, B: arc(spansB, relsB, y), Kind: strings.ToLower(y.Label) + " missing in A"})
		}
	}
	return out
}

// arcIndex is the index in arcs of the relation r (same ends and label),
// -1 when r is nil or not there.
func arcIndex(arcs []relArc, r *relArc) int {
	if r == nil {
		return -1
	}
	for i, a := range arcs {
		if a.Label == r.Label && sameSpan(a.Head, r.Head) && sameSpan(a.Tail, r.Tail) {
			return i
		}
	}
	return -1
}

func sameSpan(x, y annotate.Span) bool {
	return x.Start == y.Start && x.End == y.End && x.Label == y.Label
}
