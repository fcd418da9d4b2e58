package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"

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

// adjHelp is the key summary shown at the bottom of the screen.
const adjHelp = "↑↓ group or relation (after the groups) · Enter accept top (a relation: with its ends) · 1–9 accept candidate · R reject · U reopen group or relation · N next open · E/A edit/add in the text (select, then a label key; Delete removes a gold span; Esc Esc returns here) · P pre-fill agreed · Ctrl+Enter finish the document · Ctrl+U reopen it · Ctrl+Z undo · Ctrl+Shift+Z or Ctrl+Y redo · PgUp/PgDn document"

// adjRow is one row of the group list: a group's header, one of its
// candidates, or a gold span that is none of its candidates; or a
// candidate relation, whose group is its selection index (len(groups)+i).
type adjRow struct {
	group int
	cand  int // candidate index, -1 for the header or a gold row
	gold  *annotate.Span
}

// adjScreen is the adjudication window: the documents with where their
// adjudication stands, the document with its gold spans highlighted, and
// the candidate groups with who marked what.
type adjScreen struct {
	u          *UI
	win        fyne.Window
	all        []string // every annotator of the project, for the settings
	annotators []string // those taking part
	minAgree   int      // 0: every annotator

	docs   []storage.DocInfo
	shown  []int // indexes into docs that pass the filter
	cur    int
	doc    adjudicate.Doc
	groups []adjudicate.Group
	rels   []adjudicate.RelCandidate // see adjRelations
	rows   []adjRow
	sel    int // selected group, len(groups)+i for relation i, -1 for none
	// ghosts are the extents of gold spans added by hand (no annotator
	// marked anything there) and deleted in this session, by document: the
	// store keeps no group there, so the window keeps it open until it is
	// rejected or gets a gold span again.
	ghosts map[string][]adjudicate.Range
	hist   adjHistory

	view     *SpanView
	scroll   *viewScroll
	list     *widget.List
	docList  *widget.List
	filter   *widget.Select
	annCheck *widget.CheckGroup
	minSel   *widget.Select
	title    *TextLine
	progress *widget.Label
	bar      *widget.ProgressBar
	message  *TextLine // quotes Arabic span texts inside Latin: bidi-correct
	confirm  *dialog.ConfirmDialog
	keys     keymap

	do    func(func()) // runs on the UI goroutine: fyne.Do
	jobs  bgRun        // the pre-fill
	loads bgRun        // the document list
	follower
}

// openAdjudication opens the adjudication window on the current document.
func (u *UI) openAdjudication() *adjScreen {
	a := &adjScreen{u: u, cur: -1, sel: -1, do: fyne.Do, ghosts: map[string][]adjudicate.Range{}}
	// The settings of the project's last pre-fill (e.g. `tawsim adjudicate
	// --min-agree 2`): pre-filling with others would drop what it accepted;
	// never pre-filled, the annotators who worked, all agreeing.
	p, err := project.AdjudicationSettings(u.store)
	if err != nil {
		u.fail(err)
		return nil
	}
	a.annotators, a.minAgree = p.Annotators, p.MinAgree
	if a.all, err = u.store.Annotators(); err != nil {
		u.fail(err)
		return nil
	}
	a.win = u.toolWindow(lang.L("Tawsim — adjudication"))
	// Annotators may go on labelling in the main window: keep this
	// document's groups current.
	u.watch(a, func(doc string) {
		if a.cur >= 0 && a.cur < len(a.docs) && (doc == "" || doc == a.docs[a.cur].ID) {
			a.reload()
		}
	})
	a.win.SetOnClosed(func() {
		u.unwatch(a)
		a.unfollow()
	})
	a.build()
	a.win.Resize(fitSize(screenSize, fyne.NewSize(1280, 800)))
	a.win.CenterOnScreen() // a window manager placing it lower would push its bottom off the screen
	// The main window's list, until the fresh one is read in the
	// background: the document shows at once.
	a.follow(u.store, adjPoll, a.do, a.checkChanges)
	a.setDocs(slices.Clone(u.docs))
	a.open(max(u.cur, 0))
	a.loadDocs()
	a.win.Show()
	return a
}

// settings are the annotators and threshold the window adjudicates with.
func (a *adjScreen) settings() storage.PrefillSettings {
	return storage.PrefillSettings{Annotators: a.annotators, MinAgree: a.minAgree}
}

