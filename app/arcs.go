package app

import (
	"image/color"
	"math"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"tawsim/annotate"
	"tawsim/annotate/layout"
)

// The span view's relation layer. A relation is drawn as brat draws one: a
// bar in the band above the line's letters (layout.Options.SpaceAbove, which
// no glyph reaches), a tick down to the head span and an arrow down to the
// tail span, each at the middle of its highlight rectangle. The view has
// the band once it shows relations or a link being made, until its text
// changes: documents without relations keep their lines close.
// When the ends are on different lines the bar leaves the head's line
// towards the side where that paragraph's lines start (right in Arabic),
// runs down or up the view's margin and enters the tail's line from the same
// side. Bars that would overlap on a line get different heights.

// relArc is a relation the view shows, by its two spans.
type relArc struct {
	Head, Tail annotate.Span
	Label      string
}

// Sizes of the relation layer, in Fyne units.
const (
	arcBand   = 16  // the band above each line (layout.Options.SpaceAbove)
	arcBar    = 6.5 // lowest bar, above the line box
	arcStep   = 3.5 // between stacked bars, upwards
	arcLevels = 3   // stacked bar heights before they repeat
	arcHead   = 3.5 // arrowhead half width
	arcGutter = 4   // first margin run from the text's edge
	arcNear   = 4   // hover distance
)

// relOverlay is the span view's relation state.
type relOverlay struct {
	arcs    []relArc
	focus   int            // selected relation, -1 none
	hover   int            // relation under the pointer, -1 none
	linkHd  *annotate.Span // linking from this head: the view takes Tab
	preview *relArc        // the candidate relation while linking
	drawn   [][]arcSeg     // per arc: its segments as last drawn (view units), for hover
	band    bool           // the layout has arcBand above its lines
}

// needBand gives the layout the arc band when relations are shown or being
// made and it has none yet. The band makes every line taller, so the line
// the annotator works on (the link's head, else the caret) keeps its place
// on the screen when it is in view; else the first visible line does.
func (v *SpanView) needBand() {
	if !v.rel.band && (len(v.rel.arcs) > 0 || v.rel.linkHd != nil) {
		at := v.caret
		if v.rel.linkHd != nil {
			at = v.rel.linkHd.Start
		}
		v.holdChar = -1
		if v.wrapPx > 0 && v.viewHeight > 0 {
			if y := v.LineTop(at); y >= v.viewTop && y < v.viewTop+v.viewHeight {
				v.holdChar, v.holdDY = at, y-v.viewTop
			}
		}
		v.rel.band = true
		v.setText(v.text)
	}
}

// arcSeg is one straight piece of a drawn relation, in view units.
type arcSeg struct{ a, b fyne.Position }

// SetRelations shows relations between the spans shown; focus (an index
// into arcs, -1 for none) is drawn bold with both ends outlined.
func (v *SpanView) SetRelations(arcs []relArc, focus int) {
	v.rel.arcs = append([]relArc(nil), arcs...)
	v.rel.focus = focus
	v.rel.hover = -1
	v.needBand()
	v.Refresh()
}

// SetLinking shows that a relation from head is being made, with tail as
// the candidate (nil: none yet); head nil ends it. While linking the view
// takes Tab and Shift+Tab for its OnKey.
func (v *SpanView) SetLinking(head *annotate.Span, tail *annotate.Span, label string) {
	v.rel.linkHd, v.rel.preview = head, nil
	if head != nil && tail != nil {
		v.rel.preview = &relArc{Head: *head, Tail: *tail, Label: label}
	}
	v.needBand()
	v.Refresh()
}

// AcceptsTab keeps Tab in the view while linking (fyne.Tabbable).
func (v *SpanView) AcceptsTab() bool { return v.rel.linkHd != nil }

// HoveredRelation is the index of the relation under the pointer, or -1.
func (v *SpanView) HoveredRelation() int { return v.rel.hover }

// SpansAt lists the shown spans whose highlight holds p, innermost first.
func (v *SpanView) SpansAt(p fyne.Position) []annotate.Span {
	if v.wrapPx == 0 {
		return nil
	}
	off := v.hit(p)
	x, y := v.toLayout(p)
	var out []annotate.Span
	for _, sp := range v.spans {
		if sp.Start <= off && off < sp.End && v.inside(sp, x, y) {
			out = append(out, sp)
		}
	}
	// v.spans is outer first: innermost first is the reverse.
	slices.Reverse(out)
	return out
}

// arcEnd is where a relation meets one of its spans: the middle of the
// span's rectangle on the line nearest the other end, in layout pixels.
type arcEnd struct {
	x    float32
	line layout.Line
	rect layout.Rect
}

