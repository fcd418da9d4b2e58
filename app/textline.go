package app

import (
	"fmt"
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
)

// TextLine is a one-line label laid out with the bidi-correct engine (stock
// labels place the runs of an Arabic line in the wrong order). It aligns to
// its paragraph direction's start and cuts what does not fit at its end.
// Like SpanView it is used on the Fyne goroutine only.
type TextLine struct {
	widget.BaseWidget
	fonts *layout.Fonts
	text  string
	img   *canvas.Image
	key   string            // what img was drawn for
	fit   bool              // MinSize is as wide as the text (BidiLabel)
	self  fyne.CanvasObject // the widget on the canvas: t, or the BidiLabel around it
}

var (
	_ fyne.Widget         = (*TextLine)(nil)
	_ fyne.WidgetRenderer = (*textLineRenderer)(nil)
)

// NewTextLine makes a label showing text.
func NewTextLine(fonts *layout.Fonts, text string) *TextLine {
	t := &TextLine{}
	t.setup(fonts, text, t)
	return t
}

// setup readies t to show text as the widget self (t, or what embeds it).
func (t *TextLine) setup(fonts *layout.Fonts, text string, self fyne.Widget) {
	t.fonts, t.text, t.self = fonts, text, self
	t.img = canvas.NewImageFromImage(image.NewNRGBA(image.Rect(0, 0, 1, 1)))
	t.img.FillMode = canvas.ImageFillStretch
	t.img.ScaleMode = canvas.ImageScaleFastest // drawn at its pixel size: no software rescale
	t.ExtendBaseWidget(self)
}

// SetText changes the text (the same text costs no refresh).
func (t *TextLine) SetText(text string) {
	if text == t.text {
		return
	}
	t.text = text
	t.Refresh()
}

// MinSize is one line high; as wide as the text if fit.
func (t *TextLine) MinSize() fyne.Size {
	w := float32(40)
	if t.fit {
		doc := layout.NewDocument(t.text, t.fonts, layout.Options{Size: t.textSize(), Scale: 1})
		if ln, ok := doc.Line(0); ok {
			w = ln.X1 - ln.X0 + 2*theme.Padding()
		}
	}
	return fyne.NewSize(w, t.textSize()*1.8)
}

func (t *TextLine) textSize() float32 {
	return t.Theme().Size(theme.SizeNameText)
}

// CreateRenderer is part of fyne.Widget.
func (t *TextLine) CreateRenderer() fyne.WidgetRenderer {
	return &textLineRenderer{t: t}
}

type textLineRenderer struct{ t *TextLine }

func (r *textLineRenderer) Destroy()                     {}
func (r *textLineRenderer) MinSize() fyne.Size           { return r.t.MinSize() }
func (r *textLineRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t.img} }
func (r *textLineRenderer) Layout(fyne.Size)             { r.Refresh() }

func (r *textLineRenderer) Refresh() {
	t := r.t
	size := t.Size()
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(t.self); c != nil {
		scale = c.Scale()
	}
	fg := t.Theme().Color(theme.ColorNameForeground, fyne.CurrentApp().Settings().ThemeVariant())
	ts := t.textSize()
	w, h := int(size.Width*scale), int(size.Height*scale)
	if w < 1 || h < 1 {
		return
	}
	key := fmt.Sprintf("%s|%d|%d|%g|%v", t.text, w, h, ts, fg)
	if key == t.key {
		return
	}
	t.key = key
	doc := layout.NewDocument(t.text, t.fonts, layout.Options{Size: ts, Scale: scale})
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	if ln, ok := doc.Line(0); ok {
		// Unwrapped: the line spans [X0, X1). RTL starts at the right edge.
		dx := -ln.X0
		if ln.RTL {
			dx = float32(w) - ln.X1
		}
		dy := (float32(h) - ln.Height) / 2
		doc.DrawLine(rgba, 0, image.Pt(int(dx), int(dy)), color.NRGBAModel.Convert(fg))
	}
	t.img.Image = rgba
	t.img.Resize(size)
	t.img.Refresh()
}
