package app

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"tawsim/annotate"
	"tawsim/annotate/match"
	"tawsim/project"
	"tawsim/storage"
)

// Suggestions in the annotation window (issue 15). The open document's
// suggestions for this annotator's layer are outlined, dashed, in their
// labels' colours; they are not annotation until accepted. With the caret
// in one and nothing selected, Enter accepts it, a label key accepts it
// with that label, X rejects it (for good: it is not suggested again);
// Ctrl+Shift+Enter accepts all of the document's. Each is one step of the
// undo history. Labelling a span by hand suggests its other mentions in
// the project (project.ProjectSuggestions), computed and stored by a
// background job, never on the UI goroutine. Project ▸ Suggestions turns
// all of it off and on for the project.

// suggestions is the window's state of them.
type suggestions struct {
	on    bool
	doc   []annotate.Suggestion // the open document's pending ones, as stored
	total int                   // pending in the project, -1 until counted
	ann   string                // whose layer total counts
	count *BidiLabel            // side panel
	menu  *fyne.MenuItem        // Project ▸ Suggestions

	bg     bgRun      // the job that propagates and counts
	mu     sync.Mutex // guards queue and active, shared with the job
	queue  []sugRequest
	active bool // a job runs and takes what is queued before it ends
}

// sugRequest is work for the job: propagate names in ann's layer (none:
// count only).
type sugRequest struct {
	ann      string
	names    []project.Name
	withdraw []annotate.Span // spans whose labelling was undone (unpropagate)
}

// suggestInline runs the job where it is asked for instead of on its own
// goroutine: set by tests whose UI is not to be touched from elsewhere.
var suggestInline = false

// suggestDo hands the job's results to the UI goroutine. (The test
// driver's fyne.Do runs them at once on the job's goroutine: tests queue
// them instead.)
var suggestDo = fyne.Do

// Keys of suggestions (Enter and the label keys come through the view).
var (
	scAcceptAll      = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	scAcceptAllEnter = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
)

// rejectKeys reject the suggestion at the caret: X, and what the key
// types on the Arabic (101) layout.
var rejectKeys = map[rune]bool{'x': true, 'X': true, 'ء': true}

// suggestPanel is the side panel's count; it reads the project's switch.
func (u *UI) suggestPanel() fyne.CanvasObject {
	on, err := u.store.SuggestionsOn()
	if err != nil {
		on = true
		defer u.fail(err)
	}
	u.sug.on, u.sug.total = on, -1
	u.sug.count = newBidiLabel(u.fonts, "", false)
	u.watch(&u.sug, func(string) { u.countSuggestions() }) // a span may cover or uncover one
	return u.sug.count
}

// acceptAllMenuItem is Edit ▸ Accept all suggestions.
func (u *UI) acceptAllMenuItem() *fyne.MenuItem {
	return fyne.NewMenuItem(lang.L("Accept all suggestions (Ctrl+Shift+Enter)"), u.acceptAll)
}

// suggestMenuItem is Project ▸ Suggestions, checked while they are on.
func (u *UI) suggestMenuItem() *fyne.MenuItem {
	u.sug.menu = fyne.NewMenuItem(lang.L("Suggestions"), func() { u.setSuggestionsOn(!u.sug.on) })
	u.sug.menu.Checked = u.sug.on
	return u.sug.menu
}

// setSuggestionsOn turns the project's suggestions on or off: off hides
// them and stops propagating labels.
func (u *UI) setSuggestionsOn(on bool) {
	if err := u.store.SetSuggestionsOn(on); err != nil {
		u.fail(err)
		return
	}
	u.sug.on = on
	if u.sug.menu != nil {
		u.sug.menu.Checked = on
		if m := u.win.MainMenu(); m != nil {
			m.Refresh()
		}
	}
	u.sug.total = -1 // what was counted may be old
	u.loadSuggestions()
	u.showSuggestions()
	if on {
		u.say(lang.L("Suggestions on: labelling a name suggests its other mentions"))
	} else {
		u.say(lang.L("Suggestions off: none shown, none made"))
	}
}

// loadSuggestions reads the open document's suggestions (one document's:
// quick) and has the project's counted in the background.
func (u *UI) loadSuggestions() {
	u.sug.doc = nil
	if !u.sug.on || u.doc == nil || u.annotator == "" {
		return
	}
	sugs, err := u.store.Suggestions(u.doc.ID, u.annotator)
	if err != nil {
		u.fail(err)
		return
	}
	u.sug.doc = sugs
	if u.sug.total < 0 || u.sug.ann != u.annotator {
		u.sug.total = -1
		u.countSuggestions()
	}
}

