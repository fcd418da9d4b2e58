package app

import (
	"image/color"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
)

// Helpers shared by the review windows (agreement, evaluation): the
// coefficient tables and the two span views side by side.

// toolWindow makes a window of the app for a tool; it closes when another
// project is opened (see useProject).
func (u *UI) toolWindow(title string) fyne.Window {
	w := u.app.NewWindow(title)
	w.Resize(fitSize(screenSize, fyne.NewSize(1200, 800)))
	w.CenterOnScreen() // a window manager placing it lower would push its bottom off the screen
	u.tools = append(slices.DeleteFunc(u.tools, func(t fyne.Window) bool { return !isOpen(u.app, t) }), w)
	return w
}

// coefText formats an optional coefficient; nil is "—".
func coefText(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', 3, 64)
}

// coefColor maps an agreement or F1 value to red (≤ 0) → amber (0.5) →
// green (1).
func coefColor(v float64) color.NRGBA {
	v = min(max(v, 0), 1)
	red := [3]float64{0xe5, 0x73, 0x73}
	amber := [3]float64{0xf2, 0xc9, 0x4c}
	green := [3]float64{0x66, 0xbb, 0x6a}
	from, to, t := red, amber, v*2
	if v > 0.5 {
		from, to, t = amber, green, (v-0.5)*2
	}
	var c [3]uint8
	for i := range c {
		c[i] = uint8(from[i] + (to[i]-from[i])*t + 0.5)
	}
	return color.NRGBA{c[0], c[1], c[2], 0xff}
}

// coefCell is a table cell showing v on a background of its colour (grey
// when nil).
func coefCell(v *float64) fyne.CanvasObject {
	bg := color.NRGBA{0xbd, 0xbd, 0xbd, 0xff}
	if v != nil {
		bg = coefColor(*v)
	}
	rect := canvas.NewRectangle(bg)
	rect.SetMinSize(fyne.NewSize(84, 30))
	txt := canvas.NewText(coefText(v), color.Black)
	txt.Alignment = fyne.TextAlignCenter
	txt.TextStyle = fyne.TextStyle{Monospace: true, Bold: true}
	return container.NewStack(rect, container.NewCenter(txt))
}

// gridText is a plain table cell; bold for headers.
func gridText(s string, bold bool) fyne.CanvasObject {
	return widget.NewLabelWithStyle(s, fyne.TextAlignCenter, fyne.TextStyle{Bold: bold})
}

// spanText names a span of a disagreement or error; nil is "—".
func spanText(sp *annotate.Span) string {
	if sp == nil {
		return "—"
	}
	return sp.Label + " «" + sp.Text + "»"
}

// eachOrOther returns a and b, each standing in for the other where it is
// missing: the two views of a review window then select the same range for
// a span only one side has.
func eachOrOther(a, b *annotate.Span) (*annotate.Span, *annotate.Span) {
	if a == nil {
		a = b
	}
	if b == nil {
		b = a
	}
	return a, b
}
