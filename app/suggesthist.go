package app

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2/lang"

	"tawsim/annotate"
	"tawsim/storage"
)

// sugStep is one undoable step on suggestions: some accepted (as spans
// labelled label, "" each its own) or one rejected.
type sugStep struct {
	sugs   []annotate.Suggestion // as suggested; the IDs follow undo and redo
	label  string
	reject bool
	spans  []*handle // accepted: the spans made, one per suggestion
}

// Accept makes the suggestions of doc spans, as one step, and returns
// the spans.
func (h *history) Accept(doc string, sugs []annotate.Suggestion, label string) ([]annotate.Span, error) {
	ids := make([]int64, len(sugs))
	for i, sg := range sugs {
		ids[i] = sg.ID
	}
	spans, err := h.store.AcceptSuggestions(ids, label)
	if err != nil {
		return nil, err
	}
	st := &sugStep{sugs: append([]annotate.Suggestion(nil), sugs...), label: label}
	for _, sp := range spans {
		st.spans = append(st.spans, h.handleFor(sp.ID))
	}
	h.push(&edit{doc: doc, sugs: st})
	return spans, nil
}

// Reject rejects a suggestion of doc.
func (h *history) Reject(doc string, sg annotate.Suggestion) error {
	if err := h.store.RejectSuggestion(sg.ID); err != nil {
		return err
	}
	h.push(&edit{doc: doc, sugs: &sugStep{sugs: []annotate.Suggestion{sg}, reject: true}})
	return nil
}

// applySuggestions performs st forwards (redo) or backwards (undo). An
// undone acceptance deletes the spans and makes the suggestions pending
// again (with new ids); an undone rejection makes it pending.
func (h *history) applySuggestions(st *sugStep, forward bool) error {
	ids := make([]int64, len(st.sugs))
	for i, sg := range st.sugs {
		ids[i] = sg.ID
	}
	switch {
	case st.reject && forward:
		return h.store.RejectSuggestion(ids[0])
	case st.reject:
		return h.store.UnrejectSuggestion(ids[0])
	case forward:
		spans, err := h.store.AcceptSuggestions(ids, st.label)
		if errors.Is(err, storage.ErrNoSuggestion) {
			// Withdrawn meanwhile (the label that propagated them was
			// undone): suggested again, then accepted.
			if ids, err = h.resuggest(st.sugs); err == nil {
				spans, err = h.store.AcceptSuggestions(ids, st.label)
			}
		}
		if err != nil {
			return err
		}
		for i, sp := range spans {
			h.setID(st.spans[i], sp.ID)
		}
		return nil
	}
	made := make([]int64, len(st.spans))
	for i, hd := range st.spans {
		made[i] = hd.id
	}
	ids, err := h.store.RestoreSuggestions(made, st.sugs)
	if err != nil {
		return err
	}
	for i, id := range ids {
		st.sugs[i].ID = id
	}
	return nil
}

// resuggest stores sugs (all of one document) as suggestions again where
// they are gone, and returns their ids, in order.
func (h *history) resuggest(sugs []annotate.Suggestion) ([]int64, error) {
	if _, _, err := h.store.AddSuggestions(h.annotator, sugs); err != nil {
		return nil, err
	}
	now, err := h.store.Suggestions(sugs[0].Doc, h.annotator)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(sugs))
	for i, sg := range sugs {
		for _, n := range now {
			if n.Start == sg.Start && n.End == sg.End && n.Label == sg.Label {
				ids[i] = n.ID
			}
		}
		if ids[i] == 0 {
			return nil, fmt.Errorf(lang.L("%w: «%s» at %d–%d of %s is no longer suggested"), storage.ErrNoSuggestion, sg.Text, sg.Start, sg.End, sg.Doc)
		}
	}
	return ids, nil
}

// top is the step the next undo (or redo) replays, nil when there is none.
func (h *history) top(undo bool) *edit {
	stack := h.redo
	if undo {
		stack = h.undo
	}
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

// topAdd is the span the next undo (or redo) removes (or adds again) when
// that step labelled a span, else nil.
func (h *history) topAdd(undo bool) *annotate.Span {
	if e := h.top(undo); e != nil && e.before == nil && e.after != nil && e.sugs == nil && e.link == nil {
		sp := *e.after
		return &sp
	}
	return nil
}

// topDelete is the span the next undo (or redo) brings back (or deletes
// again) when that step deleted a span, else nil.
func (h *history) topDelete(undo bool) *annotate.Span {
	if e := h.top(undo); e != nil && e.before != nil && e.after == nil && e.sugs == nil && e.link == nil {
		sp := *e.before
		return &sp
	}
	return nil
}

// note is what the status line says when the step st is undone (undo) or
// redone.
func (st *sugStep) note(undo bool) string {
	if len(st.sugs) == 0 {
		return ""
	}
	sg := st.sugs[0]
	label := sg.Label
	if st.label != "" { // accepted as another label
		label = st.label
	}
	switch {
	case st.reject && undo:
		return fmt.Sprintf(lang.L("Undone: the rejection of %s «%s»; it is suggested again"), sg.Label, sg.Text)
	case st.reject:
		return fmt.Sprintf(lang.L("Redone: the rejection of %s «%s»"), sg.Label, sg.Text)
	case len(st.sugs) == 1 && undo:
		return fmt.Sprintf(lang.L("Undone: accepting %s «%s»; it is a suggestion again"), label, sg.Text)
	case len(st.sugs) == 1:
		return fmt.Sprintf(lang.L("Redone: accepting %s «%s»"), label, sg.Text)
	case undo:
		return fmt.Sprintf(lang.L("Undone: accepting %d suggestions; they are suggestions again"), len(st.sugs))
	}
	return fmt.Sprintf(lang.L("Redone: accepting %d suggestions"), len(st.sugs))
}
