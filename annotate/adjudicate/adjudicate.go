// Package adjudicate builds the candidate groups that an adjudicator turns
// into a gold layer, and the automatic pre-fill of that layer.
//
// # Groups
//
// Two spans overlap when they share at least one code point (touching spans
// do not). The spans of all the annotators considered, taken together, are
// split into groups: the classes of the transitive closure of overlap. A
// group's extent is [smallest start, largest end). Within a group the
// candidates are the distinct (start, end, label) triples; a candidate's
// votes are the annotators whose layer has exactly that triple (sorted by
// name). Candidates are ordered by votes (most first), then start, end,
// label, so the first candidate is the "top" one.
//
// # Agreement
//
// With a threshold N (MinAgree; 0 means every annotator considered), a
// candidate is agreed when at least N annotators marked exactly it: the
// pre-fill accepts every agreed candidate. A group is agreed when all its
// candidates are; a group that also holds a candidate fewer annotators
// marked (another boundary, another label, an extra nested span) stays open
// for the adjudicator, with its agreed candidates already accepted.
//
// # Gold and states
//
// Gold spans (the project's gold layer) and rejections (extents of groups
// decided to have no gold span) are attached to every group whose extent
// they overlap. A gold span whose decision is not automatic is a hand
// decision. A group's state is, in this order:
//   - decided: a hand gold span overlaps it;
//   - rejected: a rejection overlaps it;
//   - automatic: an automatic gold span equals one of its candidates;
//   - agreed: it is agreed but its candidate is not in the gold layer yet
//     (the pre-fill would accept it);
//   - open: anything else.
//
// Gold spans that overlap no group form groups of their own, without
// candidates (state decided for a hand span, open for a stale automatic one).
// A document is fully adjudicated when none of its groups is open or agreed.
package adjudicate

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"tawsim/annotate"
)

// State is where a group stands.
type State string

const (
	Open      State = "open"      // needs the adjudicator
	Agreed    State = "agreed"    // agreed; the pre-fill would accept its candidate
	Automatic State = "automatic" // agreed and accepted automatically
	Decided   State = "decided"   // a hand decision (chosen, edited, added) covers it
	Rejected  State = "rejected"  // rejected by hand: no gold span here
)

// Range is a rejected extent [Start, End).
type Range struct {
	Start, End int
	By         string
}

// Doc is the input for one document.
type Doc struct {
	ID   string
	Text string
	// Annotators are the layers considered, in order; MinAgree counts them.
	Annotators []string
	// Layers holds each annotator's spans; layers of others are ignored.
	Layers   map[string][]annotate.Span
	Gold     []annotate.Span // the gold layer's spans, with provenance
	Rejected []Range
	// Relations holds each annotator's relations, GoldRelations the gold
	// layer's (with provenance), RejectedRelations the strict keys of the
	// relations rejected by hand (see RelationCandidates).
	Relations         map[string][]Rel
	GoldRelations     []Rel
	RejectedRelations []RelKey
}

// Candidate is one distinct span of a group with the annotators that marked
// it exactly.
type Candidate struct {
	Start, End int
	Label      string
	Text       string
	Votes      []string
	Agreed     bool // at least MinAgree annotators marked exactly it
}

// Span is the candidate as a span with its votes.
func (c Candidate) Span() annotate.Span {
	return annotate.Span{Start: c.Start, End: c.End, Label: c.Label, Text: c.Text, Votes: slices.Clone(c.Votes)}
}

// Same reports whether sp has the candidate's start, end and label.
func (c Candidate) Same(sp annotate.Span) bool {
	return c.Start == sp.Start && c.End == sp.End && c.Label == sp.Label
}

// Group is a set of transitively overlapping spans.
type Group struct {
	Start, End int         // extent
	Candidates []Candidate // most votes first
	Gold       []annotate.Span
	Rejected   []Range
	Agreed     bool // every candidate is agreed
	State      State
}

// Top is the candidate with the most votes, if any.
func (g *Group) Top() (Candidate, bool) {
	if len(g.Candidates) == 0 {
		return Candidate{}, false
	}
	return g.Candidates[0], true
}

// Hand reports whether a hand decision covers the group.
func (g *Group) Hand() bool { return g.State == Decided || g.State == Rejected }

// Pending reports whether the group still needs work (open, or agreed and
// not yet accepted).
func (g *Group) Pending() bool { return g.State == Open || g.State == Agreed }

