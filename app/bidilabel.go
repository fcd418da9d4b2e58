package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

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
	l.fit = true
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

// bidiParagraphs is msg, one bidi-correct line per line of msg.
func bidiParagraphs(fonts *layout.Fonts, msg string) fyne.CanvasObject {
	box := container.NewVBox()
	for _, line := range strings.Split(msg, "\n") {
		box.Add(newBidiLabel(fonts, line, false))
	}
	return box
}

// showConfirm asks msg with Yes and No. In a right-to-left interface the
// message is drawn bidi-correct (a stock dialog's label would put its
// Arabic and Latin runs in the wrong order).
func (u *UI) showConfirm(title, msg string, answer func(bool)) {
	if !rtl() {
		dialog.ShowConfirm(title, msg, answer, u.win)
		return
	}
	dialog.ShowCustomConfirm(title, lang.L("Yes"), lang.L("No"), bidiParagraphs(u.fonts, msg), answer, u.win)
}