func (v *SpanView) arcEnd(rects []layout.Rect, towards float32) arcEnd {
	best, bestD := rects[0], float32(-1)
	for _, r := range rects {
		if d := abs32(r.Y0 - towards); bestD < 0 || d < bestD {
			best, bestD = r, d
		}
	}
	ln, _ := v.doc.Line(v.doc.LineAt(best.Y0 + 1))
	return arcEnd{x: (best.X0 + best.X1) / 2, line: ln, rect: best}
}

// arcPath is a relation's polyline in layout pixels: the head tick up from
// the top of its rectangle to its bar, the bar (and, across lines, the
// margin run and the tail's bar), the tail tick down to the top of its
// rectangle, where the arrow points. All but the two ends is in the band.
func (v *SpanView) arcPath(a relArc, level, n int) (pts []fyne.Position, ok bool) {
	hr := v.doc.Rects(a.Head.Start, a.Head.End)
	tr := v.doc.Rects(a.Tail.Start, a.Tail.End)
	if len(hr) == 0 || len(tr) == 0 {
		return nil, false
	}
	h := v.arcEnd(hr, tr[0].Y0)
	t := v.arcEnd(tr, h.rect.Y0)
	if h.line.Index == t.line.Index { // same line: the rectangles nearest each other
		h, t = nearestOnLine(hr, tr, h, t)
	}
	s := v.scale
	barY := func(ln layout.Line) float32 { return ln.Y - (arcBar+arcStep*float32(level%arcLevels))*s }
	pts = []fyne.Position{{X: h.x, Y: h.rect.Y0}, {X: h.x, Y: barY(h.line)}}
	if h.line.Index != t.line.Index {
		// The margin run: outside the text on the side where lines start.
		g := min(arcGutter+arcStep*float32(n%arcLevels), viewPad-2) * s
		xe := v.wrapPx + g
		if !h.line.RTL {
			xe = -g
		}
		pts = append(pts, fyne.Position{X: xe, Y: barY(h.line)}, fyne.Position{X: xe, Y: barY(t.line)})
	}
	pts = append(pts, fyne.Position{X: t.x, Y: barY(t.line)}, fyne.Position{X: t.x, Y: t.rect.Y0})
	return pts, true
}

// nearestOnLine picks, for two spans on one line, the rectangles of each
// that face each other (a span can be split by a direction run).
func nearestOnLine(hr, tr []layout.Rect, h, t arcEnd) (arcEnd, arcEnd) {
	bestD := float32(-1)
	for _, a := range hr {
		if a.Y0 != h.rect.Y0 {
			continue
		}
		for _, b := range tr {
			if b.Y0 != a.Y0 {
				continue
			}
			if d := abs32((a.X0+a.X1)/2 - (b.X0+b.X1)/2); bestD < 0 || d < bestD {
				bestD = d
				h.rect, h.x = a, (a.X0+a.X1)/2
				t.rect, t.x = b, (b.X0+b.X1)/2
			}
		}
	}
	return h, t
}

func abs32(x float32) float32 { return float32(math.Abs(float64(x))) }

// arcLevelsOf gives each relation of arcs named in vis the lowest bar
// height not taken on its lines by an earlier one whose bar overlaps it.
func (v *SpanView) arcLevelsOf(arcs []relArc, vis []int) []int {
	type bar struct {
		y      float32
		x0, x1 float32
		level  int
	}
	var placed []bar
	levels := make([]int, len(arcs))
	for _, i := range vis {
		pts, ok := v.arcPath(arcs[i], 0, i)
		if !ok {
			continue
		}
		var mine []bar
		for k := 1; k+1 < len(pts); k++ {
			if pts[k].Y == pts[k+1].Y {
				mine = append(mine, bar{y: pts[k].Y, x0: min(pts[k].X, pts[k+1].X), x1: max(pts[k].X, pts[k+1].X)})
			}
		}
		lv := 0
	next:
		for ; lv < arcLevels; lv++ {
			for _, m := range mine {
				for _, p := range placed {
					if p.level == lv && p.y == m.y && p.x0 <= m.x1 && m.x0 <= p.x1 {
						continue next
					}
				}
			}
			break
		}
		levels[i] = lv % arcLevels
		for _, m := range mine {
			m.level = levels[i]
			placed = append(placed, m)
		}
	}
	return levels
}

// arcPool holds the canvas objects of the relation layer between refreshes.
type arcPool struct {
	lines   []*canvas.Line
	outline []*canvas.Rectangle
}

func (p *arcPool) line(i int) *canvas.Line {
	for len(p.lines) <= i {
		p.lines = append(p.lines, canvas.NewLine(color.Transparent))
	}
	return p.lines[i]
}

