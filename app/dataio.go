package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/export"
	"tawsim/project"
	"tawsim/storage"
)

// importFormatAuto is the format choice that lets project.Import decide by
// file name and content.
const importFormatAuto = "auto"

// jobPanel is what the import and export dialogs share below their form:
// the button that starts the job, its progress and the summary it ends
// with, and the guard that keeps it to one job at a time.
type jobPanel struct {
	run     *widget.Button
	bar     *widget.ProgressBar
	summary *widget.Label
	bg      bgRun
}

func newJobPanel(label string, icon fyne.Resource, hint string, start func()) *jobPanel {
	p := &jobPanel{bar: widget.NewProgressBar(), summary: widget.NewLabel(hint)}
	p.summary.Wrapping = fyne.TextWrapWord
	p.summary.Selectable = true
	p.run = widget.NewButtonWithIcon(label, icon, start)
	p.run.Importance = widget.HighImportance
	return p
}

// content lays form out above the button and progress bar, with the
// summary (at least minHeight high) below.
func (p *jobPanel) content(form fyne.CanvasObject, minHeight float32) fyne.CanvasObject {
	sum := container.NewVScroll(p.summary)
	sum.SetMinSize(fyne.NewSize(0, minHeight))
	return container.NewBorder(container.NewVBox(form, container.NewBorder(nil, nil, nil, p.run, p.bar)), nil, nil, nil, sum)
}

// begin starts a job showing msg, unless one still runs; the job closes
// done when it ends.
func (p *jobPanel) begin(msg string) (done chan struct{}, ok bool) {
	if done, ok = p.bg.start(); !ok {
		return nil, false
	}
	p.run.Disable()
	p.bar.SetValue(0)
	p.summary.SetText(msg)
	return done, true
}

// progress shows that n of total items are done; the job calls it from its
// goroutine.
func (p *jobPanel) progress(n, total int) {
	fyne.Do(func() { p.bar.SetValue(float64(n) / float64(max(total, 1))) })
}

// wait blocks until the running job (if any) has finished.
func (p *jobPanel) wait() { p.bg.wait() }

// ---------------------------------------------------------------- import

// importDialog is File ▸ Import…: files or folders (one path per line),
// format, annotator override and replace; the import runs in the
// background with a progress bar and ends with a summary.
type importDialog struct {
	u       *UI
	dlg     *dialog.CustomDialog
	paths   *widget.Entry
	format  *widget.Select
	annot   *widget.Entry
	replace *widget.Check
	ask     *dialog.ConfirmDialog // the unknown-labels question, when asked
	*jobPanel
}

func showImport(u *UI) *importDialog {
	d := &importDialog{u: u}
	d.paths = widget.NewMultiLineEntry()
	d.paths.SetPlaceHolder("one file or folder per line")
	d.paths.SetMinRowsVisible(3)
	d.format = widget.NewSelect(append([]string{importFormatAuto}, export.Names()...), nil)
	d.format.SetSelected(importFormatAuto)
	d.annot = widget.NewEntry()
	d.annot.SetPlaceHolder("keep the annotators named in the files")
	d.replace = widget.NewCheck("Replace the text of documents whose id exists with other text", nil)
	d.jobPanel = newJobPanel("Import", theme.DownloadIcon(), "Type or add files and folders (one per line), then Import (Shift+Enter).", func() {
		d.importPaths(splitPaths(d.paths.Text))
	})
	u.track(&d.bg)

	addFile := widget.NewButtonWithIcon("Add files…", theme.FileIcon(), func() {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			d.addPath(r.URI().Path())
		}, u.win)
		fd.Show()
	})
	addFolder := widget.NewButtonWithIcon("Add folder…", theme.FolderOpenIcon(), func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				return
			}
			d.addPath(l.Path())
		}, u.win)
		fd.Show()
	})
	form := widget.NewForm(
		widget.NewFormItem("Files / folders", container.NewBorder(nil, container.NewHBox(addFile, addFolder), nil, nil, d.paths)),
		widget.NewFormItem("Format", d.format),
		widget.NewFormItem("Annotator", d.annot),
		widget.NewFormItem("", d.replace),
	)
	d.dlg = dialog.NewCustom("Import documents and annotations", "Close", d.content(form, 160), u.win)
	d.dlg.Resize(fyne.NewSize(720, 560))
	d.dlg.Show()
	// Shift+Enter in the paths runs the import; Tab reaches every field
	// and the Import button.
	d.paths.OnSubmitted = func(string) { d.importPaths(splitPaths(d.paths.Text)) }
	u.win.Canvas().Focus(d.paths)
	return d
}

// addPath appends a chosen file or folder to the paths.
func (d *importDialog) addPath(p string) {
	t := strings.TrimRight(d.paths.Text, "\n")
	if t != "" {
		t += "\n"
	}
	d.paths.SetText(t + p)
}

