package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/score"
	"tawsim/export"
	"tawsim/project"
	"tawsim/storage"
)

// evaluateScreen is Review ▸ Evaluate…: an extractor's predictions scored
// against the project's gold layer, with the micro, per-label, macro and
// relation tables and a walk through the strict-scheme errors (the spans',
// then the missed and spurious relations) showing gold (above) and
// prediction (below) on the same text.
type evaluateScreen struct {
	u       *UI
	win     fyne.Window
	path    *widget.Entry
	format  *widget.Select
	layer   *widget.Entry
	run     *widget.Button
	status  *BidiText
	tabs    *container.AppTabs
	tables  *fyne.Container
	tabScr  *container.Scroll
	scheme  *widget.Select
	errHead *widget.Label
	errText *TextLine
	title   *TextLine
	gold    *SpanView
	pred    *SpanView
	scrollG *viewScroll
	scrollP *viewScroll
	errList *widget.List
	keys    keymap

	rep  *score.Report
	docs map[string]*score.Doc
	cur  int // index into rep.Errors, then rep.RelationErrors; -1 for none

	bg bgRun
}

func openEvaluate(u *UI) *evaluateScreen {
	s := &evaluateScreen{u: u, cur: -1}
	s.win = u.toolWindow(lang.L("Evaluate an extractor — Tawsim"))
	s.path = widget.NewEntry()
	s.path.SetPlaceHolder(lang.L("prediction file (jsonl, conll, doccano, …)"))
	s.path.OnSubmitted = func(string) { s.load() }
	s.format = widget.NewSelect(append([]string{importFormatAuto}, export.Names()...), nil)
	s.format.SetSelected(importFormatAuto)
	s.layer = widget.NewEntry()
	s.layer.SetPlaceHolder(lang.L("only layer"))
	choose := widget.NewButtonWithIcon(lang.L("Choose…"), theme.FileIcon(), func() {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			s.path.SetText(r.URI().Path())
			s.load()
		}, s.win)
		fd.Show()
	})
	s.run = widget.NewButtonWithIcon(lang.L("Score (Enter)"), theme.MediaPlayIcon(), s.load)
	s.run.Importance = widget.HighImportance
	s.status = newBidiText(u.fonts, lang.L("Name a prediction file; it is scored against the gold layer."))
	s.tables = container.NewVBox()
	s.scheme = widget.NewSelect([]string{"strict", "exact", "partial", "type"}, func(string) { s.showTables() })
	s.scheme.SetSelected("strict")

	s.errHead = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.errText = NewTextLine(u.fonts, "")
	s.title = NewTextLine(u.fonts, "")
	s.gold, s.scrollG = scrolledView(u.fonts, 18)
	s.pred, s.scrollP = scrolledView(u.fonts, 18)
	for _, v := range []*SpanView{s.gold, s.pred} {
		v.OnShortcut = s.shortcut
	}
	s.errList = widget.NewList(
		s.errors,
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewLabel(lang.L("spurious relation")), nil,
				container.NewGridWithColumns(2, NewTextLine(u.fonts, ""), NewTextLine(u.fonts, "")))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			g := c.Objects[0].(*fyne.Container)
			if re := s.relError(i); re != nil {
				gold, pred := relErrorSides(re)
				c.Objects[1].(*widget.Label).SetText(relKindName(re.Kind))
				g.Objects[0].(*TextLine).SetText(lang.L("gold: ") + relOrDash(gold, 12))
				g.Objects[1].(*TextLine).SetText(lang.L("pred: ") + relOrDash(pred, 12))
				return
			}
			e := s.rep.Errors[i]
			c.Objects[1].(*widget.Label).SetText(e.Kind)
			g.Objects[0].(*TextLine).SetText(lang.L("gold: ") + spanText(e.Gold))
			g.Objects[1].(*TextLine).SetText(lang.L("pred: ") + spanText(e.Pred))
		})
	s.errList.OnSelected = func(i widget.ListItemID) {
		if i != s.cur {
			s.showError(i)
		}
	}

	prev := widget.NewButtonWithIcon(lang.L("Previous (Ctrl+PgUp)"), theme.NavigateBackIcon(), func() { s.step(-1) })
	next := widget.NewButtonWithIcon(lang.L("Next (Ctrl+PgDn)"), theme.NavigateNextIcon(), func() { s.step(+1) })
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Predictions"), container.NewBorder(nil, nil, nil, choose, s.path)),
		widget.NewFormItem(lang.L("Format"), container.NewGridWithColumns(3, s.format, widget.NewLabelWithStyle(lang.L("Prediction layer (annotator)"), fyne.TextAlignTrailing, fyne.TextStyle{}), s.layer)),
	)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, s.run, form), s.status)
	s.tabScr = container.NewVScroll(container.NewPadded(s.tables))
	tables := container.NewBorder(container.NewHBox(widget.NewLabel(lang.L("Per-label scheme:")), s.scheme), nil, nil, nil,
		s.tabScr)
	views := container.NewVSplit(
		container.NewBorder(widget.NewLabelWithStyle(lang.L("Gold"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.scrollG),
		container.NewBorder(widget.NewLabelWithStyle(lang.L("Prediction"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.scrollP))
	nav := container.NewBorder(nil, nil, container.NewHBox(prev, next), nil, s.errHead)
	errTop := container.NewVBox(nav, container.NewBorder(nil, nil, widget.NewLabel(lang.L("Document:")), nil, s.title), s.errText)
	errPane := container.NewHSplit(
		container.NewBorder(widget.NewLabelWithStyle(lang.L("Strict-scheme errors: spans, then relations"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, s.errList),
		container.NewBorder(errTop, nil, nil, nil, views))
	errPane.Offset = 0.34
	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Scores (Ctrl+1)"), tables),
		container.NewTabItem(lang.L("Errors (Ctrl+2)"), errPane))
	scrollInside(s.win, container.NewBorder(top, nil, nil, nil, s.tabs))
	s.keys = reviewKeys(s.step, s.tabs, s.win)
	s.keys.register(s.win.Canvas())
	helpOnF1(s.win, s.u.fonts, func() []keyRow { return keymapRows(s.keys) })
	s.win.Show()
	s.win.Canvas().Focus(s.path)
	return s
}

func (s *evaluateScreen) shortcut(sc fyne.Shortcut) { s.keys.run(sc) }

// load reads the prediction file and scores it in the background.
func (s *evaluateScreen) load() {
	path := strings.TrimSpace(s.path.Text)
	if path == "" {
		s.status.SetText(lang.L("Name a prediction file first."))
		return
	}
	format := s.format.Selected
	if format == importFormatAuto {
		format = ""
	}
	layer := strings.TrimSpace(s.layer.Text)
	ch, ok := s.bg.start()
	if !ok {
		return
	}
	s.run.Disable()
	s.status.SetText(lang.L("Scoring ") + path + " …")
	st := s.u.store
	go func() {
		defer close(ch)
		rep, docs, msg, err := evaluateFile(st, path, format, layer)
		fyne.Do(func() {
			s.run.Enable()
			if err != nil {
				s.status.SetText("⚠ " + err.Error())
				return
			}
			s.rep, s.docs, s.cur = rep, docs, -1
			s.status.SetText(msg)
			s.showTables()
			s.errList.UnselectAll()
			s.errList.Refresh()
			if s.errors() > 0 {
				s.showError(0)
			} else {
				s.errHead.SetText(lang.L("No errors under the strict scheme."))
			}
		})
	}()
}

func (s *evaluateScreen) wait() {
	s.bg.wait()
}

// evaluateFile scores the predictions in path against the gold layer of
// st, over the documents whose adjudication is finished (see
// project.ScoreFinished): the others are left out and counted, their
// predictions ignored; predicted documents the project does not have are
// an error.
func evaluateFile(st *storage.Store, path, format, predLayer string) (*score.Report, map[string]*score.Doc, string, error) {
	preds, warnings, err := project.ReadFile(path, project.ImportOptions{Format: format})
	if err != nil {
		return nil, nil, "", err
	}
	// The same documents as `tawsim score --db`: those whose adjudication
	// is finished.
	g, err := project.ScoreFinished(st, preds, predLayer)
	if err != nil {
		return nil, nil, "", err
	}
	docs := g.Docs
	rep := score.Score(docs)
	byID := make(map[string]*score.Doc, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	s := rep.Micro.Strict
	msg := fmt.Sprintf(lang.L("%s: documents %d (adjudication finished), left out %d (not finished); %d gold spans, %d predicted spans. Strict micro P %.3f R %.3f F1 %.3f; %d errors."),
		path, rep.Documents, g.LeftOut, rep.GoldSpans, rep.PredSpans, s.Precision, s.Recall, s.F1, len(rep.Errors))
	if len(g.Ignored) > 0 {
		msg += fmt.Sprintf(lang.L(" Predictions for %s ignored: no gold yet."), countOf(len(g.Ignored), "document not finished", "documents not finished"))
	}
	if rr := rep.Relations.Strict; rr.Possible+rr.Actual > 0 {
		msg += fmt.Sprintf(lang.L(" Relations: %d gold, %d predicted; strict P %.3f R %.3f F1 %.3f; %d errors."),
			rr.Possible, rr.Actual, rr.Precision, rr.Recall, rr.F1, len(rep.RelationErrors))
	}
	for _, w := range warnings {
		msg += "\n⚠ " + w
	}
	return rep, byID, msg, nil
}

// errors counts the errors to step through: the spans', then the
// relations'.
func (s *evaluateScreen) errors() int {
	if s.rep == nil {
		return 0
	}
	return len(s.rep.Errors) + len(s.rep.RelationErrors)
}

// relError is error i when it is a relation's, else nil.
func (s *evaluateScreen) relError(i int) *score.RelationError {
	if j := i - len(s.rep.Errors); j >= 0 && j < len(s.rep.RelationErrors) {
		return &s.rep.RelationErrors[j]
	}
	return nil
}

// relErrorSides is a relation error as the gold side's relation and the
// prediction's, one of them nil.
func relErrorSides(e *score.RelationError) (gold, pred *relArc) {
	r := &relArc{Head: *e.Head, Tail: *e.Tail, Label: e.Relation}
	if e.Kind == score.KindMissingRelation {
		return r, nil
	}
	return nil, r
}

func relKindName(kind string) string { return strings.ReplaceAll(kind, "_", " ") }

// relOrDash names a relation in the error list by its label and tail (the
// head is in the error's line above the views); nil is "—".
func relOrDash(r *relArc, n int) string {
	if r == nil {
		return "—"
	}
	return fmt.Sprintf("%s \u200e→\u200e %s", r.Label, shortText(r.Tail.Text, n))
}

// showTables fills the micro, per-label and macro tables.
func (s *evaluateScreen) showTables() {
	if s.rep == nil || s.tables == nil {
		return
	}
	r := s.rep
	bold := fyne.TextStyle{Bold: true}
	row := func(name string, c *score.Counts) []fyne.CanvasObject {
		return scoreRow(name, []int{c.Cor, c.Inc, c.Par, c.Mis, c.Spu}, c.Precision, c.Recall, c.F1)
	}
	header := func(first string) []fyne.CanvasObject {
		return headerRow(first, "COR", "INC", "PAR", "MIS", "SPU", lang.L("precision"), lang.L("recall"), "F1")
	}
	micro := header("micro")
	for _, sc := range score.AllSchemes {
		micro = append(micro, row(sc.String(), r.Micro.Get(sc))...)
	}
	scheme := score.Strict
	for _, sc := range score.AllSchemes {
		if sc.String() == s.scheme.Selected {
			scheme = sc
		}
	}
	per := header("label")
	for _, l := range r.Labels {
		res := r.PerLabel[l]
		per = append(per, row(l, res.Get(scheme))...)
	}
	macro := []fyne.CanvasObject{gridText(lang.L("macro"), true), gridText(lang.L("precision"), true), gridText(lang.L("recall"), true), gridText("F1", true)}
	for _, sc := range score.AllSchemes {
		a := r.Macro.Get(sc)
		macro = append(macro, gridText(sc.String(), true), coefCell(&a.Precision), coefCell(&a.Recall), coefCell(&a.F1))
	}
	s.tables.Objects = append([]fyne.CanvasObject{
		widget.NewLabelWithStyle(fmt.Sprintf(lang.L("Micro: all %d gold and %d predicted spans"), r.GoldSpans, r.PredSpans), fyne.TextAlignLeading, bold),
		container.NewHBox(container.NewGridWithColumns(9, micro...)),
		widget.NewLabelWithStyle(lang.L("Per label, ")+scheme.String()+lang.L(" scheme"), fyne.TextAlignLeading, bold),
		container.NewHBox(container.NewGridWithColumns(9, per...)),
		widget.NewLabelWithStyle(lang.L("Macro: unweighted mean over the labels"), fyne.TextAlignLeading, bold),
		container.NewHBox(container.NewGridWithColumns(4, macro...)),
	}, relScoreTables(&r.Relations)...)
	s.tables.Refresh()
}

// headerRow is a table's bold header: first, then heads.
func headerRow(first string, heads ...string) []fyne.CanvasObject {
	out := []fyne.CanvasObject{gridText(first, true)}
	for _, h := range heads {
		out = append(out, gridText(h, true))
	}
	return out
}

// scoreRow is a table row: its name, the counts, then the scores coloured.
func scoreRow(name string, counts []int, scores ...float64) []fyne.CanvasObject {
	out := []fyne.CanvasObject{gridText(name, true)}
	for _, v := range counts {
		out = append(out, gridText(fmt.Sprint(v), false))
	}
	for i := range scores {
		out = append(out, coefCell(&scores[i]))
	}
	return out
}

// showError shows strict-scheme error i: its document with gold spans in
// the upper view and predicted spans in the lower one, the error's spans
// selected in each.
func (s *evaluateScreen) showError(i int) {
	if s.rep == nil || i < 0 || i >= s.errors() {
		return
	}
	d := s.docs[s.errorDoc(i)]
	if d == nil {
		return
	}
	prevDoc := ""
	if s.cur >= 0 {
		prevDoc = s.errorDoc(s.cur)
	}
	s.cur = i
	if prevDoc != d.ID || s.gold.Text() != d.Text {
		s.gold.SetText(d.Text)
		s.pred.SetText(d.Text)
		s.title.SetText(s.u.titleOf(d.ID))
	}
	s.gold.SetSpans(d.Gold, s.u.colors)
	s.pred.SetSpans(d.Pred, s.u.colors)
	goldArcs, predArcs := arcsOf(d.Gold, d.GoldRel), arcsOf(d.Pred, d.PredRel)
	if re := s.relError(i); re != nil {
		// The relation in the view that has it, bold; both show it from
		// its head.
		gold, pred := relErrorSides(re)
		s.gold.SetRelations(goldArcs, arcIndex(goldArcs, gold))
		s.pred.SetRelations(predArcs, arcIndex(predArcs, pred))
		s.errHead.SetText(fmt.Sprintf(lang.L("Error %d of %d: %s %s"), i+1, s.errors(), relKindName(re.Kind), re.Relation))
		s.errText.SetText(fmt.Sprintf("%s: %s → %s", re.Relation, spanWhere(re.Head), spanWhere(re.Tail)))
		revealRange(s.gold, s.scrollG, re.Head.Start, re.Head.End)
		revealRange(s.pred, s.scrollP, re.Head.Start, re.Head.End)
	} else {
		e := s.rep.Errors[i]
		s.gold.SetRelations(goldArcs, -1)
		s.pred.SetRelations(predArcs, -1)
		s.errHead.SetText(fmt.Sprintf(lang.L("Error %d of %d: %s"), i+1, s.errors(), e.Kind))
		s.errText.SetText(fmt.Sprintf(lang.L("gold: %s   ·   prediction: %s"), spanWhere(e.Gold), spanWhere(e.Pred)))
		g, p := eachOrOther(e.Gold, e.Pred)
		revealRange(s.gold, s.scrollG, g.Start, g.End)
		revealRange(s.pred, s.scrollP, p.Start, p.End)
	}
	if sel := s.errList; sel != nil {
		sel.Select(i)
		sel.ScrollTo(i)
	}
}

// errorDoc is the document of error i.
func (s *evaluateScreen) errorDoc(i int) string {
	if re := s.relError(i); re != nil {
		return re.Document
	}
	return s.rep.Errors[i].Document
}

func spanWhere(sp *annotate.Span) string {
	if sp == nil {
		return "—"
	}
	// Offsets before the text: digits after Arabic would be drawn inside
	// the Arabic run by the bidi algorithm.
	return fmt.Sprintf("%s [%d,%d) «%s»", sp.Label, sp.Start, sp.End, sp.Text)
}

// step moves to the next or previous error.
func (s *evaluateScreen) step(dir int) {
	if s.errors() == 0 {
		return
	}
	s.tabs.SelectIndex(1)
	j := s.cur + dir
	if j < 0 || j >= s.errors() {
		return
	}
	s.showError(j)
}

// titleOf is the title of document id, or the id.
func (u *UI) titleOf(id string) string {
	for _, d := range u.filt.all {
		if d.ID == id && d.Title != "" {
			return d.Title
		}
	}
	return id
}
