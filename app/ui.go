package app

import (
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/layout"
	"tawsim/storage"
)

// Preference keys.
const (
	prefAnnotator = "annotator"
	prefTextSize  = "text_size"
	prefDark      = "dark"
	prefStrip     = "strip_on_double_click"
)

// UI is the annotation window: the document list, the span view and the
// side panel with the label palette and this document's spans.
type UI struct {
	app       fyne.App
	win       fyne.Window
	store     *storage.Store
	fonts     *layout.Fonts
	annotator string

	labels []annotate.Label
	colors map[string]color.NRGBA
	docs   []storage.DocInfo
	cur    int // index into docs, -1 before one is open
	doc    *annotate.Document
	spans  []annotate.Span // this annotator's spans on doc, reading order
	hist   *history
	opened time.Time // when doc was opened, for the time spent

	view      *SpanView
	scroll    *container.Scroll
	docList   *widget.List
	spanList  *widget.List
	palette   *fyne.Container
	progress  *widget.Label
	message   *TextLine // status line: it quotes Arabic span texts inside Latin
	docTitle  *TextLine
	stripTick *widget.Check
	content   fyne.CanvasObject

	// watchers are told when this window changed an annotator's layer of
	// a document ("" = possibly any): open review windows refresh.
	watchers map[any]func(doc string)
}

// watch registers f under key (replacing an earlier one); unwatch drops it.
func (u *UI) watch(key any, f func(doc string)) {
	if u.watchers == nil {
		u.watchers = map[any]func(string){}
	}
	u.watchers[key] = f
}

func (u *UI) unwatch(key any) { delete(u.watchers, key) }

func (u *UI) layerChanged(doc string) {
	for _, f := range u.watchers {
		f(doc)
	}
}

// NewUI builds the window's content for store st. If no annotator name is
// stored in the preferences it asks for one first; annotating waits for it.
func NewUI(a fyne.App, w fyne.Window, st *storage.Store, fonts *layout.Fonts) (*UI, error) {
	u := &UI{app: a, win: w, store: st, fonts: fonts, cur: -1}
	size := float32(a.Preferences().FloatWithFallback(prefTextSize, 20))
	u.applyTheme()
	u.view = NewSpanView(fonts, size)
	u.view.OnHotkey = u.hotkey
	u.view.OnDelete = u.deleteActive
	u.view.OnShortcut = u.shortcut
	u.view.OnSelect = func(int, int) { u.showSelection() }
	u.view.OnDoubleTap = u.doubleTap
	u.scroll = container.NewVScroll(u.view)
	u.scroll.OnScrolled = func(p fyne.Position) { u.view.ScrollTo(p.Y, u.scroll.Size().Height) }
	if err := u.reloadLabels(); err != nil {
		return nil, err
	}
	u.build()
	w.SetContent(u.content)
	w.SetMainMenu(u.mainMenu())
	u.registerShortcuts()
	if err := u.reloadDocs(); err != nil {
		return nil, err
	}
	name := a.Preferences().String(prefAnnotator)
	if name == "" {
		// Show the first article behind the prompt; labelling waits for
		// the name.
		if len(u.docs) > 0 {
			u.Open(0)
		}
		u.askAnnotator(true)
	} else if err := u.setAnnotator(name); err != nil {
		return nil, err
	}
	return u, nil
}

// Content is the window content (for tests and captures).
func (u *UI) Content() fyne.CanvasObject { return u.content }

// View is the span view.
func (u *UI) View() *SpanView { return u.view }

// Annotator is the current annotator's name.
func (u *UI) Annotator() string { return u.annotator }

func (u *UI) setAnnotator(name string) error {
	name = strings.TrimSpace(name)
	if err := u.store.EnsureAnnotator(name); err != nil {
		return err
	}
	u.leaveDoc() // the time so far was the previous annotator's
	u.opened = time.Now()
	u.annotator = name
	u.app.Preferences().SetString(prefAnnotator, name)
	u.hist = newHistory(u.store, name)
	u.updateProgress()
	if err := u.reloadDocs(); err != nil {
		return err
	}
	if u.doc == nil && len(u.docs) > 0 {
		u.Open(u.firstOpen())
	} else {
		u.reloadSpans()
	}
	return nil
}

