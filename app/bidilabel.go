package app

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
)

// BidiLabel is a label for an interface string, which in Arabic mixes
// Arabic with Latin names, keys and numbers: a TextLine (bidi-correct,
// aligned to the start of its reading direction) as wide as its text, so
// that it can sit beside others in a row. Text is what it shows. Fyne
// draws menus, buttons, window titles and its own dialogs' texts itself:
// those cannot go through it.
type BidiLabel struct {
	TextLine
	Text string
}

// newBidiLabel shows text; bold draws it in the bold faces, for headings.
func newBidiLabel(fonts *layout.Fonts, text string, bold bool) *BidiLabel {
	if b := boldFonts(); bold && b != nil {
		fonts = b
	}
	l := &BidiLabel{Text: text}
	l.setup(fonts, text, l)
	l.fit, l.ui = true, true
	return l
}

// SetText changes the text.
func (l *BidiLabel) SetText(text string) {
	l.Text = text
	l.TextLine.SetText(text)
}

// CreateRenderer is part of fyne.Widget.
func (l *BidiLabel) CreateRenderer() fyne.WidgetRenderer {
	return &textLineRenderer{t: &l.TextLine}
}

// message is a dialog's message: a stock label left to right; in a
// right-to-left interface one bidi-correct line per line of msg (a stock
// label would put its Arabic and Latin runs in the wrong order).
func message(fonts *layout.Fonts, msg string) fyne.CanvasObject {
	if !rtl() {
		return widget.NewLabel(msg)
	}
	box := container.NewVBox()
	for _, line := range strings.Split(msg, "\n") {
		box.Add(newBidiLabel(fonts, line, false))
	}
	return box
}

// showConfirm asks msg with Yes and No over w, the message drawn by
// message in a right-to-left interface.
func showConfirm(fonts *layout.Fonts, title, msg string, answer func(bool), w fyne.Window) {
	if !rtl() {
		dialog.ShowConfirm(title, msg, answer, w)
		return
	}
	dialog.ShowCustomConfirm(title, lang.L("Yes"), lang.L("No"), message(fonts, msg), answer, w)
}

// isolate wraps data (a document id, a file name) shown inside an
// interface sentence in U+2068 FIRST STRONG ISOLATE … U+2069 POP
// DIRECTIONAL ISOLATE, so that its own letters and digits keep their
// order in a sentence of the other direction ("000_8e17" stays whole).
func isolate(s string) string { return "\u2068" + s + "\u2069" }

// isolateRTL is isolate in a right-to-left interface; in a left-to-right
// one Latin data reads as it is and the text stays plain (to search, to
// copy).
func isolateRTL(s string) string {
	if rtl() {
		return isolate(s)
	}
	return s
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
