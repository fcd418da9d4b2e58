package app

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"sort"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/layout"
)

var headless sync.Once

// RenderOptions steers Render.
type RenderOptions struct {
	Width    int     // image width in pixels (default 900)
	TextSize float32 // points (default 20)
	Dark     bool
	// Relations to draw between spans (Head and Tail index spans).
	Relations []annotate.Relation
}

// Render draws the annotation view of a document — title, legend, the text
// laid out right to left with every span highlighted — with Fyne's software
// renderer, and writes it as PNG. It needs no display.
func Render(w io.Writer, doc *annotate.Document, spans []annotate.Span, labels []annotate.Label, annotator string, opt RenderOptions) error {
	img, err := RenderImage(doc, spans, labels, annotator, opt)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

// RenderImage is Render without the encoding. It runs on a goroutine of its
// own: Fyne reserves the main goroutine for an event loop.
func RenderImage(doc *annotate.Document, spans []annotate.Span, labels []annotate.Label, annotator string, opt RenderOptions) (image.Image, error) {
	type result struct {
		img image.Image
		err error
	}
	ch := make(chan result)
	go func() {
		img, err := renderImage(doc, spans, labels, annotator, opt)
		ch <- result{img, err}
	}()
	r := <-ch
	return r.img, r.err
}

func renderImage(doc *annotate.Document, spans []annotate.Span, labels []annotate.Label, annotator string, opt RenderOptions) (image.Image, error) {
	if opt.Width <= 0 {
		opt.Width = 900
	}
	if opt.TextSize <= 0 {
		opt.TextSize = 20
	}
	fonts, err := layout.DefaultFonts()
	if err != nil {
		return nil, err
	}
	headless.Do(func() { test.NewApp() }) // the software canvas needs an app
	fyne.CurrentApp().Settings().SetTheme(newTheme(opt.Dark, 0))

	colors := map[string]color.NRGBA{}
	known := map[string]annotate.Label{}
	for _, l := range labels {
		colors[l.Name] = parseColor(l.Color)
		known[l.Name] = l
	}
	counts := map[string]int{}
	for _, sp := range spans {
		counts[sp.Label]++
	}
	var used []string
	for name := range counts {
		used = append(used, name)
	}
	sort.Slice(used, func(i, j int) bool {
		a, b := known[used[i]], known[used[j]]
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return used[i] < used[j]
	})
	// One legend entry per label used. "PERSON شخص (3)" is a left-to-right
	// line with one Arabic word, which the stock label lays out correctly.
	var entries []fyne.CanvasObject
	for _, name := range used {
		sw := canvas.NewRectangle(colors[name])
		sw.SetMinSize(fyne.NewSize(14, 14))
		// The Arabic name goes last: after an Arabic word, "(2)" would
		// be reordered as part of its run.
		text := fmt.Sprintf("%s (%d)", name, counts[name])
		if ar := known[name].Arabic; ar != "" {
			text += "  " + ar
		}
		entries = append(entries, container.NewHBox(container.NewCenter(sw), widget.NewLabel(text)))
	}
	if len(entries) == 0 {
		entries = append(entries, widget.NewLabel(lang.L("no spans")))
	}
	legend := container.NewGridWrap(fyne.NewSize(210, 36), entries...)
	who := annotator
	if who == "" {
		who = "—"
	}
	header := container.NewVBox(
		NewTextLine(fonts, doc.Title),
		widget.NewLabel(fmt.Sprintf(lang.L("%s · annotator %s · %d spans"), doc.ID, who, len(spans))),
		legend,
		widget.NewSeparator(),
	)
	view := NewSpanView(fonts, opt.TextSize)
	view.SetText(doc.Text)
	view.SetSpans(spans, colors)
	view.SetRelations(arcsOf(spans, opt.Relations), -1)
	content := container.NewBorder(header, nil, nil, nil, view)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	root := container.NewStack(bg, content)

	c := software.NewCanvas()
	c.SetPadded(true)
	c.SetContent(root)
	width := float32(opt.Width)
	c.Resize(fyne.NewSize(width, 400))
	// Lay the whole text out and show every line, then size the canvas to it.
	view.Layout().LayoutAll()
	view.ScrollTo(0, 1e9)
	height := root.MinSize().Height + 2*theme.Padding()
	c.Resize(fyne.NewSize(width, height))
	view.Refresh()
	return c.Capture(), nil
}

// arcsOf turns relations by span index into the view's relations.
func arcsOf(spans []annotate.Span, rels []annotate.Relation) []relArc {
	var arcs []relArc
	for _, r := range rels {
		if r.Head >= 0 && r.Head < len(spans) && r.Tail >= 0 && r.Tail < len(spans) {
			arcs = append(arcs, relArc{Head: spans[r.Head], Tail: spans[r.Tail], Label: r.Label})
		}
	}
	return arcs
}
