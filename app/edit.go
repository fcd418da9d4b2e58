package app

import (
	"errors"
	"fmt"
	"fyne.io/fyne/v2/lang"
	"strings"
	"unicode"

	"tawsim/annotate"
	"tawsim/storage"
)

// The main window's editing commands: labelling, deleting, boundaries,
// clitics, undo and redo, marking done.

func (u *UI) showSelection() {
	if u.relFocus >= 0 {
		u.focusRelation(-1)
	}
	u.sayNote()
}

// sayNote writes the selection's note on the status line, or, when there
// is none, clears the last one it wrote.
func (u *UI) sayNote() {
	if msg := u.selectionNote(); msg != "" {
		u.sayOfSelection(msg)
	} else if u.selNote != "" && u.message.Text() == u.selNote {
		u.say("") // the selection or span it described is gone: Escape, a click
	}
}

// renewNote writes the selection's note again after a background change
// (suggestions arrived under the caret), unless the status line reports
// something else, which the note would hide (as "Undone: …").
func (u *UI) renewNote() {
	if t := u.message.Text(); t == "" || t == u.selNote {
		u.sayNote()
	}
}

// sayOfSelection says msg, a note on the selection as it is: the next
// change of the selection replaces it, or clears it (sayNote).
func (u *UI) sayOfSelection(msg string) {
	u.say(msg)
	u.selNote = msg
}

// selectionNote is what the status line says of the selection or the span
// at the caret ("" for nothing): a suggestion's keys first (suggestionNote).
func (u *UI) selectionNote() string {
	s, e := u.view.Selection()
	if u.link != nil {
		if s < e {
			return fmt.Sprintf(lang.L("%s of «%s»: selected [%d,%d) — press a label key to make it the %s"), u.link.label, u.link.head.Text, s, e, strings.ToLower(u.link.label))
		}
		return ""
	}
	if msg := u.suggestionNote(); msg != "" {
		return msg
	}
	if sp, ok := u.view.ActiveSpan(); ok {
		return spanRef(sp.Label, sp.Start, sp.End) + " «" + isolateRTL(sp.Text) + "»"
	}
	if s < e && u.doc != nil {
		return fmt.Sprintf(lang.L("selected [%d,%d) — %s"), s, e, hotkeyHint(u.labels))
	}
	return ""
}

func (u *UI) ready() bool {
	if u.doc == nil {
		return false
	}
	if u.store.ReadOnly() {
		u.say(lang.L(readOnlyNote))
		return false
	}
	if u.annotator == "" {
		u.say(lang.L("Enter your name first"))
		return false
	}
	return true
}

// hotkey labels the selection with the label bound to r.
func (u *UI) hotkey(r rune) {
	if u.suggestionHotkey(r) {
		return
	}
	if name := u.labelOfKey(r); name != "" {
		u.useLabel(name)
	} else if u.doc != nil {
		u.say(fmt.Sprintf(lang.L("No label has the hotkey %c: %s"), r, hotkeyHint(u.labels)))
	}
}

// useLabel is a label key or palette button: while linking it makes the
// tail of the relation, else it labels the selection.
func (u *UI) useLabel(name string) {
	if u.link != nil && u.ready() {
		u.linkNew(name)
		return
	}
	u.label(name)
}

// labelOfKey is the name of the label bound to hotkey r, or "".
func (u *UI) labelOfKey(r rune) string {
	for _, l := range u.labels {
		if l.Hotkey == string(r) {
			return l.Name
		}
	}
	return ""
}

// selectFirst answers a label key with nothing to label.
const selectFirst = "Select some text first (drag, double-click, or Shift+arrows)"

// labelTarget is what a label key in v acts on: the active span when the
// selection is exactly that span, or, with caret, empty with the caret in
// it (old, to be relabelled), else the selection (old is nil: a new span).
// ok is false when there is neither.
func labelTarget(v *SpanView, caret bool) (old *annotate.Span, start, end int, ok bool) {
	s, e := v.Selection()
	if act, ok := v.ActiveSpan(); ok && ((caret && s == e) || (act.Start == s && act.End == e)) {
		return &act, act.Start, act.End, true
	}
	return nil, s, e, s < e
}

