package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/agree"
	"tawsim/project"
	"tawsim/storage"
)

// agreementScreen is Review ▸ Agreement…: the annotators to compare, the
// pair matrices, the all-annotator coefficients, the per-label table and
// the documents by disagreement, each opening in two span views (A | B)
// with its list of disagreements.
type agreementScreen struct {
	u      *UI
	win    fyne.Window
	pick   *widget.CheckGroup
	done   *widget.Check
	worked *widget.Check
	run    *widget.Button
	status *BidiText
	busy   *widget.ProgressBarInfinite
	keys   keymap
	tabs   *container.AppTabs
	sumBox *fyne.Container
	sumScr *container.Scroll
	// pairTabs holds the pair matrices: κ, α and span F1 side by side, and
	// unitizing α_u with its per-label values.
	pairTabs *container.AppTabs

	docList  *widget.List
	pairSel  *widget.Select
	title    *TextLine
	headA    *widget.Label
	headB    *widget.Label
	viewA    *SpanView
	viewB    *SpanView
	scrollA  *viewScroll
	scrollB  *viewScroll
	itemList *widget.List

	rep    *agree.Report
	texts  map[string]agree.Doc
	titles map[string]string
	order  []*agree.DocReport
	doc    int // index into order, -1 for none
	pair   int // index into rep.Pairs
	items  []agreeItem
	item   int

	bg bgRun
	follower
}

// agreePoll is how often the window looks whether the project changed
// (0: never; tests call checkChanges). Longer than the other windows':
// each change computes the whole report again.
var agreePoll = 2 * time.Second

// agreeItem is one disagreement of the chosen pair in the open document: a
// span disagreement or a relation disagreement (rel set).
type agreeItem struct {
	span agree.Disagreement
	rel  *relDiff
}

