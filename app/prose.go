package app

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"net/url"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
	"tawsim/assets"
)

// proseBlock is one paragraph of a Prose: a heading, a list item (its
// bullet or number is part of the text, so bidi puts it at the start of
// the paragraph's direction) or a plain paragraph.
type proseBlock struct {
	text    string
	heading int // 0: body text; 1, 2, 3: heading levels
	rule    bool
	links   []proseLink
}

// proseLink is a link inside a block: code points [start, end) of its text.
type proseLink struct {
	start, end int
	url        *url.URL
}

// headingScale is the text size of each heading level, relative to the
// body text.
var headingScale = [...]float32{1, 1.5, 1.25, 1}

// boldFonts is the layout's font chain in bold (Noto Naskh Arabic Bold,
// then the theme's bold Latin face), for headings; nil if it cannot be
// made, and headings are then only larger.
var boldFonts = sync.OnceValue(func() *layout.Fonts {
	f, err := layout.NewFonts(assets.NaskhBold, theme.DefaultTheme().Font(fyne.TextStyle{Bold: true}).Content())
	if err != nil {
		fyne.LogError("bold fonts for headings", err)
		return nil
	}
	return f
})

// Prose shows paragraphs of mixed Arabic and Latin text, scrolled, each
// laid out by annotate/layout (the Unicode bidi algorithm, wrapped to the
// widget's width) like the document view: stock text widgets put the runs
// of a mixed line in the wrong order. A paragraph takes its direction from
// its first strong character; right-to-left ones are right-aligned.
// Inline styles (bold, italic, code) are not kept: the layout has one face
// per paragraph, and a run in another style would have to be cut out of
// the bidi order. Links are underlined and open on a tap.
// Like SpanView it is used on the Fyne goroutine only.
type Prose struct {
	widget.BaseWidget
	fonts  *layout.Fonts
	blocks []proseBlock
	docs   []*layout.Document // per block, made for shapeKey
	tops   []float32          // per block, its top in the image, pixels
	img    *canvas.Image
	extent *canvas.Rectangle // sets the scrolled content's size
	scroll *container.Scroll
	scale  float32
	// shapeKey is what docs were made for, key what img was drawn for.
	shapeKey, key string
	gen           int // bumped by SetBlocks
}

var (
	_ fyne.Widget   = (*Prose)(nil)
	_ fyne.Tappable = (*Prose)(nil)
)

// NewProse makes an empty Prose.
func NewProse(fonts *layout.Fonts) *Prose {
	p := &Prose{fonts: fonts, scale: 1, img: canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))}
	p.img.FillMode = canvas.ImageFillStretch
	p.img.ScaleMode = canvas.ImageScalePixels
	p.extent = canvas.NewRectangle(color.Transparent)
	p.scroll = container.NewVScroll(container.NewWithoutLayout(p.extent, p.img))
	p.ExtendBaseWidget(p)
	return p
}

// SetBlocks shows new paragraphs (scrolled as far as before: the editor's
// preview follows each key typed).
func (p *Prose) SetBlocks(blocks []proseBlock) {
	p.blocks = blocks
	p.gen++
	p.Refresh()
}

// MinSize is small: the text scrolls.
func (p *Prose) MinSize() fyne.Size {
	p.ExtendBaseWidget(p)
	return fyne.NewSize(120, 80)
}

// CreateRenderer is part of fyne.Widget.
func (p *Prose) CreateRenderer() fyne.WidgetRenderer {
	return &proseRenderer{p: p}
}

// blockGap is the space between paragraphs, in ems of body text.
const blockGap = 0.5

