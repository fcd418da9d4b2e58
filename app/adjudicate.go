package app

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/project"
	"tawsim/storage"
)

// adjHelp is the key summary shown at the bottom of the screen.
const adjHelp = "↑↓ group · Enter accept top · 1–9 accept candidate · R reject · U reopen · N next open · E/A edit/add in the text (select, then a label key; Delete removes a gold span; Esc Esc returns here) · P pre-fill agreed · PgUp/PgDn document"

// adjRow is one row of the group list: a group's header, one of its
// candidates, or a gold span that is none of its candidates.
type adjRow struct {
	group int
	cand  int // candidate index, -1 for the header or a gold row
	gold  *annotate.Span
}

// adjScreen is the adjudication window: the document with its gold spans
// highlighted, and the candidate groups with who marked what.
type adjScreen struct {
	u          *UI
	win        fyne.Window
	annotators []string
	minAgree   int // 0: every annotator

	docs   []storage.DocInfo
	done   []bool // per document: no group open or agreed-pending
	cur    int
	doc    adjudicate.Doc
	groups []adjudicate.Group
	rows   []adjRow
	sel    int // selected group, -1 for none

	view     *SpanView
	scroll   *container.Scroll
	list     *widget.List
	title    *TextLine
	progress *widget.Label
	message  *TextLine // quotes Arabic span texts inside Latin: bidi-correct
	keys     keymap
}

// openAdjudication opens the adjudication window on the current document.
func (u *UI) openAdjudication() *adjScreen {
	a := &adjScreen{u: u, cur: -1, sel: -1}
	var err error
	if a.annotators, err = project.Annotators(u.store); err != nil {
		u.fail(err)
		return nil
	}
	// Reuse the settings of the project's last pre-fill (e.g. `tawsim
	// adjudicate --min-agree 2`): pre-filling with others would drop what it
	// accepted.
	if p, ok, err := u.store.LastPrefillSettings(); err != nil {
		u.fail(err)
	} else if ok && len(p.Annotators) > 0 {
		a.annotators, a.minAgree = p.Annotators, p.MinAgree
	}
	a.win = u.app.NewWindow("Tawsim — adjudication")
	// Annotators may go on labelling in the main window: keep this
	// document's groups current.
	u.watch(a, func(doc string) {
		if a.cur >= 0 && a.cur < len(a.docs) && (doc == "" || doc == a.docs[a.cur].ID) {
			a.reload()
		}
	})
	a.win.SetOnClosed(func() { u.unwatch(a) })
	a.build()
	a.win.Resize(fyne.NewSize(1280, 800))
	if err := a.loadDocs(); err != nil {
		u.fail(err)
	}
	a.open(max(u.cur, 0))
	a.win.Show()
	return a
}

