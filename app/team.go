package app

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/storage"
)

// Team work between copies of a project: File ▸ Merge… brings other
// copies in (storage.MergeFile: newest layer wins, the other side of a
// conflict is kept as a version), File ▸ Hand out… writes a copy for one
// annotator's laptop, and Project ▸ Layer versions… shows what merges and
// imports kept, to restore.

// afterTeamChange brings the window up to date after a merge or a restore
// changed labels, documents and layers, the open one's included: undo
// steps name span ids that may be gone.
func (u *UI) afterTeamChange() {
	u.afterImport()
	if u.hist != nil {
		u.hist = newHistory(u.store, u.annotator)
	}
	u.reloadSpans()
	u.layerChanged("")
}

// mergeDialog is File ▸ Merge…: project files (one per line) merged one
// after the other, each all or nothing.
type mergeDialog struct {
	u     *UI
	dlg   *dialog.CustomDialog
	paths *widget.Entry
	*jobPanel
}

func showMerge(u *UI) *mergeDialog {
	d := &mergeDialog{u: u}
	d.paths = widget.NewMultiLineEntry()
	d.paths.SetPlaceHolder("the laptops' project files (or the lead's), one per line")
	d.paths.SetMinRowsVisible(3)
	d.jobPanel = newJobPanel("Merge", theme.MailForwardIcon(), "Name the project files to merge, then Merge (Shift+Enter).", d.mergeNow)
	u.track(&d.bg)
	add := addFilesButton(u.win, d.paths)
	d.paths.OnSubmitted = func(string) { d.mergeNow() }
	form := widget.NewForm(widget.NewFormItem("Projects", container.NewBorder(nil, add, nil, nil, d.paths)))
	d.dlg = dialog.NewCustom("Merge other copies of the project", "Close", d.content(form, 200), u.win)
	d.dlg.Resize(fyne.NewSize(760, 560))
	d.dlg.Show()
	u.win.Canvas().Focus(d.paths)
	return d
}

// mergeNow merges the named files in the background and reports each.
func (d *mergeDialog) mergeNow() {
	paths := splitPaths(d.paths.Text)
	if len(paths) == 0 {
		d.summary.SetText("Nothing to merge: name at least one project file.")
		return
	}
	done, ok := d.begin("Merging " + strings.Join(paths, ", ") + " …")
	if !ok {
		return
	}
	st := d.u.store
	go func() {
		defer close(done)
		var lines []string
		conflicts, failed := 0, 0
		for i, p := range paths {
			rep, err := st.MergeFile(p, storage.MergeOptions{})
			if err != nil {
				failed++
				lines = append(lines, fmt.Sprintf("refused %s (nothing of it was merged): %v", p, err))
			} else {
				conflicts += len(rep.Conflicts)
				lines = append(lines, fmt.Sprintf("merged %s: %s", filepath.Base(p), rep))
			}
			d.progress(i+1, len(paths))
		}
		if conflicts > 0 {
			lines = append(lines, "Each conflict kept the newer layer; Project ▸ Layer versions… shows the other side and restores it.")
		}
		fyne.Do(func() {
			if failed == 0 {
				d.bar.SetValue(1)
			}
			d.summary.SetText(strings.Join(lines, "\n"))
			d.run.Enable()
			d.u.afterTeamChange()
			d.u.say(fmt.Sprintf("Merged %d of %d projects, %s", len(paths)-failed, len(paths), countOf(conflicts, "conflict", "conflicts")))
		})
	}()
}

// handOutDialog is File ▸ Hand out…: a project file for one annotator's
// laptop (storage.HandOut).
type handOutDialog struct {
	u         *UI
	dlg       *dialog.CustomDialog
	annotator *widget.SelectEntry
	which     *widget.RadioGroup
	ids       *widget.Entry
	dest      *widget.Entry
	force     *widget.Check
	*jobPanel
}

// The documents a hand-out takes.
const (
	handOutAll      = "All documents"
	handOutAssigned = "The documents assigned to the annotator"
	handOutThese    = "These documents:"
)