// label gives the selection a label: a new span, or, when the selection is
// exactly a span of this annotator, that span relabelled. Then the caret
// stands at the span's end with nothing selected, so the span shows in its
// own colour (and is still the one the span keys act on).
func (u *UI) label(name string) {
	if !u.ready() {
		return
	}
	old, s, e, ok := labelTarget(u.view, false)
	if !ok {
		if _, in := u.view.ActiveSpan(); in { // a stray key in a span clicked into
			u.sayOfSelection(lang.L("Select the span exactly to relabel it (click it in the span list)"))
		} else {
			u.say(lang.L(selectFirst))
		}
		return
	}
	if old == nil && strings.TrimSpace(string(u.view.Layout().Text()[s:e])) == "" {
		u.say(lang.L("Only spaces are selected: a span needs a letter, a digit or a sign"))
		return
	}
	u.find.lastLabel = name // for Ctrl+Enter in the find bar
	if old != nil {
		if old.Label == name {
			return
		}
		if why := u.relabelRefusal(*old, name); why != "" {
			u.say(why)
			return
		}
		sp, err := u.hist.Update(u.doc.ID, *old, annotate.Span{Start: s, End: e, Label: name})
		if err != nil {
			u.fail(err)
			return
		}
		u.replaceSpan(old, &sp)
		u.view.Select(e, e)
		return
	}
	sp, err := u.hist.Add(u.doc.ID, annotate.Span{Start: s, End: e, Label: name})
	if errors.Is(err, storage.ErrDuplicateSpan) {
		u.say(lang.L("That span is already there"))
		return
	}
	if err != nil {
		u.fail(err)
		return
	}
	u.markInProgress()
	u.replaceSpan(nil, &sp)
	u.propagate(sp)
	u.view.Select(sp.End, sp.End)
	u.say(spanSaved(sp))
}

// relabelRefusal names the relation of sp that labelling it name would
// break (annotate.CheckRelation), or is "". A relabel is refused rather
// than leave a relation its type does not allow.
func (u *UI) relabelRefusal(sp annotate.Span, name string) string {
	for _, r := range u.rels {
		if r.Head != sp.ID && r.Tail != sp.ID {
			continue
		}
		h, ok1 := u.spanByID(r.Head)
		t, ok2 := u.spanByID(r.Tail)
		if !ok1 || !ok2 {
			continue
		}
		if r.Head == sp.ID {
			h.Label = name
		}
		if r.Tail == sp.ID {
			t.Label = name
		}
		if err := annotate.CheckRelation(u.relTypes, r.Label, h.Label, t.Label); err != nil {
			return fmt.Sprintf(lang.L("Not relabelled: «%s» is in the %s relation «%s» → «%s» (%v); delete that relation first"), sp.Text, r.Label, h.Text, t.Text, err)
		}
	}
	return ""
}

func (u *UI) markInProgress() {
	if row := u.openRow(); row != nil {
		if st := row.Status[u.annotator]; st == "" || st == annotate.StatusTodo {
			row.Status[u.annotator] = annotate.StatusInProgress
		}
	}
}

// openRow is the open document's row in the list, or nil when the list
// does not hold it: while the list is read at start-up it holds only the
// first document, and undo may open another.
func (u *UI) openRow() *storage.DocInfo {
	if u.doc != nil && u.cur >= 0 && u.cur < len(u.docs) && u.docs[u.cur].ID == u.doc.ID {
		return &u.docs[u.cur]
	}
	return nil
}

// openStatus is this annotator's status of the open document, when it may
// change (ready): its row's, or the store's when it has none.
func (u *UI) openStatus() (annotate.Status, bool) {
	if !u.ready() {
		return "", false
	}
	if row := u.openRow(); row != nil {
		return row.Status[u.annotator], true
	}
	info, err := u.store.DocumentInfo(u.doc.ID)
	if err != nil {
		u.fail(err)
		return "", false
	}
	return info.Status[u.annotator], true
}

// activeSpan is the span a command on one span acts on (see
// SpanView.ActiveSpan); where there is none it says so with none.
func (u *UI) activeSpan(none string) (annotate.Span, bool) {
	if !u.ready() {
		return annotate.Span{}, false
	}
	sp, ok := u.view.ActiveSpan()
	if !ok {
		u.say(none)
	}
	return sp, ok
}