func overlaps(s1, e1, s2, e2 int) bool { return s1 < e2 && s2 < e1 }

// Threshold is the effective MinAgree: n, or every annotator when n <= 0.
func Threshold(n, annotators int) int {
	if n <= 0 {
		return annotators
	}
	return n
}

// Groups builds the groups of d in text order, with their states, for a
// threshold minAgree (0 = every annotator of d.Annotators).
func Groups(d Doc, minAgree int) []Group {
	n := Threshold(minAgree, len(d.Annotators))
	var text []rune // only for spans without their text: converted once, when needed
	type mark struct {
		sp  *annotate.Span
		who string
	}
	size := 0
	for _, a := range d.Annotators {
		size += len(d.Layers[a])
	}
	marks := make([]mark, 0, size)
	for _, a := range d.Annotators {
		l := d.Layers[a]
		for i := range l {
			marks = append(marks, mark{&l[i], a})
		}
	}
	slices.SortStableFunc(marks, func(a, b mark) int { return annotate.CompareSpans(*a.sp, *b.sp) })
	// The marks are in start order, so each group is a run of them:
	// ends[k] is where group k's run ends.
	var groups []Group
	var ends []int
	for i, m := range marks {
		k := len(groups) - 1
		if k >= 0 && m.sp.Start < groups[k].End {
			groups[k].End = max(groups[k].End, m.sp.End)
			ends[k] = i + 1
			continue
		}
		groups = append(groups, Group{Start: m.sp.Start, End: m.sp.End})
		ends = append(ends, i+1)
	}
	from := 0
	for k := range groups {
		g := &groups[k]
		for _, m := range marks[from:ends[k]] {
			at := slices.IndexFunc(g.Candidates, func(c Candidate) bool { return c.Same(*m.sp) })
			if at < 0 {
				c := Candidate{Start: m.sp.Start, End: m.sp.End, Label: m.sp.Label, Text: m.sp.Text}
				if c.Text == "" && text == nil {
					text = []rune(d.Text)
				}
				if c.Text == "" && m.sp.Start >= 0 && m.sp.End <= len(text) {
					c.Text = string(text[m.sp.Start:m.sp.End])
				}
				g.Candidates = append(g.Candidates, c)
				at = len(g.Candidates) - 1
			}
			if c := &g.Candidates[at]; !slices.Contains(c.Votes, m.who) {
				c.Votes = append(c.Votes, m.who)
			}
		}
		from = ends[k]
		for i := range g.Candidates {
			slices.Sort(g.Candidates[i].Votes)
		}
		slices.SortFunc(g.Candidates, func(a, b Candidate) int {
			if len(a.Votes) != len(b.Votes) {
				return len(b.Votes) - len(a.Votes)
			}
			return annotate.CompareReading(a.Start, a.End, a.Label, b.Start, b.End, b.Label)
		})
		g.Agreed = len(g.Candidates) > 0
		for k := range g.Candidates {
			c := &g.Candidates[k]
			c.Agreed = n > 0 && len(c.Votes) >= n
			g.Agreed = g.Agreed && c.Agreed
		}
	}
	// Attach gold spans and rejections; gold overlapping no group makes
	// groups of its own.
	var stray []annotate.Span
	for _, sp := range d.Gold {
		found := false
		for k := range groups {
			if overlaps(sp.Start, sp.End, groups[k].Start, groups[k].End) {
				groups[k].Gold = append(groups[k].Gold, sp)
				found = true
			}
		}
		if !found {
			stray = append(stray, sp)
		}
	}
	sort.SliceStable(stray, func(i, j int) bool { return stray[i].Start < stray[j].Start })
	for _, sp := range stray {
		k := len(groups) - 1
		if k >= 0 && len(groups[k].Candidates) == 0 && sp.Start < groups[k].End {
			groups[k].End = max(groups[k].End, sp.End)
			groups[k].Gold = append(groups[k].Gold, sp)
			continue
		}
		groups = append(groups, Group{Start: sp.Start, End: sp.End, Gold: []annotate.Span{sp}})
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].Start != groups[j].Start {
			return groups[i].Start < groups[j].Start
		}
		return groups[i].End < groups[j].End
	})
	for k := range groups {
		g := &groups[k]
		for _, r := range d.Rejected {
			if overlaps(r.Start, r.End, g.Start, g.End) {
				g.Rejected = append(g.Rejected, r)
			}
		}
		g.State = state(g)
	}
	return groups
}

