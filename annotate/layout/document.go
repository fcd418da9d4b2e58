// Package layout is the text layout engine of the annotation view: bidi
// (UAX #9 through fribidi), itemization, shaping (go-text HarfBuzz port),
// line breaking between words, per-line visual reordering and the geometry
// queries of an editor (caret, hit-testing, highlight rectangles, word and
// caret motion). It is pure Go: the Fyne widget only draws what it computes.
//
// Offsets are Unicode code points into the document text, end exclusive.
// Geometry is in device pixels, pixels = points × Options.Scale. The layout
// origin (0,0) is the top-left corner of the text area; x grows to the right,
// y downwards. Line i occupies y in [Line(i).Y, Line(i).Y+Line(i).Height)
// (its line box: highlights, caret and hit tests) and has Metrics.SpaceAbove
// free pixels above that, where nothing of the text is drawn; its glyphs sit
// on y = Line(i).Baseline. RTL paragraphs are right-aligned to
// x = width, LTR paragraphs left-aligned to x = 0. Spaces where a line wraps
// "hang": they keep their width but stand outside the alignment edge.
//
// A Document is safe for concurrent use; its methods lock it.
package layout

import (
	"math"
	"sort"
	"sync"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// Options configures a Document.
type Options struct {
	// Size is the font size in points (default 20).
	Size float32
	// Scale is the number of device pixels per point (default 1). The pixel
	// size Size×Scale is rounded up to a whole pixel: the shaper works in
	// whole pixels per em.
	Scale float32
	// ParagraphSpacing is the extra space after each paragraph, in points
	// (default 0: the sample texts separate paragraphs with empty lines).
	ParagraphSpacing float32
	// SpaceAbove is free space above every line box, in points (default 0):
	// a band for drawings over the text, such as relation arcs, that stays
	// clear of the glyphs. A point in it belongs to the line below.
	SpaceAbove float32
}

// Metrics are the vertical metrics of a document, in whole pixels.
type Metrics struct {
	Size             float32 // font size in pixels (ppem) used for shaping and drawing
	Ascent, Descent  float32 // of the Arabic face, rounded up
	LineHeight       float32 // Ascent + Descent + line gap
	ParagraphSpacing float32 // added after each paragraph but the last
	SpaceAbove       float32 // free band above each line box
}

// Cluster is one glyph cluster of a visual run.
type Cluster struct {
	Start, End int     // logical code-point range [Start,End) in the document
	X0, X1     float32 // horizontal extent, X0 <= X1, layout coordinates
}

// Run is a visual run: glyphs of one face, one script and one bidi level,
// drawn from left to right starting at X.
type Run struct {
	// Output is the shaped run as measured: Glyphs in visual (drawing) order,
	// Face, Size, Advance (the run's width, 26.6 pixels). Output.Runes is
	// the logical range in document offsets.
	Output   shaping.Output
	X, Width float32 // left edge and width, pixels
	Level    Level   // resolved bidi level; odd is right-to-left
	// Clusters in visual order, left to right; their X0/X1 are absolute.
	Clusters []Cluster
}

// RTL reports whether the run is right-to-left (odd level).
func (r *Run) RTL() bool { return r.Level%2 == 1 }

// Line is one laid-out line.
type Line struct {
	Index, Paragraph int
	// Start, End is the logical range of the line. End is the next line's
	// Start, except for the last line of a paragraph where it is the
	// paragraph's end (the offset of its LF, or the text length).
	Start, End int
	Last       bool // last line of its paragraph
	RTL        bool // paragraph direction
	Y          float32
	Baseline   float32
	Height     float32
	X0, X1     float32 // visual extent of the runs (X0 == X1 for an empty line)
	Runs       []Run   // visual order, left to right
	// c0, c1 are the line's clusters in its paragraph's shaping. Its runs
	// are built from them when first asked for (Document.line): laying out
	// a document measures lines but builds only the runs that are used.
	c0, c1 int32
	built  bool
}

// Rect is an axis-aligned rectangle in layout pixels, [X0,X1)×[Y0,Y1).
type Rect struct{ X0, Y0, X1, Y1 float32 }

type paragraph struct{ start, end int } // document offsets, end = LF offset or text length

// Document is a laid-out text. Shaping is done once per paragraph and
// cached; line breaking follows the width given to Wrap and is done lazily,
// paragraph by paragraph from the top, as far as queries need it. A line's
// runs (its glyphs and clusters) are built when a query or a drawing first
// needs them: a full layout of 100,000 code points keeps 3 MB
// (BenchmarkMemory), most of it 16 bytes per code point for its clusters.
type Document struct {
	mu      sync.Mutex
	fonts   *Fonts
	text    []rune
	paras   []paragraph
	metrics Metrics
	size    fixed.Int26_6

	cmu   sync.Mutex
	cache []*shaped // per paragraph, under cmu

	width     float32
	lines     []Line
	firstLine []int     // per laid-out paragraph, its first line; len = laid+1
	paraY     []float32 // per laid-out paragraph, its top
	laid      int
	nextY     float32
	laidRunes int
}

// NewDocument prepares text for layout. Nothing is shaped yet: the first
// query lays out what it needs. The width starts at 0 (no wrapping) until
// Wrap is called.
func NewDocument(text string, fonts *Fonts, opts Options) *Document {
	if opts.Size <= 0 {
		opts.Size = 20
	}
	if opts.Scale <= 0 {
		opts.Scale = 1
	}
	px := float32(math.Ceil(float64(opts.Size * opts.Scale)))
	d := &Document{fonts: fonts, text: []rune(text)}
	d.size = fixed.I(int(px))
	ext, _ := font.NewFace(fonts.arabic).FontHExtents()
	upem := float32(fonts.arabic.Upem())
	k := px / upem
	asc := float32(math.Ceil(float64(ext.Ascender * k)))
	desc := float32(math.Ceil(float64(-ext.Descender * k)))
	gap := float32(math.Round(float64(ext.LineGap * k)))
	d.metrics = Metrics{Size: px, Ascent: asc, Descent: desc, LineHeight: asc + desc + gap,
		ParagraphSpacing: float32(math.Round(float64(opts.ParagraphSpacing * opts.Scale))),
		SpaceAbove:       float32(math.Round(float64(opts.SpaceAbove * opts.Scale)))}
	start := 0
	for i, r := range d.text {
		if r == '\n' {
			d.paras = append(d.paras, paragraph{start, i})
			start = i + 1
		}
	}
	d.paras = append(d.paras, paragraph{start, len(d.text)})
	d.cache = make([]*shaped, len(d.paras))
	d.resetLines()
	return d
}

// Metrics returns the vertical metrics.
func (d *Document) Metrics() Metrics { return d.metrics }

// Len is the text length in code points.
func (d *Document) Len() int { return len(d.text) }

// Text returns the document text as code points (do not modify).
func (d *Document) Text() []rune { return d.text }

// Paragraphs is the number of paragraphs (LF-separated; at least 1).
func (d *Document) Paragraphs() int { return len(d.paras) }

// Width is the current wrapping width in pixels.
func (d *Document) Width() float32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.width
}