// deleteActive removes the selected span, or the innermost one under the
// caret.
func (u *UI) deleteActive() {
	sp, ok := u.activeSpan(lang.L("No span here to delete"))
	if !ok {
		return
	}
	if err := u.hist.Delete(u.doc.ID, sp); err != nil {
		u.fail(err)
		return
	}
	u.replaceSpan(&sp, nil)
	u.unpropagate(sp) // its suggestions go with it, as with undoing its labelling
	u.view.Select(sp.End, sp.End)
	u.say(fmt.Sprintf(lang.L("deleted %s «%s» (Ctrl+Z brings it back)"), sp.Label, sp.Text))
}

// moveBoundary moves the active span's end (end=true) or start by one
// character: the end in visual direction dir, the start earlier or later.
func (u *UI) moveBoundary(end bool, dir int) {
	sp, ok := u.activeSpan(lang.L("Select a span to move its boundaries"))
	if !ok {
		return
	}
	n := sp
	if end {
		// The end in the visual direction of the arrow: in an RTL line Left
		// moves it one letter further on.
		moved := u.view.MoveVisual(sp.End, dir)
		if moved == sp.End {
			return
		}
		if moved > sp.End {
			n.End = sp.End + 1
		} else {
			n.End = sp.End - 1
		}
	} else {
		n.Start = sp.Start + dir
	}
	if n.Start < 0 || n.End > u.view.Layout().Len() || n.Start >= n.End {
		return
	}
	stored, err := u.hist.Update(u.doc.ID, sp, annotate.Span{Start: n.Start, End: n.End, Label: sp.Label})
	if err != nil {
		u.fail(err)
		return
	}
	u.replaceSpan(&sp, &stored)
	u.view.Select(n.Start, n.End)
}

// stripSelection trims Arabic proclitics off the selection (or the active
// span), by the rule strip-on-double-click follows (stripFrom).
func (u *UI) stripSelection() {
	if u.doc == nil {
		return
	}
	s, e := u.view.Selection()
	act, isSpan := u.view.ActiveSpan()
	if s == e && isSpan {
		s, e = act.Start, act.End
	}
	if s == e {
		return
	}
	ns := u.stripFrom(s, e)
	if ns == s {
		u.say(keptNote([]rune(u.doc.Text)[s:e]))
		return
	}
	if isSpan && act.Start == s && act.End == e {
		stored, err := u.hist.Update(u.doc.ID, act, annotate.Span{Start: ns, End: e, Label: act.Label})
		if err != nil {
			u.fail(err)
			return
		}
		u.replaceSpan(&act, &stored)
	}
	u.view.Select(ns, e)
}

// stripFrom returns where [s,e) starts once proclitics are trimmed: the
// licensed-stem rule, one for Ctrl+L and double-click alike. A proclitic
// goes where the article follows it or the rest occurs as a word of the
// document (بتركيا beside تركيا), never on the letters alone (واشنطن
// keeps its و).
func (u *UI) stripFrom(s, e int) int {
	text := u.view.Layout().Text()
	words := annotate.WordSet(text)
	n := annotate.StripClitics(text[s:e], annotate.CliticOptions{Known: func(w []rune) bool { return words[string(w)] }})
	return s + n
}

// keptNote says why stripping left word whole: it starts with no
// proclitic letters, or with some that the rule keeps because the rest is
// not a word of the document (the و of «واشنطن», or of «وأكدت» until
// «أكدت» occurs on its own), and how to trim it by hand.
func keptNote(word []rune) string {
	p := annotate.ParseProclitics(word)
	stem := word[p.Prep:]
	letters := 0
	for _, r := range stem {
		if !annotate.IsWordRune(r) { // a phrase: the rule knows single words only
			return lang.L("No proclitic to strip here")
		}
		if unicode.IsLetter(r) && r != 'ـ' {
			letters++
		}
	}
	if p.Prep == 0 || letters < 2 { // «ولد» is not و + ل + د
		return lang.L("No proclitic to strip here")
	}
	return fmt.Sprintf(lang.L("«%s» of «%s» is kept: «%s» does not occur on its own in this document (on a span, Alt+Shift+↓ moves its start one letter on)"),
		string(word[:p.Prep]), string(word), string(stem))
}