func (a *adjScreen) build() {
	u := a.u
	a.view, a.scroll = scrolledView(u.fonts, u.view.TextSize())
	a.view.OnHotkey = a.labelKey
	a.view.OnEscape = func() {
		a.win.Canvas().Unfocus() // back to the group keys (R, U, N, P, Enter)
		a.say(lang.L("Keys act on the groups again"))
	}
	a.view.OnDelete = a.deleteGold
	a.view.OnShortcut = a.shortcut
	a.view.OnSelect = func(int, int) { a.showActive() }
	a.title = NewTextLine(u.fonts, "")
	a.progress = widget.NewLabel("")
	a.bar = widget.NewProgressBar()
	a.bar.Hide()
	a.message = NewTextLine(a.u.fonts, "")
	a.list = widget.NewList(
		func() int { return len(a.rows) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewLabel(lang.L("▶ 00 [0000,0000) automatic")), widget.NewLabel("amina, badr, chadi"), NewTextLine(u.fonts, ""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(a.rows) {
				return
			}
			left, right, text := a.rowText(a.rows[i])
			c := o.(*fyne.Container)
			c.Objects[0].(*TextLine).SetText(text)
			c.Objects[1].(*widget.Label).SetText(left)
			c.Objects[2].(*widget.Label).SetText(right)
		})
	a.list.OnSelected = func(i widget.ListItemID) {
		if i < len(a.rows) && a.rows[i].group != a.sel {
			a.selectGroup(a.rows[i].group)
		}
		// The ▶ mark shows the selected group; the list's own selection is
		// dropped at once so that the keys (which move a.sel) and a click on
		// the same row again can never disagree about which group is meant.
		a.list.UnselectAll()
		a.win.Canvas().Unfocus()
	}
	buttons := container.NewGridWithColumns(3,
		widget.NewButton(lang.L("Accept (Enter)"), a.acceptTop),
		widget.NewButton(lang.L("Reject (R)"), a.reject),
		widget.NewButton(lang.L("Reopen (U)"), a.reopen),
		widget.NewButton(lang.L("Next open (N)"), a.nextOpen),
		widget.NewButton(lang.L("Edit (E)"), func() { a.editInText(true) }),
		widget.NewButton(lang.L("Add (A)"), func() { a.editInText(false) }),
	)
	help := widget.NewLabel(lang.L(adjHelp))
	help.Wrapping = fyne.TextWrapWord
	head := container.NewVBox(a.buildSettings(), widget.NewLabelWithStyle(lang.L("Candidate groups"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), buttons)
	right := container.NewBorder(head, help, nil, nil, a.list)
	text := container.NewBorder(container.NewVBox(a.title, a.bar), nil, nil, nil, a.scroll)
	inner := container.NewHSplit(text, right)
	inner.Offset = 0.5
	docs := container.NewHSplit(a.buildDocList(), inner)
	docs.Offset = 0.2
	// The message spans the window: it quotes spans and names documents.
	split := container.NewBorder(nil, container.NewPadded(a.message), nil, nil, docs)
	scrollInside(a.win, split)
	c := a.win.Canvas()
	c.SetOnTypedKey(a.typedKey)
	c.SetOnTypedRune(a.typedRune)
	a.keys = keymap{
		{scAdjNext, func() { a.moveGroup(+1) }},
		{scAdjPrev, func() { a.moveGroup(-1) }},
		{scAdjOpen, a.nextOpen},
		{scDone, a.finishDoc},
		{scDoneEnter, a.finishDoc},
		{scAdjReopen, a.reopenDoc},
		{scUndo, a.undo},
		{scRedo, a.redo},
		{scRedoY, a.redo},
	}
	a.keys.register(c)
	// The driver may give Ctrl+Z and Ctrl+Shift+Z as the standard undo
	// and redo shortcuts.
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { a.undo() })
	c.AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { a.redo() })
}

// shortcut gets the keys (Ctrl+↑/↓ through the groups, Ctrl+N to the next
// open one, Ctrl+Enter, Ctrl+U, undo and redo) while the text has the
// focus.
func (a *adjScreen) shortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutUndo:
		a.undo()
	case *fyne.ShortcutRedo:
		a.redo()
	default:
		a.keys.run(s)
	}
}

