package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/match"
)

// The annotation view's find bar (Ctrl+F): the matches of its query in the
// open document, by the rule of annotate/match (الأردن finds والأردن and
// الاردن), are outlined in the view; Enter, F3 and Shift+Enter, Shift+F3
// step through them, selecting each, so that a label key labels it through
// the normal labelling path (undo included). In the bar, where the digits
// are the query's, Alt+1…9 labels the current match with that label and
// Ctrl+Enter with the last label used. Escape closes the bar.

// findBar is the bar and the matches of its query.
type findBar struct {
	entry *findEntry
	box   *fyne.Container // hidden while closed
	hits  [][2]int        // the matches in the open document, in reading order
	cur   int             // the current match, -1 before the first step

	lastLabel string // the label last given, anywhere (Ctrl+Enter)
}

// Keys of the find bar.
var (
	scFind      = ctrl(fyne.KeyF)
	scFindPrev  = &desktop.CustomShortcut{KeyName: fyne.KeyF3, Modifier: fyne.KeyModifierShift}
	scFindEnter = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShift}
)

// findEntry is the bar's entry: it steps, labels and closes on its keys.
type findEntry struct {
	widget.Entry
	u     *UI
	shift bool
}

func (u *UI) findBarBox() fyne.CanvasObject {
	e := &findEntry{u: u}
	e.ExtendBaseWidget(e)
	e.SetPlaceHolder(lang.L("Find in this document: الأردن finds والأردن, بالأردن, الاردن…"))
	e.OnChanged = func(string) { u.findAgain() }
	u.find = findBar{entry: e, cur: -1}
	u.find.box = container.NewBorder(nil, nil, widget.NewLabel(lang.L("Find")), nil, e)
	u.find.box.Hide()
	return u.find.box
}

// KeyDown tracks Shift, which Fyne does not pass with Enter or F3.
func (e *findEntry) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		e.shift = true
	}
	e.Entry.KeyDown(ev)
}

// KeyUp tracks Shift.
func (e *findEntry) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		e.shift = false
	}
	e.Entry.KeyUp(ev)
}

// TypedKey steps on Enter and F3 (back with Shift) and closes on Escape.
func (e *findEntry) TypedKey(ev *fyne.KeyEvent) {
	if !e.u.findKey(ev.Name, e.shift) {
		e.Entry.TypedKey(ev)
	}
}

// TypedShortcut labels on Ctrl+Enter and Alt+digit, steps back on
// Shift+Enter and Shift+F3, and leaves the others to the entry.
func (e *findEntry) TypedShortcut(s fyne.Shortcut) {
	u := e.u
	cs, ok := s.(*desktop.CustomShortcut)
	switch {
	case !ok:
	case sameShortcut(cs, scDone), sameShortcut(cs, scDoneEnter):
		if u.find.lastLabel == "" {
			u.say(lang.L("No label used yet: Alt+1…9 labels the match with that label"))
			return
		}
		u.labelMatch(u.find.lastLabel)
		return
	case cs.Modifier == fyne.KeyModifierAlt && len(cs.KeyName) == 1 && cs.KeyName >= "1" && cs.KeyName <= "9":
		if name := u.labelOfKey(rune(cs.KeyName[0])); name != "" {
			u.labelMatch(name)
		} else {
			u.hotkey(rune(cs.KeyName[0])) // says which keys there are
		}
		return
	case sameShortcut(cs, scFindPrev), sameShortcut(cs, scFindEnter):
		u.findStep(-1)
		return
	case sameShortcut(cs, scFind):
		return
	}
	e.Entry.TypedShortcut(s)
}

// findKey handles the find keys of the bar and, while it is open, of the
// view; it reports whether key was one.
func (u *UI) findKey(key fyne.KeyName, shift bool) bool {
	if u.find.box == nil || !u.find.box.Visible() {
		return false
	}
	dir := 1
	if shift {
		dir = -1
	}
	switch key {
	case fyne.KeyF3:
		u.findStep(dir)
	case fyne.KeyReturn, fyne.KeyEnter:
		if u.win.Canvas().Focused() != u.find.entry {
			return false
		}
		u.findStep(dir)
	case fyne.KeyEscape:
		u.closeFind()
	default:
		return false
	}
	return true
}

// openFind shows the bar with the keyboard in it.
func (u *UI) openFind() {
	u.find.box.Show()
	u.content.Refresh() // lay the text out under the bar
	u.win.Canvas().Focus(u.find.entry)
	u.findAgain()
}

// closeFind hides the bar and the outlines and gives the keyboard back to
// the text, the current match still selected.
func (u *UI) closeFind() {
	u.find.box.Hide()
	u.content.Refresh()
	u.find.hits, u.find.cur = nil, -1
	u.view.SetMarks(nil, -1)
	u.win.Canvas().Focus(u.view)
	u.say(lang.L("find closed"))
}

// findAgain searches the open document for the query.
func (u *UI) findAgain() {
	f := &u.find
	if f.box == nil || !f.box.Visible() {
		return
	}
	f.hits, f.cur = nil, -1
	defer func() { u.view.SetMarks(f.hits, f.cur) }()
	m, err := match.Compile(f.entry.Text)
	if err != nil || u.doc == nil {
		u.say(lang.L("Type a word to find: Enter or F3 steps, Alt+1…9 labels, Escape closes"))
		return
	}
	m.Find(u.doc.Text, func(x match.Match) bool {
		f.hits = append(f.hits, [2]int{x.Start, x.End})
		return true
	})
	if len(f.hits) == 0 {
		u.say(fmt.Sprintf(lang.L("no match of «%s» in this document"), f.entry.Text))
		return
	}
	u.say(fmt.Sprintf(lang.L("%d matches of «%s» — Enter or F3 goes to the next"), len(f.hits), f.entry.Text))
}

// findStep makes the next (dir=+1) or previous match current, wrapping
// round: selected and scrolled into view.
func (u *UI) findStep(dir int) {
	f := &u.find
	if len(f.hits) == 0 {
		u.say(fmt.Sprintf(lang.L("no match of «%s» in this document"), f.entry.Text))
		return
	}
	n := len(f.hits)
	switch {
	case f.cur < 0 && dir < 0:
		f.cur = n - 1
	case f.cur < 0:
		f.cur = 0
	default:
		f.cur = (f.cur + dir + n) % n
	}
	h := f.hits[f.cur]
	revealRange(u.view, u.scroll, h[0], h[1])
	u.view.SetMarks(f.hits, f.cur)
	u.sayMatch()
}

// sayMatch puts the current match on the status line.
func (u *UI) sayMatch() {
	f := &u.find
	h := f.hits[f.cur]
	u.say(fmt.Sprintf(lang.L("match %d of %d «%s»"), f.cur+1, len(f.hits), string([]rune(u.doc.Text)[h[0]:h[1]])))
}

// labelMatch labels the current match name, as a label key labels the
// selection.
func (u *UI) labelMatch(name string) {
	f := &u.find
	if f.cur < 0 {
		u.say(lang.L("No match chosen: Enter or F3 goes to one"))
		return
	}
	h := f.hits[f.cur]
	u.view.Select(h[0], h[1])
	u.useLabel(name)
}
