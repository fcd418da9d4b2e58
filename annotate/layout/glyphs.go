package layout

import (
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"sync"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/vector"
)

// subpixels is how many horizontal phases of a glyph are cached: a glyph is
// drawn at the nearest quarter pixel.
const subpixels = 4

type glyphKey struct {
	font *font.Font
	gid  font.GID
	ppem float32
	sub  uint8
}

// glyphMask is a rasterised glyph: its coverage and where its top-left
// corner lies relative to the pen position (whole pixels).
type glyphMask struct {
	mask *image.Alpha
	off  image.Point
}

// glyphCache keeps rasterised glyphs. A page of Arabic uses a few hundred
// distinct glyphs, so drawing a line becomes a series of mask copies
// instead of outline rasterisation, which dominated drawing time. It also
// keeps the outlines of the glyphs it rasterised: a glyph is drawn in up to
// subpixels phases, and go-text decodes the outline anew on every
// GlyphData call.
type glyphCache struct {
	mu       sync.Mutex
	m        map[glyphKey]*glyphMask
	outlines map[outlineKey]font.GlyphOutline
	luts     map[color.RGBA64]*coverageLUT // per text colour
}

type outlineKey struct {
	font *font.Font
	gid  font.GID
}

const maxCachedGlyphs = 8192

func (c *glyphCache) get(face *font.Face, gid font.GID, ppem float32, sub uint8) (*glyphMask, bool) {
	k := glyphKey{face.Font, gid, ppem, sub}
	c.mu.Lock()
	g, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return g, g != nil
	}
	ol := outlineKey{face.Font, gid}
	c.mu.Lock()
	outline, isOutline := c.outlines[ol]
	c.mu.Unlock()
	if !isOutline {
		if outline, isOutline = face.GlyphData(gid).(font.GlyphOutline); !isOutline {
			return nil, false // bitmap or SVG glyph: the caller draws it another way
		}
	}
	g = rasterize(outline, ppem/float32(face.Upem()), float32(sub)/subpixels)
	c.mu.Lock()
	c.put(k, g, outline)
	c.mu.Unlock()
	return g, true
}

// put caches mask g of k and its outline; c.mu is held.
func (c *glyphCache) put(k glyphKey, g *glyphMask, outline font.GlyphOutline) {
	if c.m == nil || len(c.m) >= maxCachedGlyphs {
		c.m = map[glyphKey]*glyphMask{}
		c.outlines = map[outlineKey]font.GlyphOutline{}
	}
	c.m[k] = g
	c.outlines[outlineKey{k.font, k.gid}] = outline
}

// rasterizers keeps rasterizers for reuse: each holds an accumulation
// buffer (4 bytes a pixel) that Reset clears instead of allocating.
var rasterizers = sync.Pool{New: func() any { return new(vector.Rasterizer) }}

// rasterize draws an outline at scale (pixels per font unit), shifted right
// by dx pixels, into a coverage mask.
func rasterize(o font.GlyphOutline, scale, dx float32) *glyphMask {
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	for _, s := range o.Segments {
		for _, p := range s.ArgsSlice() {
			x, y := p.X*scale+dx, -p.Y*scale
			minX, maxX = min(minX, x), max(maxX, x)
			minY, maxY = min(minY, y), max(maxY, y)
		}
	}
	if minX > maxX { // empty glyph (a space)
		return &glyphMask{mask: image.NewAlpha(image.Rect(0, 0, 0, 0))}
	}
	x0, y0 := int(math.Floor(float64(minX))), int(math.Floor(float64(minY)))
	x1, y1 := int(math.Ceil(float64(maxX))), int(math.Ceil(float64(maxY)))
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 {
		return &glyphMask{mask: image.NewAlpha(image.Rect(0, 0, 0, 0))}
	}
	r := rasterizers.Get().(*vector.Rasterizer)
	defer rasterizers.Put(r)
	r.Reset(w, h)
	tx := func(x float32) float32 { return x*scale + dx - float32(x0) }
	ty := func(y float32) float32 { return -y*scale - float32(y0) }
	for _, s := range o.Segments {
		a := s.Args
		switch s.Op {
		case opentype.SegmentOpMoveTo:
			r.ClosePath()
			r.MoveTo(tx(a[0].X), ty(a[0].Y))
		case opentype.SegmentOpLineTo:
			r.LineTo(tx(a[0].X), ty(a[0].Y))
		case opentype.SegmentOpQuadTo:
			r.QuadTo(tx(a[0].X), ty(a[0].Y), tx(a[1].X), ty(a[1].Y))
		case opentype.SegmentOpCubeTo:
			r.CubeTo(tx(a[0].X), ty(a[0].Y), tx(a[1].X), ty(a[1].Y), tx(a[2].X), ty(a[2].Y))
		}
	}
	r.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	r.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	return &glyphMask{mask: mask, off: image.Pt(x0, y0)}
}

