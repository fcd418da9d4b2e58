package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/layout"
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
	bar     *widget.ProgressBar // hidden until the first job starts
	summary *BidiText
	sumBox  *container.Scroll
	bg      bgRun
}

func newJobPanel(fonts *layout.Fonts, label string, icon fyne.Resource, hint string, start func()) *jobPanel {
	p := &jobPanel{bar: widget.NewProgressBar(), summary: newBidiText(fonts, hint)}
	p.bar.Hide() // not "0 %" before anything started
	p.run = widget.NewButtonWithIcon(label, icon, start)
	p.run.Importance = widget.HighImportance
	return p
}

// content lays form out above the button and progress bar, with the
// summary (at least minHeight high) below.
func (p *jobPanel) content(form fyne.CanvasObject, minHeight float32) fyne.CanvasObject {
	p.sumBox = container.NewVScroll(p.summary)
	p.sumBox.SetMinSize(fyne.NewSize(0, minHeight))
	// Scrolling inside: a small window still shows the dialog whole.
	return container.NewScroll(container.NewBorder(container.NewVBox(form, container.NewBorder(nil, nil, nil, p.run, p.bar)), nil, nil, nil, p.sumBox))
}

// showSummary shows text from its top (the last one may have been
// scrolled).
func (p *jobPanel) showSummary(text string) {
	p.summary.SetText(text)
	if p.sumBox != nil {
		p.sumBox.ScrollToTop()
	}
}

// launch runs job in the background showing msg, unless a job still
// runs (then it does nothing: see bgRun.start).
func (p *jobPanel) launch(msg string, job func()) {
	done, ok := p.bg.start()
	if !ok {
		return
	}
	p.run.Disable()
	p.bar.SetValue(0)
	p.bar.Show()
	p.showSummary(msg)
	go func() {
		defer close(done)
		job()
	}()
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
	layers  *widget.Check         // ReplaceLayers
	ask     *dialog.ConfirmDialog // the unknown-labels question, when asked
	*jobPanel

	encoding *widget.Select // the files' encoding (encodingItem)
}

func showImport(u *UI) *importDialog {
	d := &importDialog{u: u}
	d.paths = widget.NewMultiLineEntry()
	d.paths.SetPlaceHolder(lang.L("one file or folder per line"))
	d.paths.SetMinRowsVisible(3)
	d.format = widget.NewSelect(append([]string{importFormatAuto}, export.Names()...), nil)
	d.format.SetSelected(importFormatAuto)
	d.annot = widget.NewEntry()
	d.annot.SetPlaceHolder(lang.L("keep the annotators named in the files"))
	d.replace = widget.NewCheck(lang.L("Replace the text of documents whose id exists with other text"), nil)
	d.layers = widget.NewCheck(lang.L("Set each layer a file names to exactly its spans (spans it lacks are deleted)"), nil)
	d.jobPanel = newJobPanel(u.fonts, lang.L("Import"), theme.DownloadIcon(), lang.L("Type or add files and folders (one per line), then Import (Shift+Enter)."), func() {
		d.importPaths(splitPaths(d.paths.Text))
	})
	u.track(&d.bg)

	addFile := addFilesButton(u.win, d.paths, project.ImportableExts()...)
	addFolder := widget.NewButtonWithIcon(lang.L("Add folder…"), theme.FolderOpenIcon(), func() {
		fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
			if err != nil || l == nil {
				return
			}
			appendPath(d.paths, l.Path())
		}, u.win)
		if dir := typedFolder(d.paths.Text); dir != nil {
			fd.SetLocation(dir)
		}
		fd.Resize(pickerSize(u.win))
		fd.Show()
	})
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Files / folders"), container.NewBorder(nil, container.NewHBox(addFile, addFolder), nil, nil, d.paths)),
		widget.NewFormItem(lang.L("Format"), d.format),
		d.encodingItem(),
		widget.NewFormItem(lang.L("Annotator"), d.annot),
		widget.NewFormItem("", d.replace),
		widget.NewFormItem("", d.layers),
	)
	d.dlg = dialog.NewCustom(lang.L("Import documents and annotations"), lang.L("Close"), d.content(form, 160), u.win)
	d.dlg.Resize(fitSize(u.win.Canvas().Size(), fyne.NewSize(720, 560)))
	d.dlg.Show()
	// Shift+Enter in the paths runs the import; Tab reaches every field
	// and the Import button.
	d.paths.OnSubmitted = func(string) { d.importPaths(splitPaths(d.paths.Text)) }
	u.win.Canvas().Focus(d.paths)
	return d
}

