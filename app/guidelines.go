package app

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/storage"
)

// guidelinesPane is Help ▸ Guidelines: the project's guidelines beside
// the text, Markdown rendered with RichText or plain text, with Edit… to
// change them.
type guidelinesPane struct {
	u     *UI
	text  *widget.RichText
	split *container.Split
	shown bool
}

// toggleGuidelines shows or hides the guidelines beside the text.
func (u *UI) toggleGuidelines() {
	if u.guide == nil {
		g := &guidelinesPane{u: u, text: widget.NewRichText()}
		g.text.Wrapping = fyne.TextWrapWord
		head := container.NewBorder(nil, nil,
			widget.NewLabelWithStyle("Guidelines", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewHBox(widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), g.edit),
				widget.NewButtonWithIcon("", theme.CancelIcon(), u.toggleGuidelines)))
		pane := container.NewBorder(head, nil, nil, nil, container.NewVScroll(g.text))
		g.split = container.NewHSplit(u.scroll, pane)
		g.split.Offset = 0.62
		u.guide = g
	}
	g := u.guide
	g.shown = !g.shown
	if g.shown {
		g.load()
		u.textPane.Objects = []fyne.CanvasObject{g.split}
	} else {
		u.textPane.Objects = []fyne.CanvasObject{u.scroll}
	}
	u.textPane.Refresh()
}

// load reads the guidelines from the store and shows them.
func (g *guidelinesPane) load() {
	gl, err := g.u.store.Guidelines()
	if err != nil {
		g.u.fail(err)
		return
	}
	g.show(gl)
}

func (g *guidelinesPane) show(gl storage.Guidelines) {
	switch {
	case strings.TrimSpace(gl.Text) == "":
		g.text.Segments = []widget.RichTextSegment{&widget.TextSegment{Style: widget.RichTextStyleParagraph,
			Text: "This project has no guidelines yet: Edit… writes them (Markdown or plain text, Arabic or English)."}}
	case gl.Format == storage.GuidelinesText:
		g.text.Segments = nil
		for _, p := range strings.Split(gl.Text, "\n") {
			g.text.Segments = append(g.text.Segments, &widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: p})
		}
	default:
		g.text.Segments = widget.NewRichTextFromMarkdown(gl.Text).Segments
	}
	g.text.Segments = rightAlignArabic(g.text.Segments)
	g.text.Refresh()
}

// rightAlignArabic aligns each paragraph or heading whose text starts
// right-to-left to the right. Such a paragraph's inline pieces (bold,
// emphasis) are joined into one piece: RichText lays pieces out left to
// right, which would put the second piece of an Arabic line on the wrong
// side.
func rightAlignArabic(segs []widget.RichTextSegment) []widget.RichTextSegment {
	var out, run []widget.RichTextSegment
	for _, s := range segs {
		switch x := s.(type) {
		case *widget.TextSegment:
			if x.Inline() {
				run = append(run, x)
				continue
			}
			out = append(out, alignRun(append(run, x))...)
			run = nil
		case *widget.ListSegment:
			for _, it := range x.Items {
				if p, ok := it.(*widget.ParagraphSegment); ok && rtlText(segmentsText(p.Texts)) {
					p.Texts = []widget.RichTextSegment{&widget.TextSegment{Style: widget.RichTextStyleInline, Text: segmentsText(p.Texts)}}
				}
			}
			out = append(out, append(run, x)...)
			run = nil
		default:
			out = append(out, append(run, x)...)
			run = nil
		}
	}
	return append(out, run...)
}

// alignRun is a paragraph's pieces (the last ends it), right-aligned and
// joined when it reads right to left.
func alignRun(run []widget.RichTextSegment) []widget.RichTextSegment {
	text := segmentsText(run)
	if !rtlText(text) {
		return run
	}
	style := run[len(run)-1].(*widget.TextSegment).Style // paragraph or heading
	style.Alignment = fyne.TextAlignTrailing
	return []widget.RichTextSegment{&widget.TextSegment{Style: style, Text: text}}
}

func segmentsText(segs []widget.RichTextSegment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Textual())
	}
	return b.String()
}

// rtlText says whether s's first letter is of a right-to-left script.
func rtlText(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana) {
			return true
		}
		if unicode.IsLetter(r) {
			return false
		}
	}
	return false
}

// edit opens the guidelines in an editor; Save stores them (a change of
// the project's definition) and shows them.
func (g *guidelinesPane) edit() {
	gl, err := g.u.store.Guidelines()
	if err != nil {
		g.u.fail(err)
		return
	}
	entry := widget.NewMultiLineEntry()
	entry.Wrapping = fyne.TextWrapWord
	entry.SetText(gl.Text)
	entry.SetMinRowsVisible(16)
	format := widget.NewRadioGroup([]string{storage.GuidelinesMarkdown, storage.GuidelinesText}, nil)
	format.Horizontal = true
	format.SetSelected(gl.Format)
	d := dialog.NewForm("Edit the guidelines", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Format", format), widget.NewFormItem("Text", entry),
	}, func(ok bool) {
		if !ok {
			return
		}
		next := storage.Guidelines{Text: entry.Text, Format: format.Selected}
		if err := g.u.store.SetGuidelines(next); err != nil {
			dialog.ShowError(err, g.u.win)
			return
		}
		g.show(next)
		g.u.say("Guidelines saved")
	}, g.u.win)
	d.Resize(fyne.NewSize(760, 560))
	d.Show()
	g.u.win.Canvas().Focus(entry)
}
