package app

import (
	"fmt"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
)

// Help ▸ Keyboard shortcuts (F1, ?): the list is made from the keymaps the
// windows register (keys.go), each described here, so it cannot drift: a
// test checks that every bound shortcut has a description.

// keyHelp says what each bound shortcut does.
func keyHelp() map[*desktop.CustomShortcut]string {
	return map[*desktop.CustomShortcut]string{
		scUndo:           lang.L("Undo"),
		scRedo:           lang.L("Redo"),
		scRedoY:          lang.L("Redo"),
		scDone:           lang.L("Mark the document done and open the next, or reopen it"),
		scDoneEnter:      lang.L("Mark the document done and open the next, or reopen it"),
		scNext:           lang.L("Next document"),
		scPrev:           lang.L("Previous document"),
		scBigger:         lang.L("Larger text"),
		scBiggerP:        lang.L("Larger text"),
		scSmaller:        lang.L("Smaller text"),
		scStrip:          lang.L("Strip clitics from the selection"),
		scFind:           lang.L("Find in this document"),
		scFindPrev:       lang.L("Previous match"),
		scAcceptAll:      lang.L("Accept every suggestion in this document"),
		scAcceptAllEnter: lang.L("Accept every suggestion in this document"),

		scNextItem: lang.L("Next item"),
		scPrevItem: lang.L("Previous item"),
		scTab1:     lang.L("First tab"),
		scTab2:     lang.L("Second tab"),
		scRun:      lang.L("Compute"),
		scClose:    lang.L("Close the window"),

		scAdjNext:   lang.L("Next group"),
		scAdjPrev:   lang.L("Previous group"),
		scAdjOpen:   lang.L("Next open group"),
		scAdjReopen: lang.L("Reopen the document"),
	}
}

// keyHelpByName says what the shortcuts made in place (not package
// variables) do, by their keyText.
func keyHelpByName() map[string]string {
	return map[string]string{
		"Alt+Shift+←": lang.L("Move the end of the span under the caret"),
		"Alt+Shift+→": lang.L("Move the end of the span under the caret"),
		"Alt+Shift+↑": lang.L("Move the start of the span under the caret"),
		"Alt+Shift+↓": lang.L("Move the start of the span under the caret"),
	}
}

// keyRow is one line of the list: the keys and what they do.
type keyRow struct{ keys, what string }

// keyText names a shortcut as the user types it: "Ctrl+Shift+Z".
func keyText(s *desktop.CustomShortcut) string {
	var parts []string
	m := s.Modifier
	if m&fyne.KeyModifierShortcutDefault != 0 && runtime.GOOS == "darwin" {
		parts = append(parts, "⌘")
		m &^= fyne.KeyModifierSuper
	}
	for _, k := range []struct {
		m    fyne.KeyModifier
		name string
	}{{fyne.KeyModifierControl, "Ctrl"}, {fyne.KeyModifierSuper, "Super"}, {fyne.KeyModifierAlt, "Alt"}, {fyne.KeyModifierShift, "Shift"}} {
		if m&k.m != 0 {
			parts = append(parts, k.name)
		}
	}
	return strings.Join(append(parts, keyNameText(s.KeyName)), "+")
}

// keyNames are the keys whose name is not what a keyboard shows.
var keyNames = map[fyne.KeyName]string{
	fyne.KeyPageDown: "PgDn", fyne.KeyPageUp: "PgUp", fyne.KeyReturn: "Enter", fyne.KeyEnter: "Enter (keypad)",
	fyne.KeyEqual: "=", fyne.KeyMinus: "-", fyne.KeyPlus: "+",
	fyne.KeyUp: "↑", fyne.KeyDown: "↓", fyne.KeyLeft: "←", fyne.KeyRight: "→",
}

func keyNameText(k fyne.KeyName) string {
	if n, ok := keyNames[k]; ok {
		return n
	}
	return string(k)
}

// keymapRows lists the shortcuts of m, one row per action (its keys
// joined: "Ctrl+Shift+Z, Ctrl+Y").
func keymapRows(maps ...keymap) []keyRow {
	help := keyHelp()
	var rows []keyRow
	at := map[string]int{}
	for _, m := range maps {
		for _, b := range m {
			what, ok := help[b.key]
			if !ok {
				what = keyHelpByName()[keyText(b.key)]
			}
			if i, ok := at[what]; ok {
				rows[i].keys += ", " + keyText(b.key)
				continue
			}
			at[what] = len(rows)
			rows = append(rows, keyRow{keyText(b.key), what})
		}
	}
	return rows
}

