package app

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
)

// TextLine is a one-line label laid out with the bidi-correct engine (stock
// labels place the runs of an Arabic line in the wrong order). It aligns to
// its paragraph direction's start; a text that does not fit is cut in
// logical order and ends with "…", so the cut falls at the end of the
// reading direction and no letter is sliced, and hovering shows the whole
// text. Like SpanView it is used on the Fyne goroutine only.
type TextLine struct {
	widget.BaseWidget
	fonts *layout.Fonts
	text  string
	img   *canvas.Image
	key   string            // what img was drawn for
	fit   bool              // MinSize is as wide as the text (BidiLabel)
	self  fyne.CanvasObject // the widget on the canvas: t, or the BidiLabel around it
	cut   bool              // the text did not fit: hovering shows it whole
	tip   hoverTip
	// ui marks an interface string (status line, headings): its paragraph
	// reads in the interface's direction whatever its first letter (a
	// document id, a key name; in English, a quoted Arabic span, or nothing
	// but isolates once the text is cut) would make it.
	ui bool
}

// shown is the text laid out: an interface string starts with U+200F
// RIGHT-TO-LEFT MARK in a right-to-left interface, U+200E LEFT-TO-RIGHT
// MARK in a left-to-right one; neither draws anything.
func (t *TextLine) shown() string {
	switch {
	case !t.ui || t.text == "":
		return t.text
	case rtl():
		return "\u200f" + t.text
	}
	return "\u200e" + t.text
}

var (
	_ fyne.Widget         = (*TextLine)(nil)
	_ fyne.WidgetRenderer = (*textLineRenderer)(nil)
	_ desktop.Hoverable   = (*TextLine)(nil)
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
	t.tip.hide()
	t.Refresh()
}

// Text is the whole text, shown or not.
func (t *TextLine) Text() string { return t.text }

// Cut reports whether the text was shortened to fit.
func (t *TextLine) Cut() bool { return t.cut }

// MinSize is one line high; as wide as the text if fit.
func (t *TextLine) MinSize() fyne.Size {
	w := float32(40)
	if t.fit {
		w = t.fitWidth()
	}
	return fyne.NewSize(w, t.textSize()*1.8)
}

// fitWidth is the width that shows the whole text.
func (t *TextLine) fitWidth() float32 {
	doc := layout.NewDocument(t.shown(), t.fonts, layout.Options{Size: t.textSize(), Scale: 1})
	if ln, ok := doc.Line(0); ok {
		return ln.X1 - ln.X0 + 2*theme.Padding()
	}
	return 0
}

func (t *TextLine) textSize() float32 {
	return t.Theme().Size(theme.SizeNameText)
}

// MouseIn shows the whole text after a moment when it was cut.
func (t *TextLine) MouseIn(ev *desktop.MouseEvent) {
	if t.cut {
		t.tip.show(t, ev, t.fonts, t.text)
	}
}

// MouseMoved is part of desktop.Hoverable.
func (t *TextLine) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the tooltip.
func (t *TextLine) MouseOut() { t.tip.hide() }

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
	text := t.shown()
	key := fmt.Sprintf("%s|%d|%d|%g|%v", text, w, h, ts, fg)
	if key == t.key {
		return
	}
	t.key = key
	var rgba *image.RGBA
	rgba, t.cut = drawTextLine(t.fonts, text, w, h, ts, scale, fg)
	t.img.Image = rgba
	t.img.Resize(size)
	t.img.Refresh()
}

// drawTextLine draws the first line of text, size points at scale, into a
// w×h pixel image, shortened with "…" when it is wider (reporting cut).
func drawTextLine(fonts *layout.Fonts, text string, w, h int, size, scale float32, fg color.Color) (img *image.RGBA, cut bool) {
	text, _, _ = strings.Cut(text, "\n")
	opt := layout.Options{Size: size, Scale: scale}
	doc := layout.NewDocument(text, fonts, opt)
	ln, ok := doc.Line(0)
	if ok && ln.X1-ln.X0 > float32(w) {
		doc, cut = fitLine([]rune(text), fonts, opt, float32(w)), true
		ln, ok = doc.Line(0)
	}
	img = image.NewRGBA(image.Rect(0, 0, w, h))
	if ok {
		// Unwrapped: the line spans [X0, X1). RTL starts at the right edge.
		dx := -ln.X0
		if ln.RTL {
			dx = float32(w) - ln.X1
		}
		dy := (float32(h) - ln.Height) / 2
		doc.DrawLine(img, 0, image.Pt(int(dx), int(dy)), color.NRGBAModel.Convert(fg))
	}
	return img, cut
}