func (a *adjScreen) rowText(r adjRow) (left, right, text string) {
	if r.group >= len(a.groups) {
		return a.relRowText(r.group - len(a.groups))
	}
	g := &a.groups[r.group]
	mark := "  "
	if r.group == a.sel {
		mark = "▶ "
	}
	switch {
	case r.gold != nil:
		return fmt.Sprintf(lang.L("     gold %s %s"), spanRef(r.gold.Label, r.gold.Start, r.gold.End), r.gold.Decision), byWhom(*r.gold), r.gold.Text
	case r.cand < 0:
		return fmt.Sprintf("%s%d [%d,%d) %s", mark, r.group+1, g.Start, g.End, stateName(g.State)), fmt.Sprintf(lang.L("%d candidates"), len(g.Candidates)), ""
	}
	c := g.Candidates[r.cand]
	star := " "
	for _, sp := range g.Gold {
		if c.Same(sp) {
			star = "★"
		}
	}
	return fmt.Sprintf("   %s %d. %s", star, r.cand+1, spanRef(c.Label, c.Start, c.End)), strings.Join(c.Votes, ", "), c.Text
}

func byWhom(sp annotate.Span) string {
	if sp.DecidedBy != "" {
		return lang.L("by ") + sp.DecidedBy
	}
	return strings.Join(sp.Votes, ", ")
}

func stateName(s adjudicate.State) string {
	switch s {
	case adjudicate.Automatic:
		return lang.L("agreed-auto")
	case adjudicate.Agreed:
		return lang.L("agreed (not yet accepted)")
	}
	return string(s)
}

// open shows document i.
func (a *adjScreen) open(i int) {
	if i < 0 || i >= len(a.docs) {
		return
	}
	a.cur, a.sel = i, -1
	d, err := a.u.store.Document(a.docs[i].ID)
	if err != nil {
		a.fail(err)
		return
	}
	a.view.SetText(d.Text)
	a.title.SetText(d.Title)
	scrollToTop(a.view, a.scroll)
	a.reload()
	a.markCurrent()
	c := adjudicate.Count(a.groups)
	var idle []string // taking part, but with nothing done here
	for _, n := range a.annotators {
		if !project.Worked(a.docs[i], n) {
			idle = append(idle, n)
		}
	}
	msg := fmt.Sprintf(lang.L("%s (%s) — %d groups: %d open, %d agreed-auto, %d decided, %d rejected (annotators: %s)"),
		d.ID, statusName(a.docs[i].Gold.Status), len(a.groups), c.Open+c.Agreed, c.Automatic, c.Decided, c.Rejected, listOrNone(a.annotators))
	if len(idle) > 0 {
		msg += lang.L("; not worked on by ") + strings.Join(idle, ", ")
	}
	a.say(msg)
	for k, g := range a.groups {
		if g.Pending() {
			a.selectGroup(k)
			return
		}
	}
	if len(a.groups) > 0 {
		a.selectGroup(0)
	}
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return lang.L("none")
	}
	return strings.Join(s, ", ")
}

// reload reads the current document's layers and rebuilds the groups,
// keeping the selection on the group at the same place.
func (a *adjScreen) reload() {
	if a.cur < 0 || a.cur >= len(a.docs) {
		return
	}
	at := -1
	if a.sel >= 0 && a.sel < len(a.groups) {
		at = a.groups[a.sel].Start
	}
	var atRel *adjudicate.RelKey
	if c := a.rel(); c != nil {
		k := c.Key()
		atRel = &k
	}
	d, err := a.u.store.AdjudicationDoc(a.docs[a.cur].ID, a.annotators)
	if err != nil {
		a.fail(err)
		return
	}
	a.doc = d
	a.groups = a.withGhosts(d, adjudicate.Groups(d, a.minAgree))
	a.rows = a.rows[:0]
	for k, g := range a.groups {
		a.rows = append(a.rows, adjRow{group: k, cand: -1})
		for c := range g.Candidates {
			a.rows = append(a.rows, adjRow{group: k, cand: c})
		}
		for j, sp := range g.Gold {
			isCand := false
			for _, c := range g.Candidates {
				isCand = isCand || c.Same(sp)
			}
			if !isCand {
				a.rows = append(a.rows, adjRow{group: k, cand: -1, gold: &g.Gold[j]})
			}
		}
	}
	a.rels = adjRelations(d, a.minAgree)
	for i := range a.rels {
		a.rows = append(a.rows, adjRow{group: len(a.groups) + i, cand: -1})
	}
	a.sel = -1
	for k, g := range a.groups {
		if at >= 0 && g.End > at {
			a.sel = k
			break
		}
	}
	if atRel != nil {
		if i := slices.IndexFunc(a.rels, func(c adjudicate.RelCandidate) bool { return c.Key() == *atRel }); i >= 0 {
			a.sel = len(a.groups) + i
		}
	}
	a.view.SetSpans(d.Gold, a.u.colors)
	a.showArcs()
	a.list.Refresh()
}

