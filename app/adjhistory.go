package app

import (
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"slices"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/storage"
)

// adjState is what adjudication has decided in one document: its gold
// spans and relations with their provenance, its rejected groups and
// relations, and its status.
type adjState struct {
	gold    []annotate.Span
	rej     []adjudicate.Range
	rels    []adjudicate.Rel
	rejRels []adjudicate.RelKey
	status  storage.GoldState
}

// adjStep is one undoable adjudication action on a document (accept,
// reject, reopen, edit, add, delete, finish, and those on relations): what
// it added to and removed from the gold layer (spans and relations) and the
// rejections, and the status before and after.
// Undo and redo apply the difference to the document as it is then, so
// what changed meanwhile elsewhere in it (a pre-fill, another window)
// stays.
type adjStep struct {
	doc            string
	what           string
	addSp, delSp   []annotate.Span
	addRej, delRej []adjudicate.Range
	addRel, delRel []adjudicate.Rel
	addRR, delRR   []adjudicate.RelKey // relation rejections
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

// relKey identifies a gold relation by its strict key with its provenance.
func relKey(r adjudicate.Rel) string {
	return fmt.Sprintf("%v,%s,%s,%v", r.Key(), r.Decision, r.DecidedBy, r.Votes)
}

func relRejKey(k adjudicate.RelKey) string { return fmt.Sprintf("%v", k) }

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
		addRel: minus(after.rels, before.rels, relKey), delRel: minus(before.rels, after.rels, relKey),
		addRR: minus(after.rejRels, before.rejRels, relRejKey), delRR: minus(before.rejRels, after.rejRels, relRejKey),
		before: before.status, after: after.status}
	if len(s.addSp)+len(s.delSp)+len(s.addRej)+len(s.delRej)+len(s.addRel)+len(s.delRel)+len(s.addRR)+len(s.delRR) == 0 &&
		s.before.Status == s.after.Status {
		return nil
	}
	return s
}

// adjState reads document doc's decisions.
func (a *adjScreen) state(doc string) (adjState, error) {
	var s adjState
	err := a.u.store.EachAdjudicationDoc(a.annotators, []string{doc}, false, func(d *adjudicate.Doc, g storage.GoldState) error {
		s = adjState{gold: d.Gold, rej: d.Rejected, rels: d.GoldRelations, rejRels: d.RejectedRelations, status: g}
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
			a.say(lang.L("Nothing to redo"))
		} else {
			a.say(lang.L("Nothing to undo"))
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
	verb := lang.L("undone")
	if forward {
		verb = lang.L("redone")
	}
	if err != nil {
		a.fail(fmt.Errorf(lang.L("%s could not be %s, and was dropped: %w"), s.what, verb, err))
		return
	}
	a.say(fmt.Sprintf("%s %s (%s)", s.what, verb, s.doc))
}

// applyStep makes the document what s made it (forward) or what it was
// before s, changing only what s changed.
func (a *adjScreen) applyStep(s *adjStep, forward bool) error {
	addSp, delSp, addRej, delRej, status := s.addSp, s.delSp, s.addRej, s.delRej, s.after
	addRel, delRel, addRR, delRR := s.addRel, s.delRel, s.addRR, s.delRR
	if !forward {
		addSp, delSp, addRej, delRej, status = delSp, addSp, delRej, addRej, s.before
		addRel, delRel, addRR, delRR = delRel, addRel, delRR, addRR
	}
	st := a.u.store
	cur, err := a.state(s.doc)
	if err != nil {
		return err
	}
	// The gold relations wanted are those of now, less and plus the step's:
	// a span given back its old provenance is deleted and added again,
	// which deletes its relations.
	baseRels := cur.rels
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
	// Relations after the spans: a relation needs its ends, and deleting a
	// span deleted its relations.
	if err := a.applyRelations(s.doc, baseRels, addRel, delRel, addRR, delRR); err != nil {
		return err
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

// applyRelations makes document doc's gold relations base less delRel plus
// addRel, and removes the relation rejections delRR and adds addRR, leaving
// the other rejections as they are now.
func (a *adjScreen) applyRelations(doc string, base, addRel, delRel []adjudicate.Rel, addRR, delRR []adjudicate.RelKey) error {
	st := a.u.store
	cur, err := a.state(doc)
	if err != nil {
		return err
	}
	// A relation is gold or rejected, never both: removing either is
	// GoldDeleteRelation.
	for _, k := range delRR {
		if slices.Contains(cur.rejRels, k) {
			if err := st.GoldDeleteRelation(doc, k); err != nil {
				return err
			}
		}
	}
	want := append(minus(base, delRel, relKey), addRel...)
	for _, r := range minus(cur.rels, want, relKey) {
		if err := st.GoldDeleteRelation(doc, r.Key()); err != nil && !errors.Is(err, storage.ErrNoRelation) {
			return err
		}
	}
	var auto []adjudicate.Rel
	gold := func(sp annotate.Span) bool {
		return slices.ContainsFunc(cur.gold, func(g annotate.Span) bool { return annotate.CompareSpans(g, sp) == 0 })
	}
	for _, r := range minus(want, cur.rels, relKey) {
		if !gold(r.Head) || !gold(r.Tail) {
			continue // an end the step removed took the relation with it
		}
		if r.Decision == annotate.DecisionAutomatic {
			auto = append(auto, r)
			continue
		}
		g := storage.GoldRelation{Head: r.Head, Tail: r.Tail, Label: r.Label, Votes: r.Votes, Decision: r.Decision}
		if _, _, err := st.GoldAcceptRelation(doc, g, r.DecidedBy); err != nil {
			return err
		}
	}
	if len(auto) > 0 {
		// Only a pre-fill stores automatic relations: one that changes
		// this document alone.
		err := st.Prefill(a.annotators, a.adjudicator(), func(_ int, d *adjudicate.Doc, _ storage.GoldState) (storage.PrefillChange, error) {
			if d.ID != doc {
				return storage.PrefillChange{}, nil
			}
			return storage.PrefillChange{AddRelations: auto}, nil
		})
		if err != nil {
			return err
		}
	}
	for _, k := range addRR {
		if err := st.GoldRejectRelation(doc, k, a.adjudicator()); err != nil {
			return err
		}
	}
	return nil
}
