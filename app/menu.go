package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// mainMenu is the window's menu. Every tool window (import, export,
// agreement, adjudication, evaluation) is opened from here: this is the one
// list of them.
func (u *UI) mainMenu() *fyne.MainMenu {
	item := fyne.NewMenuItem
	sep := fyne.NewMenuItemSeparator
	return fyne.NewMainMenu(
		fyne.NewMenu("File",
			item("New project…", u.askNewProject),
			item("Open project…", u.askOpenProject),
			item("Open server project…", func() { u.askServer("", "", nil) }),
			u.recentMenu(),
			sep(),
			item("Import…", func() { showImport(u) }),
			item("Export…", func() { showExport(u) }),
			sep(),
			item("Merge…", func() { showMerge(u) }),
			item("Hand out…", func() { showHandOut(u) }),
			sep(),
			item("Switch annotator…", func() { u.askAnnotator(false) })),
		fyne.NewMenu("Edit",
			item("Undo (Ctrl+Z)", u.undo),
			item("Redo (Ctrl+Shift+Z)", u.redo),
			sep(),
			item("Find in this document (Ctrl+F)", u.openFind),
			item("Strip clitics (Ctrl+L)", u.stripSelection),
			item("Delete span (Delete)", u.deleteActive),
			item("Mark done and next (Ctrl+Enter)", u.markDone)),
		fyne.NewMenu("View",
			item("Larger text (Ctrl+=)", func() { u.zoom(+2) }),
			item("Smaller text (Ctrl+-)", func() { u.zoom(-2) }),
			item("Light / dark theme", u.toggleTheme),
			u.interfaceSizeMenu(),
			sep(),
			item("Next document (Ctrl+PgDn)", func() { u.step(+1) }),
			item("Previous document (Ctrl+PgUp)", func() { u.step(-1) })),
		fyne.NewMenu("Review",
			item("Agreement…", func() { openAgreement(u) }),
			item("Adjudicate…", func() { u.openAdjudication() }),
			item("Evaluate…", func() { openEvaluate(u) }),
			item("Progress…", func() { openProgress(u) })),
		fyne.NewMenu("Project",
			item("Labels…", func() { openLabelEditor(u) }),
			item("Layer versions…", func() { openVersions(u) })),
		fyne.NewMenu("Help",
			item("Guidelines", u.toggleGuidelines),
			item(lang.L("Keyboard shortcuts (F1, ?)"), u.showHelpKeys)),
	)
}