// Wrap sets the wrapping width in pixels (<= 0: no wrapping, and RTL lines
// then end at x = 0). It is cheap: lines are recomputed lazily, and the
// shaping of paragraphs is kept.
func (d *Document) Wrap(width float32) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if width == d.width {
		return
	}
	d.width = width
	d.resetLines()
}

func (d *Document) resetLines() {
	d.lines = d.lines[:0]
	d.firstLine = append(d.firstLine[:0], 0)
	d.paraY = d.paraY[:0]
	d.laid = 0
	d.nextY = 0
	d.laidRunes = 0
}

// shapedPara returns the cached shaping of paragraph p, shaping it with sh
// (or a pooled shaper if sh is nil) when needed.
func (d *Document) shapedPara(p int, sh *shaper) *shaped {
	d.cmu.Lock()
	sp := d.cache[p]
	d.cmu.Unlock()
	if sp != nil {
		return sp
	}
	if sh == nil {
		sh = d.fonts.getShaper()
		defer d.fonts.putShaper(sh)
	}
	sh.size = d.size
	pr := d.paras[p]
	sp = sh.shapeParagraph(d.text[pr.start:pr.end])
	d.cmu.Lock()
	if d.cache[p] == nil {
		d.cache[p] = sp
	} else {
		sp = d.cache[p]
	}
	d.cmu.Unlock()
	return sp
}

// ShapeAll shapes every paragraph not yet shaped, on all CPUs. It does not
// hold the document lock while shaping, so it can run in the background
// while the view queries the document.
func (d *Document) ShapeAll() {
	var todo []int
	d.cmu.Lock()
	for p, sp := range d.cache {
		if sp == nil {
			todo = append(todo, p)
		}
	}
	d.cmu.Unlock()
	d.shapeParas(todo)
}