// update lays the blocks out for width (Fyne units) and draws them,
// unless that is done already. Shaping is kept while only the width changes.
func (p *Prose) update(width float32) {
	th, v := p.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(p); c != nil {
		scale = c.Scale()
	}
	size, pad := th.Size(theme.SizeNameText), th.Size(theme.SizeNamePadding)
	fg := color.NRGBAModel.Convert(th.Color(theme.ColorNameForeground, v))
	link := th.Color(theme.ColorNameHyperlink, v)
	// The scroll bar overlays the content's right edge: keep it off the text.
	wPx := max(int((width-2*pad-th.Size(theme.SizeNameScrollBar))*scale), 40)
	shapeKey := fmt.Sprintf("%d|%g|%g", p.gen, scale, size)
	key := fmt.Sprintf("%s|%d|%v", shapeKey, wPx, fg)
	if key == p.key {
		return
	}
	if shapeKey != p.shapeKey {
		p.docs = make([]*layout.Document, len(p.blocks))
		for i, b := range p.blocks {
			fonts := p.fonts
			if b.heading > 0 && boldFonts() != nil {
				fonts = boldFonts()
			}
			p.docs[i] = layout.NewDocument(b.text, fonts, layout.Options{Size: size * headingScale[b.heading], Scale: scale})
		}
	}
	p.key, p.shapeKey, p.scale = key, shapeKey, scale
	gap := float32(math.Round(float64(size * scale * blockGap)))
	p.tops = make([]float32, len(p.blocks))
	y := float32(0)
	for i, d := range p.docs {
		if i > 0 {
			y += gap
		}
		p.tops[i] = y
		d.Wrap(float32(wPx))
		d.LayoutAll()
		y += max(d.Height(), d.Metrics().LineHeight) // an empty paragraph is one empty line
	}
	img := image.NewRGBA(image.Rect(0, 0, wPx, int(math.Ceil(float64(y)))+1))
	thick := max(1, int(scale))
	for i, d := range p.docs {
		origin := image.Pt(0, int(p.tops[i]))
		if p.blocks[i].rule {
			mid := origin.Y + int(d.Metrics().LineHeight/2)
			draw.Draw(img, image.Rect(0, mid, wPx, mid+thick), image.NewUniform(fg), image.Point{}, draw.Over)
			continue
		}
		for l := 0; l < d.NumLines(); l++ {
			d.DrawLine(img, l, origin, fg)
		}
		for _, lk := range p.blocks[i].links {
			for _, r := range d.Rects(lk.start, lk.end) {
				y := origin.Y + int(r.Y1) - thick
				draw.Draw(img, image.Rect(int(r.X0), y, int(math.Ceil(float64(r.X1))), y+thick), image.NewUniform(link), image.Point{}, draw.Over)
			}
		}
	}
	p.img.Image = img
	sz := fyne.NewSize(float32(wPx)/scale, float32(img.Bounds().Dy())/scale)
	p.img.Move(fyne.NewPos(pad, pad))
	p.img.Resize(sz)
	p.img.Refresh()
	p.extent.SetMinSize(sz.AddWidthHeight(2*pad, 2*pad))
	p.scroll.Refresh()
}

// Tapped opens the link under the pointer, if any.
func (p *Prose) Tapped(ev *fyne.PointEvent) {
	if u := p.linkAt(ev.Position); u != nil {
		if err := fyne.CurrentApp().OpenURL(u); err != nil {
			fyne.LogError("opening a link of the guidelines", err)
		}
	}
}

// linkAt is the URL of the link at pos (in the widget), nil for none.
func (p *Prose) linkAt(pos fyne.Position) *url.URL {
	pad := p.Theme().Size(theme.SizeNamePadding)
	x := (pos.X - pad) * p.scale
	y := (pos.Y + p.scroll.Offset.Y - pad) * p.scale
	for i, d := range p.docs {
		if i >= len(p.tops) || y < p.tops[i] || y >= p.tops[i]+d.Height() {
			continue
		}
		dy := y - p.tops[i]
		for _, lk := range p.blocks[i].links {
			for _, r := range d.Rects(lk.start, lk.end) {
				if x >= r.X0 && x < r.X1 && dy >= r.Y0 && dy < r.Y1 {
					return lk.url
				}
			}
		}
	}
	return nil
}

type proseRenderer struct{ p *Prose }

func (r *proseRenderer) Destroy()                     {}
func (r *proseRenderer) MinSize() fyne.Size           { return r.p.MinSize() }
func (r *proseRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.p.scroll} }

func (r *proseRenderer) Layout(size fyne.Size) {
	r.p.scroll.Resize(size)
	r.p.update(size.Width)
}

func (r *proseRenderer) Refresh() { r.Layout(r.p.Size()) }
