package app

import (
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
	"fyne.io/fyne/v2/lang"
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

	relTypes []annotate.RelationType
	rels     []storage.StoredRelation // this annotator's relations on doc
	arcRels  []int                    // per arc the view draws: its index in rels
	relFocus int                      // the selected relation in rels, -1 none
	link     *linking                 // a relation being made
	rowH     float32                  // span list row, and the relations line under a claim
	relLineH float32

	view      *SpanView
	scroll    *viewScroll
	docList   *widget.List
	filt      docFilters // the list's filters and sort: docfilter.go
	spanList  *widget.List
	palette   *fyne.Container
	paletteOf []annotate.Label // the labels palette was built for, with their buttons
	paletteBt []*widget.Button
	progress  *BidiLabel
	message   *TextLine // status line: it quotes Arabic span texts inside Latin
	selNote   string    // the status line's last note on the selection (showSelection)
	docTitle  *TextLine
	stripTick *widget.Check
	who       *widget.Button // the annotator; tapped, switches
	content   fyne.CanvasObject
	keys      keymap // on the window
	viewKeys  keymap // only from the focused span view

	textPane *fyne.Container // the span view's scroll, split with the guidelines when shown
	find     findBar         // Ctrl+F: find.go
	sug      suggestions     // suggest.go
	guide    *guidelinesPane // nil until first shown

	// watchers are told when this window changed an annotator's layer of
	// a document ("" = possibly any): open review windows refresh.
	watchers map[any]func(doc string)
	tools    []fyne.Window // the tool windows opened (toolWindow)
	jobs     []*bgRun      // the import and export jobs (track)

	// onSwitch is told the UI that replaced this one in the window when
	// another project was opened (Run closes the last one's store).
	onSwitch func(*UI)
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
	return newUI(a, w, st, fonts, nil)
}