// shownSuggestions is the document's suggestions the view draws: those
// no span of the layer has the offsets of.
func (u *UI) shownSuggestions() []annotate.Suggestion {
	var out []annotate.Suggestion
	for _, sg := range u.sug.doc {
		if !slices.ContainsFunc(u.spans, func(sp annotate.Span) bool { return sp.Start == sg.Start && sp.End == sg.End }) {
			out = append(out, sg)
		}
	}
	return out
}

// showSuggestions puts the document's suggestions on screen, with the
// side panel's count.
func (u *UI) showSuggestions() {
	shown := u.shownSuggestions()
	u.view.SetSuggestions(shown)
	if u.sug.count == nil {
		return
	}
	switch {
	case !u.sug.on:
		u.sug.count.SetText(lang.L("Suggestions are off (Project ▸ Suggestions)"))
	case u.sug.total < 0:
		u.sug.count.SetText(fmt.Sprintf(lang.L("Suggestions: %d in this document"), len(shown)))
	default:
		u.sug.count.SetText(fmt.Sprintf(lang.L("Suggestions: %d in this document · %d in the project"), len(shown), u.sug.total))
	}
}

// suggestionNote is what the status line says of the suggestion at the
// caret, with its keys ("" for none).
func (u *UI) suggestionNote() string {
	sg, ok := u.view.SuggestionAtCaret()
	if !ok || u.link != nil {
		return ""
	}
	return fmt.Sprintf(lang.L("Suggested %s «%s»: Enter accepts · X rejects · a label key accepts it as that label"), sg.Label, sg.Text)
}

// suggestionKey accepts the suggestion at the caret on Enter; it reports
// whether it did.
func (u *UI) suggestionKey(ev *fyne.KeyEvent) bool {
	if ev.Name != fyne.KeyReturn && ev.Name != fyne.KeyEnter {
		return false
	}
	return u.acceptAtCaret("")
}

// suggestionRune rejects the suggestion at the caret on X; it reports
// whether it did.
func (u *UI) suggestionRune(r rune) bool {
	if !rejectKeys[r] {
		return false
	}
	sg, ok := u.view.SuggestionAtCaret()
	if !ok || u.link != nil || !u.ready() {
		return ok
	}
	if err := u.hist.Reject(u.doc.ID, sg); err != nil {
		u.fail(err)
		return true
	}
	u.dropSuggestions([]annotate.Suggestion{sg})
	u.countSuggestions()
	u.say(fmt.Sprintf(lang.L("Rejected: %s «%s» is not suggested again (Ctrl+Z brings it back)"), sg.Label, sg.Text))
	return true
}

// suggestionHotkey accepts the suggestion at the caret with the label of
// hotkey r; it reports whether there was one to accept.
func (u *UI) suggestionHotkey(r rune) bool {
	name := u.labelOfKey(r)
	if name == "" {
		return false
	}
	return u.acceptAtCaret(name)
}

// acceptAtCaret accepts the suggestion at the caret with label ("" its
// own) and reports whether there was one.
func (u *UI) acceptAtCaret(label string) bool {
	sg, ok := u.view.SuggestionAtCaret()
	if !ok || u.link != nil {
		return false
	}
	u.accept([]annotate.Suggestion{sg}, label)
	return true
}

// acceptAll accepts every suggestion shown in the document, in one step;
// of several at the same offsets only the first.
func (u *UI) acceptAll() {
	if !u.ready() {
		return
	}
	var sugs []annotate.Suggestion
	for _, sg := range u.view.Suggestions() {
		if !slices.ContainsFunc(sugs, func(o annotate.Suggestion) bool { return o.Start == sg.Start && o.End == sg.End }) {
			sugs = append(sugs, sg)
		}
	}
	if len(sugs) == 0 {
		u.say(lang.L("No suggestions in this document"))
		return
	}
	u.accept(sugs, "")
}

// accept makes sugs spans labelled label ("" each its own), one step.
func (u *UI) accept(sugs []annotate.Suggestion, label string) {
	if !u.ready() {
		return
	}
	spans, err := u.hist.Accept(u.doc.ID, sugs, label)
	if err != nil {
		u.fail(err)
		return
	}
	u.markInProgress()
	u.dropSuggestions(sugs)
	for _, sp := range spans {
		u.spans = insertSpan(u.spans, sp)
	}
	u.showSpans()
	u.layerChanged(u.doc.ID)
	if len(spans) == 1 {
		sp := spans[0]
		u.view.Select(sp.Start, sp.Start)
		u.say(fmt.Sprintf(lang.L("Accepted: %s «%s» (Ctrl+Z undoes)"), sp.Label, sp.Text))
		return
	}
	u.say(fmt.Sprintf(lang.L("Accepted %d suggestions (Ctrl+Z undoes)"), len(spans)))
}

