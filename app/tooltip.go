package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
)

// Tooltips: Fyne 2.7 has none. A hovered widget shows its tip after
// tipDelay in a layer over its window's content (a pop-up would take the
// pointer from the widget and so hide the tip at once).

// tipDelay is how long the pointer rests before a tip shows (tests: 0).
var tipDelay = 500 * time.Millisecond

// tipLayers is, per window canvas, the layer tips are drawn in.
var tipLayers = map[fyne.Canvas]*tipLayer{}

type tipLayer struct {
	root  *fyne.Container // a stack of the window's content and layer
	layer *fyne.Container // no layout: the tip is placed by hand
}

// withTips is content with a tip layer over it, to be c's content: the
// windows' own content is made so (wrapping it later would lay the whole
// window out again when the first tip shows).
func withTips(c fyne.Canvas, content fyne.CanvasObject) fyne.CanvasObject {
	l := &tipLayer{layer: container.NewWithoutLayout()}
	l.root = container.NewStack(content, l.layer)
	forgetClosedTips()
	tipLayers[c] = l
	return l.root
}

// forgetClosedTips drops the layers of the windows closed since.
func forgetClosedTips() {
	open := map[fyne.Canvas]bool{}
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		open[w.Canvas()] = true
	}
	for c := range tipLayers {
		if !open[c] {
			delete(tipLayers, c)
		}
	}
}

// tipLayerOf is c's tip layer, put over its content the first time (and
// again when the content was replaced) when it has none yet.
func tipLayerOf(c fyne.Canvas) *fyne.Container {
	l := tipLayers[c]
	if l == nil || c.Content() != l.root {
		content := c.Content()
		if content == nil {
			return nil
		}
		c.SetContent(withTips(c, content))
		l = tipLayers[c]
	}
	return l.layer
}

// hoverTip is the tip of one widget.
type hoverTip struct {
	seq   int               // bumped by hide: a late timer shows nothing
	shown fyne.CanvasObject // in layer, while shown
	layer *fyne.Container
}

// show puts text in a box near the pointer after tipDelay.
func (h *hoverTip) show(obj fyne.CanvasObject, ev *desktop.MouseEvent, fonts *layout.Fonts, text string) {
	h.hide()
	seq := h.seq
	at := ev.AbsolutePosition
	put := func() {
		if seq != h.seq {
			return
		}
		c := fyne.CurrentApp().Driver().CanvasForObject(obj)
		if c == nil {
			return
		}
		h.layer = tipLayerOf(c)
		if h.layer == nil {
			return
		}
		h.shown = tipBox(fonts, text, at, c)
		h.layer.Add(h.shown)
		h.layer.Refresh() // Add alone does not repaint
	}
	if tipDelay <= 0 {
		put()
		return
	}
	time.AfterFunc(tipDelay, func() { fyne.Do(put) })
}

// hide takes the tip away (or stops the one about to show).
func (h *hoverTip) hide() {
	h.seq++
	if h.shown != nil && h.layer != nil {
		h.layer.Remove(h.shown)
		h.layer.Refresh()
	}
	h.shown = nil
}

// tipBox is text on the theme's overlay colour, one line (bidi-correct),
// below the pointer at (or above it near the bottom), inside the canvas.
func tipBox(fonts *layout.Fonts, text string, at fyne.Position, c fyne.Canvas) fyne.CanvasObject {
	th := fyne.CurrentApp().Settings().Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	size := th.Size(theme.SizeNameText)
	pad := th.Size(theme.SizeNamePadding)
	scale := c.Scale()
	cs := c.Size()
	// As wide as the text, at most the canvas.
	probe := layout.NewDocument(text, fonts, layout.Options{Size: size, Scale: scale})
	w := cs.Width - 2*pad
	if ln, ok := probe.Line(0); ok {
		w = min(w, (ln.X1-ln.X0)/scale+2)
	}
	h := size * 1.8
	img, _ := drawTextLine(fonts, text, int(w*scale), int(h*scale), size, scale, th.Color(theme.ColorNameForeground, v))
	pic := canvas.NewImageFromImage(img)
	pic.FillMode = canvas.ImageFillStretch
	bg := canvas.NewRectangle(th.Color(theme.ColorNameOverlayBackground, v))
	bg.StrokeColor = th.Color(theme.ColorNameShadow, v)
	bg.StrokeWidth = 1
	bg.CornerRadius = pad / 2
	box := fyne.NewSize(w+2*pad, h)
	x := min(max(at.X-box.Width/4, 0), cs.Width-box.Width)
	y := at.Y + 20
	if y+box.Height > cs.Height {
		y = max(at.Y-box.Height-8, 0)
	}
	bg.Resize(box)
	pic.Resize(fyne.NewSize(w, h))
	pic.Move(fyne.NewPos(pad, 0))
	tip := container.NewWithoutLayout(bg, pic)
	tip.Resize(box)
	tip.Move(fyne.NewPos(x, y))
	return tip
}

// tipButton is a button that shows a tip while hovered.
type tipButton struct {
	widget.Button
	fonts *layout.Fonts
	tip   string
	hover hoverTip
}

func newTipButton(fonts *layout.Fonts, icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{fonts: fonts, tip: tip}
	b.Icon, b.OnTapped = icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn is part of desktop.Hoverable.
func (b *tipButton) MouseIn(ev *desktop.MouseEvent) {
	b.Button.MouseIn(ev)
	b.hover.show(b, ev, b.fonts, b.tip)
}

// MouseOut is part of desktop.Hoverable.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.hover.hide()
}

// Tapped hides the tip before acting.
func (b *tipButton) Tapped(ev *fyne.PointEvent) {
	b.hover.hide()
	b.Button.Tapped(ev)
}

// tipAction is a toolbar button with a tip.
type tipAction struct{ b *tipButton }

var _ widget.ToolbarItem = tipAction{}

func (u *UI) tipAction(icon fyne.Resource, tip string, do func()) tipAction {
	b := newTipButton(u.fonts, icon, tip, do)
	b.Importance = widget.LowImportance
	return tipAction{b}
}

// ToolbarObject is part of widget.ToolbarItem.
func (a tipAction) ToolbarObject() fyne.CanvasObject { return a.b }
