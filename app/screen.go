package app

import (
	"fmt"
	"os"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// Windows that fit the screen, and View ▸ Interface size.

// prefUIScale is the interface size, a factor (1 = 100 %).
const prefUIScale = "ui_scale"

// uiScales are the sizes View ▸ Interface size offers.
var uiScales = []float64{0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2}

// fallbackScreen is the screen assumed when it cannot be asked (tests,
// no monitor): small enough for a netbook.
var fallbackScreen = fyne.NewSize(1024, 700)

// screenSize is the usable size of the screen in Fyne units; set by Run
// from the primary monitor.
var screenSize = fallbackScreen

// monitorSize asks glfw for the primary monitor's size in Fyne units (its
// pixels over the scale Fyne will use); ok is false without one. Call it on
// the main goroutine after the app made its first window (glfw is then
// initialised).
func monitorSize(a fyne.App) (fyne.Size, bool) {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}, false
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return fyne.Size{}, false
	}
	// As Fyne computes a window's scale: FYNE_SCALE times the system's,
	// which is the monitor's DPI over 96 when automatic.
	user := float32(1)
	if v, err := strconv.ParseFloat(os.Getenv("FYNE_SCALE"), 32); err == nil && v > 0 {
		user = float32(v)
	}
	system := a.Settings().Scale()
	if system <= 0 || system == 1 {
		system = 1
		if mm, _ := m.GetPhysicalSize(); mm > 0 {
			if dpi := float32(mode.Width) / (float32(mm) / 25.4); dpi >= 10 && dpi <= 1000 {
				system = max(dpi/96, 1)
			}
		}
	}
	s := user * system
	// Keep room for panels and the window's frame.
	return fyne.NewSize(float32(mode.Width)/s-16, float32(mode.Height)/s-64), true
}

// fitSize is want, no larger than room.
func fitSize(room, want fyne.Size) fyne.Size {
	return fyne.NewSize(min(want.Width, room.Width), min(want.Height, room.Height))
}

// scrollInside sets w's content so that it scrolls inside the window when
// the window (sized within the screen) is smaller than it needs: a window
// is never made wider than the screen to fit its content.
func scrollInside(w fyne.Window, content fyne.CanvasObject) {
	w.SetContent(withTips(w.Canvas(), container.NewScroll(content)))
}

// uiScale is the interface size in the preferences, within the offered.
func uiScale(p fyne.Preferences) float32 {
	s := p.FloatWithFallback(prefUIScale, 1)
	return float32(min(max(s, uiScales[0]), uiScales[len(uiScales)-1]))
}

// interfaceSizeMenu is View ▸ Interface size: one item per size, the
// current one ticked.
func (u *UI) interfaceSizeMenu() *fyne.MenuItem {
	cur := uiScale(u.app.Preferences())
	var items []*fyne.MenuItem
	for _, s := range uiScales {
		it := fyne.NewMenuItem(fmt.Sprintf("%d %%", int(s*100+0.5)), func() { u.setUIScale(float32(s)) })
		it.Checked = float32(s) == cur
		items = append(items, it)
	}
	m := fyne.NewMenuItem(lang.L("Interface size"), nil)
	m.ChildMenu = fyne.NewMenu("", items...)
	return m
}

// setUIScale makes the whole interface s times its normal size and keeps
// the choice.
func (u *UI) setUIScale(s float32) {
	u.app.Preferences().SetFloat(prefUIScale, float64(s))
	u.applyTheme()
	u.zoom(0)                       // the document's text too
	u.win.SetMainMenu(u.mainMenu()) // the tick moves
	u.say(fmt.Sprintf(lang.L("Interface size %d %%"), int(s*100+0.5)))
}

// pane is a panel of a split that scrolls when the window is too small
// for it: the split then never asks for more than the screen, and the
// panels' controls never overlap.
func pane(o fyne.CanvasObject) fyne.CanvasObject { return newPaneScroll(o, container.ScrollBoth) }

func newPaneScroll(o fyne.CanvasObject, d container.ScrollDirection) *paneScroll {
	p := &paneScroll{Scroll: container.Scroll{Direction: d, Content: o}}
	p.ExtendBaseWidget(p)
	return p
}

// paneScroll is a side panel's scroller. Right to left, a panel narrower
// than its content shows the content's right end, where its lines start:
// what is cut is then their ends, as in a left-to-right interface.
type paneScroll struct{ container.Scroll }

func (p *paneScroll) Resize(size fyne.Size) {
	p.Scroll.Resize(size)
	if rtl() {
		p.Offset.X = max(0, p.Content.MinSize().Width-size.Width)
		p.Refresh()
	}
}