func showHandOut(u *UI) *handOutDialog {
	d := &handOutDialog{u: u}
	names, err := u.store.Annotators()
	if err != nil {
		u.fail(err)
	}
	d.annotator = widget.NewSelectEntry(names)
	d.annotator.SetPlaceHolder("the annotator whose laptop it is for")
	d.which = widget.NewRadioGroup([]string{handOutAll, handOutAssigned, handOutThese}, func(s string) {
		if s == handOutThese {
			d.ids.Enable()
		} else {
			d.ids.Disable()
		}
	})
	d.ids = widget.NewEntry()
	d.ids.SetPlaceHolder("document ids, comma-separated")
	d.which.SetSelected(handOutAll)
	d.dest = widget.NewEntry()
	d.dest.SetPlaceHolder("/path/to/laptop.db")
	d.annotator.OnChanged = func(name string) {
		if name = strings.TrimSpace(name); name != "" && strings.TrimSpace(d.dest.Text) == "" {
			d.dest.SetText(filepath.Join(filepath.Dir(absPath(u.store.Path())), name+".db"))
		}
	}
	folder := folderButton(u.win, d.dest, "laptop.db")
	d.force = widget.NewCheck("Replace the file if it exists", nil)
	d.jobPanel = newJobPanel("Hand out", theme.DocumentSaveIcon(), "The file holds the documents, the labels, relation types and guidelines, and this annotator's own layers — nothing of the other annotators or of the gold layer.", d.handOutNow)
	u.track(&d.bg)
	form := widget.NewForm(
		widget.NewFormItem("Annotator", d.annotator),
		widget.NewFormItem("Documents", container.NewVBox(d.which, d.ids)),
		widget.NewFormItem("Project file", container.NewBorder(nil, nil, nil, folder, d.dest)),
		widget.NewFormItem("", d.force),
	)
	d.dlg = dialog.NewCustom("Hand out a copy for one laptop", "Close", d.content(form, 120), u.win)
	d.dlg.Resize(fyne.NewSize(720, 560))
	d.dlg.Show()
	return d
}

// handOutNow writes the hand-out in the background.
func (d *handOutDialog) handOutNow() {
	opt := storage.HandOutOptions{Annotator: strings.TrimSpace(d.annotator.Text), Force: d.force.Checked}
	dest := strings.TrimSpace(d.dest.Text)
	switch {
	case opt.Annotator == "":
		d.summary.SetText("Name the annotator the copy is for.")
		return
	case dest == "":
		d.summary.SetText("Name the project file to write.")
		return
	}
	if filepath.Ext(dest) == "" {
		dest += ".db"
	}
	st := d.u.store
	switch d.which.Selected {
	case handOutAssigned:
		docs, err := st.AssignedDocs(opt.Annotator)
		if err != nil {
			d.summary.SetText("Cannot hand out the assigned documents: " + err.Error())
			return
		}
		opt.Docs = docs
	case handOutThese:
		for _, id := range strings.Split(d.ids.Text, ",") {
			if id = strings.TrimSpace(id); id != "" {
				opt.Docs = append(opt.Docs, id)
			}
		}
		if len(opt.Docs) == 0 {
			d.summary.SetText("Name the documents (comma-separated ids), or choose all of them.")
			return
		}
	}
	done, ok := d.begin("Writing " + dest + " …")
	if !ok {
		return
	}
	go func() {
		defer close(done)
		rep, err := st.HandOut(dest, opt)
		text := ""
		if err != nil {
			text = "Nothing was written: " + err.Error()
		} else {
			text = fmt.Sprintf("Handed out %s and %s of %s to %s. Give the file to %s; merge it back with File ▸ Merge….",
				countOf(len(rep.DocumentsAdded), "document", "documents"), countOf(rep.LayersReplaced, "layer", "layers"), opt.Annotator, dest, opt.Annotator)
		}
		fyne.Do(func() {
			if err == nil {
				d.bar.SetValue(1)
			}
			d.summary.SetText(text)
			d.run.Enable()
		})
	}()
}

// versionsWindow is Project ▸ Layer versions…: the states merges and
// imports decided against, newest first, each with its spans, to restore.
type versionsWindow struct {
	u        *UI
	win      fyne.Window
	list     *widget.List
	detail   *widget.Label   // what is selected, or what happened
	spans    *fyne.Container // the selected version's spans and relations
	restore  *widget.Button
	versions []storage.LayerVersion
	sel      int
}

