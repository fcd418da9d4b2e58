package app

import (
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"slices"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/storage"
)

// The adjudication window's relations: the candidate relations follow the
// span groups in the list and in the ↑/↓ order (selection index
// len(groups)+i is relation i), and the same keys act on them: Enter
// accepts one with its ends (accepting the ends not yet gold in the same
// step), R rejects it, U undoes the decision on it.

// adjRelations lists the candidate relations of d, then the gold relations
// no annotator drew (any more) as candidates without votes.
func adjRelations(d adjudicate.Doc, minAgree int) []adjudicate.RelCandidate {
	out := adjudicate.RelationCandidates(d, minAgree)
	for i := range d.GoldRelations {
		g := &d.GoldRelations[i]
		if !slices.ContainsFunc(out, func(c adjudicate.RelCandidate) bool { return c.Key() == g.Key() }) {
			out = append(out, adjudicate.RelCandidate{Head: g.Head, Tail: g.Tail, Label: g.Label, HeadGold: true, TailGold: true, Gold: g})
		}
	}
	return out
}

// rel is the selected relation, nil when a span group (or nothing) is.
func (a *adjScreen) rel() *adjudicate.RelCandidate {
	if i := a.sel - len(a.groups); i >= 0 && i < len(a.rels) {
		return &a.rels[i]
	}
	return nil
}

// items counts what ↑/↓ move through: the groups, then the relations.
func (a *adjScreen) items() int { return len(a.groups) + len(a.rels) }

func relArcOf(c adjudicate.RelCandidate) relArc {
	return relArc{Head: c.Head, Tail: c.Tail, Label: c.Label}
}

// relState says briefly where a candidate relation stands (★ gold with its
// decision), and how many of its ends accepting it adds to the gold layer.
func relState(c adjudicate.RelCandidate) string {
	if c.Gold != nil {
		return "★ " + string(c.Gold.Decision)
	}
	return relPending(c, lang.L("agreed"), func(n int) string { return fmt.Sprintf(" +%d", n) })
}

// relPending is the state of a relation not gold: rejected, open or (the
// word agreed) agreed, and ends(n) when n ends are not gold yet.
func relPending(c adjudicate.RelCandidate, agreed string, ends func(n int) string) string {
	if c.Rejected {
		return lang.L("rejected")
	}
	s := lang.L("open")
	if c.Agreed {
		s = agreed
	}
	if n := countFalse(c.HeadGold, c.TailGold); n > 0 {
		s += ends(n)
	}
	return s
}

// relStatus is relState in words, with who decided.
func relStatus(c adjudicate.RelCandidate) string {
	switch {
	case c.Gold != nil && c.Gold.DecidedBy != "":
		return fmt.Sprintf(lang.L("gold, %s by %s"), c.Gold.Decision, c.Gold.DecidedBy)
	case c.Gold != nil:
		return lang.L("gold, ") + string(c.Gold.Decision)
	}
	return relPending(c, lang.L("agreed, not yet accepted"), func(n int) string {
		return lang.L("; accepting it adds ") + countOf(n, "end", "ends") + lang.L(" to the gold layer")
	})
}

// relOpen reports whether a relation still needs a decision.
func relOpen(c adjudicate.RelCandidate) bool { return c.Gold == nil && !c.Rejected }

func countFalse(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if !b {
			n++
		}
	}
	return n
}

// relRowText is a relation's row: its number and state, the relation by its
// ends' texts, and who drew it (and who decided it).
func (a *adjScreen) relRowText(i int) (left, right, text string) {
	c := a.rels[i]
	mark := "  "
	if a.sel == len(a.groups)+i {
		mark = "▶ "
	}
	arc := relArcOf(c)
	return fmt.Sprintf("%sR%d %s %s", mark, i+1, c.Label, relState(c)), strings.Join(c.Votes, ", "), relEnds(&arc, 8, 10)
}