// keyRows is every key of the annotation window: its keymaps, then the
// single keys the text takes.
func (u *UI) keyRows() []keyRow {
	rows := keymapRows(u.keys, u.viewKeys)
	for _, l := range u.labels {
		if l.Hotkey != "" {
			rows = append(rows, keyRow{l.Hotkey, fmt.Sprintf(lang.L("Label the selection %s"), l.Name)})
		}
	}
	return append(rows,
		keyRow{"Delete, Backspace", lang.L("Delete the span under the caret, or the selected relation")},
		keyRow{"s, c", lang.L("Link a SOURCE or a CUE to the claim under the caret")},
		keyRow{"Tab, Shift+Tab · Enter · Escape", lang.L("While linking: next or previous candidate · link it · cancel")},
		keyRow{"r, R", lang.L("Next or previous relation of the span under the caret")},
		keyRow{"Enter · X", lang.L("On a suggestion (dashed): accept it · reject it; a label's key accepts it as that label")},
		keyRow{"F3, Shift+F3 · Escape", lang.L("In the find bar: next or previous match · close it")},
		keyRow{"PgUp, PgDn", lang.L("Move the caret a page up or down (Shift extends the selection)")},
		keyRow{lang.L("Double-click"), lang.L("Select a word")},
		keyRow{"F1, ?", lang.L("This list of keys")},
	)
}

// showKeys shows rows in a dialog over win; what a key does is drawn by
// the bidi-correct text line (Arabic with Latin key names in it).
func showKeys(win fyne.Window, fonts *layout.Fonts, rows []keyRow) dialog.Dialog {
	grid := container.New(newKeyGridLayout())
	for _, r := range rows {
		k := widget.NewLabel(r.keys + "  ")
		k.TextStyle.Monospace = true
		grid.Add(k)
		grid.Add(NewTextLine(fonts, r.what))
	}
	d := dialog.NewCustom(lang.L("Keyboard shortcuts"), lang.L("Close"), container.NewVScroll(grid), win)
	d.Resize(fitSize(win.Canvas().Size(), fyne.NewSize(760, 560)))
	d.Show()
	return d
}

// keyGridLayout is two columns: the keys as wide as the widest, the
// rest for what they do but a scroll bar's width at the right edge, where
// the dialog's scroll bar is drawn over its content (and a right-aligned
// Arabic description would lose its first letter under it).
type keyGridLayout struct{}

func newKeyGridLayout() fyne.Layout { return keyGridLayout{} }

func (keyGridLayout) widths(objs []fyne.CanvasObject) float32 {
	w := float32(0)
	for i := 0; i < len(objs); i += 2 {
		w = max(w, objs[i].MinSize().Width)
	}
	return w
}

func (l keyGridLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	kw := l.widths(objs)
	sb := theme.Size(theme.SizeNameScrollBar)
	y := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		h := max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(kw, h))
		objs[i+1].Move(fyne.NewPos(kw, y))
		objs[i+1].Resize(fyne.NewSize(max(size.Width-kw-sb, 0), h))
		y += h
	}
}

func (l keyGridLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	kw := l.widths(objs)
	h := float32(0)
	for i := 0; i+1 < len(objs); i += 2 {
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height)
	}
	return fyne.NewSize(kw+120+theme.Size(theme.SizeNameScrollBar), h)
}

// isHelpKey reports whether a typed key asks for the list of keys.
func isHelpKey(k fyne.KeyName) bool { return k == fyne.KeyF1 }

// isHelpRune reports whether a typed character asks for it: '?', or '؟'
// that the same key types on an Arabic keyboard.
func isHelpRune(r rune) bool { return r == '?' || r == '؟' }

// showHelpKeys is Help ▸ Keyboard shortcuts of the annotation window.
func (u *UI) showHelpKeys() { showKeys(u.win, u.fonts, u.keyRows()) }

// withKey is a tooltip: what a button does and its key.
func withKey(what string, s *desktop.CustomShortcut) string {
	return what + " (" + keyText(s) + ")"
}

// helpOnF1 shows rows when F1 is typed in w while nothing has the focus
// (for the tool windows, whose canvas takes no other typed key).
func helpOnF1(w fyne.Window, fonts *layout.Fonts, rows func() []keyRow) {
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if isHelpKey(ev.Name) {
			showKeys(w, fonts, rows())
		}
	})
}

// keyRows is every key of the adjudication window: its keymap, then the
// single keys of typedKey and typedRune.
func (a *adjScreen) keyRows() []keyRow {
	return append(keymapRows(a.keys),
		keyRow{"↑, ↓", lang.L("Previous or next group")},
		keyRow{"Enter", lang.L("Accept the candidate with the most votes")},
		keyRow{"1 … 9", lang.L("Accept that candidate")},
		keyRow{"R · U", lang.L("Reject the group · undo the decisions on it")},
		keyRow{"N", lang.L("Next group or relation needing work")},
		keyRow{"P", lang.L("Pre-fill the agreed groups of every unfinished document")},
		keyRow{"E · A", lang.L("Work in the text: edit the top candidate · add a span")},
		keyRow{"PgUp, PgDn", lang.L("Previous or next document")},
		keyRow{"F1", lang.L("This list of keys")},
	)
}