func openAgreement(u *UI) *agreementScreen {
	s := &agreementScreen{u: u, doc: -1, item: -1}
	s.win = u.toolWindow(lang.L("Agreement — Tawsim"))
	s.win.SetOnClosed(s.unfollow)
	s.follow(u.store, agreePoll, fyne.Do, s.checkChanges)
	all, err := u.store.Annotators()
	if err != nil {
		u.fail(err)
	}
	s.pick = widget.NewCheckGroup(all, nil)
	s.pick.Horizontal = true
	worked, err := project.Annotators(u.store) // as `tawsim agree` picks them
	if err != nil {
		u.fail(err)
	}
	s.pick.SetSelected(worked)
	s.done = widget.NewCheck(lang.L("Only documents every chosen annotator marked done"), nil)
	s.worked = widget.NewCheck(lang.L("Only documents every chosen annotator worked on"), nil)
	s.run = widget.NewButtonWithIcon(lang.L("Compute (Ctrl+Enter)"), theme.MediaPlayIcon(), s.compute)
	s.run.Importance = widget.HighImportance
	s.status = newBidiText(u.fonts, "")
	s.busy = widget.NewProgressBarInfinite()
	s.busy.Hide()
	s.sumBox = container.NewVBox()

	s.docList = widget.NewList(
		func() int { return len(s.order) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewLabel(lang.L("00 spans · 0000 chars differ")), NewTextLine(u.fonts, ""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			d := s.order[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*TextLine).SetText(s.titleOf(d.ID))
			c.Objects[1].(*widget.Label).SetText(fmt.Sprintf(lang.L("%d spans · %d chars differ"), d.Disagreements.Total, d.UnitDisagreements))
		})
	s.docList.OnSelected = func(i widget.ListItemID) { s.openDoc(i) }
	s.pairSel = widget.NewSelect(nil, func(string) {
		s.pair = max(s.pairSel.SelectedIndex(), 0)
		s.showDoc()
	})
	s.title = NewTextLine(u.fonts, "")
	s.headA = widget.NewLabelWithStyle("A", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.headB = widget.NewLabelWithStyle("B", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.viewA, s.scrollA = scrolledView(u.fonts, 18)
	s.viewB, s.scrollB = scrolledView(u.fonts, 18)
	for _, v := range []*SpanView{s.viewA, s.viewB} {
		v.OnShortcut = s.shortcut
	}
	s.itemList = widget.NewList(
		func() int { return len(s.items) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewLabel(lang.L("source missing in B")), nil,
				container.NewGridWithColumns(2, NewTextLine(u.fonts, ""), NewTextLine(u.fonts, "")))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := s.items[i]
			c := o.(*fyne.Container)
			g := c.Objects[0].(*fyne.Container)
			if r := it.rel; r != nil {
				c.Objects[1].(*widget.Label).SetText(r.Kind)
				g.Objects[0].(*TextLine).SetText(relText(r.A, 20, 20))
				g.Objects[1].(*TextLine).SetText(relText(r.B, 20, 20))
				return
			}
			kind := string(it.span.Kind)
			if it.span.Cause != "" {
				kind += " (" + it.span.Cause + ")"
			}
			c.Objects[1].(*widget.Label).SetText(kind)
			g.Objects[0].(*TextLine).SetText(spanText(it.span.SpanA))
			g.Objects[1].(*TextLine).SetText(spanText(it.span.SpanB))
		})
	s.itemList.OnSelected = func(i widget.ListItemID) { s.showItem(i) }

	top := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Annotators:")), s.run, s.pick),
		s.done,
		s.worked,
		container.NewStack(s.busy),
		s.status,
	)
	s.sumScr = container.NewVScroll(container.NewPadded(s.sumBox))
	views := container.NewHSplit(
		container.NewBorder(s.headA, nil, nil, nil, s.scrollA),
		container.NewBorder(s.headB, nil, nil, nil, s.scrollB))
	itemsBox := container.NewBorder(widget.NewLabelWithStyle(lang.L("Disagreements of this pair (Ctrl+PgDn / Ctrl+PgUp: next / previous)"),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.itemList)
	detail := container.NewVSplit(views, itemsBox)
	detail.Offset = 0.62
	right := container.NewBorder(container.NewBorder(nil, nil, widget.NewLabel(lang.L("Pair:")), nil, container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(240, s.pairSel.MinSize().Height), s.pairSel), nil, s.title)), nil, nil, nil, detail)
	docs := container.NewHSplit(container.NewBorder(widget.NewLabelWithStyle(lang.L("Documents, most disagreement first"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.docList), right)
	docs.Offset = 0.28
	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Summary (Ctrl+1)"), s.sumScr),
		container.NewTabItem(lang.L("Documents (Ctrl+2)"), docs))
	scrollInside(s.win, container.NewBorder(top, nil, nil, nil, s.tabs))
	s.keys = append(reviewKeys(s.step, s.tabs, s.win), binding{scRun, s.compute})
	s.keys.register(s.win.Canvas())
	helpOnF1(s.win, s.u.fonts, func() []keyRow { return keymapRows(s.keys) })
	s.win.Show()
	s.compute()
	return s
}

// checkChanges computes the report again, with the same choices, when the
// database changed since the last look (here or in another process: the
// team's work comes in as it is done); while a computation runs it looks
// again at the next tick. Someone new can be chosen; who is chosen stays.
func (s *agreementScreen) checkChanges() {
	s.changed(s.u.store, func() bool {
		if s.bg.running() {
			return false
		}
		if all, err := s.u.store.Annotators(); err == nil {
			s.pick.Options = all
			s.pick.Refresh()
		}
		s.compute()
		return true
	})
}

func (s *agreementScreen) shortcut(sc fyne.Shortcut) { s.keys.run(sc) }

func (s *agreementScreen) titleOf(id string) string {
	if t := s.titles[id]; t != "" {
		return t
	}
	return id
}

// compute loads the chosen annotators' layers and computes the agreement
// in the background.
func (s *agreementScreen) compute() {
	names := append([]string(nil), s.pick.Selected...)
	if len(names) < 2 {
		s.status.SetText(lang.L("Choose at least two annotators."))
		return
	}
	// Keep the store's order of annotators, not the order of the clicks.
	order := map[string]int{}
	for i, a := range s.pick.Options {
		order[a] = i
	}
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && order[names[j]] < order[names[j-1]]; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	onlyDone := s.done.Checked
	sel := project.AgreementSelection{OnlyDone: onlyDone, OnlyWorked: s.worked.Checked}
	ch, ok := s.bg.start()
	if !ok {
		return
	}
	s.run.Disable()
	s.busy.Show()
	s.busy.Start()
	s.status.SetText(lang.L("computing…"))
	st := s.u.store
	go func() {
		defer close(ch)
		rep, docs, titles, leftOut, err := computeAgreement(st, names, sel)
		fyne.Do(func() {
			s.busy.Stop()
			s.busy.Hide()
			s.run.Enable()
			if err != nil {
				s.status.SetText("⚠ " + err.Error())
				return
			}
			s.rep, s.texts, s.titles = rep, docs, titles
			msg := fmt.Sprintf(lang.L("%d documents, %d units (non-space characters), annotators %s."), rep.Documents, rep.Units, strings.Join(rep.Annotators, ", "))
			if left := len(leftOut); left > 0 {
				// A whole sentence for each reason, for the translations.
				why := lang.L(" %s left out: not worked on by every chosen annotator.")
				if onlyDone {
					why = lang.L(" %s left out: not marked done by every chosen annotator.")
				}
				if sel.OnlyDone && sel.OnlyWorked {
					why = lang.L(" %s left out: not worked on or not marked done by every chosen annotator.")
				}
				// Which ones, as `tawsim agree` lists them.
				msg += fmt.Sprintf(why, countOf(left, "document", "documents")) +
					" " + fmt.Sprintf(lang.L("Left out: %s."), isolateRTL(strings.Join(project.FirstN(leftOut, 10), ", ")))
			}
			s.status.SetText(msg)
			s.showReport()
		})
	}()
}

func (s *agreementScreen) wait() {
	s.bg.wait()
}

// computeAgreement compares annotators on the documents sel keeps (see
// project.AgreementDocs): it returns the report, the compared documents by
// id, titles by id and the ids of the documents left out.
func computeAgreement(st *storage.Store, names []string, sel project.AgreementSelection) (*agree.Report, map[string]agree.Doc, map[string]string, []string, error) {
	infos, err := st.Documents()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	titles := map[string]string{}
	for _, d := range infos {
		titles[d.ID] = d.Title
	}
	// The same documents as `tawsim agree --db`.
	list, excluded, err := project.AgreementDocs(st, names, sel)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if len(list) == 0 {
		return nil, nil, nil, nil, errors.New(lang.L("no document is left with these options"))
	}
	docs := make(map[string]agree.Doc, len(list))
	for _, d := range list {
		docs[d.ID] = d
	}
	rep, err := agree.Compute(list, names, agree.Options{})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return rep, docs, titles, excluded, nil
}

// showReport fills the summary tab and the document list.
func (s *agreementScreen) showReport() {
	r := s.rep
	bold := fyne.TextStyle{Bold: true}
	var objs []fyne.CanvasObject
	objs = append(objs, widget.NewLabelWithStyle(lang.L("All annotators"), fyne.TextAlignLeading, bold))
	all := container.NewGridWithColumns(5,
		widget.NewLabel(""), gridText(lang.L("Fleiss' κ"), true), gridText(lang.L("Krippendorff's α"), true), gridText(lang.L("Unitizing α_u"), true), gridText(lang.L("α_u document mean"), true),
		widget.NewLabel(strings.Join(r.Annotators, ", ")), coefCell(r.All.FleissKappa), coefCell(r.All.KrippendorffAlpha),
		coefCell(r.All.AlphaU), coefCell(r.All.AlphaUDocumentMean))
	objs = append(objs, container.NewHBox(all))
	var notes []string
	for _, n := range []struct{ what, note string }{
		{"Fleiss' κ", r.All.FleissKappaNote}, {"Krippendorff's α", r.All.KrippendorffAlphaNote},
		{"α_u", r.All.AlphaUNote}, {"α_u document mean", r.All.AlphaUDocumentMeanNote},
	} {
		if n.note != "" {
			notes = append(notes, n.what+": "+n.note)
		}
	}

	objs = append(objs, widget.NewLabelWithStyle(lang.L("Pairs (row = A, the reference for span F1; column = B)"), fyne.TextAlignLeading, bold))
	pairOf := map[[2]string]*agree.Pair{}
	for i := range r.Pairs {
		p := &r.Pairs[i]
		pairOf[[2]string{p.A, p.B}] = p
		pairOf[[2]string{p.B, p.A}] = p
		for _, n := range []struct{ what, note string }{
			{"Cohen's κ", p.CohenKappaNote}, {"Krippendorff's α", p.KrippendorffAlphaNote}, {"strict span F1", p.SpanF1.Strict.Note},
			{"α_u", p.AlphaUNote},
		} {
			if n.note != "" {
				notes = append(notes, fmt.Sprintf("%s–%s %s: %s", p.A, p.B, n.what, n.note))
			}
		}
	}
	matrix := func(title string, get func(p *agree.Pair) *float64) fyne.CanvasObject {
		n := len(r.Annotators)
		cells := []fyne.CanvasObject{gridText("", false)}
		for _, b := range r.Annotators {
			cells = append(cells, gridText(b, true))
		}
		for _, a := range r.Annotators {
			cells = append(cells, gridText(a, true))
			for _, b := range r.Annotators {
				if a == b {
					cells = append(cells, gridText("·", false))
					continue
				}
				cells = append(cells, coefCell(get(pairOf[[2]string{a, b}])))
			}
		}
		return container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignCenter, bold), container.NewGridWithColumns(n+1, cells...))
	}
	selected := 0
	if s.pairTabs != nil {
		selected = s.pairTabs.SelectedIndex()
	}
	s.pairTabs = container.NewAppTabs(
		container.NewTabItem(lang.L("κ · α · span F1"), container.NewHBox(
			matrix(lang.L("Cohen's κ"), func(p *agree.Pair) *float64 { return p.CohenKappa }),
			widget.NewSeparator(),
			matrix(lang.L("Krippendorff's α"), func(p *agree.Pair) *float64 { return p.KrippendorffAlpha }),
			widget.NewSeparator(),
			matrix(lang.L("Strict span F1"), func(p *agree.Pair) *float64 { return p.SpanF1.Strict.F1 }),
		)),
		container.NewTabItem(lang.L("Unitizing α_u"), container.NewHBox(
			matrix(lang.L("Krippendorff's α_u"), func(p *agree.Pair) *float64 { return p.AlphaU }),
			widget.NewSeparator(),
			unitizingTable(r, &notes),
		)))
	s.pairTabs.SelectIndex(selected)
	objs = append(objs, container.NewHBox(s.pairTabs))
	for _, n := range notes {
		l := widget.NewLabel("⚠ " + n)
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}

	// Per label: spans per annotator, strict F1 per pair.
	objs = append(objs, widget.NewLabelWithStyle(lang.L("Per label: spans per annotator, strict F1 per pair"), fyne.TextAlignLeading, bold))
	cols := 1 + len(r.Annotators) + len(r.Pairs)
	cells := []fyne.CanvasObject{gridText(lang.L("label"), true)}
	for _, a := range r.Annotators {
		cells = append(cells, gridText(a, true))
	}
	for _, p := range r.Pairs {
		cells = append(cells, gridText("F1 "+p.A+"–"+p.B, true))
	}
	for _, ls := range r.Labels {
		cells = append(cells, gridText(ls.Label, true))
		for _, a := range r.Annotators {
			cells = append(cells, gridText(fmt.Sprint(ls.Spans[a]), false))
		}
		for _, p := range r.Pairs {
			if m, ok := p.SpanF1.PerLabel[ls.Label]; ok {
				cells = append(cells, coefCell(m.F1))
			} else {
				cells = append(cells, gridText("—", false))
			}
		}
	}
	objs = append(objs, container.NewHBox(container.NewGridWithColumns(cols, cells...)))

	// Disagreements per pair.
	objs = append(objs, widget.NewLabelWithStyle(lang.L("Span disagreements per pair"), fyne.TextAlignLeading, bold))
	dc := []fyne.CanvasObject{gridText(lang.L("pair"), true), gridText(lang.L("total"), true), gridText(lang.L("boundary"), true), gridText(lang.L("clitic"), true),
		gridText(lang.L("title/quote"), true), gridText(lang.L("label"), true), gridText(lang.L("crossing"), true), gridText(lang.L("missing in A"), true), gridText(lang.L("missing in B"), true)}
	for _, p := range r.Pairs {
		d := p.Disagreements
		dc = append(dc, gridText(p.A+"–"+p.B, true))
		for _, v := range []int{d.Total, d.Boundary, d.BoundaryClitic, d.BoundaryTitleQuote, d.Label, d.Crossing, d.MissingInA, d.MissingInB} {
			dc = append(dc, gridText(fmt.Sprint(v), false))
		}
	}
	objs = append(objs, container.NewHBox(container.NewGridWithColumns(9, dc...)))
	objs = append(objs, relationTables(r)...)
	s.sumBox.Objects = objs
	s.sumBox.Refresh()

	var pairs []string
	for _, p := range r.Pairs {
		pairs = append(pairs, p.A+" | "+p.B)
	}
	// The document and pair on show stay (where they still are), and so
	// does the place in the texts: a report computed again because the
	// team worked on must not move the reader.
	prevDoc, prevPair := "", s.pairSel.Selected
	if s.doc >= 0 && s.doc < len(s.order) {
		prevDoc = s.order[s.doc].ID
	}
	offA, offB := s.scrollA.Offset, s.scrollB.Offset
	s.order = r.DocsByDisagreement()
	s.doc = -1
	s.pairSel.Options = pairs
	s.pair = 0
	for i, p := range pairs {
		if p == prevPair {
			s.pair = i
		}
	}
	s.pairSel.SetSelectedIndex(s.pair) // shows nothing until a document is open
	s.docList.UnselectAll()
	s.docList.Refresh()
	if len(s.order) > 0 {
		at := -1
		for i, d := range s.order {
			if d.ID == prevDoc {
				at = i
			}
		}
		s.docList.Select(max(at, 0))
		if at >= 0 && s.pairSel.Selected == prevPair {
			s.scrollA.Offset, s.scrollB.Offset = offA, offB
			s.scrollA.Refresh()
			s.scrollB.Refresh()
		}
	}
}