// appendPath adds a chosen file or folder to paths, one per line.
func appendPath(paths *widget.Entry, p string) {
	t := strings.TrimRight(paths.Text, "\n")
	if t != "" {
		t += "\n"
	}
	paths.SetText(t + p)
}

// addFilesButton is "Add files…": a chosen file joins paths. The picker
// is as large as the window allows, lists only the files of exts (all
// when none) and opens where the last path typed in paths is.
func addFilesButton(w fyne.Window, paths *widget.Entry, exts ...string) *widget.Button {
	return widget.NewButtonWithIcon(lang.L("Add files…"), theme.FileIcon(), func() {
		fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil || r == nil {
				return
			}
			r.Close()
			appendPath(paths, r.URI().Path())
		}, w)
		if len(exts) > 0 {
			fd.SetFilter(fstorage.NewExtensionFileFilter(exts))
		}
		if dir := typedFolder(paths.Text); dir != nil {
			fd.SetLocation(dir)
		}
		fd.Resize(pickerSize(w))
		fd.Show()
	})
}

// pickerSize is the size of a file picker over w: large, within w.
func pickerSize(w fyne.Window) fyne.Size {
	return fitSize(w.Canvas().Size().SubtractWidthHeight(40, 40), fyne.NewSize(960, 640))
}

