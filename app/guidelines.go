package app

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
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
			widget.NewLabelWithStyle(lang.L("Guidelines"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewHBox(widget.NewButtonWithIcon(lang.L("Edit…"), theme.DocumentCreateIcon(), g.edit),
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
	return markdownBlocks([]byte(gl.Text))
}

// markdownBlocks parses Markdown into paragraphs. It reads goldmark's
// tree itself: Fyne's Markdown reader adds a space after text followed by
// an inline element, which splits Arabic words such as و**دولة**.
func markdownBlocks(src []byte) []proseBlock {
	var out []proseBlock
	var block func(n ast.Node, bullet string)
	block = func(n ast.Node, bullet string) {
		switch x := n.(type) {
		case *ast.Heading:
			b := inlineBlock(x, src, bullet)
			b.heading = min(x.Level, len(headingScale)-1)
			out = append(out, b)
		case *ast.Paragraph, *ast.TextBlock:
			out = append(out, inlineBlock(x, src, bullet))
		case *ast.List:
			for i, it := 0, x.FirstChild(); it != nil; i, it = i+1, it.NextSibling() {
				b := "• "
				if x.IsOrdered() {
					b = strconv.Itoa(x.Start+i) + ". "
				}
				for c := it.FirstChild(); c != nil; c = c.NextSibling() {
					block(c, b)
					b = "" // only an item's first paragraph has the bullet
				}
			}
		case *ast.ThematicBreak:
			out = append(out, proseBlock{rule: true})
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(src))
			}
			out = append(out, proseBlock{text: bullet + strings.TrimSuffix(b.String(), "\n")})
		default: // the document, block quotes
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				block(c, bullet)
				bullet = ""
			}
		}
	}
	block(goldmark.New().Parser().Parse(text.NewReader(src)), "")
	return out
}

// inlineBlock is the text of n's inline children after bullet, their
// styles dropped and their links kept.
func inlineBlock(n ast.Node, src []byte, bullet string) proseBlock {
	b := proseBlock{text: bullet}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch x := c.(type) {
			case *ast.Text:
				b.text += string(x.Segment.Value(src))
				switch {
				case x.HardLineBreak():
					b.text += "\n"
				case x.SoftLineBreak():
					b.text += " "
				}
			case *ast.String:
				b.text += string(x.Value)
			case *ast.RawHTML:
				for i := 0; i < x.Segments.Len(); i++ {
					seg := x.Segments.At(i)
					b.text += string(seg.Value(src))
				}
			case *ast.AutoLink:
				start := utf8.RuneCountInString(b.text)
				b.text += string(x.Label(src))
				b.addLink(start, string(x.URL(src)))
			case *ast.Link:
				start := utf8.RuneCountInString(b.text)
				walk(x)
				b.addLink(start, string(x.Destination))
			default: // emphasis, code, images (their alt text)
				walk(x)
			}
		}
	}
	walk(n)
	return b
}

// addLink makes the text from start to the end a link to dest.
func (b *proseBlock) addLink(start int, dest string) {
	if u, err := url.Parse(dest); err == nil {
		b.links = append(b.links, proseLink{start: start, end: utf8.RuneCountInString(b.text), url: u})
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
	d := dialog.NewForm(lang.L("Edit the guidelines"), lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Format"), format), widget.NewFormItem(lang.L("Text"), container.NewGridWithColumns(2, entry,
			container.NewBorder(widget.NewLabelWithStyle(lang.L("Preview"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}), nil, nil, nil, preview))),
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
		g.u.say(lang.L("Guidelines saved"))
	}, g.u.win)
	d.Resize(fitSize(g.u.win.Canvas().Size(), fyne.NewSize(1040, 600)))
	d.Show()
	g.u.win.Canvas().Focus(entry)
}