// firstOpen is the first document this annotator has not marked done.
func (u *UI) firstOpen() int {
	for i, d := range u.docs {
		if d.Status[u.annotator] != annotate.StatusDone {
			return i
		}
	}
	return 0
}

// askAnnotator asks for the annotator's name: on first run (where Cancel
// quits) and from File ▸ Switch annotator….
func (u *UI) askAnnotator(first bool) {
	entry := widget.NewEntry()
	entry.SetPlaceHolder("e.g. amina")
	entry.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("a name is needed")
		}
		return nil
	}
	var d *dialog.FormDialog
	entry.OnSubmitted = func(string) { d.Submit() } // Enter starts
	title, cancel := "Welcome to Tawsim — who is annotating?", "Quit"
	if !first {
		title, cancel = "Switch annotator", "Cancel"
		entry.SetText(u.annotator)
	}
	d = dialog.NewForm(title, "Start", cancel,
		[]*widget.FormItem{widget.NewFormItem("Your name", entry)},
		func(ok bool) {
			if !ok {
				if first {
					u.app.Quit()
				}
				return
			}
			if err := u.setAnnotator(entry.Text); err != nil {
				dialog.ShowError(err, u.win)
				u.askAnnotator(first)
			}
		}, u.win)
	d.Resize(fyne.NewSize(420, 180))
	d.Show()
	u.win.Canvas().Focus(entry)
}

func (u *UI) reloadLabels() error {
	labels, err := u.store.Labels()
	if err != nil {
		return err
	}
	u.labels = labels
	u.colors = map[string]color.NRGBA{}
	for _, l := range labels {
		u.colors[l.Name] = parseColor(l.Color)
	}
	return nil
}

func parseColor(s string) color.NRGBA {
	s = strings.TrimPrefix(s, "#")
	if v, err := strconv.ParseUint(s, 16, 32); err == nil && len(s) == 6 {
		return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
	}
	return color.NRGBA{0x80, 0x80, 0x80, 0xff}
}

func (u *UI) reloadDocs() error {
	docs, err := u.store.Documents()
	if err != nil {
		return err
	}
	u.docs = docs
	// The open document keeps its place even when others were added
	// before it.
	if u.doc != nil {
		u.cur = -1
		for i, d := range docs {
			if d.ID == u.doc.ID {
				u.cur = i
			}
		}
	}
	if u.docList != nil {
		u.docList.Refresh()
	}
	u.updateProgress()
	return nil
}

func (u *UI) updateProgress() {
	if u.progress == nil {
		return
	}
	done := 0
	for _, d := range u.docs {
		if d.Status[u.annotator] == annotate.StatusDone {
			done++
		}
	}
	u.progress.SetText(fmt.Sprintf("%d / %d done", done, len(u.docs)))
}