// newUI is NewUI; with do set (fyne.Do) it opens the first document and
// leaves the document list to be read in the background (openFirstLater).
func newUI(a fyne.App, w fyne.Window, st *storage.Store, fonts *layout.Fonts, do func(func())) (*UI, error) {
	u := &UI{app: a, win: w, store: st, fonts: fonts, cur: -1, relFocus: -1}
	size := float32(a.Preferences().FloatWithFallback(prefTextSize, 20)) * uiScale(a.Preferences())
	u.applyTheme()
	u.view, u.scroll = scrolledView(fonts, size)
	u.view.OnHotkey = u.hotkey
	u.view.OnDelete = u.deleteActive
	u.view.OnShortcut = u.shortcut
	u.view.OnSelect = func(int, int) { u.showSelection() }
	u.view.OnDoubleTap = u.doubleTap
	u.view.OnRune = func(r rune) {
		if isHelpRune(r) {
			u.showHelpKeys()
			return
		}
		if !u.suggestionRune(r) {
			u.relRune(r)
		}
	}
	u.view.OnKey = func(ev *fyne.KeyEvent) bool {
		if isHelpKey(ev.Name) {
			u.showHelpKeys()
			return true
		}
		return u.relKey(ev) || u.findKey(ev.Name, u.view.shift) || u.suggestionKey(ev)
	}
	u.view.OnTap = u.tapSpans
	if err := u.reloadLabels(); err != nil {
		return nil, err
	}
	u.build()
	w.SetContent(u.content)
	w.SetMainMenu(u.mainMenu())
	u.registerShortcuts()
	// F1 and ? while nothing has the focus (the text passes them on too).
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if isHelpKey(ev.Name) {
			u.showHelpKeys()
		}
	})
	w.Canvas().SetOnTypedRune(func(r rune) {
		if isHelpRune(r) {
			u.showHelpKeys()
		}
	})
	rememberProject(a.Preferences(), st.Path())
	u.updateTitle()
	handedTo, err := st.HandOutFor()
	if err != nil {
		return nil, err
	}
	// Without a name the first article shows behind the prompt; labelling
	// waits for the name.
	name := lastAnnotator(a.Preferences(), st.Path(), handedTo)
	if name != "" {
		if err := u.becomeAnnotator(name); err != nil {
			return nil, err
		}
	}
	if do != nil {
		err = u.openFirstLater(do)
	} else if err = u.reloadDocs(); err == nil && len(u.docs) > 0 {
		u.Open(u.firstOpen())
	}
	if err != nil {
		return nil, err
	}
	if name == "" {
		u.askAnnotator(true)
	}
	if len(u.filt.all) == 0 {
		u.say(lang.L("No documents yet: File ▸ Import… adds them"))
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
	if err := u.becomeAnnotator(name); err != nil {
		return err
	}
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

// becomeAnnotator makes name the annotator, the document list aside.
func (u *UI) becomeAnnotator(name string) error {
	name = strings.TrimSpace(name)
	if !u.store.ReadOnly() { // a read-only project only shows the name's layer
		if err := u.store.EnsureAnnotator(name); err != nil {
			return err
		}
	}
	u.leaveDoc() // the time so far was the previous annotator's
	u.opened = time.Now()
	u.annotator = name
	rememberAnnotator(u.app.Preferences(), u.store.Path(), name)
	u.updateTitle()
	u.hist = newHistory(u.store, name)
	u.updateProgress()
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
	entry.SetPlaceHolder(lang.L("e.g. amina"))
	entry.Validator = required(lang.L("a name"))
	var d *dialog.FormDialog
	entry.OnSubmitted = func(string) { d.Submit() } // Enter starts
	title, cancel := lang.L("Welcome to Tawsim — who is annotating?"), lang.L("Quit")
	if !first {
		title, cancel = lang.L("Switch annotator"), lang.L("Cancel")
		entry.SetText(u.annotator)
	}
	confirm := lang.L("Start")
	if !first {
		confirm = lang.L("Switch")
	}
	d = dialog.NewForm(title, confirm, cancel,
		[]*widget.FormItem{widget.NewFormItem(lang.L("Your name"), entry)},
		func(ok bool) {
			if !ok {
				if first {
					u.app.Quit()
				}
				return
			}
			u.chooseAnnotator(entry.Text, func() { u.askAnnotator(first) })
		}, u.win)
	d.Resize(fyne.NewSize(420, 180))
	d.Show()
	u.win.Canvas().Focus(entry)
}

// chooseAnnotator makes name the annotator. The gold layer is refused; a
// name that already has work in this project (another person's layer,
// perhaps) is taken only once the user confirms; again asks anew.
func (u *UI) chooseAnnotator(name string, again func()) {
	name = strings.TrimSpace(name)
	set := func() {
		if err := u.setAnnotator(name); err != nil {
			d := dialog.NewError(err, u.win)
			d.SetOnClosed(again)
			d.Show()
		}
	}
	if strings.EqualFold(name, storage.GoldLayer) { // "Gold" would read as the gold layer too
		d := dialog.NewError(fmt.Errorf(lang.L("%w; it is not an annotator: choose your own name"), storage.ErrGoldLayer), u.win)
		d.SetOnClosed(again)
		d.Show()
		return
	}
	if name == u.annotator {
		set()
		return
	}
	spans, docs, err := u.store.AnnotatorWork(name)
	if err != nil {
		u.fail(err)
		return
	}
	if spans == 0 && docs == 0 {
		u.newAnnotator(name, set, again)
		return
	}
	msg := fmt.Sprintf(lang.L("“%s” already has %s in %s in this project;\ncontinue as this annotator?"), name, plural(spans, "span"), plural(docs, "document"))
	showConfirm(u.fonts, fmt.Sprintf(lang.L("Continue as %s?"), name), msg, func(ok bool) {
		if ok {
			set()
		} else {
			again()
		}
	}, u.win)
}

// newAnnotator takes name, which has no work here, with set; a name that
// differs from an existing annotator's only in case ("Badr" for "badr")
// asks first which one is meant.
func (u *UI) newAnnotator(name string, set, again func()) {
	names, err := u.store.Annotators()
	if err != nil {
		u.fail(err)
		return
	}
	for _, other := range names {
		if other == name || !strings.EqualFold(other, name) {
			continue
		}
		msg := fmt.Sprintf(lang.L("This project has an annotator “%s”. Did you mean “%s”, or is “%s” someone else?"), other, other, name)
		dialog.ShowCustomConfirm(fmt.Sprintf(lang.L("Did you mean %s?"), other), fmt.Sprintf(lang.L("Continue as %s"), other), fmt.Sprintf(lang.L("A new annotator “%s”"), name),
			message(u.fonts, msg), func(existing bool) {
				if existing {
					u.chooseAnnotator(other, again)
				} else {
					set()
				}
			}, u.win)
		return
	}
	set()
}

func (u *UI) reloadLabels() error {
	labels, err := u.store.Labels()
	if err != nil {
		return err
	}
	u.labels = labels
	if u.relTypes, err = u.store.RelationTypes(); err != nil {
		return err
	}
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

func (u *UI) build() {
	u.progress = newBidiLabel(u.fonts, "", false)
	u.message = NewTextLine(u.fonts, "")
	u.message.ui = true
	u.docTitle = NewTextLine(u.fonts, "")

	u.docList = widget.NewList(
		func() int { return len(u.docs) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.RadioButtonIcon()), widget.NewLabel("000"), NewTextLine(u.fonts, ""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			// Only what changed is set: each refresh costs (a document
			// switch updates every row in view).
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
			if ic := c.Objects[1].(*widget.Icon); ic.Resource != icon {
				ic.SetResource(icon)
			}
			count := strconv.Itoa(d.Spans[u.annotator])
			if n, ok := u.filt.hits[d.ID]; ok {
				count = fmt.Sprintf("%d×", n) // while searching: the matches, not the spans
			}
			if l := c.Objects[2].(*widget.Label); l.Text != count {
				l.SetText(count)
			}
		})
	u.docList.OnSelected = func(i widget.ListItemID) {
		if i != u.cur {
			u.Open(i)
		}
	}

	u.palette = container.NewVBox()
	u.spanList = widget.NewList(
		func() int { return len(u.spans) },
		u.spanRow,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			sp := u.spans[i]
			// Under a claim, its relations.
			row := o.(*fyne.Container)
			rels := row.Objects[1].(*TextLine)
			if sum := u.relSummary(sp); sum != "" {
				rels.SetText(sum)
				rels.Show()
			} else {
				rels.Hide()
			}
			c := row.Objects[0].(*fyne.Container)
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
			scrollIntoView(u.view, u.scroll, sp.Start)
			u.win.Canvas().Focus(u.view)
		}
	}

	u.stripTick = widget.NewCheck(lang.L("Strip clitics on double-click"), func(b bool) {
		u.app.Preferences().SetBool(prefStrip, b)
	})
	u.stripTick.SetChecked(u.app.Preferences().Bool(prefStrip))

	// The arrows follow the reading direction: right to left, the
	// previous document is the one to the right. Each button tells,
	// hovered, what it does and its key (tooltip.go).
	back, next := -1, +1
	backTip, nextTip := withKey(lang.L("Previous document"), scPrev), withKey(lang.L("Next document"), scNext)
	if rtl() {
		back, next = next, back
		backTip, nextTip = nextTip, backTip
	}
	toolbar := widget.NewToolbar(
		u.tipAction(theme.NavigateBackIcon(), backTip, func() { u.step(back) }),
		u.tipAction(theme.NavigateNextIcon(), nextTip, func() { u.step(next) }),
		u.tipAction(theme.ConfirmIcon(), withKey(lang.L("Mark the document done and open the next"), scDone), u.markDone),
		widget.NewToolbarSeparator(),
		u.tipAction(theme.ContentUndoIcon(), withKey(lang.L("Undo"), scUndo), u.undo),
		u.tipAction(theme.ContentRedoIcon(), withKey(lang.L("Redo"), scRedo), u.redo),
		widget.NewToolbarSeparator(),
		u.tipAction(theme.ZoomOutIcon(), withKey(lang.L("Smaller text"), scSmaller), func() { u.zoom(-2) }),
		u.tipAction(theme.ZoomInIcon(), withKey(lang.L("Larger text"), scBigger), func() { u.zoom(+2) }),
		u.tipAction(theme.ColorPaletteIcon(), lang.L("Light or dark theme"), u.toggleTheme),
	)
	top := container.NewBorder(nil, nil, toolbar, u.progress, u.docTitle)
	if rtl() {
		top = container.NewBorder(nil, nil, u.progress, toolbar, u.docTitle)
	}

	actions := container.NewGridWithColumns(2,
		widget.NewButtonWithIcon(lang.L("Strip clitics"), theme.ContentCutIcon(), u.stripSelection),
		widget.NewButtonWithIcon(lang.L("Delete span"), theme.DeleteIcon(), u.deleteActive),
	)
	side := container.NewBorder(
		container.NewVBox(newBidiLabel(u.fonts, lang.L("Labels"), true), u.palette, actions, u.stripTick, u.suggestPanel(),
			newBidiLabel(u.fonts, lang.L("Spans in this document"), true)),
		nil, nil, nil, u.spanList)

	if u.store.ReadOnly() {
		top = container.NewVBox(readOnlyBanner(), top)
	}
	// The status line ends with who is annotating; tapped, it switches.
	u.who = widget.NewButtonWithIcon("", theme.AccountIcon(), func() { u.askAnnotator(false) })
	u.who.Importance = widget.LowImportance
	u.textPane = container.NewStack(u.scroll)
	status := container.NewBorder(nil, nil, nil, u.who, container.NewPadded(u.message))
	if rtl() { // right to left the side panels swap sides
		status = container.NewBorder(nil, nil, u.who, nil, container.NewPadded(u.message))
	}
	// The filters scroll sideways when the list is narrow; the list's
	// titles are cut with … and never scroll out of sight.
	docs := container.NewBorder(newPaneScroll(u.docControls(), container.ScrollHorizontalOnly), nil, nil, nil, u.docList)
	center := container.NewBorder(container.NewVBox(top, u.findBarBox()), status, nil, nil, u.textPane)
	split := container.NewHSplit(docs, container.NewHSplit(center, pane(side)))
	split.Offset = 0.2
	split.Trailing.(*container.Split).Offset = 0.62
	if rtl() {
		split = container.NewHSplit(container.NewHSplit(pane(side), center), docs)
		split.Offset = 0.8
		split.Leading.(*container.Split).Offset = 0.38
	}
	u.content = withTips(u.win.Canvas(), split)
	u.rebuildPalette()
}

// spanRow is a row of the span list: swatch, label, text and offsets,
// and a second line for a claim's relations, hidden for other spans.
func (u *UI) spanRow() fyne.CanvasObject {
	sw := canvas.NewRectangle(color.Black)
	sw.SetMinSize(fyne.NewSize(6, 20))
	rels := NewTextLine(u.fonts, "")
	rels.Hide()
	return container.NewVBox(
		container.NewBorder(nil, nil, container.NewHBox(sw, widget.NewLabel("ORGANIZATION")), widget.NewLabel("[0000,0000)"), NewTextLine(u.fonts, "")),
		rels)
}

// sizeSpanRows makes room for the relations line under the claims that
// have relations.
func (u *UI) sizeSpanRows() {
	if u.rowH == 0 {
		row := u.spanRow().(*fyne.Container)
		u.rowH = row.MinSize().Height
		u.relLineH = row.Objects[1].MinSize().Height + theme.Padding()
	}
	heads := map[int64]bool{}
	for _, r := range u.rels {
		heads[r.Head] = true
	}
	for i, sp := range u.spans {
		h := u.rowH
		if heads[sp.ID] {
			h += u.relLineH
		}
		u.spanList.SetItemHeight(i, h)
	}
}

// rebuildPalette shows one button per label with its hotkey and the count
// of its spans in this document.
// With the same labels as before only the counts that changed are set
// (it runs on every document switch).
func (u *UI) rebuildPalette() {
	counts := map[string]int{}
	for _, sp := range u.spans {
		counts[sp.Label]++
	}
	text := func(l annotate.Label) string {
		key := l.Hotkey
		if key == "" {
			key = " "
		}
		return fmt.Sprintf("%s  %s  (%d)", key, l.Name, counts[l.Name])
	}
	if slices.Equal(u.paletteOf, u.labels) {
		for i, l := range u.labels {
			if b := u.paletteBt[i]; b.Text != text(l) {
				b.SetText(text(l))
			}
		}
		return
	}
	var objs []fyne.CanvasObject
	u.paletteOf, u.paletteBt = slices.Clone(u.labels), nil
	// The Arabic names as wide as the widest (up to a third of a narrow
	// pane's 300 px), so that none is cut ("أداة الإسناد" was "أداة ا…")
	// and the buttons line up.
	names := make([]*TextLine, len(u.labels))
	nameW := float32(0)
	for i, l := range u.labels {
		names[i] = NewTextLine(u.fonts, l.Arabic)
		nameW = max(nameW, names[i].fitWidth())
	}
	nameW = min(nameW, 100)
	for i, l := range u.labels {
		sw := canvas.NewRectangle(u.colors[l.Name])
		sw.SetMinSize(fyne.NewSize(14, 14))
		b := widget.NewButton(text(l), func() { u.useLabel(l.Name) })
		b.Alignment = widget.ButtonAlignLeading
		u.paletteBt = append(u.paletteBt, b)
		width := canvas.NewRectangle(color.Transparent)
		width.SetMinSize(fyne.NewSize(nameW, 0))
		objs = append(objs, container.NewBorder(nil, nil, container.NewCenter(sw), container.NewStack(width, names[i]), b))
	}
	u.palette.Objects = objs
	u.palette.Refresh()
}

func (u *UI) say(msg string) { u.message.SetText(msg) }

// readOnlyNote is what an edit of a read-only project says.
const readOnlyNote = "This project is read-only (the file may not be written): nothing can be changed"

// readOnlyBanner tells, above the text, that edits of this project are
// refused.
func readOnlyBanner() fyne.CanvasObject {
	l := widget.NewLabelWithStyle(lang.L("Read-only project: you can read and export, not annotate"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.Importance = widget.WarningImportance
	return l
}

func (u *UI) fail(err error) {
	u.say("⚠ " + err.Error())
}

// zoom changes the document's text size (kept at the interface size
// 100 %; the text shows that times the interface size).
func (u *UI) zoom(d float32) {
	p := u.app.Preferences()
	size := min(max(float32(p.FloatWithFallback(prefTextSize, 20))+d, 10), 48)
	u.view.SetTextSize(size * uiScale(p))
	p.SetFloat(prefTextSize, float64(size))
	u.say(fmt.Sprintf(lang.L("text size %g"), size))
}

func (u *UI) toggleTheme() {
	u.app.Preferences().SetBool(prefDark, !u.app.Preferences().Bool(prefDark))
	u.applyTheme()
}

func (u *UI) applyTheme() {
	th := newTheme(u.app.Preferences().Bool(prefDark), 0)
	th.scale = uiScale(u.app.Preferences())
	u.app.Settings().SetTheme(th)
}
