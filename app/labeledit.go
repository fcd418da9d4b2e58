package app

import (
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/storage"
)

// labelEditor is Project ▸ Labels…: the project's labels (name, Arabic
// name, colour, hotkey, order; add, rename, merge, delete) and relation
// types (their ends). Every edit is one store transaction; the annotation
// window's palette, hotkeys and span colours follow at once.
type labelEditor struct {
	u       *UI
	win     fyne.Window
	labels  *fyne.Container
	types   *fyne.Container
	message *widget.Label // the last edit's outcome or refusal
	picker  *dialog.ColorPickerDialog
}

const noHotkey = "none"

func openLabelEditor(u *UI) *labelEditor {
	e := &labelEditor{u: u, labels: container.NewVBox(), types: container.NewVBox(), message: widget.NewLabel("")}
	e.win = u.toolWindow(lang.L("Labels — Tawsim"))
	e.message.Wrapping = fyne.TextWrapWord
	bold := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	body := container.NewVBox(
		container.NewBorder(nil, nil, bold("Labels"), widget.NewButton(lang.L("+ Add label…"), e.askAdd)),
		e.labels,
		widget.NewSeparator(),
		container.NewBorder(nil, nil, bold("Relation types"), widget.NewButton(lang.L("+ Add relation type…"), func() { e.askType(nil) })),
		e.types)
	scrollInside(e.win, container.NewBorder(nil, container.NewPadded(e.message), nil, nil, container.NewVScroll(body)))
	e.refresh()
	// As wide as a label's row of buttons (about 1,000 px in English, where
	// 900 cut "Delete" off), within the screen.
	pad := 4 * theme.Padding()
	e.win.Resize(fitSize(screenSize, fyne.NewSize(max(900, body.MinSize().Width+pad+theme.Size(theme.SizeNameScrollBar)), 640)))
	e.win.CenterOnScreen()
	e.win.Show()
	return e
}

// refresh rebuilds the rows from the store.
func (e *labelEditor) refresh() {
	st := e.u.store
	labels, err := st.Labels()
	var use map[string]storage.LabelUse
	var types []annotate.RelationType
	if err == nil {
		use, err = st.LabelUsage()
	}
	if err == nil {
		types, err = st.RelationTypes()
	}
	if err != nil {
		e.say(err)
		return
	}
	e.labels.Objects = nil
	for i, l := range labels {
		e.labels.Add(e.labelRow(labels, i, use[l.Name]))
	}
	e.types.Objects = nil
	for _, t := range types {
		e.types.Add(e.typeRow(t))
	}
	e.labels.Refresh()
	e.types.Refresh()
}

