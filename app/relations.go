package app

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"tawsim/annotate"
	"tawsim/storage"
)

// The main window's relations: showing them, linking a claim to its source
// or cue by keyboard or click, selecting and deleting one.
//
// With the caret in a CLAIM, S starts a SOURCE and C a CUE: the candidates
// the relation rules allow are cycled with Tab / Shift+Tab, nearest first,
// Enter links the one shown, a click on an allowed span links it, and a
// new selection labelled with a hotkey becomes the tail; Escape cancels. R
// / Shift+R select the relations of the span under the caret one by one
// (a click on an arc selects it too); Delete removes the selected one.

// relKeys are the keys of the relation commands, with the characters the
// same keys type on the Arabic (101) layout.
var relKeys = map[rune]string{
	's': "SOURCE", 'S': "SOURCE", 'س': "SOURCE",
	'c': "CUE", 'C': "CUE", 'ؤ': "CUE",
}

// relCycleKeys select the next (+1) or previous (-1) relation.
var relCycleKeys = map[rune]int{'r': +1, 'ق': +1, 'R': -1}

// relNames are the Arabic names of the relation types in the side panel.
var relNames = map[string]string{"SOURCE": "مصدر", "CUE": "أداة"}

// linking is a relation being made from head.
type linking struct {
	head  annotate.Span
	label string
	cands []annotate.Span // tails the rules allow, nearest first
	i     int             // the candidate shown, -1 before Tab
}

func (l *linking) cand() *annotate.Span {
	if l.i < 0 || l.i >= len(l.cands) {
		return nil
	}
	return &l.cands[l.i]
}

// setLayer keeps the layer's relations by span ids.
func (u *UI) setLayer(l annotate.Layer) {
	u.spans = l.Spans
	u.rels = u.rels[:0]
	for _, r := range l.Relations {
		u.rels = append(u.rels, storage.StoredRelation{Head: l.Spans[r.Head].ID, Tail: l.Spans[r.Tail].ID, Label: r.Label})
	}
}

func (u *UI) spanByID(id int64) (annotate.Span, bool) {
	for _, sp := range u.spans {
		if sp.ID == id {
			return sp, true
		}
	}
	return annotate.Span{}, false
}

// showRelations puts u.rels on the view.
func (u *UI) showRelations() {
	var arcs []relArc
	focus := -1
	u.arcRels = u.arcRels[:0]
	for i, r := range u.rels {
		h, ok1 := u.spanByID(r.Head)
		t, ok2 := u.spanByID(r.Tail)
		if ok1 && ok2 {
			if i == u.relFocus {
				focus = len(arcs)
			}
			arcs = append(arcs, relArc{Head: h, Tail: t, Label: r.Label})
			u.arcRels = append(u.arcRels, i)
		}
	}
	u.view.SetRelations(arcs, focus)
}

// dropRelationsOf forgets the relations of a deleted span (the store
// deleted them with it).
func (u *UI) dropRelationsOf(id int64) {
	u.rels = slices.DeleteFunc(u.rels, func(r storage.StoredRelation) bool { return r.Head == id || r.Tail == id })
	u.relFocus = -1
}