// showArcs draws the gold relations in the text; a selected relation is
// drawn bold, also when it is not gold (yet).
func (a *adjScreen) showArcs() {
	arcs := make([]relArc, 0, len(a.doc.GoldRelations)+1)
	for _, g := range a.doc.GoldRelations {
		arcs = append(arcs, relArc{Head: g.Head, Tail: g.Tail, Label: g.Label})
	}
	focus := -1
	if c := a.rel(); c != nil {
		arc := relArcOf(*c)
		if focus = arcIndex(arcs, &arc); focus < 0 {
			arcs = append(arcs, arc)
			focus = len(arcs) - 1
		}
	}
	a.view.SetRelations(arcs, focus)
}

// selectRel selects relation i: the text shows it from its head.
func (a *adjScreen) selectRel(i int) {
	a.sel = len(a.groups) + i
	c := a.rels[i]
	a.showArcs()
	revealRange(a.view, a.scroll, c.Head.Start, c.Head.End)
	for k, r := range a.rows {
		if r.group == a.sel {
			a.list.ScrollTo(k)
			break
		}
	}
	a.list.Refresh()
	a.say(fmt.Sprintf(lang.L("relation %d of %d: %s — %s"), i+1, len(a.rels), c.Describe(), relStatus(c)))
}

// acceptRel puts the selected relation into gold (chosen), with its ends
// that are not gold yet, as one step.
func (a *adjScreen) acceptRel(c adjudicate.RelCandidate) {
	// As for spans: accept what the layers hold now, with today's votes.
	fresh, err := a.u.store.AdjudicationDoc(a.doc.ID, a.annotators)
	if err != nil {
		a.fail(err)
		return
	}
	rels := adjRelations(fresh, a.minAgree)
	i := slices.IndexFunc(rels, func(f adjudicate.RelCandidate) bool { return f.Key() == c.Key() })
	if i < 0 {
		a.reload()
		a.say(lang.L("That relation is gone: an annotator changed this document. The list is up to date now."))
		return
	}
	c = rels[i]
	end := func(sp annotate.Span) annotate.Span {
		sp.Votes, sp.Decision = adjudicate.VotesFor(fresh, sp), adjudicate.DecisionFor(fresh, sp)
		return sp
	}
	r := storage.GoldRelation{Head: end(c.Head), Tail: end(c.Tail), Label: c.Label, Votes: c.Votes, Decision: annotate.DecisionChosen}
	if a.change(lang.L("accept relation"), func() error {
		_, _, err := a.u.store.GoldAcceptRelation(a.doc.ID, r, a.adjudicator())
		return err
	}) {
		msg := lang.L("accepted ") + c.Describe()
		if n := countFalse(c.HeadGold, c.TailGold); n > 0 {
			msg += fmt.Sprintf(lang.L(", with %s"), countOf(n, "end", "ends"))
		}
		a.say(msg)
	}
}

// rejectRel records that the selected relation is not gold.
func (a *adjScreen) rejectRel(c adjudicate.RelCandidate) {
	if a.change(lang.L("reject relation"), func() error { return a.u.store.GoldRejectRelation(a.doc.ID, c.Key(), a.adjudicator()) }) {
		a.say(lang.L("rejected relation ") + c.Describe() + lang.L(" (its ends stay)"))
	}
}

// reopenRel removes the decision on the selected relation (gold or
// rejected); its ends stay.
func (a *adjScreen) reopenRel(c adjudicate.RelCandidate) {
	if c.Gold == nil && !c.Rejected {
		a.say(lang.L("Nothing is decided on this relation yet"))
		return
	}
	err := a.record(a.doc.ID, lang.L("reopen relation"), func() error { return a.u.store.GoldDeleteRelation(a.doc.ID, c.Key()) })
	a.refreshDoc(a.doc.ID)
	switch {
	case errors.Is(err, storage.ErrNoRelation):
		a.say(lang.L("Nothing is decided on this relation any more"))
	case err != nil:
		a.fail(err)
	default:
		a.say(lang.L("reopened relation ") + c.Describe())
	}
}