func splitPaths(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// importPaths imports paths in the background; the dialog shows progress
// and then the summary, and the main window reloads its document list.
// Files refused for labels the project lacks bring a question: add them
// and import those files again?
func (d *importDialog) importPaths(paths []string) { d.runImport(paths, false, "") }

// runImport is importPaths, adding unknown labels when addLabels; before
// is the summary of the run that asked (shown above this one's).
func (d *importDialog) runImport(paths []string, addLabels bool, before string) {
	if len(paths) == 0 {
		d.summary.SetText("Nothing to import: name at least one file or folder.")
		return
	}
	opt := project.ImportOptions{Annotator: strings.TrimSpace(d.annot.Text), Replace: d.replace.Checked, AddLabels: addLabels}
	if f := d.format.Selected; f != importFormatAuto && f != "" {
		opt.Format = f
	}
	done, ok := d.begin("Importing " + strings.Join(paths, ", ") + " …")
	if !ok {
		return
	}
	st := d.u.store
	go func() {
		defer close(done)
		res, err := project.Import(st, paths, opt, d.progress)
		text := importSummary(res, err)
		if before != "" {
			text = before + "\n\nAfter adding the labels:\n" + text
		}
		replaced := false
		for _, r := range res {
			replaced = replaced || (r.Result != nil && len(r.Result.Replaced) > 0)
		}
		files, labels := unknownLabels(res)
		fyne.Do(func() {
			d.bar.SetValue(1)
			d.summary.SetText(text)
			d.run.Enable()
			if replaced && d.u.hist != nil {
				// Undo steps name offsets of texts that are now gone.
				d.u.hist = newHistory(d.u.store, d.u.annotator)
			}
			d.u.afterImport()
			d.u.layerChanged("")
			d.u.say(strings.SplitN(text, "\n", 2)[0])
			if len(files) > 0 {
				d.askAddLabels(files, labels, text)
			}
		})
	}()
}

// unknownLabels lists the files refused for unknown labels and those
// labels, each once, in order.
func unknownLabels(res []project.FileResult) (files, labels []string) {
	for _, r := range res {
		var u *storage.UnknownLabelsError
		if !errors.As(r.Err, &u) {
			continue
		}
		files = append(files, r.File)
		for _, n := range u.Names() {
			if !slices.Contains(labels, n) {
				labels = append(labels, n)
			}
		}
	}
	return files, labels
}

// askAddLabels asks whether to add the labels the refused files use and
// import them again.
func (d *importDialog) askAddLabels(files, labels []string, summary string) {
	files1, them := countOf(len(files), "file uses", "files use"), "them"
	if len(files) == 1 {
		them = "it"
	}
	msg := fmt.Sprintf("%s %s the project does not have:\n%s\n\nAdd labels %s to the project and import %s again?",
		files1, countOf(len(labels), "label", "labels"), strings.Join(labels, ", "), strings.Join(labels, ", "), them)
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	d.ask = dialog.NewCustomConfirm("Add labels?", "Add labels", "Cancel", text, func(yes bool) {
		if yes {
			d.runImport(files, true, summary)
		}
	}, d.u.win)
	d.ask.Resize(fyne.NewSize(520, 240))
	d.ask.Show()
}

// importSummary describes the outcome of project.Import: the totals
// worded as `tawsim import` words them, then every refused file with its
// reason (which names file and line), then the readers' warnings.
func importSummary(res []project.FileResult, err error) string {
	if err != nil {
		return "Import failed: " + err.Error()
	}
	var refusals, warnings []string
	for _, r := range res {
		warnings = append(warnings, r.Warnings...)
		if r.Err != nil {
			msg := r.Refusal()
			if errors.Is(r.Err, storage.ErrTextDiffers) {
				msg += " (tick “Replace the text…” to replace it)"
			} else if errors.Is(r.Err, storage.ErrNoAnnotator) {
				msg += ": fill in Annotator, or give the file an \"annotator\" field"
			} else if u := (*storage.UnknownLabelsError)(nil); errors.As(r.Err, &u) {
				msg += " (answer “Add labels” to add them)"
			}
			refusals = append(refusals, msg)
		}
	}
	var b strings.Builder
	b.WriteString(project.SumImport(res).String() + "\n")
	if len(refusals) > 0 {
		b.WriteString("\nRefused (nothing of these files was stored):\n")
		for _, r := range refusals {
			b.WriteString("  • " + r + "\n")
		}
	}
	if len(warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, w := range warnings {
			b.WriteString("  • " + w + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// afterImport reloads labels and documents after an import, keeps the open
// document selected (its index may have moved) and reopens it when its text
// was replaced; with no document open it opens the first one.
func (u *UI) afterImport() {
	if err := u.reloadLabels(); err != nil {
		u.fail(err)
	}
	u.rebuildPalette()
	if err := u.reloadDocs(); err != nil {
		u.fail(err)
		return
	}
	if u.doc == nil {
		u.cur = -1
		if len(u.docs) > 0 && u.annotator != "" {
			u.Open(u.firstOpen())
		}
		return
	}
	for i, d := range u.docs {
		if d.ID != u.doc.ID {
			continue
		}
		u.cur = i
		if doc, err := u.store.Document(d.ID); err == nil && doc.Text != u.doc.Text {
			u.Open(i)
			return
		}
		u.docList.Select(i)
		u.reloadSpans()
		return
	}
}

// ---------------------------------------------------------------- export

// exportSummary describes the outputs of ExportProject.
func exportSummary(format string, outs []project.ExportOutput, err error) string {
	var b strings.Builder
	var sum export.Stats
	leftOut := 0
	for _, o := range outs {
		name := o.Path
		if o.Split != "" {
			name = o.Split + " → " + o.Path
		}
		fmt.Fprintf(&b, "%s: %s, %s", name, countOf(o.Stats.Documents, "document", "documents"), countOf(o.Stats.Spans, "span", "spans"))
		if o.Stats.Relations > 0 {
			fmt.Fprintf(&b, ", %s", countOf(o.Stats.Relations, "relation", "relations"))
		}
		if n := o.Unfinished(); n > 0 {
			fmt.Fprintf(&b, "; %s left out, their adjudication not finished (%d to do, %d in progress)",
				countOf(n, "document", "documents"), o.LeftOut[annotate.GoldTodo], o.LeftOut[annotate.GoldInProgress])
			leftOut += n
		}
		b.WriteString("\n")
		sum.Documents += o.Stats.Documents
		sum.Spans += o.Stats.Spans
		sum.Dropped += o.Stats.Dropped
		sum.RelationsDropped += o.Stats.RelationsDropped
		sum.Warnings = append(sum.Warnings, o.Stats.Warnings...)
	}
	if len(outs) > 1 {
		fmt.Fprintf(&b, "In all: %s, %s.\n", countOf(sum.Documents, "document", "documents"), countOf(sum.Spans, "span", "spans"))
	}
	if leftOut > 0 {
		b.WriteString("A gold export holds the finished documents only: finish their adjudication (Review ▸ Adjudicate…, Ctrl+Enter), or tick “Include unfinished documents”.\n")
	}
	if sum.Dropped > 0 {
		fmt.Fprintf(&b, "Dropped %s: nested or overlapping spans that the %s format cannot hold (one tag per token); export as jsonl, brat or labelstudio to keep them.\n",
			countOf(sum.Dropped, "span", "spans"), format)
	}
	if sum.RelationsDropped > 0 {
		fmt.Fprintf(&b, "Dropped %s: the %s format cannot hold relations.\n", countOf(sum.RelationsDropped, "relation", "relations"), format)
	}
	if len(sum.Warnings) > 0 {
		b.WriteString("Warnings:\n")
		for _, w := range sum.Warnings {
			b.WriteString("  • " + w + "\n")
		}
	}
	if err != nil {
		if len(outs) > 0 {
			b.WriteString("\n")
		}
		b.WriteString("Export failed: " + err.Error())
	}
	return strings.TrimRight(b.String(), "\n")
}

// exportDialog is File ▸ Export….
type exportDialog struct {
	u        *UI
	dlg      *dialog.CustomDialog
	format   *widget.Select
	layer    *widget.Select
	onlyDone *widget.Check
	// unfinished, for the gold layer: write the documents whose
	// adjudication is not finished too, each with its status.
	unfinished *widget.Check
	splits     *widget.Entry
	seed       *widget.Entry
	scheme     *widget.Select
	dest       *widget.Entry
	*jobPanel
}

func showExport(u *UI) *exportDialog {
	d := &exportDialog{u: u}
	d.format = widget.NewSelect(export.Names(), func(string) { d.formatChanged() })
	layers, err := u.store.Annotators()
	if err != nil {
		u.fail(err)
	}
	d.unfinished = widget.NewCheck("Include unfinished documents (jsonl marks each with its gold_status)", nil)
	d.layer = widget.NewSelect(append(layers, storage.GoldLayer), func(l string) {
		if l == storage.GoldLayer {
			d.unfinished.Enable()
		} else {
			d.unfinished.Disable()
		}
	})
	if u.annotator != "" {
		d.layer.SetSelected(u.annotator)
	} else if len(layers) > 0 {
		d.layer.SetSelected(layers[0])
	}
	if d.layer.Selected != storage.GoldLayer {
		d.unfinished.Disable()
	}
	d.onlyDone = widget.NewCheck("Only documents marked done", nil)
	d.splits = widget.NewEntry()
	d.splits.SetPlaceHolder("none, or e.g. train=0.8,dev=0.1,test=0.1")
	d.splits.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := export.ParseSplits(s)
		return err
	}
	d.seed = widget.NewEntry()
	d.seed.SetText("0")
	d.seed.Validator = func(s string) error {
		_, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return errors.New("the seed is a whole number")
		}
		return nil
	}
	d.scheme = widget.NewSelect([]string{"bio", "bioes"}, nil)
	d.scheme.SetSelected("bio")
	d.dest = widget.NewEntry()
	d.dest.SetPlaceHolder("file (or folder for brat)")
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), d.chooseDest)
	d.jobPanel = newJobPanel("Export", theme.UploadIcon(), "", func() { d.exportNow() })
	u.track(&d.bg)
	d.format.SetSelected("jsonl")

	form := widget.NewForm(
		widget.NewFormItem("Format", d.format),
		widget.NewFormItem("Layer", d.layer),
		widget.NewFormItem("", d.onlyDone),
		widget.NewFormItem("", d.unfinished),
		widget.NewFormItem("Splits", d.splits),
		widget.NewFormItem("Seed", d.seed),
		widget.NewFormItem("Tag scheme", d.scheme),
		widget.NewFormItem("Destination", container.NewBorder(nil, nil, nil, choose, d.dest)),
	)
	d.dlg = dialog.NewCustom("Export a layer", "Close", d.content(form, 140), u.win)
	d.dlg.Resize(fyne.NewSize(720, 580))
	d.dlg.Show()
	u.win.Canvas().Focus(d.dest)
	d.dest.OnSubmitted = func(string) { d.exportNow() }
	return d
}

// formatChanged enables the tag scheme for the token formats and describes
// the chosen format and what the destination must be.
func (d *exportDialog) formatChanged() {
	f, err := export.Lookup(d.format.Selected)
	if err != nil || d.scheme == nil {
		return
	}
	if f.Name == "conll" || f.Name == "hf" {
		d.scheme.Enable()
	} else {
		d.scheme.Disable()
	}
	where := "a file (" + f.Ext + ")"
	if f.Ext == "" {
		where = "an empty or new folder"
	}
	lossy := ""
	if !f.Lossless {
		lossy = " Nested and overlapping spans may be dropped."
	}
	d.summary.SetText(fmt.Sprintf("%s: %s. Writes to %s; with splits one output per split (out-train%s …).%s",
		f.Name, f.Description, where, f.Ext, lossy))
	d.dest.SetPlaceHolder(where)
}

func (d *exportDialog) chooseDest() {
	f, err := export.Lookup(d.format.Selected)
	if err != nil {
		return
	}
	if f.Ext == "" {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err == nil && l != nil {
				d.dest.SetText(filepath.Join(l.Path(), "export"))
			}
		}, d.u.win)
		fd.Show()
		return
	}
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		w.Close()
		d.dest.SetText(w.URI().Path())
	}, d.u.win)
	fd.SetFileName("export" + f.Ext)
	fd.Show()
}