// unitizingTable is α_u per label for all annotators and each pair, with
// the spans merged for it; it adds the per-label notes to notes.
func unitizingTable(r *agree.Report, notes *[]string) fyne.CanvasObject {
	bold := fyne.TextStyle{Bold: true}
	us := []agree.UnitizingAlpha{r.All.UnitizingAlpha}
	cells := []fyne.CanvasObject{gridText(lang.L("label"), true), gridText(lang.L("all"), true)}
	for _, p := range r.Pairs {
		us = append(us, p.UnitizingAlpha)
		cells = append(cells, gridText(p.A+"–"+p.B, true))
	}
	for _, ls := range r.Labels {
		cells = append(cells, gridText(ls.Label, true))
		for i, u := range us {
			v, ok := u.AlphaUPerLabel[ls.Label]
			if !ok {
				cells = append(cells, gridText("—", false))
				continue
			}
			cells = append(cells, coefCell(v))
			if n := u.AlphaUPerLabelNotes[ls.Label]; n != "" {
				note := fmt.Sprintf(lang.L("all annotators α_u(%s): %s"), ls.Label, n)
				if i > 0 {
					note = fmt.Sprintf(lang.L("%s α_u(%s): %s"), r.Pairs[i-1].A+"–"+r.Pairs[i-1].B, ls.Label, n)
				}
				*notes = append(*notes, note)
			}
		}
	}
	foot := widget.NewLabel(fmt.Sprintf(lang.L("Continuum: the documents in report order.\nDocument mean (the figure INCEpTION shows): %s over %s.\n%s merged into their union."),
		coefText(r.All.AlphaUDocumentMean), countOf(r.All.AlphaUDocuments, "document", "documents"),
		countOf(r.All.AlphaUMergedOverlaps, "overlapping same-label span", "overlapping same-label spans")))
	return container.NewVBox(widget.NewLabelWithStyle(lang.L("α_u per label"), fyne.TextAlignCenter, bold),
		container.NewHBox(container.NewGridWithColumns(len(us)+1, cells...)), foot)
}