// withGhosts adds to groups the open groups this session keeps where a
// gold span added by hand was deleted (see adjScreen.ghosts), dropping
// those that a group, a gold span or a rejection now covers.
func (a *adjScreen) withGhosts(d adjudicate.Doc, groups []adjudicate.Group) []adjudicate.Group {
	var kept []adjudicate.Range
	for _, r := range a.ghosts[d.ID] {
		covered := slices.ContainsFunc(groups, func(g adjudicate.Group) bool { return g.Start < r.End && r.Start < g.End }) ||
			slices.ContainsFunc(d.Rejected, func(x adjudicate.Range) bool { return x.Start < r.End && r.Start < x.End })
		if !covered {
			kept = append(kept, r)
			groups = append(groups, adjudicate.Group{Start: r.Start, End: r.End, State: adjudicate.Open})
		}
	}
	if len(kept) == 0 {
		delete(a.ghosts, d.ID)
		return groups
	}
	a.ghosts[d.ID] = kept
	slices.SortStableFunc(groups, func(x, y adjudicate.Group) int {
		if x.Start != y.Start {
			return x.Start - y.Start
		}
		return x.End - y.End
	})
	return groups
}

// pending counts the current document's groups that still need a person.
func (a *adjScreen) pending() int {
	n := 0
	for _, g := range a.groups {
		if g.Pending() {
			n++
		}
	}
	return n
}

func (a *adjScreen) selectGroup(k int) {
	if k >= len(a.groups) && k < a.items() {
		a.selectRel(k - len(a.groups))
		return
	}
	if k < 0 || k >= len(a.groups) {
		return
	}
	a.sel = k
	a.showArcs()
	g := a.groups[k]
	revealRange(a.view, a.scroll, g.Start, g.End)
	for i, r := range a.rows {
		if r.group == k && r.cand < 0 && r.gold == nil {
			a.list.ScrollTo(i)
			break
		}
	}
	a.list.Refresh()
	a.say(fmt.Sprintf(lang.L("group %d of %d [%d,%d): %s"), k+1, len(a.groups), g.Start, g.End, stateName(g.State)))
}

func (a *adjScreen) moveGroup(d int) {
	if a.items() == 0 {
		return
	}
	a.selectGroup(min(max(a.sel+d, 0), a.items()-1))
}

func (a *adjScreen) say(msg string) { a.message.SetText(msg) }
func (a *adjScreen) fail(err error) { a.say("⚠ " + err.Error()) }
func (a *adjScreen) adjudicator() string {
	if a.u.annotator != "" {
		return a.u.annotator
	}
	return "adjudicator"
}

// typedKey handles the keys typed while the text does not have the focus.
func (a *adjScreen) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyUp:
		a.moveGroup(-1)
	case fyne.KeyDown:
		a.moveGroup(+1)
	case fyne.KeyReturn, fyne.KeyEnter:
		a.acceptTop()
	case fyne.KeyPageDown:
		a.stepDoc(+1)
	case fyne.KeyPageUp:
		a.stepDoc(-1)
	case fyne.KeyDelete, fyne.KeyBackspace:
		a.say(lang.L("Press E to work in the text, then Delete removes the gold span under the caret"))
	case fyne.KeyF1:
		showKeys(a.win, a.u.fonts, a.keyRows())
	}
}

func (a *adjScreen) typedRune(r rune) {
	switch {
	case r >= '1' && r <= '9':
		a.accept(int(r - '1'))
	case r == 'r' || r == 'R':
		a.reject()
	case r == 'u' || r == 'U':
		a.reopen()
	case r == 'n' || r == 'N':
		a.nextOpen()
	case r == 'p' || r == 'P':
		a.prefill()
	case r == 'e' || r == 'E' || r == 'a' || r == 'A':
		a.editInText(r == 'e' || r == 'E')
	}
}

func (a *adjScreen) group() (*adjudicate.Group, bool) {
	if a.sel < 0 || a.sel >= len(a.groups) {
		a.say(lang.L("No group selected"))
		return nil, false
	}
	return &a.groups[a.sel], true
}