// typedFolder is the folder of the last path typed (the path itself when
// it is a folder), nil when there is none that exists.
func typedFolder(text string) fyne.ListableURI {
	ps := splitPaths(text)
	if len(ps) == 0 {
		return nil
	}
	p := ps[len(ps)-1]
	for _, c := range []string{p, filepath.Dir(p)} {
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			if l, err := fstorage.ListerForURI(fstorage.NewFileURI(c)); err == nil {
				return l
			}
		}
	}
	return nil
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
// is the summary of the run that asked (shown below this one's).
func (d *importDialog) runImport(paths []string, addLabels bool, before string) {
	if len(paths) == 0 {
		d.summary.SetText(lang.L("Nothing to import: name at least one file or folder."))
		return
	}
	opt := project.ImportOptions{Annotator: strings.TrimSpace(d.annot.Text), Replace: d.replace.Checked, ReplaceLayers: d.layers.Checked, AddLabels: addLabels}
	if f := d.format.Selected; f != importFormatAuto && f != "" {
		opt.Format = f
	}
	opt.Encoding = d.encoding.Selected
	st := d.u.store
	d.launch(lang.L("Importing ")+strings.Join(paths, ", ")+" …", func() {
		res, read := importEach(st, paths, opt, d.progress)
		text := importSummary(res, nil)
		if before != "" {
			// The outcome first: the refusal it answers is history.
			text += lang.L("\n\nBefore the labels were added:\n") + before
		}
		replaced := false
		for _, r := range res {
			replaced = replaced || (r.Result != nil && len(r.Result.Replaced) > 0)
		}
		files, labels := unknownLabels(res)
		fyne.Do(func() {
			d.bar.SetValue(read) // 100 % only when every path was read
			d.showSummary(text)
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
	})
}

// importEach imports each path on its own (a missing one is refused with
// its reason and the others still come in) and reports the progress over
// all of them; read is the share of the paths taken in whole: a path read
// but with a file refused for what it holds (invalid UTF-8, unknown
// labels) is not, so the bar never shows 100 % beside a refusal. While
// the job runs no path's part reaches its end, so the bar comes to 100 %
// only when the job has ended with every path read.
func importEach(st *storage.Store, paths []string, opt project.ImportOptions, progress func(done, total int)) (res []project.FileResult, read float64) {
	const steps = 1000 // per path, for a smooth bar
	ok := 0
	for i, p := range paths {
		r, err := project.Import(st, []string{p}, opt, func(n, total int) {
			progress(i*steps+min(n*steps/max(total, 1), steps-1), len(paths)*steps)
		})
		if err != nil {
			r = []project.FileResult{{File: p, Err: err}}
		}
		if !slices.ContainsFunc(r, func(f project.FileResult) bool { return f.Err != nil }) {
			ok++
		}
		res = append(res, r...)
	}
	return res, float64(ok) / float64(len(paths))
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
	// A whole sentence for one file and for several, for the translations.
	ask := lang.L("%s %s the project does not have:\n%s\n\nAdd labels %s to the project and import them again?")
	if len(files) == 1 {
		ask = lang.L("%s %s the project does not have:\n%s\n\nAdd labels %s to the project and import it again?")
	}
	names := isolateRTL(strings.Join(labels, ", "))
	msg := fmt.Sprintf(ask, countOf(len(files), "file uses", "files use"), countOf(len(labels), "label", "labels"), names, names)
	text := newBidiText(d.u.fonts, msg)
	d.ask = dialog.NewCustomConfirm(lang.L("Add labels?"), lang.L("Add labels"), lang.L("Cancel"), text, func(yes bool) {
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
		return lang.L("Import failed: ") + err.Error()
	}
	var refusals, warnings []string
	for _, r := range res {
		warnings = append(warnings, r.Warnings...)
		if r.Err != nil {
			msg := r.Refusal()
			if errors.Is(r.Err, storage.ErrTextDiffers) {
				msg += lang.L(" (tick “Replace the text…” to replace it)")
			} else if errors.Is(r.Err, storage.ErrNoAnnotator) {
				msg += lang.L(": fill in Annotator, or give the file an \"annotator\" field")
			} else if u := (*storage.UnknownLabelsError)(nil); errors.As(r.Err, &u) {
				msg += lang.L(" (answer “Add labels” to add them)")
			}
			refusals = append(refusals, msg)
		}
	}
	var b strings.Builder
	b.WriteString(importTotals(project.SumImport(res)) + "\n")
	if len(refusals) > 0 {
		b.WriteString(lang.L("\nRefused (nothing of these files was stored):\n"))
		for _, r := range refusals {
			b.WriteString("  • " + r + "\n")
		}
	}
	if len(warnings) > 0 {
		b.WriteString(lang.L("\nWarnings:\n"))
		for _, w := range warnings {
			b.WriteString("  • " + w + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// importTotals words the totals as ImportTotals.String does (`tawsim
// import` prints that), in the interface language.
func importTotals(t project.ImportTotals) string {
	var b strings.Builder
	files := lang.L("%d files: %d imported, %d refused.")
	if t.Files == 1 {
		files = lang.L("%d file: %d imported, %d refused.")
	}
	fmt.Fprintf(&b, files+"\n", t.Files, t.Files-t.Refused, t.Refused)
	fmt.Fprintf(&b, lang.L("Documents: %d added, %d skipped (already there with the same text), %d replaced.")+"\n", t.Added, t.Skipped, t.Replaced)
	if t.Dropped > 0 {
		fmt.Fprintf(&b, lang.L("Spans: %d added, %d already there, %d dropped (their text changed with a replaced document)."), t.Spans, t.SpansPresent, t.Dropped)
	} else {
		fmt.Fprintf(&b, lang.L("Spans: %d added, %d already there."), t.Spans, t.SpansPresent)
	}
	if t.Relations > 0 {
		fmt.Fprintf(&b, "\n"+lang.L("Relations: %d added."), t.Relations)
	}
	if len(t.NewLabels) > 0 {
		fmt.Fprintf(&b, "\n"+lang.L("New labels: %s."), isolateRTL(strings.Join(t.NewLabels, ", ")))
	}
	return b.String()
}

func countOf(n int, one, many string) string {
	return counted(n, strconv.Itoa(n), one, many)
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
		// A path is isolated: "/tmp/x.jsonl" in a right-to-left sentence
		// would have its "/" drawn at the other end, beside the count.
		name := isolateRTL(o.Path)
		if o.Split != "" {
			name = o.Split + " → " + name
		}
		fmt.Fprintf(&b, "%s: %s, %s", name, countOf(o.Stats.Documents, "document", "documents"), countOf(o.Stats.Spans, "span", "spans"))
		if o.Stats.Relations > 0 {
			fmt.Fprintf(&b, ", %s", countOf(o.Stats.Relations, "relation", "relations"))
		}
		if n := o.Unfinished(); n > 0 {
			fmt.Fprintf(&b, lang.L("; %s left out, their adjudication not finished (%d to do, %d in progress)"),
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
		fmt.Fprintf(&b, lang.L("In all: %s, %s.\n"), countOf(sum.Documents, "document", "documents"), countOf(sum.Spans, "span", "spans"))
	}
	if leftOut > 0 {
		b.WriteString(lang.L("A gold export holds the finished documents only: finish their adjudication (Review ▸ Adjudicate…, Ctrl+Enter), or tick “Include unfinished documents”.\n"))
	}
	if sum.Dropped > 0 {
		fmt.Fprintf(&b, lang.L("Dropped %s: nested or overlapping spans that the %s format cannot hold (one tag per token); export as jsonl, brat or labelstudio to keep them.\n"),
			countOf(sum.Dropped, "span", "spans"), format)
	}
	if sum.RelationsDropped > 0 {
		fmt.Fprintf(&b, lang.L("Dropped %s: the %s format cannot hold relations.\n"), countOf(sum.RelationsDropped, "relation", "relations"), format)
	}
	if len(sum.Warnings) > 0 {
		b.WriteString(lang.L("Warnings:\n"))
		for _, w := range sum.Warnings {
			b.WriteString("  • " + w + "\n")
		}
	}
	if err != nil {
		if len(outs) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(lang.L("Export failed: ") + err.Error())
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
	d.unfinished = widget.NewCheck(lang.L("Include unfinished documents (jsonl marks each with its gold_status)"), nil)
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
	d.onlyDone = widget.NewCheck(lang.L("Only documents marked done"), nil)
	d.splits = widget.NewEntry()
	d.splits.SetPlaceHolder(lang.L("none, or e.g. train=0.8,dev=0.1,test=0.1"))
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
			return errors.New(lang.L("the seed is a whole number"))
		}
		return nil
	}
	d.scheme = widget.NewSelect([]string{"bio", "bioes"}, nil)
	d.scheme.SetSelected("bio")
	d.dest = widget.NewEntry()
	d.dest.SetPlaceHolder(lang.L("file (or folder for brat)"))
	choose := widget.NewButtonWithIcon(lang.L("Choose…"), theme.FolderOpenIcon(), d.chooseDest)
	d.jobPanel = newJobPanel(u.fonts, lang.L("Export"), theme.UploadIcon(), "", func() { d.exportNow() })
	u.track(&d.bg)
	d.format.SetSelected("jsonl")

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Format"), d.format),
		widget.NewFormItem(lang.L("Layer"), d.layer),
		widget.NewFormItem("", d.onlyDone),
		widget.NewFormItem("", d.unfinished),
		widget.NewFormItem(lang.L("Splits"), d.splits),
		widget.NewFormItem(lang.L("Seed"), d.seed),
		widget.NewFormItem(lang.L("Tag scheme"), d.scheme),
		widget.NewFormItem(lang.L("Destination"), container.NewBorder(nil, nil, nil, choose, d.dest)),
	)
	d.dlg = dialog.NewCustom(lang.L("Export a layer"), lang.L("Close"), d.content(form, 140), u.win)
	d.dlg.Resize(fitSize(u.win.Canvas().Size(), fyne.NewSize(720, 580)))
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
	if strings.HasPrefix(f.Name, "conll") || f.Name == "hf" {
		d.scheme.Enable()
	} else {
		d.scheme.Disable()
	}
	// Isolated: in «ملف .jsonl» the dot would be drawn after "jsonl".
	where := fmt.Sprintf(lang.L("a %s file"), isolateRTL(f.Ext))
	if f.Ext == "" {
		where = lang.L("an empty or new folder")
	}
	lossy := ""
	if !f.Lossless {
		lossy = lang.L(" Nested and overlapping spans may be dropped.")
	}
	d.summary.SetText(fmt.Sprintf(lang.L("%s: %s. Writes to %s; with splits one output per split (out-train%s …).%s"),
		f.Name, f.Description, where, f.Ext, lossy))
	// The entry's stock text mangles an Arabic sentence with Latin in it
	// (".jsonl ملف" lost its space and its dot went to the far end): its
	// placeholder is a file name, the summary above says the rest.
	hint := "export" + f.Ext // the name the file chooser proposes
	if f.Ext == "" {
		hint = where
	}
	d.dest.SetPlaceHolder(hint)
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
			return j, fmt.Errorf(lang.L("splits: %w"), err)
		}
	}
	seed, err := strconv.ParseInt(strings.TrimSpace(d.seed.Text), 10, 64)
	if err != nil {
		return j, fmt.Errorf(lang.L("seed %q is not a whole number"), d.seed.Text)
	}
	j.Seed = seed
	if !d.scheme.Disabled() {
		j.Scheme = d.scheme.Selected
	}
	if j.Dest == "" {
		return j, errors.New(lang.L("choose a destination"))
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
	st := d.u.store
	d.launch(lang.L("Exporting…"), func() {
		outs, err := project.ExportProject(st, j, d.progress)
		text := exportSummary(j.Format, outs, err)
		fyne.Do(func() {
			if err == nil {
				d.bar.SetValue(1)
			}
			d.showSummary(text)
			d.run.Enable()
			d.u.say(strings.SplitN(text, "\n", 2)[0])
		})
	})
}

// ---------------------------------------------------------------- team

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
	d.paths.SetPlaceHolder(lang.L("the laptops' project files (or the lead's), one per line"))
	d.paths.SetMinRowsVisible(3)
	d.jobPanel = newJobPanel(u.fonts, lang.L("Merge"), theme.MailForwardIcon(), lang.L("Name the project files to merge, then Merge (Shift+Enter)."), d.mergeNow)
	u.track(&d.bg)
	add := addFilesButton(u.win, d.paths)
	d.paths.OnSubmitted = func(string) { d.mergeNow() }
	form := widget.NewForm(widget.NewFormItem(lang.L("Projects"), container.NewBorder(nil, add, nil, nil, d.paths)))
	d.dlg = dialog.NewCustom(lang.L("Merge other copies of the project"), lang.L("Close"), d.content(form, 200), u.win)
	d.dlg.Resize(fitSize(u.win.Canvas().Size(), fyne.NewSize(760, 560)))
	d.dlg.Show()
	u.win.Canvas().Focus(d.paths)
	return d
}

// mergeNow merges the named files in the background and reports each.
func (d *mergeDialog) mergeNow() {
	paths := splitPaths(d.paths.Text)
	if len(paths) == 0 {
		d.summary.SetText(lang.L("Nothing to merge: name at least one project file."))
		return
	}
	st := d.u.store
	d.launch(lang.L("Merging ")+strings.Join(paths, ", ")+" …", func() {
		var lines []string
		conflicts, failed := 0, 0
		for i, p := range paths {
			rep, err := st.MergeFile(p, storage.MergeOptions{})
			if err != nil {
				failed++
				lines = append(lines, fmt.Sprintf(lang.L("refused %s (nothing of it was merged): %v"), p, err))
			} else {
				conflicts += len(rep.Conflicts)
				lines = append(lines, fmt.Sprintf(lang.L("merged %s: %s"), filepath.Base(p), rep))
			}
			d.progress(i+1, len(paths))
		}
		if conflicts > 0 {
			lines = append(lines, lang.L("Each conflict kept the newer layer; Project ▸ Layer versions… shows the other side and restores it."))
		}
		fyne.Do(func() {
			if failed == 0 {
				d.bar.SetValue(1)
			}
			d.showSummary(strings.Join(lines, "\n"))
			d.run.Enable()
			d.u.afterTeamChange()
			d.u.say(fmt.Sprintf(lang.L("Merged %d of %d projects, %s"), len(paths)-failed, len(paths), countOf(conflicts, "conflict", "conflicts")))
		})
	})
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

// The documents a hand-out takes, in the interface language (set by
// translateChoices: code compares them with the selected option).
var handOutAll, handOutAssigned, handOutThese string

func showHandOut(u *UI) *handOutDialog {
	d := &handOutDialog{u: u}
	names, err := u.store.Annotators()
	if err != nil {
		u.fail(err)
	}
	d.annotator = widget.NewSelectEntry(names)
	d.annotator.SetPlaceHolder(lang.L("the annotator whose laptop it is for"))
	d.which = widget.NewRadioGroup([]string{handOutAll, handOutAssigned, handOutThese}, func(s string) {
		if s == handOutThese {
			d.ids.Enable()
		} else {
			d.ids.Disable()
		}
	})
	d.ids = widget.NewEntry()
	d.ids.SetPlaceHolder(lang.L("document ids, comma-separated"))
	d.which.SetSelected(handOutAll)
	d.dest = widget.NewEntry()
	d.dest.SetPlaceHolder("/path/to/laptop.db")
	d.annotator.OnChanged = func(name string) {
		if name = strings.TrimSpace(name); name != "" && strings.TrimSpace(d.dest.Text) == "" {
			d.dest.SetText(filepath.Join(u.projectDir(), name+".db"))
		}
	}
	folder := folderButton(u.win, d.dest, "laptop.db")
	d.force = widget.NewCheck(lang.L("Replace the file if it exists"), nil)
	d.jobPanel = newJobPanel(u.fonts, lang.L("Hand out"), theme.DocumentSaveIcon(), lang.L("The file holds the documents, the labels, relation types and guidelines, and this annotator's own layers — nothing of the other annotators or of the gold layer."), d.handOutNow)
	u.track(&d.bg)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Annotator"), d.annotator),
		widget.NewFormItem(lang.L("Documents"), container.NewVBox(d.which, d.ids)),
		widget.NewFormItem(lang.L("Project file"), container.NewBorder(nil, nil, nil, folder, d.dest)),
		widget.NewFormItem("", d.force),
	)
	d.dlg = dialog.NewCustom(lang.L("Hand out a copy for one laptop"), lang.L("Close"), d.content(form, 120), u.win)
	d.dlg.Resize(fitSize(u.win.Canvas().Size(), fyne.NewSize(720, 560)))
	d.dlg.Show()
	return d
}

// handOutNow writes the hand-out in the background.
func (d *handOutDialog) handOutNow() {
	opt := storage.HandOutOptions{Annotator: strings.TrimSpace(d.annotator.Text), Force: d.force.Checked}
	dest := strings.TrimSpace(d.dest.Text)
	switch {
	case opt.Annotator == "":
		d.summary.SetText(lang.L("Name the annotator the copy is for."))
		return
	case dest == "":
		d.summary.SetText(lang.L("Name the project file to write."))
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
			d.summary.SetText(lang.L("Cannot hand out the assigned documents: ") + err.Error())
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
			d.summary.SetText(lang.L("Name the documents (comma-separated ids), or choose all of them."))
			return
		}
	}
	d.launch(lang.L("Writing ")+dest+" …", func() {
		rep, err := st.HandOut(dest, opt)
		text := ""
		if err != nil {
			text = lang.L("Nothing was written: ") + err.Error()
		} else {
			text = fmt.Sprintf(lang.L("Handed out %s and %s of %s to %s. Give the file to %s; merge it back with File ▸ Merge…."),
				countOf(len(rep.DocumentsAdded), "document", "documents"), countOf(rep.LayersReplaced, "layer", "layers"), opt.Annotator, dest, opt.Annotator)
		}
		fyne.Do(func() {
			if err == nil {
				d.bar.SetValue(1)
			}
			d.showSummary(text)
			d.run.Enable()
		})
	})
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
	v := &versionsWindow{u: u, win: u.toolWindow(lang.L("Layer versions — Tawsim")), sel: -1}
	v.detail = widget.NewLabel("")
	v.detail.Selectable = true
	v.spans = container.NewVBox()
	v.list = widget.NewList(func() int { return len(v.versions) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(versionLine(v.versions[i])) })
	v.list.OnSelected = v.show
	v.restore = widget.NewButtonWithIcon(lang.L("Restore…"), theme.HistoryIcon(), v.askRestore)
	v.restore.Disable()
	v.reload()
	head := widget.NewLabel(lang.L("Each merge or import conflict kept the newer layer; the other side is listed here.\nRestoring makes it the layer again and keeps the state it replaces as another version."))
	split := container.NewVSplit(v.list, container.NewBorder(nil, container.NewHBox(v.restore), nil, nil, container.NewVScroll(container.NewVBox(v.detail, container.NewPadded(v.spans)))))
	split.Offset = 0.45
	scrollInside(v.win, container.NewBorder(head, nil, nil, nil, split))
	v.win.Resize(fitSize(screenSize, fyne.NewSize(900, 640)))
	v.win.CenterOnScreen()
	v.win.Show()
	return v
}

func versionLine(lv storage.LayerVersion) string {
	when := lang.L("never changed")
	if !lv.Modified.IsZero() {
		when = lang.L("changed ") + lv.Modified.Local().Format("2006-01-02 15:04")
	}
	return fmt.Sprintf(lang.L("#%d  %s · %s · revision %d, %s · %s"), lv.ID, lv.Doc, lv.Annotator, lv.Revision, when, countOf(len(lv.Layer.Spans), "span", "spans"))
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
		v.detail.SetText(lang.L("No kept versions: no merge or import has met a layer changed on both sides."))
	} else {
		v.detail.SetText(lang.L("Select a version to see its spans."))
	}
}

// show lists version i's spans (label, offsets, text) and relations, each
// on a bidi-correct text line.
func (v *versionsWindow) show(i widget.ListItemID) {
	v.sel = i
	lv := v.versions[i]
	head := fmt.Sprintf(lang.L("%s\nKept %s, %s"), versionLine(lv), lv.Created.Local().Format("2006-01-02 15:04"), lv.Reason)
	if lv.Layer.Status != "" {
		head += lang.L("\nStatus: ") + string(lv.Layer.Status)
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
	msg := fmt.Sprintf(lang.L("Make version #%d (%s) %s's layer of %s again?\nThe layer's current state is kept as another version."), lv.ID, countOf(len(lv.Layer.Spans), "span", "spans"), lv.Annotator, lv.Doc)
	showConfirm(v.u.fonts, lang.L("Restore this version?"), msg, func(yes bool) {
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
	v.detail.SetText(fmt.Sprintf(lang.L("Version #%d restored; the state it replaced is version #%d."), id, kept))
	v.u.afterTeamChange()
}