func openVersions(u *UI) *versionsWindow {
	v := &versionsWindow{u: u, win: u.toolWindow("Layer versions — Tawsim"), sel: -1}
	v.detail = widget.NewLabel("")
	v.detail.Selectable = true
	v.spans = container.NewVBox()
	v.list = widget.NewList(func() int { return len(v.versions) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(versionLine(v.versions[i])) })
	v.list.OnSelected = v.show
	v.restore = widget.NewButtonWithIcon("Restore…", theme.HistoryIcon(), v.askRestore)
	v.restore.Disable()
	v.reload()
	head := widget.NewLabel("Each merge or import conflict kept the newer layer; the other side is listed here.\nRestoring makes it the layer again and keeps the state it replaces as another version.")
	split := container.NewVSplit(v.list, container.NewBorder(nil, container.NewHBox(v.restore), nil, nil, container.NewVScroll(container.NewVBox(v.detail, container.NewPadded(v.spans)))))
	split.Offset = 0.45
	v.win.SetContent(container.NewBorder(head, nil, nil, nil, split))
	v.win.Resize(fyne.NewSize(900, 640))
	v.win.Show()
	return v
}

func versionLine(lv storage.LayerVersion) string {
	when := "never changed"
	if !lv.Modified.IsZero() {
		when = "changed " + lv.Modified.Local().Format("2006-01-02 15:04")
	}
	return fmt.Sprintf("#%d  %s · %s · revision %d, %s · %s", lv.ID, lv.Doc, lv.Annotator, lv.Revision, when, countOf(len(lv.Layer.Spans), "span", "spans"))
}

func (v *versionsWindow) reload() {
	all, err := v.u.store.LayerVersions("", "")
	if err != nil {
		v.detail.SetText("⚠ " + err.Error())
		return
	}
	v.versions, v.sel = all, -1
	v.spans.RemoveAll()
	v.list.UnselectAll()
	v.list.Refresh()
	v.restore.Disable()
	if len(all) == 0 {
		v.detail.SetText("No kept versions: no merge or import has met a layer changed on both sides.")
	} else {
		v.detail.SetText("Select a version to see its spans.")
	}
}

// show lists version i's spans (label, offsets, text) and relations, each
// on a bidi-correct text line.
func (v *versionsWindow) show(i widget.ListItemID) {
	v.sel = i
	lv := v.versions[i]
	head := fmt.Sprintf("%s\nKept %s, %s", versionLine(lv), lv.Created.Local().Format("2006-01-02 15:04"), lv.Reason)
	if lv.Layer.Status != "" {
		head += "\nStatus: " + string(lv.Layer.Status)
	}
	v.detail.SetText(head)
	v.spans.RemoveAll()
	for _, sp := range lv.Layer.Spans {
		v.spans.Add(NewTextLine(v.u.fonts, fmt.Sprintf("%s [%d, %d)  %s", sp.Label, sp.Start, sp.End, sp.Text)))
	}
	for _, r := range lv.Layer.Relations {
		h, t := lv.Layer.Spans[r.Head], lv.Layer.Spans[r.Tail]
		v.spans.Add(NewTextLine(v.u.fonts, fmt.Sprintf("%s: %s → %s", r.Label, h.Text, t.Text)))
	}
	v.restore.Enable()
}

func (v *versionsWindow) askRestore() {
	if v.sel < 0 || v.sel >= len(v.versions) {
		return
	}
	lv := v.versions[v.sel]
	msg := fmt.Sprintf("Make version #%d (%s) %s's layer of %s again?\nThe layer's current state is kept as another version.", lv.ID, countOf(len(lv.Layer.Spans), "span", "spans"), lv.Annotator, lv.Doc)
	dialog.ShowConfirm("Restore this version?", msg, func(yes bool) {
		if yes {
			v.restoreNow(lv.ID)
		}
	}, v.win)
}

func (v *versionsWindow) restoreNow(id int64) {
	kept, err := v.u.store.RestoreVersion(id)
	if err != nil {
		dialog.ShowError(err, v.win)
		return
	}
	v.reload()
	v.detail.SetText(fmt.Sprintf("Version #%d restored; the state it replaced is version #%d.", id, kept))
	v.u.afterTeamChange()
}
