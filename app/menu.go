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
		fyne.NewMenu(lang.L("File"),
			item(lang.L("New project…"), u.askNewProject),
			item(lang.L("Open project…"), u.askOpenProject),
			item(lang.L("Open server project…"), func() { u.askServer("", "", nil) }),
			u.recentMenu(),
			sep(),
			item(lang.L("Import…"), func() { showImport(u) }),
			item(lang.L("Export…"), func() { showExport(u) }),
			sep(),
			item(lang.L("Merge…"), func() { showMerge(u) }),
			item(lang.L("Hand out…"), func() { showHandOut(u) }),
			sep(),
			item(lang.L("Switch annotator…"), func() { u.askAnnotator(false) })),
		fyne.NewMenu(lang.L("Edit"),
			item(lang.L("Undo (Ctrl+Z)"), u.undo),
			item(lang.L("Redo (Ctrl+Shift+Z)"), u.redo),
			sep(),
			item(lang.L("Find in this document (Ctrl+F)"), u.openFind),
			item(lang.L("Strip clitics (Ctrl+L)"), u.stripSelection),
			item(lang.L("Delete span (Delete)"), u.deleteActive),
			u.acceptAllMenuItem()),
		fyne.NewMenu(lang.L("Document"),
			item(lang.L("Mark done and next, or reopen (Ctrl+Enter)"), u.markDone),
			item(lang.L("Reopen"), u.reopenDoc)),
		fyne.NewMenu(lang.L("View"),
			item(lang.L("Larger text (Ctrl+=)"), func() { u.zoom(+2) }),
			item(lang.L("Smaller text (Ctrl+-)"), func() { u.zoom(-2) }),
			item(lang.L("Light / dark theme"), u.toggleTheme),
			u.interfaceSizeMenu(),
			u.languageMenu(),
			sep(),
			item(lang.L("Next document (Ctrl+PgDn)"), func() { u.step(+1) }),
			item(lang.L("Previous document (Ctrl+PgUp)"), func() { u.step(-1) })),
		fyne.NewMenu(lang.L("Review"),
			item(lang.L("Agreement…"), func() { openAgreement(u) }),
			item(lang.L("Adjudicate…"), func() { u.openAdjudication() }),
			item(lang.L("Evaluate…"), func() { openEvaluate(u) }),
			item(lang.L("Progress…"), func() { openProgress(u) })),
		fyne.NewMenu(lang.L("Project"),
			item(lang.L("Labels…"), func() { openLabelEditor(u) }),
			item(lang.L("Layer versions…"), func() { openVersions(u) }),
			u.suggestMenuItem()),
		fyne.NewMenu(lang.L("Help"),
			item(lang.L("Guidelines"), u.toggleGuidelines),
			item(lang.L("Keyboard shortcuts (F1, ?)"), u.showHelpKeys)),
	)
}
