package app

import (
	"fmt"
	"slices"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/storage"
)

// adjState is what adjudication has decided in one document: its gold
// spans with their provenance, its rejected groups and its status.
type adjState struct {
	gold   []annotate.Span
	rej    []adjudicate.Range
	status storage.GoldState
}

// adjStep is one undoable adjudication action on a document (accept,
// reject, reopen, edit, add, delete, finish): what it added to and removed
// from the gold layer and the rejections, and the status before and after.
// Undo and redo apply the difference to the document as it is then, so
// what changed meanwhile elsewhere in it (a pre-fill, another window)
// stays.
type adjStep struct {
	doc            string
	what           string
	addSp, delSp   []annotate.Span
	addRej, delRej []adjudicate.Range
	before, after  storage.GoldState
}

// adjHistory is the adjudication window's own undo and redo stacks: the
// main window's history is of annotators' layers, this one of the gold
// layer's decisions.
type adjHistory struct {
	undo, redo []*adjStep
}

// spanKey identifies a gold span with its provenance: a changed decision
// is a removal and an addition.
func spanKey(sp annotate.Span) string {
	return fmt.Sprintf("%d,%d,%s,%s,%s,%v", sp.Start, sp.End, sp.Label, sp.Decision, sp.DecidedBy, sp.Votes)
}

func rangeKey(r adjudicate.Range) string { return fmt.Sprintf("%d,%d,%s", r.Start, r.End, r.By) }

// minus lists the elements of a whose key is not among b's.
func minus[T any](a, b []T, key func(T) string) []T {
	have := make(map[string]bool, len(b))
	for _, x := range b {
		have[key(x)] = true
	}
	var out []T
	for _, x := range a {
		if !have[key(x)] {
			out = append(out, x)
		}
	}
	return out
}

// stepOf is the step that took a document from before to after, nil when
// nothing changed.
func stepOf(doc, what string, before, after adjState) *adjStep {
	s := &adjStep{doc: doc, what: what,
		addSp: minus(after.gold, before.gold, spanKey), delSp: minus(before.gold, after.gold, spanKey),
		addRej: minus(after.rej, before.rej, rangeKey), delRej: minus(before.rej, after.rej, rangeKey),
		before: before.status, after: after.status}
	if len(s.addSp)+len(s.delSp)+len(s.addRej)+len(s.delRej) == 0 && s.before.Status == s.after.Status {
		return nil
	}
	return s
}

// adjState reads document doc's decisions.
func (a *adjScreen) state(doc string) (adjState, error) {
	var s adjState
	err := a.u.store.EachAdjudicationDoc(a.annotators, []string{doc}, false, func(d *adjudicate.Doc, g storage.GoldState) error {
		s = adjState{gold: d.Gold, rej: d.Rejected, status: g}
		return nil
	})
	return s, err
}

// record runs op, an action on document doc, and pushes it as one step.
func (a *adjScreen) record(doc, what string, op func() error) error {
	before, err := a.state(doc)
	if err != nil {
		return err
	}
	opErr := op()
	after, err := a.state(doc)
	if err != nil {
		return err
	}
	if s := stepOf(doc, what, before, after); s != nil {
		a.hist.undo = append(a.hist.undo, s)
		a.hist.redo = nil
	}
	return opErr
}

// undo reverts the last step; redo performs the last undone one again.
func (a *adjScreen) undo() { a.replay(&a.hist.undo, &a.hist.redo, false) }
func (a *adjScreen) redo() { a.replay(&a.hist.redo, &a.hist.undo, true) }

func (a *adjScreen) replay(from, to *[]*adjStep, forward bool) {
	if len(*from) == 0 {
		if forward {
			a.say("Nothing to redo")
		} else {
			a.say("Nothing to undo")
		}
		return
	}
	s := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	err := a.applyStep(s, forward)
	if err == nil {
		*to = append(*to, s)
	}
	a.showDoc(s.doc)
	a.refreshDoc(s.doc)
	verb := "undone"
	if forward {
		verb = "redone"
	}
	if err != nil {
		a.fail(fmt.Errorf("%s could not be %s, and was dropped: %w", s.what, verb, err))
		return
	}
	a.say(fmt.Sprintf("%s %s (%s)", s.what, verb, s.doc))
}

// applyStep makes the document what s made it (forward) or what it was
// before s, changing only what s changed.
func (a *adjScreen) applyStep(s *adjStep, forward bool) error {
	addSp, delSp, addRej, delRej, status := s.addSp, s.delSp, s.addRej, s.delRej, s.after
	if !forward {
		addSp, delSp, addRej, delRej, status = delSp, addSp, delRej, addRej, s.before
	}
	st := a.u.store
	cur, err := a.state(s.doc)
	if err != nil {
		return err
	}
	sameExtent := func(r adjudicate.Range) string { return fmt.Sprintf("%d,%d", r.Start, r.End) }
	// In this order: a rejection removes the gold spans of its group, and
	// an accepted span the rejections it overlaps.
	for _, r := range delRej {
		if slices.ContainsFunc(cur.rej, func(c adjudicate.Range) bool { return sameExtent(c) == sameExtent(r) }) {
			if _, _, err := st.GoldReopen(s.doc, r.Start, r.End); err != nil {
				return err
			}
		}
	}
	if cur, err = a.state(s.doc); err != nil {
		return err
	}
	want := append(minus(cur.gold, delSp, spanKey), addSp...)
	for _, sp := range minus(cur.gold, want, spanKey) {
		if err := st.GoldDelete(sp.ID); err != nil {
			return err
		}
	}
	for _, sp := range minus(want, cur.gold, spanKey) {
		if sp.Decision == annotate.DecisionAutomatic {
			_, _, err = st.GoldAutomatic(s.doc, []annotate.Span{sp}, nil)
		} else {
			_, err = st.GoldAccept(s.doc, sp, sp.Decision, sp.DecidedBy, sp.Votes)
		}
		if err != nil {
			return err
		}
	}
	for _, r := range addRej {
		if err := st.GoldReject(s.doc, r.Start, r.End, r.By); err != nil {
			return err
		}
	}
	// The status last: every change above puts the document in progress.
	// (One never decided before comes back in progress, not to do.)
	if status.Status == annotate.GoldFinished {
		return st.FinishGold([]string{s.doc}, status.FinishedBy, true, a.settings())
	}
	if cur, err = a.state(s.doc); err == nil && cur.status.Status == annotate.GoldFinished {
		err = st.ReopenGold([]string{s.doc})
	}
	return err
}
