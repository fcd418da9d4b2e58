package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
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
// spanRef is a span's label and half-open range, "PERSON [25,36)", as one
// piece of data in a sentence: isolated in a right-to-left interface, where
// its ")" would otherwise take the sentence's direction and be drawn as a
// "(" before the label.
func spanRef(label string, start, end int) string {
	return isolateRTL(fmt.Sprintf("%s [%d,%d)", label, start, end))
}

func isolateRTL(s string) string {
	if rtl() {
		return isolate(s)
	}
	return s
}