// appendArcs adds the relation layer for the lines between visStart and
// visEnd (offsets) to objs. It goes above highlights and below the text,
// so letters stay readable where a bar crosses them.
func (r *spanViewRenderer) appendArcs(objs []fyne.CanvasObject, visStart, visEnd int) []fyne.CanvasObject {
	v := r.v
	o := &v.rel
	o.drawn = make([][]arcSeg, len(o.arcs))
	if visStart < 0 || (len(o.arcs) == 0 && o.linkHd == nil) {
		return objs
	}
	th := v.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	s := v.scale
	toView := func(p fyne.Position) fyne.Position {
		return fyne.NewPos(viewPad+p.X/s, viewPad+p.Y/s)
	}
	nl, no := 0, 0
	outline := func(sp annotate.Span, col color.Color) {
		for _, lr := range v.doc.Rects(sp.Start, sp.End) {
			rc := pooled(&r.arcs.outline, no)
			no++
			rc.FillColor = color.Transparent
			rc.StrokeColor = col
			rc.StrokeWidth = 2
			rc.Move(toView(fyne.NewPos(lr.X0, lr.Y0+1)))
			rc.Resize(fyne.NewSize((lr.X1-lr.X0)/s, (lr.Y1-lr.Y0-2)/s))
			objs = append(objs, rc)
		}
	}
	draw := func(a relArc, level, n int, col color.Color, width float32) []arcSeg {
		pts, ok := v.arcPath(a, level, n)
		if !ok {
			return nil
		}
		var segs []arcSeg
		add := func(p, q fyne.Position) {
			ln := r.arcs.line(nl)
			nl++
			ln.StrokeColor, ln.StrokeWidth = col, width
			ln.Position1, ln.Position2 = p, q
			objs = append(objs, ln)
			segs = append(segs, arcSeg{p, q})
		}
		for k := 0; k+1 < len(pts); k++ {
			add(toView(pts[k]), toView(pts[k+1]))
		}
		// The arrowhead, pointing down into the tail.
		tip := toView(pts[len(pts)-1])
		add(tip, tip.Add(fyne.NewPos(-arcHead, -arcHead*1.4)))
		add(tip, tip.Add(fyne.NewPos(arcHead, -arcHead*1.4)))
		// A dot on the head's tick.
		foot := toView(pts[0])
		add(foot.Add(fyne.NewPos(-1.5, 0)), foot.Add(fyne.NewPos(1.5, 0)))
		return segs
	}
	// Only relations with an end in view or across it are laid out: the
	// rest of the text may not be yet.
	var vis []int
	for i, a := range o.arcs {
		if !(a.Head.End <= visStart && a.Tail.End <= visStart || a.Head.Start >= visEnd && a.Tail.Start >= visEnd) {
			vis = append(vis, i)
		}
	}
	levels := v.arcLevelsOf(o.arcs, vis)
	for _, i := range vis {
		a := o.arcs[i]
		col := v.arcColor(a)
		width := float32(1.5)
		if i == o.focus || i == o.hover {
			width = 2.5
			outline(a.Head, col)
			outline(a.Tail, col)
		}
		o.drawn[i] = draw(a, levels[i], i, col, width)
	}
	if o.linkHd != nil {
		prim := th.Color(theme.ColorNamePrimary, variant)
		outline(*o.linkHd, prim)
		if p := o.preview; p != nil {
			outline(p.Tail, prim)
			draw(*p, arcLevels-1, len(o.arcs), prim, 2.5)
		}
	}
	return objs
}

// arcColor is the tail's label colour: a SOURCE arrow ends in its
// claimant's colour, a CUE arrow in the cue's.
func (v *SpanView) arcColor(a relArc) color.Color {
	col, ok := v.colors[a.Tail.Label]
	if !ok {
		col = color.NRGBA{0x66, 0x66, 0x66, 0xff}
	}
	return col
}

// relationAt is the index of the relation drawn within arcNear of p, or -1.
func (v *SpanView) relationAt(p fyne.Position) int {
	best, bestD := -1, float32(arcNear)
	for i, segs := range v.rel.drawn {
		for _, sg := range segs {
			if d := segDist(p, sg); d <= bestD {
				best, bestD = i, d
			}
		}
	}
	return best
}

// segDist is the distance from p to the segment sg.
func segDist(p fyne.Position, sg arcSeg) float32 {
	dx, dy := sg.b.X-sg.a.X, sg.b.Y-sg.a.Y
	t := float32(0)
	if l := dx*dx + dy*dy; l > 0 {
		t = max(0, min(1, ((p.X-sg.a.X)*dx+(p.Y-sg.a.Y)*dy)/l))
	}
	x, y := sg.a.X+t*dx-p.X, sg.a.Y+t*dy-p.Y
	return float32(math.Sqrt(float64(x*x + y*y)))
}

// hoverRelation updates the relation under the pointer; it reports whether
// that changed.
func (v *SpanView) hoverRelation(p fyne.Position) bool {
	i := v.relationAt(p)
	if i == v.rel.hover {
		return false
	}
	v.rel.hover = i
	return true
}
