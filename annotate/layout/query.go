package layout

import (
	"math"
	"sort"

	"tawsim/annotate"
)

// caretX is the x of caret position off on line ln (ln.Start <= off <= ln.End).
// Before a cluster the caret is at the cluster's leading edge (right edge in
// an RTL run, left edge in an LTR run); inside a multi-rune cluster the
// cluster is split evenly. At a paragraph's end (off == End of its last
// line) the caret is at the trailing edge of the logically last cluster
// (left edge if RTL, right edge if LTR), which is where a click just past
// that character lands; on an empty line at the alignment edge.
func caretX(ln *Line, off int) float32 {
	if len(ln.Runs) == 0 {
		return ln.X0
	}
	atEnd := off >= ln.End
	for ri := range ln.Runs {
		r := &ln.Runs[ri]
		ro := r.Output.Runes
		if atEnd {
			if ro.Offset+ro.Count != ln.End {
				continue
			}
		} else if off < ro.Offset || off >= ro.Offset+ro.Count {
			continue
		}
		for _, c := range r.Clusters {
			if atEnd {
				if c.End != ln.End {
					continue
				}
				if r.RTL() {
					return c.X0
				}
				return c.X1
			}
			if off < c.Start || off >= c.End {
				continue
			}
			u := (c.X1 - c.X0) / float32(c.End-c.Start)
			k := float32(off - c.Start)
			if r.RTL() {
				return c.X1 - k*u
			}
			return c.X0 + k*u
		}
	}
	if ln.RTL {
		return ln.X0
	}
	return ln.X1
}

// Caret returns the line and x of caret position off (clamped to [0, Len]).
// A position where a line wraps (the first offset of a continuation line)
// is shown at the start of the lower line; a paragraph's end offset (its LF
// or the text end) on its last line, at the line's end edge.
func (d *Document) Caret(off int) (line int, x float32) {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := d.lineOf(off)
	return i, caretX(d.line(i), clampInt(off, 0, len(d.text)))
}

// offsetAtX is the caret position on ln nearest to x: the cluster under x
// (the first or last one when x is outside the line) split evenly into its
// runes; in an RTL run the right half of a one-rune cluster means before
// it, in an LTR run the left half. The result is in [Start, End) for a
// wrapped line (its End belongs to the next line) and [Start, End] for the
// last line of a paragraph.
func offsetAtX(ln *Line, x float32) int {
	if len(ln.Runs) == 0 {
		return ln.Start
	}
	ri, ci := clusterAtX(ln, x)
	r := &ln.Runs[ri]
	cs := r.Clusters
	off := clusterOffset(ln, r, cs[ci], x)
	// On the boundary between two clusters of different runs both sides
	// name a caret position; prefer the one whose caret is drawn at x.
	if ci == 0 && ri > 0 && absf(x-cs[0].X0) < 1e-3 && absf(caretX(ln, off)-x) > 1e-3 {
		pr := &ln.Runs[ri-1]
		if n := len(pr.Clusters); n > 0 {
			if alt := clusterOffset(ln, pr, pr.Clusters[n-1], x); absf(caretX(ln, alt)-x) <= 1e-3 {
				off = alt
			}
		}
	}
	return off
}

// clusterAtX is the run and cluster of ln (which has runs) under x, the
// first or last one when x is outside the line.
func clusterAtX(ln *Line, x float32) (ri, ci int) {
	// Runs are contiguous in x: binary search the run, then the cluster.
	ri = sort.Search(len(ln.Runs), func(i int) bool { return ln.Runs[i].X+ln.Runs[i].Width > x })
	if ri == len(ln.Runs) {
		ri--
	}
	for ri > 0 && len(ln.Runs[ri].Clusters) == 0 {
		ri--
	}
	cs := ln.Runs[ri].Clusters
	ci = sort.Search(len(cs), func(i int) bool { return cs[i].X1 > x })
	if ci == len(cs) {
		ci--
	}
	return ri, ci
}

