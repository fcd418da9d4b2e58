package app

import (
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"

	"tawsim/annotate"
	"tawsim/storage"
)

// handle names one logical span across undo and redo: re-adding a deleted
// span gives it a new store id, and every edit of that span must follow.
type handle struct{ id int64 }

// edit is one undoable change to an annotator's layer: an added span
// (before == nil), a deleted one (after == nil), a changed one, or, when
// link is set, a relation added (unlink false) or removed on its own.
type edit struct {
	doc           string
	h             *handle
	before, after *annotate.Span
	rels          []relEdit // relations a deleted span took with it, or an added one came with
	link          *relEdit
	unlink        bool
	sugs          *sugStep // suggestions accepted or rejected: suggesthist.go
}

type relEdit struct {
	head, tail *handle
	label      string
	// The texts of its spans when it was linked or unlinked on its own
	// (for the status line: edit.note).
	headText, tailText string
}

// history is the session's undo and redo stacks. Every step is committed
// to the store at once, so undo is itself a stored change.
type history struct {
	store     *storage.Store
	annotator string
	handles   map[int64]*handle // current store id → handle
	undo      []*edit
	redo      []*edit
}

func newHistory(st *storage.Store, annotator string) *history {
	return &history{store: st, annotator: annotator, handles: map[int64]*handle{}}
}

// handleFor returns the handle of the stored span id.
func (h *history) handleFor(id int64) *handle {
	if hd, ok := h.handles[id]; ok {
		return hd
	}
	hd := &handle{id: id}
	h.handles[id] = hd
	return hd
}

func (h *history) setID(hd *handle, id int64) {
	delete(h.handles, hd.id)
	hd.id = id
	h.handles[id] = hd
}

// Add stores a new span and records it.
func (h *history) Add(doc string, sp annotate.Span) (annotate.Span, error) {
	stored, err := h.store.AddSpan(doc, h.annotator, sp)
	if err != nil {
		return stored, err
	}
	after := stored
	h.push(&edit{doc: doc, h: h.handleFor(stored.ID), after: &after})
	return stored, nil
}

// Delete removes a stored span and records it.
func (h *history) Delete(doc string, sp annotate.Span) error {
	rels, err := h.store.SpanRelations(sp.ID)
	if err != nil {
		return err
	}
	if err := h.store.DeleteSpan(sp.ID); err != nil {
		return err
	}
	before := sp
	e := &edit{doc: doc, h: h.handleFor(sp.ID), before: &before}
	for _, r := range rels {
		e.rels = append(e.rels, relEdit{head: h.handleFor(r.Head), tail: h.handleFor(r.Tail), label: r.Label})
	}
	h.push(e)
	return nil
}

// AddLinked stores a new span as the tail of a relation label from head,
// in one step: undo removes both.
func (h *history) AddLinked(doc string, sp annotate.Span, head int64, label string) (annotate.Span, error) {
	stored, err := h.store.AddSpan(doc, h.annotator, sp)
	if err != nil {
		return stored, err
	}
	if err := h.store.AddRelation(head, stored.ID, label); err != nil {
		if derr := h.store.DeleteSpan(stored.ID); derr != nil {
			err = errors.Join(err, derr)
		}
		return stored, err
	}
	after := stored
	h.push(&edit{doc: doc, h: h.handleFor(stored.ID), after: &after, rels: []relEdit{{head: h.handleFor(head), tail: h.handleFor(stored.ID), label: label}}})
	return stored, nil
}

// Link stores a relation between two stored spans and records it.
func (h *history) Link(doc string, head, tail annotate.Span, label string) error {
	return h.relation(doc, h.relEditOf(head, tail, label), false)
}

// Unlink removes a stored relation and records it.
func (h *history) Unlink(doc string, head, tail annotate.Span, label string) error {
	return h.relation(doc, h.relEditOf(head, tail, label), true)
}

func (h *history) relEditOf(head, tail annotate.Span, label string) relEdit {
	return relEdit{head: h.handleFor(head.ID), tail: h.handleFor(tail.ID), label: label, headText: head.Text, tailText: tail.Text}
}

func (h *history) relation(doc string, r relEdit, unlink bool) error {
	e := &edit{doc: doc, link: &r, unlink: unlink}
	if err := h.apply(e, true); err != nil {
		return err
	}
	h.push(e)
	return nil
}

// Update changes a stored span (label or boundaries) and records it.
func (h *history) Update(doc string, old, changed annotate.Span) (annotate.Span, error) {
	stored, err := h.store.UpdateSpan(old.ID, changed)
	if err != nil {
		return stored, err
	}
	before, after := old, stored
	h.push(&edit{doc: doc, h: h.handleFor(old.ID), before: &before, after: &after})
	return stored, nil
}

// noteLen is how many code points of a span's text a note quotes.
const noteLen = 40