// relSummary is the side panel's line under a head span: its relations'
// tails by type ("مصدر: فيدان · أداة: قال"); the selected one is marked.
func (u *UI) relSummary(head annotate.Span) string {
	var parts []string
	for i, r := range u.rels {
		if r.Head != head.ID {
			continue
		}
		t, ok := u.spanByID(r.Tail)
		if !ok {
			continue
		}
		name := relNames[r.Label]
		if name == "" {
			name = r.Label
		}
		p := name + ": " + t.Text
		if i == u.relFocus {
			p = "◂ " + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " · ")
}

// canHead reports whether a span labelled head may start a label relation.
func (u *UI) canHead(label, head string) bool {
	for _, t := range u.relTypes {
		if t.Name == label && slices.Contains(t.Heads, head) {
			return true
		}
	}
	return false
}

// headSpan is the span a relation label starts from: the active span, or
// the innermost span around the selection that may be its head.
func (u *UI) headSpan(label string) (annotate.Span, bool) {
	if sp, ok := u.view.ActiveSpan(); ok && u.canHead(label, sp.Label) {
		return sp, true
	}
	s, e := u.view.Selection()
	best, found := annotate.Span{}, false
	for _, sp := range u.spans {
		if sp.Start <= s && e <= sp.End && (s < e || s < sp.End) && u.canHead(label, sp.Label) {
			if !found || sp.End-sp.Start < best.End-best.Start {
				best, found = sp, true
			}
		}
	}
	return best, found
}

func (u *UI) hasRelation(head, tail int64, label string) bool {
	return slices.Contains(u.rels, storage.StoredRelation{Head: head, Tail: tail, Label: label})
}

// candidates are the spans a label relation from head may reach, nearest
// first: by the code points between them (0 when they overlap), then in
// reading order.
func (u *UI) candidates(head annotate.Span, label string) []annotate.Span {
	var out []annotate.Span
	for _, sp := range u.spans {
		if sp.ID != head.ID && !u.hasRelation(head.ID, sp.ID, label) &&
			annotate.CheckRelation(u.relTypes, label, head.Label, sp.Label) == nil {
			out = append(out, sp)
		}
	}
	gap := func(sp annotate.Span) int { return max(0, sp.Start-head.End, head.Start-sp.End) }
	sort.SliceStable(out, func(i, j int) bool { return gap(out[i]) < gap(out[j]) })
	return out
}

// startLink begins a label relation from the claim under the caret.
func (u *UI) startLink(label string) {
	if !u.ready() {
		return
	}
	head, ok := u.headSpan(label)
	if !ok {
		u.say(fmt.Sprintf(lang.L("Put the caret in a %s first to link its %s"), u.headLabels(label), label))
		return
	}
	u.link = &linking{head: head, label: label, cands: u.candidates(head, label), i: -1}
	if len(u.link.cands) > 0 {
		u.link.i = 0
	}
	u.relFocus = -1
	u.showLink()
}

func (u *UI) headLabels(label string) string {
	for _, t := range u.relTypes {
		if t.Name == label {
			return strings.Join(t.Heads, lang.L(" or "))
		}
	}
	return lang.L("span")
}

// showLink shows the relation being made in the view and the status line.
func (u *UI) showLink() {
	l := u.link
	u.view.SetLinking(&l.head, l.cand(), l.label)
	u.showRelations()
	msg := fmt.Sprintf(lang.L("%s of «%s»: "), l.label, l.head.Text)
	if c := l.cand(); c != nil {
		msg += fmt.Sprintf(lang.L("%d/%d «%s» — Enter links, Tab next, "), l.i+1, len(l.cands), c.Text)
	} else {
		msg += lang.L("no span allowed yet — ")
	}
	u.say(msg + lang.L("or select text and press a label key; Esc cancels"))
}

// cycleLink shows the next (d = +1) or previous candidate.
func (u *UI) cycleLink(d int) {
	l := u.link
	if n := len(l.cands); n > 0 {
		l.i = ((l.i+d)%n + n) % n
	}
	u.showLink()
}

func (u *UI) endLink() {
	u.link = nil
	u.view.SetLinking(nil, nil, "")
}

// linkTo makes the relation being made end at tail.
func (u *UI) linkTo(tail annotate.Span) {
	l := u.link
	if err := annotate.CheckRelation(u.relTypes, l.label, l.head.Label, tail.Label); err != nil {
		u.fail(err)
		return
	}
	if u.hasRelation(l.head.ID, tail.ID, l.label) {
		u.say(lang.L("That relation is already there"))
		return
	}
	if err := u.hist.Link(u.doc.ID, l.head, tail, l.label); err != nil {
		u.fail(err)
		return
	}
	u.linked(storage.StoredRelation{Head: l.head.ID, Tail: tail.ID, Label: l.label}, tail)
}

// linked shows a relation just stored.
func (u *UI) linked(r storage.StoredRelation, tail annotate.Span) {
	head := u.link.head
	u.endLink()
	u.rels = append(u.rels, r)
	u.relFocus = len(u.rels) - 1
	u.showSpans()
	u.layerChanged(u.doc.ID)
	u.say(fmt.Sprintf(lang.L("%s «%s» → «%s» linked (Delete removes it, Ctrl+Z undoes)"), r.Label, head.Text, tail.Text))
}

// linkNew labels the selection name and makes the new span the tail of the
// relation being made, in one undoable step.
func (u *UI) linkNew(name string) {
	l := u.link
	old, s, e, ok := labelTarget(u.view, true)
	if !ok {
		u.say(lang.L(selectFirst))
		return
	}
	if old != nil { // an existing span: link it as it is
		u.linkTo(*old)
		return
	}
	if err := annotate.CheckRelation(u.relTypes, l.label, l.head.Label, name); err != nil {
		u.fail(err)
		return
	}
	sp, err := u.hist.AddLinked(u.doc.ID, annotate.Span{Start: s, End: e, Label: name}, l.head.ID, l.label)
	if err != nil {
		u.fail(err)
		return
	}
	u.markInProgress()
	u.spans = append(u.spans, sp)
	slices.SortStableFunc(u.spans, annotate.CompareSpans)
	// A labelling like any: it suggests the other mentions (undo withdraws
	// them, redo suggests them again).
	u.propagate(sp)
	u.view.Select(sp.End, sp.End) // as label does: the new span in its own colour
	u.linked(storage.StoredRelation{Head: l.head.ID, Tail: sp.ID, Label: l.label}, sp)
}

// relKey handles the view's keys for relations; it reports whether it
// used the key.
func (u *UI) relKey(ev *fyne.KeyEvent) bool {
	if u.link != nil {
		switch ev.Name {
		case fyne.KeyTab:
			if u.view.shift {
				u.cycleLink(-1)
			} else {
				u.cycleLink(+1)
			}
		case fyne.KeyReturn, fyne.KeyEnter:
			if c := u.link.cand(); c != nil {
				u.linkTo(*c)
			} else {
				u.say(lang.L("No span the rules allow: select its text and press its label key"))
			}
		case fyne.KeyEscape: // and the selection goes, as Escape clears it elsewhere
			u.endLink()
			u.showRelations()
			u.view.Select(u.view.Caret(), u.view.Caret())
			u.say(lang.L("linking cancelled"))
		default:
			return false
		}
		return true
	}
	if u.relFocus < 0 {
		return false
	}
	switch ev.Name {
	case fyne.KeyDelete, fyne.KeyBackspace:
		u.unlinkFocused()
	case fyne.KeyEscape:
		u.focusRelation(-1)
	default:
		return false
	}
	return true
}

// relRune handles the relation command keys typed in the view.
func (u *UI) relRune(r rune) {
	if label, ok := relKeys[r]; ok {
		u.startLink(label)
		return
	}
	if d, ok := relCycleKeys[r]; ok && u.ready() {
		u.cycleRelation(d)
	}
}

// cycleRelation selects the next relation of the span under the caret.
func (u *UI) cycleRelation(d int) {
	var ids []int
	if sp, ok := u.view.ActiveSpan(); ok {
		for i, r := range u.rels {
			if r.Head == sp.ID || r.Tail == sp.ID {
				ids = append(ids, i)
			}
		}
	}
	if len(ids) == 0 {
		u.say(lang.L("No relation here: put the caret in a claim, its source or its cue"))
		return
	}
	k := slices.Index(ids, u.relFocus)
	switch {
	case k < 0 && d < 0:
		k = len(ids) - 1
	case k < 0:
		k = 0
	default:
		k = ((k+d)%len(ids) + len(ids)) % len(ids)
	}
	u.focusRelation(ids[k])
}

// focusRelation selects relation i of u.rels (-1: none).
func (u *UI) focusRelation(i int) {
	u.relFocus = i
	u.showRelations()
	u.spanList.Refresh()
	if i < 0 {
		return
	}
	r := u.rels[i]
	h, _ := u.spanByID(r.Head)
	t, _ := u.spanByID(r.Tail)
	u.say(fmt.Sprintf(lang.L("%s «%s» → «%s» — Delete removes it"), r.Label, h.Text, t.Text))
}

// unlinkFocused removes the selected relation.
func (u *UI) unlinkFocused() {
	r := u.rels[u.relFocus]
	head, _ := u.spanByID(r.Head)
	tail, _ := u.spanByID(r.Tail)
	if err := u.hist.Unlink(u.doc.ID, head, tail, r.Label); err != nil {
		u.fail(err)
		return
	}
	u.rels = slices.Delete(u.rels, u.relFocus, u.relFocus+1)
	u.relFocus = -1
	u.showSpans()
	u.layerChanged(u.doc.ID)
	u.say(fmt.Sprintf(lang.L("%s relation removed (Ctrl+Z brings it back)"), r.Label))
}

// tapSpans links a clicked candidate while linking, or selects a clicked
// relation.
func (u *UI) tapSpans(spans []annotate.Span, rel int) {
	if u.link != nil {
		for _, sp := range spans {
			if sp.ID != u.link.head.ID && annotate.CheckRelation(u.relTypes, u.link.label, u.link.head.Label, sp.Label) == nil {
				u.linkTo(sp)
				return
			}
		}
		if len(spans) > 0 && spans[0].ID != u.link.head.ID {
			u.fail(annotate.CheckRelation(u.relTypes, u.link.label, u.link.head.Label, spans[0].Label))
		}
		return
	}
	if rel >= 0 && rel < len(u.arcRels) {
		u.focusRelation(u.arcRels[rel])
	}
}