// drawRun draws a shaped run with its pen starting at (x, y) (y is the
// baseline), from cached glyph masks. It returns false, having drawn
// nothing, when a glyph is not an outline.
func (c *glyphCache) drawRun(dst draw.Image, out shaping.Output, ppem float32, x, y float64, col color.Color) bool {
	type placed struct {
		g    *glyphMask
		x, y int
	}
	glyphs := make([]placed, 0, len(out.Glyphs))
	for _, gl := range out.Glyphs {
		ix, sub := pixelPhase(x + float64(gl.XOffset)/64)
		py := y - float64(gl.YOffset)/64
		g, ok := c.get(out.Face, gl.GlyphID, ppem, sub)
		if !ok {
			return false
		}
		glyphs = append(glyphs, placed{g, ix, int(math.Round(py))})
		x += float64(gl.XAdvance) / 64
	}
	rgba, fast := dst.(*image.RGBA)
	var src *image.Uniform
	var lut *coverageLUT
	if fast {
		lut = c.lut(col)
	} else {
		src = image.NewUniform(col)
	}
	for _, p := range glyphs {
		b := p.g.mask.Bounds()
		if b.Empty() {
			continue
		}
		at := image.Pt(p.x+p.g.off.X, p.y+p.g.off.Y)
		if fast {
			blendMask(rgba, at, p.g.mask, lut)
		} else {
			draw.DrawMask(dst, b.Add(at), src, image.Point{}, p.g.mask, image.Point{}, draw.Over)
		}
	}
	return true
}

// pixelPhase splits a pen position into the whole pixel and the sub-pixel
// phase (of subpixels) its glyph is drawn at.
func pixelPhase(px float64) (int, uint8) {
	ix := math.Floor(px)
	sub := int(math.Round((px - ix) * subpixels))
	if sub == subpixels {
		ix, sub = ix+1, 0
	}
	return int(ix), uint8(sub)
}