// target is the selected group; when a relation is selected instead, rel
// acts on it and target reports false.
func (a *adjScreen) target(rel func(adjudicate.RelCandidate)) (*adjudicate.Group, bool) {
	if c := a.rel(); c != nil {
		rel(*c)
		return nil, false
	}
	return a.group()
}

// change runs op on the current document as one undoable step, then shows
// the document as it is now; it reports whether op succeeded.
func (a *adjScreen) change(what string, op func() error) bool {
	err := a.record(a.doc.ID, what, op)
	a.refreshDoc(a.doc.ID)
	if err != nil {
		a.fail(err)
		return false
	}
	return true
}

// acceptTop accepts the candidate with the most votes.
func (a *adjScreen) acceptTop() { a.accept(0) }

// accept puts candidate k of the selected group into gold (chosen).
func (a *adjScreen) accept(k int) {
	g, ok := a.target(func(c adjudicate.RelCandidate) {
		if k > 0 {
			a.say(lang.L("A relation is one candidate: Enter (or 1) accepts it with its ends"))
			return
		}
		a.acceptRel(c)
	})
	if !ok {
		return
	}
	if k >= len(g.Candidates) {
		a.say(fmt.Sprintf(lang.L("This group has %d candidates"), len(g.Candidates)))
		return
	}
	c := g.Candidates[k]
	// The layers may have changed since the list was built (an annotator
	// working in the main window): accept only what they hold now, with
	// today's votes.
	fresh, err := a.u.store.AdjudicationDoc(a.doc.ID, a.annotators)
	if err != nil {
		a.fail(err)
		return
	}
	found := false
	for _, fg := range adjudicate.Groups(fresh, a.minAgree) {
		for _, fc := range fg.Candidates {
			if fc.Start == c.Start && fc.End == c.End && fc.Label == c.Label {
				c, found = fc, true
			}
		}
	}
	if !found {
		a.reload()
		a.say(lang.L("That candidate is gone: an annotator changed this document. The list is up to date now."))
		return
	}
	if a.change(lang.L("accept"), func() error {
		_, err := a.u.store.GoldAccept(a.doc.ID, c.Span(), annotate.DecisionChosen, a.adjudicator(), c.Votes)
		return err
	}) {
		a.say(lang.L("accepted ") + c.Describe())
	}
}

// reject records that the selected group has no gold span.
func (a *adjScreen) reject() {
	g, ok := a.target(a.rejectRel)
	if !ok {
		return
	}
	s, e := g.Start, g.End
	if a.change(lang.L("reject"), func() error { return a.u.store.GoldReject(a.doc.ID, s, e, a.adjudicator()) }) {
		a.say(fmt.Sprintf(lang.L("rejected group [%d,%d): no gold span there"), s, e))
	}
}

// reopen undoes the decisions on the selected group.
func (a *adjScreen) reopen() {
	g, ok := a.target(a.reopenRel)
	if !ok {
		return
	}
	var n, m int
	if a.change(lang.L("reopen"), func() (err error) {
		n, m, err = a.u.store.GoldReopen(a.doc.ID, g.Start, g.End)
		return err
	}) {
		a.say(fmt.Sprintf(lang.L("reopened: %d gold spans and %d rejections removed"), n, m))
	}
}

// nextOpen goes to the next group or relation needing work, after the
// selected one, in this document and then to the next group needing work in
// the following unfinished documents (wrapping around).
func (a *adjScreen) nextOpen() {
	for k := a.sel + 1; k < a.items(); k++ {
		if k < len(a.groups) && a.groups[k].Pending() || k >= len(a.groups) && relOpen(a.rels[k-len(a.groups)]) {
			a.selectGroup(k)
			return
		}
	}
	var ids []string
	for step := 1; step <= len(a.docs); step++ {
		if d := a.docs[(a.cur+step)%len(a.docs)]; d.Gold.Status != annotate.GoldFinished || step == len(a.docs) {
			ids = append(ids, d.ID)
		}
	}
	// A few documents at a time: the first with an open group is usually
	// near.
	errFound := errors.New("found")
	for from := 0; from < len(ids); from += 32 {
		var at string
		group := -1
		err := a.u.store.EachAdjudicationDoc(a.annotators, ids[from:min(from+32, len(ids))], false, func(d *adjudicate.Doc, _ storage.GoldState) error {
			for k, g := range a.withGhosts(*d, adjudicate.Groups(*d, a.minAgree)) {
				if g.Pending() {
					at, group = d.ID, k
					return errFound
				}
			}
			return nil
		})
		if err != nil && err != errFound {
			a.fail(err)
			return
		}
		if group >= 0 {
			a.showDoc(at)
			a.selectGroup(group)
			return
		}
	}
	a.say(lang.L("No open group left in a document not finished"))
}