// shapeParas shapes paragraphs todo on all CPUs.
func (d *Document) shapeParas(todo []int) {
	if len(todo) == 0 {
		return
	}
	workers := workersFor(len(todo))
	shapers := make([]*shaper, workers)
	for w := range shapers {
		shapers[w] = d.fonts.getShaper()
	}
	parallel(workers, len(todo), func(w, k int) { d.shapedPara(todo[k], shapers[w]) })
	for _, sh := range shapers {
		d.fonts.putShaper(sh)
	}
}

// aheadEm is a low estimate of a code point's advance in ems (Arabic news
// in Noto Naskh: 0.39, Latin more), for shapeAhead.
const aheadEm = 0.35

// shapeAhead shapes, on all CPUs, the paragraphs not yet shaped that laying
// out as far as y probably needs, as estimated from the lines left and
// aheadEm: a first screen holds several paragraphs, which layout would
// otherwise shape one after the other. Shaping one too many costs only
// another CPU's time.
func (d *Document) shapeAhead(y float32) {
	m := d.metrics
	lines := (y - d.nextY) / (m.LineHeight + m.SpaceAbove)
	var todo []int
	d.cmu.Lock()
	for p := d.laid; p < len(d.paras) && lines > 0; p++ {
		if d.cache[p] == nil {
			todo = append(todo, p)
		}
		est := float32(1)
		if d.width > 0 {
			est = max(1, float32(d.paras[p].end-d.paras[p].start)*aheadEm*m.Size/d.width)
		}
		lines -= est
	}
	d.cmu.Unlock()
	if len(todo) > 1 {
		d.shapeParas(todo)
	}
}

// LayoutAll shapes the whole document on all CPUs (ShapeAll) and wraps it.
// On the 2-CPU test machine the benchmark text takes 8.6 ms against 14
// serially, for the same CPU time.
func (d *Document) LayoutAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ShapeAll()
	d.layoutUntil(func() bool { return false })
}

// Complete reports whether every paragraph is laid out at the current width.
func (d *Document) Complete() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.laid == len(d.paras)
}

// layoutUntil lays out paragraphs in order until done() or the end.
func (d *Document) layoutUntil(done func() bool) {
	for d.laid < len(d.paras) && !done() {
		d.layoutNext()
	}
}

// layoutNext wraps the next paragraph and appends its lines.
func (d *Document) layoutNext() {
	p := d.laid
	pr := d.paras[p]
	sp := d.shapedPara(p, nil)
	m := d.metrics
	if p > 0 {
		d.nextY += m.ParagraphSpacing
	}
	d.paraY = append(d.paraY, d.nextY)
	rtl := sp.par%2 == 1
	var alignW float32
	if d.width > 0 {
		alignW = d.width
	}
	if len(sp.clus) == 0 {
		x := float32(0)
		if rtl {
			x = alignW
		}
		d.nextY += m.SpaceAbove
		d.lines = append(d.lines, Line{Index: len(d.lines), Paragraph: p, Start: pr.start, End: pr.end, Last: true, RTL: rtl,
			Y: d.nextY, Baseline: d.nextY + m.Ascent, Height: m.LineHeight, X0: x, X1: x, built: true})
		d.nextY += m.LineHeight
	} else {
		starts := sp.lineStarts(d.width)
		for li, c0 := range starts {
			c1 := len(sp.clus)
			if li+1 < len(starts) {
				c1 = int(starts[li+1])
			}
			total := lineWidth(sp, int(c0), c1)
			var shift float32
			if rtl {
				shift = alignW - total
			}
			d.nextY += m.SpaceAbove
			ln := Line{Index: len(d.lines), Paragraph: p, Start: pr.start + int(sp.clus[c0].start), RTL: rtl,
				Y: d.nextY, Baseline: d.nextY + m.Ascent, Height: m.LineHeight, X0: shift, X1: shift + total,
				c0: c0, c1: int32(c1)}
			if li+1 < len(starts) {
				ln.End = pr.start + int(sp.clus[starts[li+1]].start)
			} else {
				ln.End, ln.Last = pr.end, true
			}
			if li == 0 {
				ln.Start = pr.start
			}
			d.lines = append(d.lines, ln)
			d.nextY += m.LineHeight
		}
	}
	d.laid++
	d.laidRunes = pr.end + 1
	d.firstLine = append(d.firstLine, len(d.lines))
}

