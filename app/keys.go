package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
)

// The keyboard shortcuts of the windows. A window registers its keymap on
// its canvas; a focused span view gets the shortcuts before the canvas does
// and hands them to the same keymap through its OnShortcut.

// ctrl is key with the platform's shortcut modifier (Ctrl, ⌘ on macOS).
func ctrl(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
}

func altShift(key fyne.KeyName) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierAlt | fyne.KeyModifierShift}
}

// Every shortcut of the app, by window.
var (
	// The annotation window.
	scUndo      = ctrl(fyne.KeyZ)
	scRedo      = &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	scRedoY     = ctrl(fyne.KeyY)
	scDone      = ctrl(fyne.KeyReturn)
	scDoneEnter = ctrl(fyne.KeyEnter)
	scNext      = ctrl(fyne.KeyPageDown)
	scPrev      = ctrl(fyne.KeyPageUp)
	scBigger    = ctrl(fyne.KeyEqual)
	scBiggerP   = ctrl(fyne.KeyPlus)
	scSmaller   = ctrl(fyne.KeyMinus)
	scStrip     = ctrl(fyne.KeyL)

	// The agreement and evaluation windows.
	scNextItem = ctrl(fyne.KeyPageDown)
	scPrevItem = ctrl(fyne.KeyPageUp)
	scTab1     = ctrl(fyne.Key1)
	scTab2     = ctrl(fyne.Key2)
	scRun      = ctrl(fyne.KeyReturn)
	scClose    = ctrl(fyne.KeyW)

	// The adjudication window (its single keys are in typedKey and
	// typedRune).
	scAdjNext   = ctrl(fyne.KeyDown)
	scAdjPrev   = ctrl(fyne.KeyUp)
	scAdjOpen   = ctrl(fyne.KeyN)
	scAdjReopen = ctrl(fyne.KeyU)
)

// binding ties a shortcut to what it does.
type binding struct {
	key *desktop.CustomShortcut
	do  func()
}

type keymap []binding

// register adds the keymap to the canvas of a window.
func (m keymap) register(c fyne.Canvas) {
	for _, b := range m {
		c.AddShortcut(b.key, func(fyne.Shortcut) { b.do() })
	}
}

// run performs what s is bound to and reports whether it is bound.
func (m keymap) run(s fyne.Shortcut) bool {
	if cs, ok := s.(*desktop.CustomShortcut); ok {
		for _, b := range m {
			if sameShortcut(cs, b.key) {
				b.do()
				return true
			}
		}
	}
	return false
}

func sameShortcut(a, b *desktop.CustomShortcut) bool {
	return a.KeyName == b.KeyName && a.Modifier == b.Modifier
}

// registerShortcuts binds the annotation window's keys. The boundary keys
// (Alt+Shift+arrows) act only while the text has the focus.
func (u *UI) registerShortcuts() {
	u.keys = keymap{
		{scUndo, u.undo},
		{scRedo, u.redo},
		{scRedoY, u.redo},
		{scDone, u.markDone},
		{scDoneEnter, u.markDone},
		{scNext, func() { u.step(+1) }},
		{scPrev, func() { u.step(-1) }},
		{scBigger, func() { u.zoom(+2) }},
		{scBiggerP, func() { u.zoom(+2) }},
		{scSmaller, func() { u.zoom(-2) }},
		{scStrip, u.stripSelection},
		{scFind, u.openFind},
		{scFindPrev, func() { u.findKey(fyne.KeyF3, true) }},
		{scAcceptAll, u.acceptAll},
		{scAcceptAllEnter, u.acceptAll},
	}
	u.viewKeys = keymap{
		{altShift(fyne.KeyLeft), func() { u.moveBoundary(true, -1) }},
		{altShift(fyne.KeyRight), func() { u.moveBoundary(true, +1) }},
		{altShift(fyne.KeyUp), func() { u.moveBoundary(false, -1) }},
		{altShift(fyne.KeyDown), func() { u.moveBoundary(false, +1) }},
	}
	c := u.win.Canvas()
	u.keys.register(c)
	c.AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { u.undo() })
	c.AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { u.redo() })
}

// shortcut handles a shortcut the focused span view passes on.
func (u *UI) shortcut(s fyne.Shortcut) {
	switch s.(type) {
	case *fyne.ShortcutUndo:
		u.undo()
	case *fyne.ShortcutRedo:
		u.redo()
	default:
		if !u.viewKeys.run(s) {
			u.keys.run(s)
		}
	}
}

// reviewKeys are the keys the review windows share: next and previous
// item, the two tabs, close.
func reviewKeys(step func(int), tabs *container.AppTabs, win fyne.Window) keymap {
	return keymap{
		{scNextItem, func() { step(+1) }},
		{scPrevItem, func() { step(-1) }},
		{scTab1, func() { tabs.SelectIndex(0) }},
		{scTab2, func() { tabs.SelectIndex(1) }},
		{scClose, win.Close},
	}
}