func (e *labelEditor) labelRow(labels []annotate.Label, i int, use storage.LabelUse) fyne.CanvasObject {
	l := labels[i]
	swatch := canvas.NewRectangle(parseColor(l.Color))
	swatch.SetMinSize(fyne.NewSize(28, 20))
	colour := widget.NewButton("", func() { e.askColor(l) })
	keys := []string{noHotkey}
	for k := '1'; k <= '9'; k++ {
		keys = append(keys, string(k))
	}
	hotkey := widget.NewSelect(keys, nil)
	if l.Hotkey == "" {
		hotkey.SetSelected(noHotkey)
	} else {
		hotkey.SetSelected(l.Hotkey)
	}
	hotkey.OnChanged = func(k string) {
		if k == noHotkey {
			k = ""
		}
		e.apply(e.u.store.EditLabel(l.Name, storage.LabelEdit{Hotkey: &k}), lang.L("hotkey of ")+l.Name+lang.L(" set"))
	}
	names := make([]string, len(labels))
	for j, x := range labels {
		names[j] = x.Name
	}
	move := func(d int) func() {
		return func() {
			if j := i + d; j >= 0 && j < len(names) {
				names[i], names[j] = names[j], names[i]
				e.apply(e.u.store.ReorderLabels(names), l.Name+lang.L(" moved"))
			}
		}
	}
	up := widget.NewButton("↑", move(-1))
	down := widget.NewButton("↓", move(+1))
	name := widget.NewLabelWithStyle(l.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	arabic := NewTextLine(e.u.fonts, l.Arabic)
	count := widget.NewLabel(fmt.Sprintf(lang.L("%s in %s"), countOf(use.Spans, "span", "spans"), countOf(use.Documents, "document", "documents")))
	actions := container.NewHBox(count, hotkey, up, down,
		widget.NewButton(lang.L("Rename…"), func() { e.askRename(l) }),
		widget.NewButton(lang.L("Arabic…"), func() { e.askArabic(l) }),
		widget.NewButton(lang.L("Merge into…"), func() { e.askMerge(l, names) }),
		widget.NewButton(lang.L("Delete"), func() {
			e.apply(e.u.store.DeleteLabel(l.Name), lang.L("label ")+l.Name+lang.L(" deleted"))
		}))
	left := container.NewHBox(container.NewStack(colour, container.NewPadded(swatch)), name)
	return container.NewBorder(nil, nil, left, actions, arabic)
}

func (e *labelEditor) typeRow(t annotate.RelationType) fyne.CanvasObject {
	text := widget.NewLabel(fmt.Sprintf("%s:  %s  →  %s", t.Name, strings.Join(t.Heads, ", "), strings.Join(t.Tails, ", ")))
	return container.NewBorder(nil, nil, nil, container.NewHBox(
		widget.NewButton(lang.L("Rename…"), func() {
			e.askText(lang.L("Rename relation type ")+t.Name, lang.L("New name"), t.Name, func(s string) {
				e.apply(e.u.store.RenameRelationType(t.Name, s), lang.L("relation type ")+t.Name+lang.L(" renamed to ")+s)
			})
		}),
		widget.NewButton(lang.L("Ends…"), func() { e.askType(&t) }),
		widget.NewButton(lang.L("Delete"), func() {
			e.apply(e.u.store.DeleteRelationType(t.Name), lang.L("relation type ")+t.Name+lang.L(" deleted"))
		})), text)
}

// apply shows an edit's outcome and, when it changed the project, brings
// the editor and the annotation window up to date.
func (e *labelEditor) apply(err error, done string) {
	if err != nil {
		e.say(err)
		e.refresh() // controls back to what is stored
		return
	}
	e.message.Importance = widget.MediumImportance
	e.message.SetText(done)
	e.refresh()
	e.u.definitionChanged()
}

func (e *labelEditor) say(err error) {
	e.message.Importance = widget.DangerImportance
	e.message.SetText("⚠ " + err.Error())
}

// askText asks for one line of text, prefilled with value.
func (e *labelEditor) askText(title, field, value string, ok func(string)) {
	entry := widget.NewEntry()
	entry.SetText(value)
	d := dialog.NewForm(title, lang.L("OK"), lang.L("Cancel"), []*widget.FormItem{widget.NewFormItem(field, entry)}, func(yes bool) {
		if yes {
			ok(strings.TrimSpace(entry.Text))
		}
	}, e.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(420, 180))
	d.Show()
	e.win.Canvas().Focus(entry)
}

func (e *labelEditor) askRename(l annotate.Label) {
	e.askText(lang.L("Rename label ")+l.Name, lang.L("New name"), l.Name, func(s string) {
		e.apply(e.u.store.RenameLabel(l.Name, s), lang.L("label ")+l.Name+lang.L(" renamed to ")+s+lang.L(" (its spans keep it)"))
	})
}

func (e *labelEditor) askArabic(l annotate.Label) {
	e.askText(lang.L("Arabic name of ")+l.Name, lang.L("Arabic name"), l.Arabic, func(s string) {
		e.apply(e.u.store.EditLabel(l.Name, storage.LabelEdit{Arabic: &s}), lang.L("Arabic name of ")+l.Name+lang.L(" set"))
	})
}

func (e *labelEditor) askColor(l annotate.Label) {
	p := dialog.NewColorPicker("Colour of "+l.Name, "Choose the colour of "+l.Name+"'s spans", func(c color.Color) {
		hex := colorHex(c)
		e.apply(e.u.store.EditLabel(l.Name, storage.LabelEdit{Color: &hex}), lang.L("colour of ")+l.Name+lang.L(" set to ")+hex)
	}, e.win)
	p.Advanced = true
	p.SetColor(parseColor(l.Color))
	p.Show()
	e.picker = p
}

// colorHex is c as #rrggbb.
func colorHex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02x%02x%02x", n.R, n.G, n.B)
}

func (e *labelEditor) askMerge(l annotate.Label, names []string) {
	others := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == l.Name })
	into := widget.NewSelect(others, nil)
	d := dialog.NewForm(lang.L("Merge ")+l.Name+lang.L(" into another label"), lang.L("Merge"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Into"), into)}, func(yes bool) {
			if yes && into.Selected != "" {
				e.confirmMerge(l.Name, into.Selected)
			}
		}, e.win)
	d.Resize(fyne.NewSize(420, 180))
	d.Show()
}