func (a *adjScreen) build() {
	u := a.u
	a.view, a.scroll = scrolledView(u.fonts, u.view.TextSize())
	a.view.OnHotkey = a.labelKey
	a.view.OnEscape = func() {
		a.win.Canvas().Unfocus() // back to the group keys (R, U, N, P, Enter)
		a.say("Keys act on the groups again")
	}
	a.view.OnDelete = a.deleteGold
	a.view.OnShortcut = a.shortcut
	a.view.OnSelect = func(int, int) { a.showActive() }
	a.title = NewTextLine(u.fonts, "")
	a.progress = widget.NewLabel("")
	a.message = NewTextLine(a.u.fonts, "")
	a.list = widget.NewList(
		func() int { return len(a.rows) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewLabel("▶ 00 [0000,0000) automatic"), widget.NewLabel("amina, badr, c"), NewTextLine(u.fonts, ""))
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
		widget.NewButton("Accept top (Enter)", a.acceptTop),
		widget.NewButton("Reject (R)", a.reject),
		widget.NewButton("Reopen (U)", a.reopen),
		widget.NewButton("Next open (N)", a.nextOpen),
		widget.NewButton("Pre-fill agreed (P)", a.prefill),
		widget.NewButton("Edit in text (E)", func() { a.editInText(true) }),
	)
	help := widget.NewLabel(adjHelp)
	help.Wrapping = fyne.TextWrapWord
	left := container.NewBorder(container.NewBorder(nil, nil, a.progress, nil, a.title), container.NewPadded(a.message), nil, nil, a.scroll)
	head := container.NewVBox(widget.NewLabelWithStyle("Candidate groups", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), buttons)
	right := container.NewBorder(head, help, nil, nil, a.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	a.win.SetContent(split)
	c := a.win.Canvas()
	c.SetOnTypedKey(a.typedKey)
	c.SetOnTypedRune(a.typedRune)
	a.keys = keymap{
		{scAdjNext, func() { a.moveGroup(+1) }},
		{scAdjPrev, func() { a.moveGroup(-1) }},
		{scAdjOpen, a.nextOpen},
	}
	a.keys.register(c)
}

// shortcut gets the keys (Ctrl+↑/↓ through the groups, Ctrl+N to the next
// open one) while the text has the focus.
func (a *adjScreen) shortcut(s fyne.Shortcut) { a.keys.run(s) }

func (a *adjScreen) rowText(r adjRow) (left, right, text string) {
	g := &a.groups[r.group]
	mark := "  "
	if r.group == a.sel {
		mark = "▶ "
	}
	switch {
	case r.gold != nil:
		return fmt.Sprintf("     gold %s [%d,%d) %s", r.gold.Label, r.gold.Start, r.gold.End, r.gold.Decision), byWhom(*r.gold), r.gold.Text
	case r.cand < 0:
		return fmt.Sprintf("%s%d [%d,%d) %s", mark, r.group+1, g.Start, g.End, stateName(g.State)), fmt.Sprintf("%d candidates", len(g.Candidates)), ""
	}
	c := g.Candidates[r.cand]
	star := " "
	for _, sp := range g.Gold {
		if c.Same(sp) {
			star = "★"
		}
	}
	return fmt.Sprintf("   %s %d. %s [%d,%d)", star, r.cand+1, c.Label, c.Start, c.End), strings.Join(c.Votes, ", "), c.Text
}

func byWhom(sp annotate.Span) string {
	if sp.DecidedBy != "" {
		return "by " + sp.DecidedBy
	}
	return strings.Join(sp.Votes, ", ")
}

func stateName(s adjudicate.State) string {
	switch s {
	case adjudicate.Automatic:
		return "agreed-auto"
	case adjudicate.Agreed:
		return "agreed (not yet accepted)"
	}
	return string(s)
}

// loadDocs lists the documents and which are fully adjudicated.
func (a *adjScreen) loadDocs() error {
	docs, err := a.u.store.Documents()
	if err != nil {
		return err
	}
	a.docs, a.done = docs, make([]bool, len(docs))
	for i, d := range docs {
		ad, err := a.u.store.AdjudicationDoc(d.ID, a.annotators)
		if err != nil {
			return err
		}
		a.done[i] = adjudicate.Done(adjudicate.Groups(ad, a.minAgree))
	}
	a.updateProgress()
	return nil
}

func (a *adjScreen) updateProgress() {
	n := 0
	for _, d := range a.done {
		if d {
			n++
		}
	}
	a.progress.SetText(fmt.Sprintf("%d / %d documents adjudicated", n, len(a.docs)))
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
	c := adjudicate.Count(a.groups)
	a.say(fmt.Sprintf("%s — %d groups: %d open, %d agreed-auto, %d decided, %d rejected (annotators: %s)",
		d.ID, len(a.groups), c.Open+c.Agreed, c.Automatic, c.Decided, c.Rejected, listOrNone(a.annotators)))
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
		return "none"
	}
	return strings.Join(s, ", ")
}

// reload reads the current document's layers and rebuilds the groups,
// keeping the selection on the group at the same place.
func (a *adjScreen) reload() {
	if a.cur < 0 {
		return
	}
	at := -1
	if a.sel >= 0 && a.sel < len(a.groups) {
		at = a.groups[a.sel].Start
	}
	d, err := a.u.store.AdjudicationDoc(a.docs[a.cur].ID, a.annotators)
	if err != nil {
		a.fail(err)
		return
	}
	a.doc = d
	a.groups = adjudicate.Groups(d, a.minAgree)
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
	a.sel = -1
	for k, g := range a.groups {
		if at >= 0 && g.End > at {
			a.sel = k
			break
		}
	}
	a.view.SetSpans(d.Gold, a.u.colors)
	a.done[a.cur] = adjudicate.Done(a.groups)
	a.updateProgress()
	a.list.Refresh()
}

func (a *adjScreen) selectGroup(k int) {
	if k < 0 || k >= len(a.groups) {
		return
	}
	a.sel = k
	g := a.groups[k]
	revealRange(a.view, a.scroll, g.Start, g.End)
	for i, r := range a.rows {
		if r.group == k && r.cand < 0 && r.gold == nil {
			a.list.ScrollTo(i)
			break
		}
	}
	a.list.Refresh()
	a.say(fmt.Sprintf("group %d of %d [%d,%d): %s", k+1, len(a.groups), g.Start, g.End, stateName(g.State)))
}

func (a *adjScreen) moveGroup(d int) {
	if len(a.groups) == 0 {
		return
	}
	a.selectGroup(min(max(a.sel+d, 0), len(a.groups)-1))
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
		a.open(a.cur + 1)
	case fyne.KeyPageUp:
		a.open(a.cur - 1)
	case fyne.KeyDelete, fyne.KeyBackspace:
		a.say("Press E to work in the text, then Delete removes the gold span under the caret")
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
		a.say("No group selected")
		return nil, false
	}
	return &a.groups[a.sel], true
}

// acceptTop accepts the candidate with the most votes.
func (a *adjScreen) acceptTop() { a.accept(0) }