// clusterOffset is the caret position for x within (or beyond) cluster c
// of run r on line ln.
func clusterOffset(ln *Line, r *Run, c Cluster, x float32) int {
	n := c.End - c.Start
	w := c.X1 - c.X0
	k := 0
	if w > 0 {
		var f float32
		if r.RTL() {
			f = (c.X1 - x) / w * float32(n)
		} else {
			f = (x - c.X0) / w * float32(n)
		}
		k = clampInt(int(math.Floor(float64(f)+0.5)), 0, n)
	}
	off := c.Start + k
	if !ln.Last && off >= ln.End {
		off = ln.End - 1
	}
	return off
}

// HitTest maps a point to a caret position: the line under y (clamped to
// the first and last lines), then the position nearest to x on that line.
func (d *Document) HitTest(x, y float32) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := d.lineAtY(y)
	return offsetAtX(d.line(i), x)
}

// RuneAt is the character under a point, for a double click: on the line
// under y, the character of the cluster under x (the nearest one outside
// the line) whose evenly split part holds x, whichever half of it x is in
// (HitTest gives the caret position nearest x, which on a character's
// trailing half is after it). On a line without characters it is the
// line's start (its newline, or Len at the end of the text). start and
// end are the cluster holding it (a letter with its marks, an emoji
// sequence), empty on a line without characters.
func (d *Document) RuneAt(x, y float32) (off, start, end int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ln := d.line(d.lineAtY(y))
	if len(ln.Runs) == 0 {
		return ln.Start, ln.Start, ln.Start
	}
	ri, ci := clusterAtX(ln, x)
	r := &ln.Runs[ri]
	if len(r.Clusters) == 0 {
		return ln.Start, ln.Start, ln.Start
	}
	c := r.Clusters[ci]
	n := c.End - c.Start
	k := 0
	if w := c.X1 - c.X0; w > 0 {
		f := (x - c.X0) / w
		if r.RTL() {
			f = (c.X1 - x) / w
		}
		k = clampInt(int(math.Floor(float64(f*float32(n)))), 0, n-1)
	}
	return c.Start + k, c.Start, c.End
}

// OffsetAtLineX is HitTest restricted to line i (clamped to the existing
// lines), for up/down motion with a remembered x.
func (d *Document) OffsetAtLineX(i int, x float32) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.layoutUntil(func() bool { return len(d.lines) > i })
	i = clampInt(i, 0, len(d.lines)-1)
	return offsetAtX(d.line(i), x)
}

// Rects returns the rectangles covering exactly the clusters (or the evenly
// split parts of multi-rune clusters) of the logical range [start, end), in
// line order and left to right within a line. A range crossing direction
// runs gives several rectangles on one line; touching boxes are merged.
// Each rectangle spans the full line box vertically.
func (d *Document) Rects(start, end int) []Rect {
	d.mu.Lock()
	defer d.mu.Unlock()
	start = clampInt(start, 0, len(d.text))
	end = clampInt(end, 0, len(d.text))
	if start >= end {
		return nil
	}
	var out []Rect
	for i := d.lineOf(start); i < len(d.lines) || d.laid < len(d.paras); i++ {
		if i >= len(d.lines) {
			d.layoutNext()
			i--
			continue
		}
		ln := d.line(i)
		if ln.Start >= end {
			break
		}
		lineFirst := len(out)
		for ri := range ln.Runs {
			r := &ln.Runs[ri]
			ro := r.Output.Runes
			if ro.Offset >= end || ro.Offset+ro.Count <= start {
				continue
			}
			for _, c := range r.Clusters {
				a, b := max(start, c.Start), min(end, c.End)
				if a >= b {
					continue
				}
				u := (c.X1 - c.X0) / float32(c.End-c.Start)
				var x0, x1 float32
				if r.RTL() {
					x0, x1 = c.X1-float32(b-c.Start)*u, c.X1-float32(a-c.Start)*u
				} else {
					x0, x1 = c.X0+float32(a-c.Start)*u, c.X0+float32(b-c.Start)*u
				}
				if n := len(out); n > lineFirst && absf(out[n-1].X1-x0) < 0.01 {
					out[n-1].X1 = x1
					continue
				}
				out = append(out, Rect{X0: x0, Y0: ln.Y, X1: x1, Y1: ln.Y + ln.Height})
			}
		}
	}
	return out
}

