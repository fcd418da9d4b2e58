package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/project"
	"tawsim/storage"
)

// The adjudication window's documents: the list with each document's
// adjudication status and its filter, finishing and reopening, the
// settings, the pre-fill, and following changes made elsewhere.

// The filter's choices, in the interface language (set by
// translateChoices: code compares them with the selected option).
var filterAll, filterTodo, filterInProgress, filterFinished, filterNotFinished string

func statusName(s annotate.GoldStatus) string {
	switch s {
	case annotate.GoldFinished:
		return lang.L("finished")
	case annotate.GoldInProgress:
		return lang.L("in progress")
	}
	return lang.L("to do")
}

// statusMark is the status with a glyph that tells them apart at a glance.
func statusMark(s annotate.GoldStatus) string {
	glyph := map[annotate.GoldStatus]string{annotate.GoldFinished: "●", annotate.GoldInProgress: "◐"}[s]
	if glyph == "" {
		glyph = "○"
	}
	return glyph + " " + statusName(s)
}

func (a *adjScreen) buildDocList() fyne.CanvasObject {
	a.docList = widget.NewList(
		func() int { return len(a.shown) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewLabel(lang.L("◐ in progress")), nil, NewTextLine(a.u.fonts, ""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(a.shown) {
				return
			}
			d := a.docs[a.shown[i]]
			c := o.(*fyne.Container)
			name := d.Title
			if name == "" {
				name = d.ID
			}
			c.Objects[0].(*TextLine).SetText(name)
			c.Objects[1].(*widget.Label).SetText(statusMark(d.Gold.Status))
		})
	a.docList.OnSelected = func(i widget.ListItemID) {
		if i < len(a.shown) && a.shown[i] != a.cur {
			a.open(a.shown[i])
		}
		a.win.Canvas().Unfocus() // the keys act on the groups
	}
	a.filter = widget.NewSelect([]string{filterAll, filterTodo, filterInProgress, filterFinished, filterNotFinished}, func(string) {
		a.applyFilter()
	})
	a.filter.SetSelected(filterAll)
	// What acts on whole documents is below their list.
	actions := container.NewVBox(
		widget.NewButton(lang.L("Finish (Ctrl+Enter)"), a.finishDoc),
		widget.NewButton(lang.L("Reopen doc (Ctrl+U)"), a.reopenDoc),
		widget.NewButton(lang.L("Pre-fill all (P)"), a.prefill),
		container.NewGridWithColumns(2, widget.NewButton(lang.L("Undo"), a.undo), widget.NewButton(lang.L("Redo"), a.redo)))
	return container.NewBorder(container.NewVBox(a.progress, a.filter), actions, nil, nil, a.docList)
}

// buildSettings is the annotators taking part and the minimum agreement.
func (a *adjScreen) buildSettings() fyne.CanvasObject {
	a.annCheck = widget.NewCheckGroup(a.all, nil)
	a.annCheck.Horizontal = true
	a.annCheck.SetSelected(a.annotators)
	a.annCheck.OnChanged = func(sel []string) {
		var names []string
		for _, n := range a.all { // in the project's order, not the clicks'
			if slices.Contains(sel, n) {
				names = append(names, n)
			}
		}
		a.annotators = names
		a.settingsChanged()
	}
	a.minSel = widget.NewSelect(nil, func(s string) {
		a.minAgree = minAgreeOf(s)
		a.settingsChanged()
	})
	a.minOptions()
	return widget.NewForm(
		widget.NewFormItem(lang.L("Annotators"), container.NewHScroll(a.annCheck)),
		widget.NewFormItem(lang.L("Automatic when"), a.minSel),
	)
}

// minOptions fills the threshold's choices for the annotators taking part.
func (a *adjScreen) minOptions() {
	n := len(a.annotators)
	if a.minAgree > n || a.minAgree == n {
		a.minAgree = 0
	}
	opts := []string{fmt.Sprintf("all %d agree", n)}
	for k := n - 1; k >= 1; k-- {
		opts = append(opts, fmt.Sprintf("%d of %d agree", k, n))
	}
	change := a.minSel.OnChanged
	a.minSel.OnChanged = nil
	a.minSel.Options = opts
	if a.minAgree == 0 {
		a.minSel.SetSelected(opts[0])
	} else {
		a.minSel.SetSelected(opts[n-a.minAgree])
	}
	a.minSel.OnChanged = change
}

// minAgreeOf reads a threshold choice: 0 for all.
func minAgreeOf(s string) int {
	var k, n int
	if _, err := fmt.Sscanf(s, "%d of %d", &k, &n); err != nil {
		return 0
	}
	return k
}

func (a *adjScreen) settingsChanged() {
	a.minOptions()
	a.reload()
	need := adjudicate.Threshold(a.minAgree, len(a.annotators))
	a.say(fmt.Sprintf(lang.L("annotators %s; automatic when %d of %d agree exactly (P pre-fills with these and records them)"),
		listOrNone(a.annotators), need, len(a.annotators)))
}

// setDocs puts a fresh document list in place, keeping the current
// document.
func (a *adjScreen) setDocs(docs []storage.DocInfo) {
	id := ""
	if a.cur >= 0 && a.cur < len(a.docs) {
		id = a.docs[a.cur].ID
	}
	a.docs = docs
	if id != "" {
		a.cur = slices.IndexFunc(docs, func(d storage.DocInfo) bool { return d.ID == id })
	}
	a.applyFilter()
}

func (a *adjScreen) passes(s annotate.GoldStatus) bool {
	switch a.filter.Selected {
	case filterTodo:
		return s == annotate.GoldTodo || s == ""
	case filterInProgress:
		return s == annotate.GoldInProgress
	case filterFinished:
		return s == annotate.GoldFinished
	case filterNotFinished:
		return s != annotate.GoldFinished
	}
	return true
}

func (a *adjScreen) applyFilter() {
	if a.docList == nil {
		return
	}
	a.shown = a.shown[:0]
	for i, d := range a.docs {
		if a.passes(d.Gold.Status) {
			a.shown = append(a.shown, i)
		}
	}
	a.updateProgress()
	a.docList.Refresh()
	a.markCurrent()
}

// markCurrent selects the current document's row, if shown.
func (a *adjScreen) markCurrent() {
	if a.docList == nil {
		return
	}
	if at := slices.Index(a.shown, a.cur); at >= 0 && a.cur >= 0 {
		a.docList.Select(at)
		a.docList.ScrollTo(at)
	} else {
		a.docList.UnselectAll()
	}
}

func (a *adjScreen) updateProgress() {
	n := 0
	for _, d := range a.docs {
		if d.Gold.Status == annotate.GoldFinished {
			n++
		}
	}
	text := fmt.Sprintf(lang.L("%d / %d documents finished"), n, len(a.docs))
	if len(a.shown) != len(a.docs) {
		text += fmt.Sprintf(lang.L(" · %d shown"), len(a.shown))
	}
	a.progress.SetText(text)
}

// stepDoc opens the next (d = +1) or previous shown document.
func (a *adjScreen) stepDoc(d int) {
	at := slices.Index(a.shown, a.cur)
	if at < 0 { // the current one is filtered out: the first shown after it
		at = 0
		for at < len(a.shown) && a.shown[at] < a.cur {
			at++
		}
		if d > 0 {
			at--
		}
	}
	if j := at + d; j >= 0 && j < len(a.shown) {
		a.open(a.shown[j])
	}
}

// showDoc opens document id unless it is the current one.
func (a *adjScreen) showDoc(id string) {
	if a.cur >= 0 && a.cur < len(a.docs) && a.docs[a.cur].ID == id {
		return
	}
	if i := slices.IndexFunc(a.docs, func(d storage.DocInfo) bool { return d.ID == id }); i >= 0 {
		a.open(i)
	}
}

// refreshDoc shows what a change did to document id: its status in the
// list, and its groups when it is the current one.
func (a *adjScreen) refreshDoc(id string) {
	if s, err := a.state(id); err == nil {
		if i := slices.IndexFunc(a.docs, func(d storage.DocInfo) bool { return d.ID == id }); i >= 0 {
			a.docs[i].Gold.Status = s.status.Status
		}
	}
	a.applyFilter()
	if a.cur >= 0 && a.cur < len(a.docs) && a.docs[a.cur].ID == id {
		a.reload()
	}
}

// loadDocs reads the document list in the background, unless a load runs
// (it reports whether it started one).
func (a *adjScreen) loadDocs() bool {
	st := a.u.store
	return a.loads.run(a.do, func() func() {
		docs, err := st.Documents()
		return func() {
			if err != nil {
				a.fail(err)
				return
			}
			a.setDocs(docs)
		}
	})
}

// adjPoll is how often the window looks whether another process changed
// the database (0: never, for tests that look by hand).
var adjPoll = time.Second

// checkChanges follows what another process (or this one) committed: when
// the database's data version moved, the list is read again in the
// background and the current document at once (one document).
func (a *adjScreen) checkChanges() {
	a.changed(a.u.store, func() bool {
		if !a.loadDocs() {
			return false // a load runs: look again at the next tick
		}
		if all, err := a.u.store.Annotators(); err == nil && !slices.Equal(all, a.all) {
			a.all = all // someone new can be chosen; who takes part stays
			a.annCheck.Options = all
			a.annCheck.Refresh()
		}
		a.reload()
		return true
	})
}

// wait blocks until the background jobs (pre-fill, list) have finished.
func (a *adjScreen) wait() {
	a.jobs.wait()
	a.loads.wait()
}

// finishDoc declares the current document's adjudication finished and
// opens the next unfinished one; with groups still open it asks first.
func (a *adjScreen) finishDoc() {
	if a.cur < 0 || a.cur >= len(a.docs) {
		return
	}
	d := a.docs[a.cur]
	if d.Gold.Status == annotate.GoldFinished {
		a.say(d.ID + lang.L(" is finished already (Ctrl+U reopens it)"))
		return
	}
	n := a.pending()
	if n == 0 {
		a.finishNow(false)
		return
	}
	a.confirm = dialog.NewConfirm(lang.L("Finish with open groups?"),
		fmt.Sprintf(lang.L("%s still has %s. Once finished, its gold layer goes into exports and scores as it is:\nnothing there counts as an entity."),
			d.ID, countOf(n, "open group", "open groups")),
		func(ok bool) {
			if ok {
				a.finishNow(true)
			} else {
				a.say(lang.L("Not finished: ") + countOf(n, "group is", "groups are") + lang.L(" open (N goes to the next)"))
			}
		}, a.win)
	a.confirm.SetConfirmText(lang.L("Finish anyway"))
	a.confirm.SetDismissText(lang.L("Cancel"))
	a.confirm.Show()
}

// finishNow finishes the current document (force: with open groups, as the
// adjudicator confirmed) and opens the next unfinished one.
func (a *adjScreen) finishNow(force bool) {
	id := a.docs[a.cur].ID
	err := a.record(id, lang.L("finish"), func() error {
		return a.u.store.FinishGold([]string{id}, a.adjudicator(), force, a.settings())
	})
	var oge *storage.OpenGroupsError
	if errors.As(err, &oge) { // the layers changed meanwhile: ask again
		a.reload()
		a.finishDoc()
		return
	}
	a.refreshDoc(id)
	if err != nil {
		a.fail(err)
		return
	}
	msg := lang.L("finished ") + id
	if next := a.nextUnfinished(); next >= 0 {
		a.open(next)
		msg += lang.L("; now ") + a.docs[next].ID
	} else {
		msg += lang.L("; every document is finished")
	}
	a.say(msg + " (" + a.progress.Text + ")")
}

// nextUnfinished is the first document after the current one (wrapping
// around) whose adjudication is not finished, -1 for none.
func (a *adjScreen) nextUnfinished() int {
	for step := 1; step <= len(a.docs); step++ {
		if i := (a.cur + step) % len(a.docs); a.docs[i].Gold.Status != annotate.GoldFinished {
			return i
		}
	}
	return -1
}

// reopenDoc puts the current document's adjudication back in progress.
func (a *adjScreen) reopenDoc() {
	if a.cur < 0 || a.cur >= len(a.docs) {
		return
	}
	id := a.docs[a.cur].ID
	if a.docs[a.cur].Gold.Status != annotate.GoldFinished {
		a.say(id + lang.L(" is not finished: nothing to reopen"))
		return
	}
	err := a.record(id, lang.L("reopen document"), func() error { return a.u.store.ReopenGold([]string{id}) })
	a.refreshDoc(id)
	if err != nil {
		a.fail(err)
		return
	}
	a.say(lang.L("reopened ") + id + lang.L(": its adjudication is in progress again"))
}

// prefill accepts the agreed groups of every unfinished document
// automatically with the window's settings, in the background (as `tawsim
// adjudicate` does, recording the settings), leaving hand decisions alone.
func (a *adjScreen) prefill() {
	if len(a.annotators) == 0 {
		a.say(lang.L("Choose the annotators taking part first"))
		return
	}
	done, ok := a.jobs.start()
	if !ok {
		a.say(lang.L("The pre-fill is still running"))
		return
	}
	names, minAgree := slices.Clone(a.annotators), a.minAgree
	opts := project.PrefillOptions{Settings: storage.PrefillSettings{Annotators: names, MinAgree: minAgree}, By: a.adjudicator()}
	a.bar.SetValue(0)
	a.bar.Show()
	a.say(lang.L("pre-fill: reading every document…"))
	st := a.u.store
	go func() {
		defer close(done)
		res, err := project.Prefill(st, opts, func(n, total int) {
			a.do(func() { a.bar.SetValue(float64(n) / float64(max(total, 1))) })
		})
		msg := prefillSummary(names, minAgree, res, err)
		a.do(func() {
			a.bar.Hide()
			a.reload()
			a.loadDocs()
			a.say(msg)
		})
	}()
}

// prefillSummary says what a pre-fill accepted and, when nothing, why:
// from the candidates it left open it counts how many spans each number of
// annotators agree on, and names the threshold that would accept some.
func prefillSummary(names []string, minAgree int, res []project.PrefillDoc, err error) string {
	if err != nil {
		return lang.L("⚠ pre-fill failed: ") + err.Error()
	}
	n := len(names)
	need := adjudicate.Threshold(minAgree, n)
	var added, dropped, open, openDocs, finished, automatic int
	votes := make([]int, n+1) // candidates not in gold, in groups left open, by votes
	for _, d := range res {
		added, dropped, automatic = added+len(d.Added), dropped+d.Dropped, automatic+d.Counts.Automatic
		if d.Status == annotate.GoldFinished {
			finished++
			continue
		}
		if len(d.Open) > 0 {
			open, openDocs = open+len(d.Open), openDocs+1
		}
		for _, g := range d.Open {
			for _, c := range g.Candidates {
				if !slices.ContainsFunc(g.Gold, c.Same) {
					votes[min(len(c.Votes), n)]++
				}
			}
		}
	}
	atLeast := func(k int) int {
		m := 0
		for v := k; v <= n; v++ {
			m += votes[v]
		}
		return m
	}
	who := strings.Join(names, ", ")
	agree := func(k int) string {
		if k == n {
			return fmt.Sprintf(lang.L("annotators %s agree"), who)
		}
		return fmt.Sprintf(lang.L("%d of %d agree"), k, n)
	}
	var b strings.Builder
	if added+dropped > 0 {
		fmt.Fprintf(&b, lang.L("pre-fill (%s, automatic when %d of %d agree): %s accepted, %d removed; %s open in %s"),
			who, need, n, countOf(added, "span", "spans"), dropped,
			countOf(open, "group", "groups"), countOf(openDocs, "document", "documents"))
	} else {
		lower := 0
		for k := need - 1; k >= 1 && lower == 0; k-- {
			if atLeast(k) > 0 {
				lower = k
			}
		}
		// Each reason a whole sentence, for the translations.
		switch {
		case finished == len(res):
			b.WriteString(lang.L("pre-fill accepted nothing: every document is finished (reopen one to pre-fill it again)"))
		case lower > 0:
			fmt.Fprintf(&b, lang.L("pre-fill accepted nothing: %s on %d spans exactly; %s on %d: lower the minimum to %d"), agree(need), atLeast(need), agree(lower), atLeast(lower), lower)
		case automatic > 0:
			fmt.Fprintf(&b, lang.L("pre-fill accepted nothing: what %s on is in the gold layer already (%s)"), agree(need), countOf(automatic, "group", "groups"))
		case open > 0:
			fmt.Fprintf(&b, lang.L("pre-fill accepted nothing: the %s left are decided by hand or have no candidate"), countOf(open, "open group", "open groups"))
		default:
			fmt.Fprintf(&b, lang.L("pre-fill accepted nothing: annotators %s marked nothing in the documents not finished"), who)
		}
	}
	if finished > 0 && finished < len(res) {
		fmt.Fprintf(&b, lang.L("; %s left as they are"), countOf(finished, "finished document", "finished documents"))
	}
	return b.String()
}