// note is what the status line says when the last step of the undo stack
// (undo) or of the redo stack is replayed: which step, named by its labels
// and texts, so that a Ctrl+Z pressed once too often is seen at once ("" when
// the stack is empty).
func (h *history) note(undo bool) string {
	e := h.top(undo)
	if e == nil {
		return ""
	}
	if e.sugs != nil {
		return e.sugs.note(undo)
	}
	pick := func(undone, redone string) string {
		if undo {
			return undone
		}
		return redone
	}
	if r := e.link; r != nil {
		head, tail := shortText(r.headText, noteLen), shortText(r.tailText, noteLen)
		if e.unlink {
			return fmt.Sprintf(pick(lang.L("Undone: removing the %s relation «%s» → «%s»; it is back"), lang.L("Redone: removing the %s relation «%s» → «%s»")), r.label, head, tail)
		}
		return fmt.Sprintf(pick(lang.L("Undone: linking %s «%s» → «%s»"), lang.L("Redone: linking %s «%s» → «%s»")), r.label, head, tail)
	}
	b, a := e.before, e.after
	switch {
	case b == nil && len(e.rels) > 0: // AddLinked: the span with its relation
		return fmt.Sprintf(pick(lang.L("Undone: labelling %s «%s» with its %s relation"), lang.L("Redone: labelling %s «%s» with its %s relation")), a.Label, shortText(a.Text, noteLen), e.rels[0].label)
	case b == nil:
		return fmt.Sprintf(pick(lang.L("Undone: labelling %s «%s»"), lang.L("Redone: labelling %s «%s»")), a.Label, shortText(a.Text, noteLen))
	case a == nil && len(e.rels) > 0:
		return fmt.Sprintf(pick(lang.L("Undone: deleting %s «%s»; it is back with its relations"), lang.L("Redone: deleting %s «%s» with its relations")), b.Label, shortText(b.Text, noteLen))
	case a == nil:
		return fmt.Sprintf(pick(lang.L("Undone: deleting %s «%s»; it is back"), lang.L("Redone: deleting %s «%s»")), b.Label, shortText(b.Text, noteLen))
	}
	if b.Label == a.Label { // a boundary moved: the texts, cut, could read the same
		return fmt.Sprintf(pick(lang.L("Undone: resizing %s to %s"), lang.L("Redone: resizing %s to %s")),
			spanRef(b.Label, b.Start, b.End), spanRef(a.Label, a.Start, a.End))
	}
	return fmt.Sprintf(pick(lang.L("Undone: changing %s «%s» into %s «%s»"), lang.L("Redone: changing %s «%s» into %s «%s»")),
		b.Label, shortText(b.Text, noteLen), a.Label, shortText(a.Text, noteLen))
}

func (h *history) push(e *edit) {
	h.undo = append(h.undo, e)
	h.redo = h.redo[:0]
}

// apply performs e forwards (redo) or backwards (undo) in the store.
func (h *history) apply(e *edit, forward bool) error {
	if e.sugs != nil {
		return h.applySuggestions(e.sugs, forward)
	}
	if r := e.link; r != nil {
		if forward != e.unlink {
			return h.store.AddRelation(r.head.id, r.tail.id, r.label)
		}
		return h.store.DeleteRelation(r.head.id, r.tail.id, r.label)
	}
	from, to := e.before, e.after
	if !forward {
		from, to = e.after, e.before
	}
	switch {
	case from == nil: // add
		sp, err := h.store.AddSpan(e.doc, h.annotator, *to)
		if err != nil {
			return err
		}
		h.setID(e.h, sp.ID)
		for _, r := range e.rels { // undoing a delete brings its relations back
			if err := h.store.AddRelation(r.head.id, r.tail.id, r.label); err != nil {
				return err
			}
		}
		return nil
	case to == nil: // delete
		return h.store.DeleteSpan(e.h.id)
	default:
		_, err := h.store.UpdateSpan(e.h.id, *to)
		return err
	}
}

// Undo reverts the last edit and returns its document ("" when there is
// nothing to undo).
func (h *history) Undo() (string, error) { return h.replay(&h.undo, &h.redo, false) }

// Redo performs the last undone edit again.
func (h *history) Redo() (string, error) { return h.replay(&h.redo, &h.undo, true) }

// replay applies the last edit of from (forwards or backwards) and moves it
// to to; it returns the edit's document, "" when from is empty.
func (h *history) replay(from, to *[]*edit, forward bool) (string, error) {
	if len(*from) == 0 {
		return "", nil
	}
	e := (*from)[len(*from)-1]
	if err := h.apply(e, forward); err != nil {
		if errors.Is(err, storage.ErrNoSpan) || errors.Is(err, storage.ErrNoSuggestion) || errors.Is(err, storage.ErrStaleSuggestion) {
			// The span or suggestion is gone (e.g. its text was replaced):
			// this step can never be replayed; drop it rather than block
			// the ones before.
			*from = (*from)[:len(*from)-1]
			what := lang.L("undone")
			if forward {
				what = lang.L("redone")
			}
			return e.doc, fmt.Errorf(lang.L("this step cannot be %s any more and was dropped: %w"), what, err)
		}
		return e.doc, err
	}
	*from = (*from)[:len(*from)-1]
	*to = append(*to, e)
	return e.doc, nil
}