// line returns laid-out line i with its runs, building them on first use.
func (d *Document) line(i int) *Line {
	ln := &d.lines[i]
	if ln.built {
		return ln
	}
	sp := d.shapedPara(ln.Paragraph, nil)
	runs, _, _ := buildLine(sp, int(ln.c0), int(ln.c1), d.paras[ln.Paragraph].start, make([]Cluster, 0, ln.c1-ln.c0))
	for ri := range runs {
		r := &runs[ri]
		r.X += ln.X0
		for ci := range r.Clusters {
			r.Clusters[ci].X0 += ln.X0
			r.Clusters[ci].X1 += ln.X0
		}
	}
	ln.Runs, ln.built = runs, true
	return ln
}

// ensureParagraph lays out paragraphs up to and including p.
func (d *Document) ensureParagraph(p int) {
	d.layoutUntil(func() bool { return d.laid > p })
}

// NumLines lays out the whole document and returns its number of lines.
func (d *Document) NumLines() int {
	d.LayoutAll()
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.lines)
}

// Height lays out the whole document and returns its exact height.
func (d *Document) Height() float32 {
	d.LayoutAll()
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nextY
}

// EstimatedHeight returns the exact height when the document is fully laid
// out, else an extrapolation from the laid-out part (for a scroll bar).
func (d *Document) EstimatedHeight() float32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.laid == len(d.paras) {
		return d.nextY
	}
	if d.laidRunes == 0 {
		return float32(len(d.paras)) * (d.metrics.SpaceAbove + d.metrics.LineHeight)
	}
	return d.nextY * float32(len(d.text)+1) / float32(d.laidRunes)
}

// Line returns line i, laying out as far as needed; ok is false when the
// document has fewer lines.
func (d *Document) Line(i int) (Line, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if i < 0 {
		return Line{}, false
	}
	d.layoutUntil(func() bool { return len(d.lines) > i })
	if i >= len(d.lines) {
		return Line{}, false
	}
	return *d.line(i), true
}

// Lines lays out the whole document and returns all its lines (a copy of
// the slice; the lines share their runs with the document).
func (d *Document) Lines() []Line {
	d.LayoutAll()
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Line, len(d.lines))
	for i := range d.lines {
		out[i] = *d.line(i)
	}
	return out
}

// LinesInRange returns the lines [first, end) whose box or space above
// intersects the vertical band [y0, y1), laying out only as far as y1. For virtualised drawing.
func (d *Document) LinesInRange(y0, y1 float32) (first, end int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.shapeAhead(y1)
	d.layoutUntil(func() bool { return d.nextY >= y1 })
	first = sort.Search(len(d.lines), func(i int) bool { return d.lines[i].Y+d.lines[i].Height > y0 })
	end = sort.Search(len(d.lines), func(i int) bool { return d.lines[i].Y-d.metrics.SpaceAbove >= y1 })
	if end < first {
		end = first
	}
	return first, end
}

// lineAtY returns the index of the line at y (clamped to the first/last).
func (d *Document) lineAtY(y float32) int {
	d.layoutUntil(func() bool { return d.nextY > y })
	i := sort.Search(len(d.lines), func(i int) bool { return d.lines[i].Y+d.lines[i].Height > y })
	if i >= len(d.lines) {
		i = len(d.lines) - 1
	}
	return i
}

// LineAt returns the index of the line under y, clamped to the document's
// first and last lines (between paragraphs: the line below).
func (d *Document) LineAt(y float32) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lineAtY(y)
}

// paraOf returns the paragraph holding offset off (an LF belongs to the
// paragraph it ends).
func (d *Document) paraOf(off int) int {
	p := sort.Search(len(d.paras), func(i int) bool { return d.paras[i].end >= off })
	if p >= len(d.paras) {
		p = len(d.paras) - 1
	}
	return p
}

// lineOf returns the line index of the caret position off (clamped to
// [0, Len]): the line whose [Start, End) holds it, or the paragraph's last
// line for its end offset.
func (d *Document) lineOf(off int) int {
	off = clampInt(off, 0, len(d.text))
	p := d.paraOf(off)
	d.ensureParagraph(p)
	a, b := d.firstLine[p], d.firstLine[p+1]
	i := sort.Search(b-a, func(k int) bool { return d.lines[a+k].Start > off })
	if i == 0 {
		return a
	}
	return a + i - 1
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
