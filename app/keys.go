package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// The keyboard shortcuts of the windows.

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