// editInText gives the text the focus, with the selected group's top
// candidate (edit) or nothing (add) selected: select, then press a label key.
func (a *adjScreen) editInText(edit bool) {
	if g, ok := a.group(); ok && edit {
		if len(g.Gold) > 0 {
			a.view.Select(g.Gold[0].Start, g.Gold[0].End)
		} else if c, ok := g.Top(); ok {
			a.view.Select(c.Start, c.End)
		}
	} else {
		s, _ := a.view.Selection()
		a.view.Select(s, s)
	}
	a.win.Canvas().Focus(a.view)
	a.say(lang.L("Select the span's text, then press a label key (1–9); Delete removes the gold span under the caret; Ctrl+↑/↓ groups"))
}

// labelKey puts the selection into gold with the label bound to r. A gold
// span exactly selected (or under the caret) is relabelled; otherwise the
// selection becomes a gold span, replacing a gold span of the same label it
// overlaps (new boundaries). It is recorded as chosen when an annotator had
// exactly it, else edited when it overlaps annotators' spans, else added.
func (a *adjScreen) labelKey(r rune) {
	name := a.u.labelOfKey(r)
	if name == "" || a.cur < 0 {
		return
	}
	old, s, e, ok := labelTarget(a.view, true)
	if !ok {
		a.say(lang.L(selectFirst))
		return
	}
	target := annotate.Span{Start: s, End: e, Label: name}
	// Any other selection adds a gold span, even over an overlapping one
	// (nested entities are legitimate): reshaping a decision silently would
	// lose it. To change a gold span's boundaries, delete it and add the
	// corrected one.
	dec := adjudicate.DecisionFor(a.doc, target)
	if old != nil && dec == annotate.DecisionAdded {
		dec = annotate.DecisionEdited
	}
	votes := adjudicate.VotesFor(a.doc, target)
	var got annotate.Span
	what := lang.L("add")
	if old != nil {
		what = lang.L("edit")
	}
	err := a.record(a.doc.ID, what, func() (err error) {
		if old != nil {
			got, err = a.u.store.GoldEdit(old.ID, target, dec, a.adjudicator(), votes)
		} else {
			got, err = a.u.store.GoldAccept(a.doc.ID, target, dec, a.adjudicator(), votes)
		}
		return err
	})
	if errors.Is(err, storage.ErrDuplicateSpan) {
		a.say(lang.L("The gold layer already has that span"))
		return
	}
	a.refreshDoc(a.doc.ID)
	if err != nil {
		a.fail(err)
		return
	}
	a.view.Select(got.Start, got.End)
	a.say(fmt.Sprintf(lang.L("gold %s «%s» %s"), spanRef(got.Label, got.Start, got.End), got.Text, got.Decision))
}

// deleteGold removes the gold span under the caret. Its group is open
// again; a span added by hand where no annotator marked anything leaves no
// group in the store, so the window keeps one (see adjScreen.ghosts).
func (a *adjScreen) deleteGold() {
	sp, ok := a.view.ActiveSpan()
	if !ok {
		a.say(lang.L("No gold span here"))
		return
	}
	alone := true
	for _, g := range a.groups {
		if g.Start < sp.End && sp.Start < g.End && len(g.Candidates) > 0 {
			alone = false
		}
	}
	if !a.change(lang.L("delete"), func() error { return a.u.store.GoldDelete(sp.ID) }) {
		return
	}
	if alone {
		a.ghosts[a.doc.ID] = append(a.ghosts[a.doc.ID], adjudicate.Range{Start: sp.Start, End: sp.End})
		a.reload()
	}
	a.view.Select(sp.End, sp.End)
	a.say(fmt.Sprintf(lang.L("deleted gold %s «%s»; its group is open again (R rejects it for good)"), sp.Label, sp.Text))
}

// showActive names the gold span under the caret.
func (a *adjScreen) showActive() {
	if sp, ok := a.view.ActiveSpan(); ok {
		a.say(fmt.Sprintf(lang.L("gold %s «%s» %s %s"), spanRef(sp.Label, sp.Start, sp.End), sp.Text, sp.Decision, byWhom(sp)))
	}
}