// job reads the form; the error names the field that is wrong.
func (d *exportDialog) job() (project.ExportJob, error) {
	j := project.ExportJob{Format: d.format.Selected, Layer: d.layer.Selected, OnlyDone: d.onlyDone.Checked,
		IncludeUnfinished: d.layer.Selected == storage.GoldLayer && d.unfinished.Checked,
		Splits:            strings.TrimSpace(d.splits.Text), Dest: strings.TrimSpace(d.dest.Text)}
	if j.Splits != "" {
		if _, err := export.ParseSplits(j.Splits); err != nil {
			return j, fmt.Errorf("splits: %w", err)
		}
	}
	seed, err := strconv.ParseInt(strings.TrimSpace(d.seed.Text), 10, 64)
	if err != nil {
		return j, fmt.Errorf("seed %q is not a whole number", d.seed.Text)
	}
	j.Seed = seed
	if !d.scheme.Disabled() {
		j.Scheme = d.scheme.Selected
	}
	if j.Dest == "" {
		return j, errors.New("choose a destination")
	}
	return j, nil
}

// exportNow starts the export in the background.
func (d *exportDialog) exportNow() {
	j, err := d.job()
	if err != nil {
		d.summary.SetText("⚠ " + err.Error())
		return
	}
	done, ok := d.begin("Exporting…")
	if !ok {
		return
	}
	st := d.u.store
	go func() {
		defer close(done)
		outs, err := project.ExportProject(st, j, d.progress)
		text := exportSummary(j.Format, outs, err)
		fyne.Do(func() {
			if err == nil {
				d.bar.SetValue(1)
			}
			d.summary.SetText(text)
			d.run.Enable()
			d.u.say(strings.SplitN(text, "\n", 2)[0])
		})
	}()
}