func (u *UI) build() {
	u.progress = widget.NewLabel("")
	u.message = NewTextLine(u.fonts, "")
	u.docTitle = NewTextLine(u.fonts, "")

	u.docList = widget.NewList(
		func() int { return len(u.docs) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.RadioButtonIcon()), widget.NewLabel("000"), NewTextLine(u.fonts, ""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			d := u.docs[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*TextLine).SetText(d.Title)
			icon := theme.RadioButtonIcon()
			switch d.Status[u.annotator] {
			case annotate.StatusDone:
				icon = theme.ConfirmIcon()
			case annotate.StatusInProgress:
				icon = theme.RadioButtonFillIcon()
			}
			c.Objects[1].(*widget.Icon).SetResource(icon)
			c.Objects[2].(*widget.Label).SetText(strconv.Itoa(d.Spans[u.annotator]))
		})
	u.docList.OnSelected = func(i widget.ListItemID) {
		if i != u.cur {
			u.Open(i)
		}
	}

	u.palette = container.NewVBox()
	u.spanList = widget.NewList(
		func() int { return len(u.spans) },
		func() fyne.CanvasObject {
			sw := canvas.NewRectangle(color.Black)
			sw.SetMinSize(fyne.NewSize(6, 20))
			return container.NewBorder(nil, nil, container.NewHBox(sw, widget.NewLabel("ORGANIZATION")), widget.NewLabel("[0000,0000)"), NewTextLine(u.fonts, ""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			sp := u.spans[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*TextLine).SetText(sp.Text)
			left := c.Objects[1].(*fyne.Container)
			left.Objects[0].(*canvas.Rectangle).FillColor = u.colors[sp.Label]
			left.Objects[0].Refresh()
			left.Objects[1].(*widget.Label).SetText(sp.Label)
			c.Objects[2].(*widget.Label).SetText(fmt.Sprintf("[%d,%d)", sp.Start, sp.End))
		})
	u.spanList.OnSelected = func(i widget.ListItemID) {
		if i < len(u.spans) {
			sp := u.spans[i]
			u.view.Select(sp.Start, sp.End)
			u.scrollToOffset(sp.Start)
			u.win.Canvas().Focus(u.view)
		}
	}

	u.stripTick = widget.NewCheck("Strip clitics on double-click", func(b bool) {
		u.app.Preferences().SetBool(prefStrip, b)
	})
	u.stripTick.SetChecked(u.app.Preferences().Bool(prefStrip))

	toolbar := widget.NewToolbar(
		widget.NewToolbarAction(theme.NavigateBackIcon(), func() { u.step(-1) }),
		widget.NewToolbarAction(theme.NavigateNextIcon(), func() { u.step(+1) }),
		widget.NewToolbarAction(theme.ConfirmIcon(), u.markDone),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ContentUndoIcon(), u.undo),
		widget.NewToolbarAction(theme.ContentRedoIcon(), u.redo),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ZoomOutIcon(), func() { u.zoom(-2) }),
		widget.NewToolbarAction(theme.ZoomInIcon(), func() { u.zoom(+2) }),
		widget.NewToolbarAction(theme.ColorPaletteIcon(), u.toggleTheme),
	)
	top := container.NewBorder(nil, nil, toolbar, u.progress, u.docTitle)

	actions := container.NewGridWithColumns(2,
		widget.NewButtonWithIcon("Strip clitics", theme.ContentCutIcon(), u.stripSelection),
		widget.NewButtonWithIcon("Delete span", theme.DeleteIcon(), u.deleteActive),
	)
	side := container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle("Labels", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), u.palette, actions, u.stripTick,
			widget.NewLabelWithStyle("Spans in this document", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		nil, nil, nil, u.spanList)

	center := container.NewBorder(top, container.NewPadded(u.message), nil, nil, u.scroll)
	split := container.NewHSplit(container.NewBorder(widget.NewLabelWithStyle("Documents", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, u.docList),
		container.NewHSplit(center, side))
	split.Offset = 0.2
	split.Trailing.(*container.Split).Offset = 0.72
	u.content = split
	u.rebuildPalette()
}

// rebuildPalette shows one button per label with its hotkey and the count
// of its spans in this document.
func (u *UI) rebuildPalette() {
	counts := map[string]int{}
	for _, sp := range u.spans {
		counts[sp.Label]++
	}
	var objs []fyne.CanvasObject
	for _, l := range u.labels {
		l := l
		sw := canvas.NewRectangle(u.colors[l.Name])
		sw.SetMinSize(fyne.NewSize(14, 14))
		key := l.Hotkey
		if key == "" {
			key = " "
		}
		b := widget.NewButton(fmt.Sprintf("%s  %s  (%d)", key, l.Name, counts[l.Name]), func() { u.label(l.Name) })
		b.Alignment = widget.ButtonAlignLeading
		objs = append(objs, container.NewBorder(nil, nil, container.NewCenter(sw), NewTextLine(u.fonts, l.Arabic), b))
	}
	u.palette.Objects = objs
	u.palette.Refresh()
}

// Open shows document i of the list.
func (u *UI) Open(i int) {
	if i < 0 || i >= len(u.docs) {
		return
	}
	u.leaveDoc()
	doc, err := u.store.Document(u.docs[i].ID)
	if err != nil {
		u.fail(err)
		return
	}
	u.cur, u.doc, u.opened = i, doc, time.Now()
	u.view.SetText(doc.Text)
	u.docTitle.SetText(doc.Title)
	u.reloadSpans()
	u.scroll.ScrollToTop()
	u.view.ScrollTo(0, u.scroll.Size().Height)
	if u.docList.Length() > i {
		u.docList.Select(i)
	}
	u.say(fmt.Sprintf("%s — %d characters", doc.ID, u.view.Layout().Len()))
	u.win.Canvas().Focus(u.view)
}

// leaveDoc records the time spent on the open document.
func (u *UI) leaveDoc() {
	if u.doc != nil && u.annotator != "" {
		if spent := time.Since(u.opened); spent > time.Second {
			if err := u.store.AddTime(u.doc.ID, u.annotator, spent); err != nil {
				u.fail(err)
			}
		}
	}
}

// Close records the time spent; call it when the window closes.
func (u *UI) Close() { u.leaveDoc(); u.doc = nil }

func (u *UI) reloadSpans() {
	if u.doc == nil || u.annotator == "" {
		u.spans = nil
	} else {
		spans, err := u.store.Spans(u.doc.ID, u.annotator)
		if err != nil {
			u.fail(err)
			return
		}
		u.spans = spans
	}
	u.showSpans()
}

// replaceSpan updates the shown layer after a committed change without
// reading it back: old (if any, by id) leaves, changed (if any) comes in at
// its place in reading order. The store returned changed as it stored it.
func (u *UI) replaceSpan(old, changed *annotate.Span) {
	if old != nil {
		for i := range u.spans {
			if u.spans[i].ID == old.ID {
				u.spans = append(u.spans[:i], u.spans[i+1:]...)
				break
			}
		}
	}
	if changed != nil {
		i, _ := slices.BinarySearchFunc(u.spans, *changed, annotate.CompareSpans)
		u.spans = append(u.spans, annotate.Span{})
		copy(u.spans[i+1:], u.spans[i:])
		u.spans[i] = *changed
	}
	u.showSpans()
	if u.doc != nil {
		u.layerChanged(u.doc.ID)
	}
}

// showSpans puts u.spans on screen: view, span list, palette counts and
// the document's row.
func (u *UI) showSpans() {
	u.view.SetSpans(u.spans, u.colors)
	u.spanList.UnselectAll()
	u.spanList.Refresh()
	u.rebuildPalette()
	if u.cur >= 0 && u.cur < len(u.docs) {
		u.docs[u.cur].Spans[u.annotator] = len(u.spans)
		u.docList.RefreshItem(u.cur)
	}
}

func (u *UI) say(msg string) { u.message.SetText(msg) }

func (u *UI) fail(err error) {
	u.say("⚠ " + err.Error())
}

func (u *UI) showSelection() {
	s, e := u.view.Selection()
	if sp, ok := u.view.ActiveSpan(); ok {
		u.say(fmt.Sprintf("%s [%d,%d) «%s»", sp.Label, sp.Start, sp.End, sp.Text))
		return
	}
	if s < e && u.doc != nil {
		u.say(fmt.Sprintf("selected [%d,%d) — press 1–%d to label", s, e, min(len(u.labels), 9)))
	}
}

func (u *UI) ready() bool {
	if u.doc == nil {
		return false
	}
	if u.annotator == "" {
		u.say("Enter your name first")
		return false
	}
	return true
}

// hotkey labels the selection with the label bound to r.
func (u *UI) hotkey(r rune) {
	for _, l := range u.labels {
		if l.Hotkey == string(r) {
			u.label(l.Name)
			return
		}
	}
}

// label gives the selection a label: a new span, or, when the selection is
// exactly a span of this annotator (or empty with the caret in one), that
// span relabelled.
func (u *UI) label(name string) {
	if !u.ready() {
		return
	}
	s, e := u.view.Selection()
	if act, ok := u.view.ActiveSpan(); ok && (s == e || (act.Start == s && act.End == e)) {
		if act.Label == name {
			return
		}
		sp, err := u.hist.Update(u.doc.ID, act, annotate.Span{Start: act.Start, End: act.End, Label: name})
		if err != nil {
			u.fail(err)
			return
		}
		u.replaceSpan(&act, &sp)
		u.view.Select(act.Start, act.End)
		return
	}
	if s == e {
		u.say("Select some text first (drag, double-click, or Shift+arrows)")
		return
	}
	sp, err := u.hist.Add(u.doc.ID, annotate.Span{Start: s, End: e, Label: name})
	if errors.Is(err, storage.ErrDuplicateSpan) {
		u.say("That span is already there")
		return
	}
	if err != nil {
		u.fail(err)
		return
	}
	u.markInProgress()
	u.replaceSpan(nil, &sp)
	u.view.Select(sp.Start, sp.End)
	u.say(fmt.Sprintf("%s [%d,%d) «%s» saved", sp.Label, sp.Start, sp.End, sp.Text))
}

func (u *UI) markInProgress() {
	if st := u.docs[u.cur].Status[u.annotator]; st == "" || st == annotate.StatusTodo {
		u.docs[u.cur].Status[u.annotator] = annotate.StatusInProgress
	}
}

// deleteActive removes the selected span, or the innermost one under the
// caret.
func (u *UI) deleteActive() {
	if !u.ready() {
		return
	}
	sp, ok := u.view.ActiveSpan()
	if !ok {
		u.say("No span here to delete")
		return
	}
	if err := u.hist.Delete(u.doc.ID, sp); err != nil {
		u.fail(err)
		return
	}
	u.replaceSpan(&sp, nil)
	u.view.Select(sp.End, sp.End)
	u.say(fmt.Sprintf("deleted %s «%s» (Ctrl+Z brings it back)", sp.Label, sp.Text))
}

// moveBoundary moves the active span's end (end=true) or start by one
// character: the end in visual direction dir, the start earlier or later.
func (u *UI) moveBoundary(end bool, dir int) {
	if !u.ready() {
		return
	}
	sp, ok := u.view.ActiveSpan()
	if !ok {
		u.say("Select a span to move its boundaries")
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
// span).
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
	ns := u.stripFrom(s, e, true)
	if ns == s {
		u.say("No proclitic to strip here")
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

// stripFrom returns where [s,e) starts once proclitics are trimmed.
func (u *UI) stripFrom(s, e int, force bool) int {
	text := u.view.Layout().Text()
	words := annotate.WordSet(text)
	n := annotate.StripClitics(text[s:e], annotate.CliticOptions{Force: force, Known: func(w []rune) bool { return words[string(w)] }})
	return s + n
}

func (u *UI) doubleTap(s, e int) (int, int) {
	if u.stripTick.Checked && e > s {
		return u.stripFrom(s, e, false), e
	}
	return s, e
}

func (u *UI) undo() {
	if u.hist == nil {
		return
	}
	doc, err := u.hist.Undo()
	u.afterHistory(doc, err, "undone")
}

func (u *UI) redo() {
	if u.hist == nil {
		return
	}
	doc, err := u.hist.Redo()
	u.afterHistory(doc, err, "redone")
}

func (u *UI) afterHistory(doc string, err error, what string) {
	if err != nil {
		u.fail(err)
	}
	if doc == "" {
		u.say("Nothing to " + strings.TrimSuffix(what, "ne"))
		return
	}
	if u.doc == nil || doc != u.doc.ID {
		for i, d := range u.docs {
			if d.ID == doc {
				u.Open(i)
			}
		}
	}
	u.reloadSpans()
	u.layerChanged(doc)
	if err == nil {
		u.say(what)
	}
}

// markDone marks the document done for this annotator and opens the next
// one not done.
func (u *UI) markDone() {
	if !u.ready() {
		return
	}
	if err := u.store.SetStatus(u.doc.ID, u.annotator, annotate.StatusDone); err != nil {
		u.fail(err)
		return
	}
	u.docs[u.cur].Status[u.annotator] = annotate.StatusDone
	u.docList.RefreshItem(u.cur)
	u.updateProgress()
	for k := 1; k <= len(u.docs); k++ {
		j := (u.cur + k) % len(u.docs)
		if u.docs[j].Status[u.annotator] != annotate.StatusDone {
			u.Open(j)
			return
		}
	}
	u.say("All documents are done")
}

func (u *UI) step(d int) {
	if j := u.cur + d; j >= 0 && j < len(u.docs) {
		u.Open(j)
	}
}

func (u *UI) zoom(d float32) {
	size := min(max(u.view.TextSize()+d, 10), 48)
	u.view.SetTextSize(size)
	u.app.Preferences().SetFloat(prefTextSize, float64(size))
	u.say(fmt.Sprintf("text size %g", size))
}

func (u *UI) toggleTheme() {
	u.app.Preferences().SetBool(prefDark, !u.app.Preferences().Bool(prefDark))
	u.applyTheme()
}

func (u *UI) applyTheme() {
	u.app.Settings().SetTheme(newTheme(u.app.Preferences().Bool(prefDark), 0))
}

func (u *UI) scrollToOffset(off int) {
	y := u.view.LineTop(off)
	h := u.scroll.Size().Height
	if y < u.scroll.Offset.Y || y > u.scroll.Offset.Y+h-40 {
		u.scroll.Offset.Y = max(y-h/3, 0)
		u.scroll.Refresh()
		u.view.ScrollTo(u.scroll.Offset.Y, h)
	}
}

// Shortcuts, on the window and from the focused span view.
var (
	scUndo      = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault}
	scRedo      = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	scRedoY     = &desktop.CustomShortcut{KeyName: fyne.KeyY, Modifier: fyne.KeyModifierShortcutDefault}
	scDone      = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	scDoneEnter = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}
	scNext      = &desktop.CustomShortcut{KeyName: fyne.KeyPageDown, Modifier: fyne.KeyModifierShortcutDefault}
	scPrev      = &desktop.CustomShortcut{KeyName: fyne.KeyPageUp, Modifier: fyne.KeyModifierShortcutDefault}
	scBigger    = &desktop.CustomShortcut{KeyName: fyne.KeyEqual, Modifier: fyne.KeyModifierShortcutDefault}
	scBiggerP   = &desktop.CustomShortcut{KeyName: fyne.KeyPlus, Modifier: fyne.KeyModifierShortcutDefault}
	scSmaller   = &desktop.CustomShortcut{KeyName: fyne.KeyMinus, Modifier: fyne.KeyModifierShortcutDefault}
	scStrip     = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}
)

func (u *UI) registerShortcuts() {
	c := u.win.Canvas()
	for _, s := range []*desktop.CustomShortcut{scUndo, scRedo, scRedoY, scDone, scDoneEnter, scNext, scPrev, scBigger, scBiggerP, scSmaller, scStrip} {
		s := s
		c.AddShortcut(s, func(fyne.Shortcut) { u.shortcut(s) })
	}
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { u.undo() })
	c.AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { u.redo() })
}