// accept puts candidate k of the selected group into gold (chosen).
func (a *adjScreen) accept(k int) {
	g, ok := a.group()
	if !ok {
		return
	}
	if k >= len(g.Candidates) {
		a.say(fmt.Sprintf("This group has %d candidates", len(g.Candidates)))
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
		a.say("That candidate is gone: an annotator changed this document. The list is up to date now.")
		return
	}
	if _, err := a.u.store.GoldAccept(a.doc.ID, c.Span(), annotate.DecisionChosen, a.adjudicator(), c.Votes); err != nil {
		a.fail(err)
		return
	}
	a.reload()
	a.say("accepted " + c.Describe())
}

// reject records that the selected group has no gold span.
func (a *adjScreen) reject() {
	g, ok := a.group()
	if !ok {
		return
	}
	if err := a.u.store.GoldReject(a.doc.ID, g.Start, g.End, a.adjudicator()); err != nil {
		a.fail(err)
		return
	}
	s, e := g.Start, g.End
	a.reload()
	a.say(fmt.Sprintf("rejected group [%d,%d): no gold span there", s, e))
}

// reopen undoes the decisions on the selected group.
func (a *adjScreen) reopen() {
	g, ok := a.group()
	if !ok {
		return
	}
	n, m, err := a.u.store.GoldReopen(a.doc.ID, g.Start, g.End)
	if err != nil {
		a.fail(err)
		return
	}
	a.reload()
	a.say(fmt.Sprintf("reopened: %d gold spans and %d rejections removed", n, m))
}

// nextOpen goes to the next group needing work, after the selected one, in
// this document and then the following ones (wrapping around).
func (a *adjScreen) nextOpen() {
	for k := a.sel + 1; k < len(a.groups); k++ {
		if a.groups[k].Pending() {
			a.selectGroup(k)
			return
		}
	}
	for step := 1; step <= len(a.docs); step++ {
		i := (a.cur + step) % len(a.docs)
		if a.done[i] && i != a.cur {
			continue
		}
		d, err := a.u.store.AdjudicationDoc(a.docs[i].ID, a.annotators)
		if err != nil {
			a.fail(err)
			return
		}
		for k, g := range adjudicate.Groups(d, a.minAgree) {
			if g.Pending() {
				if i != a.cur {
					a.open(i)
				}
				a.selectGroup(k)
				return
			}
		}
	}
	a.say("No open group left: every document is adjudicated")
}

// prefill accepts the agreed groups of every document automatically (as
// `tawsim adjudicate` does), leaving hand decisions alone.
func (a *adjScreen) prefill() {
	if err := a.u.store.SavePrefillSettings(storage.PrefillSettings{Annotators: a.annotators, MinAgree: a.minAgree}); err != nil {
		a.fail(err)
		return
	}
	added, dropped := 0, 0
	for _, info := range a.docs {
		d, err := a.u.store.AdjudicationDoc(info.ID, a.annotators)
		if err != nil {
			a.fail(err)
			return
		}
		p := adjudicate.Prefill(adjudicate.Groups(d, a.minAgree))
		if len(p.Add) == 0 && len(p.Drop) == 0 {
			continue
		}
		n, m, err := a.u.store.GoldAutomatic(info.ID, p.Add, p.Drop)
		if err != nil {
			a.fail(err)
			a.loadDocs() // documents done before the error did change
			a.reload()
			return
		}
		added, dropped = added+n, dropped+m
	}
	if err := a.loadDocs(); err != nil {
		a.fail(err)
	}
	a.reload()
	a.say(fmt.Sprintf("pre-fill: %d spans accepted automatically, %d removed", added, dropped))
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
	a.say("Select the span's text, then press a label key (1–9); Delete removes the gold span under the caret; Ctrl+↑/↓ groups")
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
	old, s, e, ok := labelTarget(a.view)
	if !ok {
		a.say(selectFirst)
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
	var err error
	if old != nil {
		got, err = a.u.store.GoldEdit(old.ID, target, dec, a.adjudicator(), votes)
	} else {
		got, err = a.u.store.GoldAccept(a.doc.ID, target, dec, a.adjudicator(), votes)
	}
	if errors.Is(err, storage.ErrDuplicateSpan) {
		a.say("The gold layer already has that span")
		return
	}
	if err != nil {
		a.fail(err)
		return
	}
	a.reload()
	a.view.Select(got.Start, got.End)
	a.say(fmt.Sprintf("gold %s [%d,%d) «%s» %s", got.Label, got.Start, got.End, got.Text, got.Decision))
}

// deleteGold removes the gold span under the caret.
func (a *adjScreen) deleteGold() {
	sp, ok := a.view.ActiveSpan()
	if !ok {
		a.say("No gold span here")
		return
	}
	if err := a.u.store.GoldDelete(sp.ID); err != nil {
		a.fail(err)
		return
	}
	a.reload()
	a.view.Select(sp.End, sp.End)
	a.say(fmt.Sprintf("deleted gold %s «%s»; its group is open again (R rejects it for good)", sp.Label, sp.Text))
}

// showActive names the gold span under the caret.
func (a *adjScreen) showActive() {
	if sp, ok := a.view.ActiveSpan(); ok {
		a.say(fmt.Sprintf("gold %s [%d,%d) «%s» %s %s", sp.Label, sp.Start, sp.End, sp.Text, sp.Decision, byWhom(sp)))
	}
}