// openDoc shows document i of the disagreement order.
func (s *agreementScreen) openDoc(i int) {
	if i < 0 || i >= len(s.order) {
		return
	}
	s.doc = i
	s.showDoc()
}

// showDoc shows the open document with the chosen pair's two layers.
func (s *agreementScreen) showDoc() {
	if s.rep == nil || s.doc < 0 || s.pair >= len(s.rep.Pairs) {
		return
	}
	dr := s.order[s.doc]
	p := s.rep.Pairs[s.pair]
	d := s.texts[dr.ID]
	s.title.SetText(s.titleOf(dr.ID))
	s.headA.SetText(fmt.Sprintf(lang.L("A: %s — %s, %s"), p.A, countOf(len(d.Layers[p.A]), "span", "spans"), countOf(len(d.Relations[p.A]), "relation", "relations")))
	s.headB.SetText(fmt.Sprintf(lang.L("B: %s — %s, %s"), p.B, countOf(len(d.Layers[p.B]), "span", "spans"), countOf(len(d.Relations[p.B]), "relation", "relations")))
	s.viewA.SetText(d.Text)
	s.viewA.SetSpans(d.Layers[p.A], s.u.colors)
	s.viewA.SetRelations(arcsOf(d.Layers[p.A], d.Relations[p.A]), -1)
	s.viewB.SetText(d.Text)
	s.viewB.SetSpans(d.Layers[p.B], s.u.colors)
	s.viewB.SetRelations(arcsOf(d.Layers[p.B], d.Relations[p.B]), -1)
	scrollToTop(s.viewA, s.scrollA)
	scrollToTop(s.viewB, s.scrollB)
	s.items = s.itemsOf(s.doc)
	s.item = -1
	s.itemList.UnselectAll()
	s.itemList.Refresh()
}