// confirmMerge says how many spans a merge moves (counted now) and merges
// only when the user confirms: a merge is not undone by Edit ▸ Undo.
func (e *labelEditor) confirmMerge(from, into string) {
	use, err := e.u.store.LabelUsage()
	if err != nil {
		dialog.ShowError(err, e.win)
		return
	}
	n := use[from]
	msg := fmt.Sprintf(lang.L("Merge %s (%s in %s) into %s? This cannot be undone."),
		from, countOf(n.Spans, "span", "spans"), countOf(n.Documents, "document", "documents"), into)
	showConfirm(e.u.fonts, lang.L("Merge labels"), msg, func(yes bool) {
		if !yes {
			return
		}
		res, err := e.u.store.MergeLabel(from, into)
		e.apply(err, fmt.Sprintf(lang.L("%s merged into %s: %s relabelled, %s folded into the same span of %s (%s)"),
			from, into, countOf(res.Relabelled, "span", "spans"), countOf(res.Folded, "duplicate span", "duplicate spans"),
			into, countOf(res.RelationsFolded, "duplicate relation", "duplicate relations")))
	}, e.win)
}

// askAdd asks for a new label's name, Arabic name and hotkey; its colour
// is chosen for it and can be changed with its colour button.
func (e *labelEditor) askAdd() {
	name, arabic := widget.NewEntry(), widget.NewEntry()
	hotkey := widget.NewEntry()
	hotkey.SetPlaceHolder(lang.L("1–9 or empty"))
	d := dialog.NewForm(lang.L("Add a label"), lang.L("Add"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), name), widget.NewFormItem(lang.L("Arabic name"), arabic), widget.NewFormItem(lang.L("Hotkey"), hotkey),
	}, func(yes bool) {
		if yes {
			n := strings.TrimSpace(name.Text)
			e.apply(e.u.store.AddLabel(annotate.Label{Name: n, Arabic: strings.TrimSpace(arabic.Text), Hotkey: strings.TrimSpace(hotkey.Text)}), lang.L("label ")+n+lang.L(" added"))
		}
	}, e.win)
	d.Resize(fyne.NewSize(460, 260))
	d.Show()
	e.win.Canvas().Focus(name)
}

// askType edits the ends of relation type t, or adds one (t nil).
func (e *labelEditor) askType(t *annotate.RelationType) {
	labels, err := e.u.store.Labels()
	if err != nil {
		e.say(err)
		return
	}
	names := make([]string, len(labels))
	for i, l := range labels {
		names[i] = l.Name
	}
	heads, tails := widget.NewCheckGroup(names, nil), widget.NewCheckGroup(names, nil)
	heads.Horizontal, tails.Horizontal = true, true
	name := widget.NewEntry()
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Head labels"), heads), widget.NewFormItem(lang.L("Tail labels"), tails)}
	title := lang.L("Add a relation type")
	if t != nil {
		heads.SetSelected(t.Heads)
		tails.SetSelected(t.Tails)
		title = lang.L("Ends of ") + t.Name
	} else {
		items = append([]*widget.FormItem{widget.NewFormItem(lang.L("Name"), name)}, items...)
	}
	d := dialog.NewForm(title, lang.L("OK"), lang.L("Cancel"), items, func(yes bool) {
		if !yes {
			return
		}
		if t != nil {
			e.apply(e.u.store.SetRelationTypeEnds(t.Name, heads.Selected, tails.Selected), lang.L("ends of ")+t.Name+lang.L(" set"))
			return
		}
		n := strings.TrimSpace(name.Text)
		e.apply(e.u.store.AddRelationType(annotate.RelationType{Name: n, Heads: heads.Selected, Tails: tails.Selected}), lang.L("relation type ")+n+lang.L(" added"))
	}, e.win)
	d.Resize(fyne.NewSize(760, 300))
	d.Show()
}

// definitionChanged brings the window up to date after the labels or
// relation types changed: palette, hotkeys, span colours and names, and
// open review windows; undo starts afresh.
func (u *UI) definitionChanged() {
	if err := u.reloadLabels(); err != nil {
		u.fail(err)
		return
	}
	if u.hist != nil {
		// Undo steps name labels and spans a rename or merge changed.
		u.hist = newHistory(u.store, u.annotator)
	}
	u.reloadSpans()
	u.layerChanged("")
}

// hotkeyHint says which keys label a selection, from the real label set:
// "press 1–4, 6 to label", or the palette when no label has a hotkey.
func hotkeyHint(labels []annotate.Label) string {
	var keys []int
	for _, l := range labels {
		if k, err := strconv.Atoi(l.Hotkey); err == nil {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return lang.L("click a label in the palette to label it")
	}
	slices.Sort(keys)
	var parts []string
	for i := 0; i < len(keys); {
		j := i
		for j+1 < len(keys) && keys[j+1] == keys[j]+1 {
			j++
		}
		switch {
		case j == i:
			parts = append(parts, strconv.Itoa(keys[i]))
		case j == i+1:
			parts = append(parts, strconv.Itoa(keys[i]), strconv.Itoa(keys[j]))
		default:
			parts = append(parts, fmt.Sprintf("%d–%d", keys[i], keys[j]))
		}
		i = j + 1
	}
	return lang.L("press ") + strings.Join(parts, ", ") + lang.L(" to label")
}
