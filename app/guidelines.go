package app

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/storage"
)

// guidelinesPane is Help ▸ Guidelines: the project's guidelines beside
// the text, Markdown or plain text laid out like the document (Prose), with
// Edit… to change them.
type guidelinesPane struct {
	u     *UI
	text  *Prose
	split *container.Split
	shown bool
}

// toggleGuidelines shows or hides the guidelines beside the text.
func (u *UI) toggleGuidelines() {
	if u.guide == nil {
		g := &guidelinesPane{u: u, text: NewProse(u.fonts)}
		head := container.NewBorder(nil, nil,
			widget.NewLabelWithStyle("Guidelines", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewHBox(widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), g.edit),
				widget.NewButtonWithIcon("", theme.CancelIcon(), u.toggleGuidelines)))
		pane := container.NewBorder(head, nil, nil, nil, g.text)
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
	g.text.SetBlocks(guideBlocks(gl))
}

// guideBlocks are the paragraphs of the guidelines: each line of plain
// text, or each heading, paragraph, list item and rule of Markdown.
func guideBlocks(gl storage.Guidelines) []proseBlock {
	switch {
	case strings.TrimSpace(gl.Text) == "":
		return []proseBlock{{text: "This project has no guidelines yet: Edit… writes them (Markdown or plain text, Arabic or English)."}}
	case gl.Format == storage.GuidelinesText:
		var out []proseBlock
		for _, p := range strings.Split(strings.ReplaceAll(gl.Text, "\r\n", "\n"), "\n") {
			out = append(out, proseBlock{text: p})
		}
		return out
	}
	var mb markdownBlocks
	mb.add(widget.NewRichTextFromMarkdown(gl.Text).Segments, "")
	mb.flush(0)
	return mb.out
}

// markdownBlocks gathers the inline pieces of Fyne's Markdown segments
// into paragraphs (their styles dropped, links kept as ranges).
type markdownBlocks struct {
	out   []proseBlock
	cur   proseBlock
	quote bool // cur is a block quote, whose lines are segments of their own
}

func (mb *markdownBlocks) flush(heading int) {
	if mb.cur.text != "" || heading > 0 {
		mb.cur.heading = heading
		mb.out = append(mb.out, mb.cur)
	}
	mb.cur, mb.quote = proseBlock{}, false
}

func (mb *markdownBlocks) write(s string) {
	mb.cur.text += strings.ReplaceAll(s, "\n", " ")
}

// begin starts a paragraph with *bullet, which only the first paragraph
// of a list item has.
func (mb *markdownBlocks) begin(bullet *string) {
	if mb.cur.text == "" {
		mb.write(*bullet)
		*bullet = ""
	}
}

// add appends segs; a list item's paragraph starts with bullet.
func (mb *markdownBlocks) add(segs []widget.RichTextSegment, bullet string) {
	for _, s := range segs {
		quote := false
		switch x := s.(type) {
		case *widget.TextSegment:
			quote = x.Style == widget.RichTextStyleBlockquote
			if mb.quote && !quote {
				mb.flush(0)
			}
			mb.begin(&bullet)
			mb.write(x.Text)
			switch {
			case quote:
			case x.Style == widget.RichTextStyleHeading:
				mb.flush(1)
			case x.Style == widget.RichTextStyleSubHeading:
				mb.flush(2)
			case !x.Inline() && x.Style.TextStyle.Bold: // ### and deeper
				mb.flush(3)
			case !x.Inline():
				mb.flush(0)
			}
		case *widget.HyperlinkSegment:
			mb.begin(&bullet)
			start := len([]rune(mb.cur.text))
			mb.write(x.Text)
			if x.URL != nil {
				mb.cur.links = append(mb.cur.links, proseLink{start: start, end: len([]rune(mb.cur.text)), url: x.URL})
			}
		case *widget.ListSegment:
			mb.flush(0)
			for i, it := range x.Items {
				b := "• "
				if x.Ordered {
					b = strconv.Itoa(x.StartNumber()+i) + ". "
				}
				mb.add([]widget.RichTextSegment{it}, b)
				mb.flush(0)
			}
		case *widget.ParagraphSegment:
			mb.add(x.Texts, bullet)
		case *widget.SeparatorSegment:
			mb.flush(0)
			mb.out = append(mb.out, proseBlock{rule: true})
		}
		mb.quote = quote
	}
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
	// The entry cannot order mixed Arabic and Latin text: the preview beside
	// it shows each paragraph as the pane will.
	preview := NewProse(g.u.fonts)
	update := func(string) {
		preview.SetBlocks(guideBlocks(storage.Guidelines{Text: entry.Text, Format: format.Selected}))
	}
	update("")
	entry.OnChanged, format.OnChanged = update, update
	d := dialog.NewForm("Edit the guidelines", "Save", "Cancel", []*widget.FormItem{
		widget.NewFormItem("Format", format), widget.NewFormItem("Text", container.NewGridWithColumns(2, entry,
			container.NewBorder(widget.NewLabelWithStyle("Preview", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}), nil, nil, nil, preview))),
	}, func(ok bool) {
		if !ok {
			return
		}
		next := storage.Guidelines{Text: entry.Text, Format: format.Selected}
		if err := g.u.store.SetGuidelines(next); err != nil {
			dialog.ShowError(err, g.u.win)
			return
		}
		g.text.SetBlocks(guideBlocks(next))
		g.u.say("Guidelines saved")
	}, g.u.win)
	d.Resize(fyne.NewSize(1040, 600))
	d.Show()
	g.u.win.Canvas().Focus(entry)
}