// dropSuggestions takes sugs, accepted or rejected, off the document's.
func (u *UI) dropSuggestions(sugs []annotate.Suggestion) {
	u.sug.doc = slices.DeleteFunc(u.sug.doc, func(sg annotate.Suggestion) bool {
		return slices.ContainsFunc(sugs, func(o annotate.Suggestion) bool { return o.ID == sg.ID })
	})
	u.showSuggestions()
}

// propagate suggests the other mentions of sp, a span just labelled by
// hand, in the project.
func (u *UI) propagate(sp annotate.Span) {
	if !u.sug.on || u.annotator == "" {
		return
	}
	m, err := match.Compile(sp.Text)
	if err != nil { // no word in it
		return
	}
	u.suggestInBackground(sugRequest{ann: u.annotator, names: []project.Name{{Label: sp.Label, Matcher: m}}})
}

// unpropagate withdraws, in the background, the suggestions labelling sp
// made, now that its labelling was undone (project.Unpropagate).
func (u *UI) unpropagate(sp annotate.Span) {
	if u.sug.on && u.annotator != "" {
		u.suggestInBackground(sugRequest{ann: u.annotator, withdraw: []annotate.Span{sp}})
	}
}

// countSuggestions has the project's suggestions counted in the
// background.
func (u *UI) countSuggestions() {
	if u.sug.on && u.annotator != "" {
		u.suggestInBackground(sugRequest{ann: u.annotator})
	}
}

// suggestInBackground queues req for the job, starting it unless it runs:
// then it takes req before it ends.
func (u *UI) suggestInBackground(req sugRequest) {
	q := &u.sug
	q.mu.Lock()
	q.queue = append(q.queue, req)
	start := !q.active
	q.active = true
	q.mu.Unlock()
	if !start {
		return
	}
	st := u.store
	if suggestInline {
		u.drainSuggestions(st, func(f func()) { f() })
		return
	}
	u.track(&q.bg)
	for !q.bg.run(suggestDo, func() func() { u.drainSuggestions(st, suggestDo); return func() {} }) {
		q.bg.wait() // the last job has taken its last request and is ending
	}
}

// drainSuggestions is the job: it propagates and counts what is queued
// until nothing is, each round's result handed to the UI through do.
func (u *UI) drainSuggestions(st *storage.Store, do func(func())) {
	q := &u.sug
	for {
		q.mu.Lock()
		reqs := q.queue
		// A round withdraws before it propagates: a withdraw queued after a
		// propagate (delete, undo, redo) waits for the next round, or the
		// deleted span's suggestions would come back.
		cut, names := len(reqs), false
		for i, r := range reqs {
			if len(r.withdraw) > 0 && names {
				cut = i
				break
			}
			names = names || len(r.names) > 0
		}
		reqs, q.queue = reqs[:cut], slices.Clone(reqs[cut:])
		if len(reqs) == 0 {
			q.active = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		var errs []error
		for _, r := range reqs { // before this round propagates anew
			for _, sp := range r.withdraw {
				_, err := project.Unpropagate(st, r.ann, sp)
				errs = append(errs, err)
			}
		}
		for _, ann := range annotatorsOf(reqs) {
			var names []project.Name
			for _, r := range reqs {
				if r.ann == ann {
					names = append(names, r.names...)
				}
			}
			if len(names) == 0 {
				continue
			}
			sugs, err := project.ProjectSuggestions(st, ann, names, annotate.OriginPropagated)
			if err == nil {
				_, _, err = st.AddSuggestions(ann, sugs)
			}
			errs = append(errs, err)
		}
		ann := reqs[len(reqs)-1].ann
		n, err := st.CountSuggestions(ann)
		errs = append(errs, err)
		do(func() { u.suggestionsStored(st, ann, n, errors.Join(errs...)) })
	}
}

// annotatorsOf is the distinct annotators of reqs, in order.
func annotatorsOf(reqs []sugRequest) []string {
	var out []string
	for _, r := range reqs {
		if !slices.Contains(out, r.ann) {
			out = append(out, r.ann)
		}
	}
	return out
}

// suggestionsStored shows what a round of the job stored and counted,
// unless the window has moved on to another project or annotator.
func (u *UI) suggestionsStored(st *storage.Store, ann string, total int, err error) {
	if st != u.store || ann != u.annotator {
		return
	}
	if err != nil {
		u.fail(err)
		return
	}
	u.sug.total, u.sug.ann = total, ann
	u.loadSuggestions()
	u.showSuggestions()
	if u.view.anchor == u.view.caret {
		u.renewNote() // one may have come under the caret
	}
}