// shortcut handles a shortcut typed anywhere in the window.
func (u *UI) shortcut(s fyne.Shortcut) {
	switch sc := s.(type) {
	case *fyne.ShortcutUndo:
		u.undo()
	case *fyne.ShortcutRedo:
		u.redo()
	case *desktop.CustomShortcut:
		altShift := fyne.KeyModifierAlt | fyne.KeyModifierShift
		switch {
		case sc.Modifier == altShift && (sc.KeyName == fyne.KeyLeft || sc.KeyName == fyne.KeyRight):
			dir := -1
			if sc.KeyName == fyne.KeyRight {
				dir = 1
			}
			u.moveBoundary(true, dir)
		case sc.Modifier == altShift && sc.KeyName == fyne.KeyUp:
			u.moveBoundary(false, -1)
		case sc.Modifier == altShift && sc.KeyName == fyne.KeyDown:
			u.moveBoundary(false, +1)
		case sameShortcut(sc, scUndo):
			u.undo()
		case sameShortcut(sc, scRedo), sameShortcut(sc, scRedoY):
			u.redo()
		case sameShortcut(sc, scDone), sameShortcut(sc, scDoneEnter):
			u.markDone()
		case sameShortcut(sc, scNext):
			u.step(+1)
		case sameShortcut(sc, scPrev):
			u.step(-1)
		case sameShortcut(sc, scBigger), sameShortcut(sc, scBiggerP):
			u.zoom(+2)
		case sameShortcut(sc, scSmaller):
			u.zoom(-2)
		case sameShortcut(sc, scStrip):
			u.stripSelection()
		}
	}
}

func sameShortcut(a, b *desktop.CustomShortcut) bool {
	return a.KeyName == b.KeyName && a.Modifier == b.Modifier
}