// showItem selects disagreement i in both views: each view selects its own
// span, or the other side's range where its span is missing.
func (s *agreementScreen) showItem(i int) {
	if i < 0 || i >= len(s.items) {
		return
	}
	s.item = i
	it := s.items[i]
	if r := it.rel; r != nil {
		s.showRelItem(r)
		return
	}
	a, b := eachOrOther(it.span.SpanA, it.span.SpanB)
	revealRange(s.viewA, s.scrollA, a.Start, a.End)
	revealRange(s.viewB, s.scrollB, b.Start, b.End)
}

// showRelItem focuses a relation disagreement: each view draws its own
// relation bold and selects its head, or the other side's head where it
// drew none.
func (s *agreementScreen) showRelItem(r *relDiff) {
	d := s.texts[s.order[s.doc].ID]
	p := s.rep.Pairs[s.pair]
	show := func(v *SpanView, sc *viewScroll, name string, own, other *relArc) {
		arcs := arcsOf(d.Layers[name], d.Relations[name])
		v.SetRelations(arcs, arcIndex(arcs, own))
		if own == nil {
			own = other
		}
		revealRange(v, sc, own.Head.Start, own.Head.End)
	}
	show(s.viewA, s.scrollA, p.A, r.A, r.B)
	show(s.viewB, s.scrollB, p.B, r.B, r.A)
}

