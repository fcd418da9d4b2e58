package adjudicate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"tawsim/annotate"
)

// # Relations
//
// A relation is matched across layers by its strict key: both ends'
// (start, end, label) and the relation's label. The candidate relations of
// a document are the distinct keys of the annotators' relations; a
// candidate's votes are the annotators that drew exactly it. It is agreed
// when at least MinAgree annotators did. A gold relation needs both its
// ends in the gold layer; the pre-fill accepts an agreed candidate once
// both its ends are gold, unless the gold layer has it already or it was
// rejected by hand. Gold relations carry provenance as gold spans do.

// RelKey is a relation's strict key.
type RelKey struct {
	HeadStart, HeadEnd int
	HeadLabel          string
	TailStart, TailEnd int
	TailLabel          string
	Label              string
}

// Rel is a relation by its two spans (a layer's span indices do not
// survive reordering), with provenance on gold relations.
type Rel struct {
	Head, Tail annotate.Span
	Label      string
	Votes      []string
	Decision   annotate.Decision
	DecidedBy  string
}

// Key is r's strict key.
func (r Rel) Key() RelKey {
	return RelKey{r.Head.Start, r.Head.End, r.Head.Label, r.Tail.Start, r.Tail.End, r.Tail.Label, r.Label}
}

// RelsOf turns a layer's relations into Rels.
func RelsOf(l annotate.Layer) []Rel {
	out := make([]Rel, 0, len(l.Relations))
	for _, r := range l.Relations {
		if r.Head < 0 || r.Head >= len(l.Spans) || r.Tail < 0 || r.Tail >= len(l.Spans) {
			continue
		}
		out = append(out, Rel{Head: l.Spans[r.Head], Tail: l.Spans[r.Tail], Label: r.Label, Votes: r.Votes, Decision: r.Decision, DecidedBy: r.DecidedBy})
	}
	return out
}

// RelCandidate is one distinct relation the annotators drew, with who drew
// it and where it stands in the gold layer.
type RelCandidate struct {
	Head, Tail annotate.Span // with their text
	Label      string
	Votes      []string
	Agreed     bool // at least MinAgree annotators drew exactly it
	HeadGold   bool // the head span is in the gold layer
	TailGold   bool
	Gold       *Rel // the gold relation, when accepted
	Rejected   bool // rejected by hand
}

// Key is the candidate's strict key.
func (c RelCandidate) Key() RelKey {
	return Rel{Head: c.Head, Tail: c.Tail, Label: c.Label}.Key()
}

// Rel is the candidate as a relation with its votes.
func (c RelCandidate) Rel() Rel {
	return Rel{Head: c.Head, Tail: c.Tail, Label: c.Label, Votes: slices.Clone(c.Votes)}
}

// Describe is a one-line account: label head → tail (voters).
func (c RelCandidate) Describe() string {
	return fmt.Sprintf("%s %s [%d,%d) «%s» → %s [%d,%d) «%s» (%s)", c.Label, c.Head.Label, c.Head.Start, c.Head.End, c.Head.Text,
		c.Tail.Label, c.Tail.Start, c.Tail.End, c.Tail.Text, strings.Join(c.Votes, ", "))
}

// RelationCandidates lists the candidate relations of d for a threshold
// minAgree (0 = every annotator), most votes first, then by head, tail and
// label in reading order.
func RelationCandidates(d Doc, minAgree int) []RelCandidate {
	n := Threshold(minAgree, len(d.Annotators))
	at := map[RelKey]int{}
	var out []RelCandidate
	for _, a := range d.Annotators {
		for _, r := range d.Relations[a] {
			k := r.Key()
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, RelCandidate{Head: bare(r.Head), Tail: bare(r.Tail), Label: r.Label})
			}
			if c := &out[i]; !slices.Contains(c.Votes, a) {
				c.Votes = append(c.Votes, a)
			}
		}
	}
	gold := goldKeys(d.Gold)
	rels := make(map[RelKey]*Rel, len(d.GoldRelations))
	for i := range d.GoldRelations {
		rels[d.GoldRelations[i].Key()] = &d.GoldRelations[i]
	}
	for i := range out {
		c := &out[i]
		slices.Sort(c.Votes)
		c.Agreed = n > 0 && len(c.Votes) >= n
		c.HeadGold, c.TailGold = gold[spanKey(c.Head)], gold[spanKey(c.Tail)]
		c.Gold = rels[c.Key()]
		c.Rejected = slices.Contains(d.RejectedRelations, c.Key())
	}
	slices.SortFunc(out, func(a, b RelCandidate) int {
		if len(a.Votes) != len(b.Votes) {
			return len(b.Votes) - len(a.Votes)
		}
		if c := annotate.CompareSpans(a.Head, b.Head); c != 0 {
			return c
		}
		if c := annotate.CompareSpans(a.Tail, b.Tail); c != 0 {
			return c
		}
		return cmp.Compare(a.Label, b.Label)
	})
	return out
}

// bare is a relation end without id and provenance.
func bare(sp annotate.Span) annotate.Span {
	return annotate.Span{Start: sp.Start, End: sp.End, Label: sp.Label, Text: sp.Text}
}

type spanK struct {
	start, end int
	label      string
}

func spanKey(sp annotate.Span) spanK { return spanK{sp.Start, sp.End, sp.Label} }

func goldKeys(gold []annotate.Span) map[spanK]bool {
	m := make(map[spanK]bool, len(gold))
	for _, sp := range gold {
		m[spanKey(sp)] = true
	}
	return m
}

// PrefillRelations plans the automatic acceptance of relations: the agreed
// candidates of d (for threshold minAgree) whose ends are both in d.Gold,
// that the gold layer does not have and that were not rejected, with their
// votes. A hand decision is never touched: a relation the gold layer has
// already, by hand or automatically, is left as it is.
func PrefillRelations(d Doc, minAgree int) []Rel {
	var add []Rel
	for _, c := range RelationCandidates(d, minAgree) {
		if c.Agreed && c.HeadGold && c.TailGold && c.Gold == nil && !c.Rejected {
			r := c.Rel()
			r.Decision = annotate.DecisionAutomatic
			add = append(add, r)
		}
	}
	return add
}