func state(g *Group) State {
	for _, sp := range g.Gold {
		if sp.Decision != annotate.DecisionAutomatic {
			return Decided
		}
	}
	if len(g.Rejected) > 0 {
		return Rejected
	}
	// Automatic: every candidate is in gold (accepted by a pre-fill, with
	// whatever threshold it ran). Agreed: the pre-fill would accept all of
	// them. Otherwise something is left for a person.
	all := len(g.Candidates) > 0
	for _, c := range g.Candidates {
		accepted := false
		for _, sp := range g.Gold {
			accepted = accepted || c.Same(sp)
		}
		all = all && accepted
	}
	switch {
	case all:
		return Automatic
	case g.Agreed:
		return Agreed
	}
	return Open
}

// Plan is what the automatic pre-fill does to one document's gold layer.
type Plan struct {
	Add  []annotate.Span // agreed candidates with their votes: accept automatically
	Drop []int64         // automatic gold spans that no longer qualify
	Keep int             // automatic gold spans that stay
}

// Prefill plans the automatic pre-fill for groups built by Groups: the
// agreed candidates of every group not covered by a hand decision are
// accepted (again: their votes are refreshed); an automatic gold span that is
// not such a candidate and lies in no group covered by a hand decision is
// dropped. Hand decisions are never in Drop.
func Prefill(groups []Group) Plan {
	var p Plan
	keep := map[int64]bool{}
	seen := map[int64]bool{}
	for _, g := range groups {
		covered := g.Hand()
		for _, sp := range g.Gold {
			if sp.Decision != annotate.DecisionAutomatic {
				continue
			}
			seen[sp.ID] = true
			if covered {
				keep[sp.ID] = true // a hand decision covers the group: leave it be
			}
			for _, c := range g.Candidates {
				if c.Agreed && c.Same(sp) {
					keep[sp.ID] = true
				}
			}
		}
		if !covered {
			for _, c := range g.Candidates {
				if c.Agreed {
					p.Add = append(p.Add, c.Span())
				}
			}
		}
	}
	for _, g := range groups {
		for _, sp := range g.Gold {
			if sp.Decision == annotate.DecisionAutomatic && seen[sp.ID] && !keep[sp.ID] && !slices.Contains(p.Drop, sp.ID) {
				p.Drop = append(p.Drop, sp.ID)
			}
		}
	}
	p.Keep = len(keep)
	return p
}

// Counts tallies groups by state.
type Counts struct {
	Open, Agreed, Automatic, Decided, Rejected int
}

// Count tallies the groups.
func Count(groups []Group) Counts {
	var c Counts
	for _, g := range groups {
		switch g.State {
		case Open:
			c.Open++
		case Agreed:
			c.Agreed++
		case Automatic:
			c.Automatic++
		case Decided:
			c.Decided++
		case Rejected:
			c.Rejected++
		}
	}
	return c
}

// Done reports whether no group is open or agreed-but-not-accepted.
func Done(groups []Group) bool {
	for _, g := range groups {
		if g.Pending() {
			return false
		}
	}
	return true
}

// VotesFor lists the annotators of d whose layer has exactly sp (start, end
// and label), sorted.
func VotesFor(d Doc, sp annotate.Span) []string {
	var v []string
	for _, a := range d.Annotators {
		for _, x := range d.Layers[a] {
			if x.Start == sp.Start && x.End == sp.End && x.Label == sp.Label {
				v = append(v, a)
				break
			}
		}
	}
	sort.Strings(v)
	return v
}

// DecisionFor is how a span the adjudicator put into gold by hand is
// recorded: chosen when an annotator had exactly it, edited when it
// overlaps a group's candidates, added when it overlaps no annotator's span.
func DecisionFor(d Doc, sp annotate.Span) annotate.Decision {
	if len(VotesFor(d, sp)) > 0 {
		return annotate.DecisionChosen
	}
	for _, a := range d.Annotators {
		for _, x := range d.Layers[a] {
			if overlaps(x.Start, x.End, sp.Start, sp.End) {
				return annotate.DecisionEdited
			}
		}
	}
	return annotate.DecisionAdded
}

// Describe is a one-line account of a candidate: label [start,end) «text»
// (voters).
func (c Candidate) Describe() string {
	return fmt.Sprintf("%s [%d,%d) «%s» (%s)", c.Label, c.Start, c.End, c.Text, strings.Join(c.Votes, ", "))
}
