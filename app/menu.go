package app

import (
	"sort"

	"fyne.io/fyne/v2"
)

// screen is an entry of the main menu that opens a tool (import, export,
// agreement, adjudication, evaluation). Each tool registers itself from its
// own file with addScreen, so the menu needs no edit when one is added.
type screen struct {
	menu  string // "File", "Review", …
	order int    // position within its menu
	label string
	open  func(u *UI)
}

var screens []screen

func addScreen(s screen) { screens = append(screens, s) }

// mainMenu builds the window's menu from the registered screens.
func (u *UI) mainMenu() *fyne.MainMenu {
	byMenu := map[string][]screen{}
	for _, s := range screens {
		byMenu[s.menu] = append(byMenu[s.menu], s)
	}
	var menus []*fyne.Menu
	for _, name := range []string{"File", "Edit", "View", "Review"} {
		list := byMenu[name]
		sort.SliceStable(list, func(i, j int) bool { return list[i].order < list[j].order })
		var items []*fyne.MenuItem
		for _, s := range list {
			s := s
			items = append(items, fyne.NewMenuItem(s.label, func() { s.open(u) }))
		}
		switch name {
		case "File":
			items = append(items, fyne.NewMenuItemSeparator(),
				fyne.NewMenuItem("Switch annotator…", func() { u.askAnnotator(false) }))
		case "Edit":
			items = append(items,
				fyne.NewMenuItem("Undo (Ctrl+Z)", u.undo),
				fyne.NewMenuItem("Redo (Ctrl+Shift+Z)", u.redo),
				fyne.NewMenuItemSeparator(),
				fyne.NewMenuItem("Strip clitics (Ctrl+L)", u.stripSelection),
				fyne.NewMenuItem("Delete span (Delete)", u.deleteActive),
				fyne.NewMenuItem("Mark done and next (Ctrl+Enter)", u.markDone))
		case "View":
			items = append(items,
				fyne.NewMenuItem("Larger text (Ctrl+=)", func() { u.zoom(+2) }),
				fyne.NewMenuItem("Smaller text (Ctrl+-)", func() { u.zoom(-2) }),
				fyne.NewMenuItem("Light / dark theme", u.toggleTheme),
				fyne.NewMenuItemSeparator(),
				fyne.NewMenuItem("Next document (Ctrl+PgDn)", func() { u.step(+1) }),
				fyne.NewMenuItem("Previous document (Ctrl+PgUp)", func() { u.step(-1) }))
		}
		if len(items) > 0 {
			menus = append(menus, fyne.NewMenu(name, items...))
		}
	}
	return fyne.NewMainMenu(menus...)
}