// prepare rasterises the glyphs that drawing lines needs and the cache
// lacks, split between the CPUs: the few hundred new glyphs of a first
// screen are most of its drawing time. The workers share nothing (each
// decodes outlines from faces of its own, a glyph's phases together) and
// the masks are cached at the end, under one lock. The phases are those
// DrawLine gives at a whole-pixel origin.X (as every caller passes); a
// glyph missed here is rasterised when drawn.
func (c *glyphCache) prepare(lines []Line, ppem float32) {
	type job struct {
		ol      outlineKey
		subs    []uint8
		masks   []*glyphMask
		outline font.GlyphOutline
	}
	var jobs []*job
	byGlyph := map[outlineKey]*job{}
	n := 0
	c.mu.Lock()
	for _, ln := range lines {
		for _, run := range ln.Runs {
			x := float64(run.X)
			for _, gl := range run.Output.Glyphs {
				_, sub := pixelPhase(x + float64(gl.XOffset)/64)
				x += float64(gl.XAdvance) / 64
				k := glyphKey{run.Output.Face.Font, gl.GlyphID, ppem, sub}
				if _, ok := c.m[k]; ok {
					continue
				}
				ol := outlineKey{k.font, k.gid}
				j := byGlyph[ol]
				if j == nil {
					j = &job{ol: ol}
					byGlyph[ol] = j
					jobs = append(jobs, j)
				}
				if !slices.Contains(j.subs, sub) {
					j.subs = append(j.subs, sub)
					n++
				}
			}
		}
	}
	c.mu.Unlock()
	if n < minPrepared {
		return
	}
	workers := workersFor(n / minPrepared)
	faces := make([]map[*font.Font]*font.Face, workers)
	parallel(workers, len(jobs), func(w, i int) {
		j := jobs[i]
		if faces[w] == nil {
			faces[w] = map[*font.Font]*font.Face{}
		}
		face := faces[w][j.ol.font]
		if face == nil {
			face = font.NewFace(j.ol.font) // the runs' faces are their shapers'
			faces[w][j.ol.font] = face
		}
		outline, ok := face.GlyphData(j.ol.gid).(font.GlyphOutline)
		if !ok {
			return // bitmap or SVG glyph: drawn another way
		}
		j.outline = outline
		for _, sub := range j.subs {
			j.masks = append(j.masks, rasterize(outline, ppem/float32(face.Upem()), float32(sub)/subpixels))
		}
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, j := range jobs {
		for i, g := range j.masks {
			c.put(glyphKey{j.ol.font, j.ol.gid, ppem, j.subs[i]}, g, j.outline)
		}
	}
}

// minPrepared is the fewest new glyphs worth a worker: below it, drawing
// rasterises them as it goes.
const minPrepared = 32

// coverageLUT is a colour composited over transparent black at each of the
// 256 coverage values, as little-endian RGBA words: what draw.Over gives
// for a transparent destination pixel, the most common case (glyphs seldom
// overlap).
type coverageLUT struct {
	sr, sg, sb, sa uint32 // the colour, premultiplied, 16 bits
	over           [256]uint32
}

func newCoverageLUT(c color.Color) *coverageLUT {
	l := &coverageLUT{}
	l.sr, l.sg, l.sb, l.sa = c.RGBA()
	for ma := range l.over {
		l.over[ma] = l.blend(0, uint32(ma))
	}
	return l
}

// lut returns the coverage table of c, made once per colour.
func (c *glyphCache) lut(col color.Color) *coverageLUT {
	r, g, b, a := col.RGBA()
	k := color.RGBA64{uint16(r), uint16(g), uint16(b), uint16(a)}
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.luts[k]
	if l == nil {
		if c.luts == nil || len(c.luts) >= 16 {
			c.luts = map[color.RGBA64]*coverageLUT{}
		}
		l = newCoverageLUT(col)
		c.luts[k] = l
	}
	return l
}

// blend is draw.Over of the colour at coverage ma (8 bits) onto pixel d
// (little-endian RGBA), with image/draw's arithmetic (drawGlyphOver), so
// that the pixels equal draw.DrawMask's.
func (l *coverageLUT) blend(d uint32, ma uint32) uint32 {
	const m = 1<<16 - 1
	ma |= ma << 8
	a := (m - (l.sa * ma / m)) * 0x101
	r := (d&0xff*a + l.sr*ma) / m >> 8
	g := (d>>8&0xff*a + l.sg*ma) / m >> 8
	b := (d>>16&0xff*a + l.sb*ma) / m >> 8
	al := (d>>24*a + l.sa*ma) / m >> 8
	return r&0xff | g&0xff<<8 | b&0xff<<16 | al&0xff<<24
}

// blendMask composites mask (its bounds at the origin), its top-left
// corner at at, in the colour of l onto dst: draw.DrawMask with a uniform
// source and draw.Over, pixel for pixel, about three times faster, as most
// pixels are transparent in dst and take their value from the table.
func blendMask(dst *image.RGBA, at image.Point, mask *image.Alpha, l *coverageLUT) {
	r := mask.Bounds().Add(at).Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	mp := r.Min.Sub(at)
	w := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		mi := mask.PixOffset(mp.X, mp.Y+y-r.Min.Y)
		mrow := mask.Pix[mi : mi+w : mi+w]
		di := dst.PixOffset(r.Min.X, y)
		drow := dst.Pix[di : di+4*w : di+4*w]
		for x, ma := range mrow {
			if ma == 0 {
				continue
			}
			p := drow[4*x : 4*x+4 : 4*x+4]
			if d := binary.LittleEndian.Uint32(p); d == 0 {
				binary.LittleEndian.PutUint32(p, l.over[ma])
			} else {
				binary.LittleEndian.PutUint32(p, l.blend(d, uint32(ma)))
			}
		}
	}
}