func (u *UI) doubleTap(s, e int) (int, int) {
	if u.stripTick.Checked && e > s {
		return u.stripFrom(s, e), e
	}
	return s, e
}

func (u *UI) undo() {
	if u.hist == nil {
		return
	}
	added, deleted := u.hist.topAdd(true), u.hist.topDelete(true)
	what := u.hist.note(true)
	doc, err := u.hist.Undo()
	u.afterHistory(doc, err, what, lang.L("Nothing to undo"))
	switch {
	case err != nil:
	case added != nil:
		u.unpropagate(*added) // its suggestions go with it
	case deleted != nil:
		u.propagate(*deleted) // and come back with it
	}
}

func (u *UI) redo() {
	if u.hist == nil {
		return
	}
	added, deleted := u.hist.topAdd(false), u.hist.topDelete(false)
	what := u.hist.note(false)
	doc, err := u.hist.Redo()
	u.afterHistory(doc, err, what, lang.L("Nothing to redo"))
	switch {
	case err != nil:
	case added != nil:
		u.propagate(*added)
	case deleted != nil:
		u.unpropagate(*deleted)
	}
}

func (u *UI) afterHistory(doc string, err error, what, nothing string) {
	if err != nil {
		u.fail(err)
	}
	if doc == "" {
		u.say(nothing)
		return
	}
	if u.doc == nil || doc != u.doc.ID {
		u.openID(doc)
	}
	u.reloadSpans()
	u.layerChanged(doc)
	if err == nil {
		u.say(what)
	}
}

// markDone (✓, Ctrl+Enter) toggles the open document: one in progress is
// marked done for this annotator and the next one not done opens; one
// done is reopened.
func (u *UI) markDone() {
	st, ok := u.openStatus()
	if !ok {
		return
	}
	if st == annotate.StatusDone {
		u.reopenDoc()
		return
	}
	if u.filt.loading { // the next one not done is not known yet
		u.say(lang.L("The document list is still loading"))
		return
	}
	if !u.setStatus(annotate.StatusDone) {
		return
	}
	done := u.doc.ID
	for k := 1; k <= len(u.docs); k++ {
		j := (u.cur + k) % len(u.docs)
		if u.docs[j].Status[u.annotator] != annotate.StatusDone {
			u.Open(j)
			u.say(fmt.Sprintf(lang.L("%s marked done (Document ▸ Reopen, or Ctrl+Enter on it, reopens it)"), isolateRTL(done)))
			return
		}
	}
	if len(u.docs) < len(u.filt.all) {
		u.say(lang.L("All the documents listed are done"))
		return
	}
	u.say(lang.L("All documents are done"))
}

// reopenDoc (Document ▸ Reopen) puts the open document, if done, back in
// progress.
func (u *UI) reopenDoc() {
	st, ok := u.openStatus()
	if !ok {
		return
	}
	if st != annotate.StatusDone {
		u.say(lang.L("This document is not marked done"))
		return
	}
	if u.setStatus(annotate.StatusInProgress) {
		u.say(lang.L("Reopened: this document is in progress again (Ctrl+Enter marks it done)"))
	}
}

// setStatus records the open document's status for this annotator and
// shows it; it reports whether that worked.
func (u *UI) setStatus(st annotate.Status) bool {
	if err := u.store.SetStatus(u.doc.ID, u.annotator, st); err != nil {
		u.fail(err)
		return false
	}
	if row := u.openRow(); row != nil {
		row.Status[u.annotator] = st
		u.docList.RefreshItem(u.cur)
	}
	u.updateProgress()
	u.layerChanged(u.doc.ID) // the status is part of the layer
	return true
}

// spanSaved is the status line after sp was labelled. The label with its
// offsets and the span's text are isolated (isolate): the brackets and
// guillemets would otherwise be placed by the text around them, in
// either direction of the interface.
func spanSaved(sp annotate.Span) string {
	return fmt.Sprintf(lang.L("%s «%s» saved"), isolate(fmt.Sprintf("%s [%d,%d)", sp.Label, sp.Start, sp.End)), isolate(sp.Text))
}