// fitLine is the longest start of text followed by "…" whose line is at
// most w pixels wide (binary search over the code points; a cut never
// parts a letter from its marks).
func fitLine(text []rune, fonts *layout.Fonts, opt layout.Options, w float32) *layout.Document {
	lay := func(n int) *layout.Document {
		for n > 0 && n < len(text) && unicode.Is(unicode.Mn, text[n]) {
			n--
		}
		return layout.NewDocument(strings.TrimRightFunc(string(text[:n]), unicode.IsSpace)+"…", fonts, opt)
	}
	lo, hi := 0, len(text) // lay(lo) fits or lo is 0; lay(hi) does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if ln, ok := lay(mid).Line(0); ok && ln.X1-ln.X0 <= w {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lay(lo)
}

// BidiText is an interface text of several lines that wraps at its width
// (a summary, a status that runs long). Left to right it is a stock label,
// wrapping and selectable; in a right-to-left interface each of its lines
// is a paragraph read right to left, laid out bidi-correct like the text
// (a stock label puts the Arabic and Latin runs of a line in the wrong
// order). Text is what it shows.
type BidiText struct {
	widget.BaseWidget
	Text  string
	fonts *layout.Fonts
	label *widget.Label // left to right
	img   *canvas.Image // right to left: the lines drawn
	key   string        // what img was drawn for
	high  float32       // right to left: the height at the width last laid out
}

func newBidiText(fonts *layout.Fonts, text string) *BidiText {
	b := &BidiText{Text: text, fonts: fonts, label: widget.NewLabel(text), img: canvas.NewImageFromImage(nil)}
	b.label.Wrapping = fyne.TextWrapWord
	b.label.Selectable = true
	b.img.ScaleMode = canvas.ImageScalePixels
	b.ExtendBaseWidget(b)
	return b
}

// SetText changes the text.
func (b *BidiText) SetText(text string) {
	b.Text = text
	b.label.SetText(text)
	b.Refresh()
}

// doc lays the text out for a right-to-left interface, wrapped at w
// points (at scale pixels a point). A paragraph with Arabic in it starts
// with U+200F RIGHT-TO-LEFT MARK, so that it reads right to left whatever
// its first letter (a file name, a number); one without (a reader's error
// message, which is English) reads as its first letter says.
func (b *BidiText) doc(w, scale float32) *layout.Document {
	paras := strings.Split(b.Text, "\n")
	for i, p := range paras {
		if strings.ContainsFunc(p, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) {
			paras[i] = "\u200f" + p
		}
	}
	text := strings.Join(paras, "\n")
	d := layout.NewDocument(text, b.fonts, layout.Options{Size: b.Theme().Size(theme.SizeNameText), Scale: scale})
	if w -= 2 * theme.InnerPadding(); w > 0 { // not yet laid out: no wrapping
		d.Wrap(w * scale)
	}
	return d
}

// MinSize is the stock label's left to right; right to left, narrow and
// as high as the lines wrapped at the present width.
func (b *BidiText) MinSize() fyne.Size {
	if !rtl() {
		return b.label.MinSize()
	}
	if b.high == 0 {
		b.high = b.doc(b.Size().Width, 1).Height() + 2*theme.InnerPadding()
	}
	return fyne.NewSize(40, b.high)
}

// Resize lays the lines out again at the new width; when that changes the
// height the refresh has the canvas lay the parents out again.
func (b *BidiText) Resize(s fyne.Size) {
	if s.Width == b.Size().Width {
		b.BaseWidget.Resize(s)
		return
	}
	old := b.MinSize().Height
	b.high = 0
	b.BaseWidget.Resize(s)
	if rtl() && b.MinSize().Height != old {
		b.Refresh()
	}
}

// CreateRenderer is part of fyne.Widget.
func (b *BidiText) CreateRenderer() fyne.WidgetRenderer { return &bidiTextRenderer{b: b} }

type bidiTextRenderer struct{ b *BidiText }

func (r *bidiTextRenderer) Destroy()           {}
func (r *bidiTextRenderer) MinSize() fyne.Size { return r.b.MinSize() }
func (r *bidiTextRenderer) Layout(s fyne.Size) { r.b.label.Resize(s); r.Refresh() }
func (r *bidiTextRenderer) Objects() []fyne.CanvasObject {
	if rtl() {
		return []fyne.CanvasObject{r.b.img}
	}
	return []fyne.CanvasObject{r.b.label}
}

func (r *bidiTextRenderer) Refresh() {
	b := r.b
	b.high = 0
	if !rtl() {
		b.label.Refresh()
		return
	}
	size := b.Size()
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(b); c != nil {
		scale = c.Scale()
	}
	fg := b.Theme().Color(theme.ColorNameForeground, fyne.CurrentApp().Settings().ThemeVariant())
	w, h := int(size.Width*scale), int(size.Height*scale)
	key := fmt.Sprintf("%s|%d|%d|%v", b.Text, w, h, fg)
	if w < 1 || h < 1 || key == b.key {
		return
	}
	b.key = key
	d := b.doc(size.Width, scale)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	pad := int(theme.InnerPadding() * scale)
	for i := range d.NumLines() {
		d.DrawLine(img, i, image.Pt(pad, pad), color.NRGBAModel.Convert(fg))
	}
	b.img.Image = img
	b.img.Resize(size)
	b.img.Refresh()
}