// step moves to the next (+1) or previous (-1) disagreement of the chosen
// pair, on to the next or previous document that has any; at either end
// it stays where it is.
func (s *agreementScreen) step(dir int) {
	if s.rep == nil || len(s.order) == 0 {
		return
	}
	s.tabs.SelectIndex(1)
	doc, item := s.doc, s.item
	if doc < 0 {
		doc, item = 0, -1
	}
	for {
		n := len(s.itemsOf(doc))
		if j := item + dir; j >= 0 && j < n {
			if doc != s.doc {
				s.docList.Select(doc)
				s.docList.ScrollTo(doc)
			}
			s.itemList.Select(j)
			s.itemList.ScrollTo(j)
			return
		}
		doc += dir
		if doc < 0 || doc >= len(s.order) {
			s.status.SetText(lang.L("No further disagreement in this direction."))
			return
		}
		item = -1
		if dir < 0 {
			item = len(s.itemsOf(doc))
		}
	}
}

// itemsOf lists the chosen pair's disagreements in document i of the
// disagreement order: the span disagreements, then the relation ones.
func (s *agreementScreen) itemsOf(i int) []agreeItem {
	p := s.rep.Pairs[s.pair]
	var out []agreeItem
	for _, it := range s.order[i].Items {
		if it.A == p.A && it.B == p.B {
			out = append(out, agreeItem{span: it})
		}
	}
	d := s.texts[s.order[i].ID]
	for _, r := range relDisagreements(d.Layers[p.A], d.Relations[p.A], d.Layers[p.B], d.Relations[p.B]) {
		out = append(out, agreeItem{rel: &r})
	}
	return out
}