func absf(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// WordAt returns the word holding the character at off, for a double
// click (see RuneAt): a maximal run of word runes (annotate.IsWordRune, so
// "(سانا)" gives سانا and the word is the token the dataset formats
// write); on a space, the run of spaces; on any other character (a
// punctuation mark, a symbol, an emoji, the minus of "−3"), that one
// character, as the dataset formats make it a token of its own. At the
// end of the text, or on a newline, it is the word just before, if any.
// Words never cross a paragraph.
func (d *Document) WordAt(off int) (start, end int) {
	t := d.text
	off = clampInt(off, 0, len(t))
	if (off == len(t) || t[off] == '\n') && off > 0 && annotate.IsWordRune(t[off-1]) {
		off--
	}
	if off == len(t) {
		return off, off
	}
	r := t[off]
	var same func(rune) bool
	switch {
	case annotate.IsWordRune(r):
		same = annotate.IsWordRune
	case isBreakSpace(r) || r == '\u00A0':
		same = func(r rune) bool { return isBreakSpace(r) || r == '\u00A0' }
	default:
		return off, off + 1
	}
	start, end = off, off+1
	for start > 0 && same(t[start-1]) {
		start--
	}
	for end < len(t) && same(t[end]) {
		end++
	}
	return start, end
}

// LineStart is the first caret position of the line holding off (Home).
func (d *Document) LineStart(off int) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lines[d.lineOf(off)].Start
}

// LineEnd is the last caret position of the line holding off (End): the
// paragraph's end on its last line; on a wrapped line the position before
// its last character (normally the hanging space; its End is the next
// line's start).
func (d *Document) LineEnd(off int) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	ln := &d.lines[d.lineOf(off)] // no runs needed
	if ln.Last {
		return ln.End
	}
	return ln.End - 1
}

// MoveLine moves the caret dLines lines down (negative: up), keeping its x
// (clamped to the first and last lines).
func (d *Document) MoveLine(off, dLines int) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	i := d.lineOf(off)
	x := caretX(d.line(i), clampInt(off, 0, len(d.text)))
	j := i + dLines
	if j < 0 {
		j = 0
	}
	d.layoutUntil(func() bool { return len(d.lines) > j })
	if j >= len(d.lines) {
		j = len(d.lines) - 1
	}
	return offsetAtX(d.line(j), x)
}

// caretStop is a caret position on a line with its x.
type caretStop struct {
	x   float32
	off int
}

// lineStops lists the caret positions of a line with their x, sorted by x.
func lineStops(ln *Line) []caretStop {
	end := ln.End
	if !ln.Last {
		end--
	}
	stops := make([]caretStop, 0, end-ln.Start+1)
	for o := ln.Start; o <= end; o++ {
		stops = append(stops, caretStop{caretX(ln, o), o})
	}
	sort.SliceStable(stops, func(a, b int) bool { return stops[a].x < stops[b].x })
	return stops
}

// MoveVisual moves the caret one position to the right (dir > 0) or left
// (dir < 0) on screen: to the nearest caret position of the same line whose
// x is strictly beyond the current one (of several at that x, the logically
// nearest). At the line's edge it continues on the adjacent line: past the
// paragraph-direction end edge (left in RTL) to the next line's start edge,
// past the start edge to the previous line's end edge. At the document's
// ends it stays put.
func (d *Document) MoveVisual(off, dir int) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	off = clampInt(off, 0, len(d.text))
	i := d.lineOf(off)
	ln := d.line(i)
	x := caretX(ln, off)
	best, found := 0, false
	var bx float32
	for _, s := range lineStops(ln) {
		if (dir > 0 && s.x > x+1e-3) || (dir < 0 && s.x < x-1e-3) {
			better := !found ||
				(dir > 0 && s.x < bx-1e-3) || (dir < 0 && s.x > bx+1e-3) ||
				(absf(s.x-bx) <= 1e-3 && absInt(s.off-off) < absInt(best-off))
			if better {
				best, bx, found = s.off, s.x, true
			}
		}
	}
	if found {
		return best
	}
	// Off the edge: forward in the paragraph direction goes to the next line.
	forward := (dir < 0) == ln.RTL
	if forward {
		d.layoutUntil(func() bool { return len(d.lines) > i+1 })
		if i+1 >= len(d.lines) {
			return off
		}
		return d.lines[i+1].Start
	}
	if i == 0 {
		return off
	}
	p := &d.lines[i-1]
	if p.Last {
		return p.End
	}
	return p.End - 1
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
