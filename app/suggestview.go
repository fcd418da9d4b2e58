package app

import (
	"image/color"

	"fyne.io/fyne/v2"

	"tawsim/annotate"
)

// How the span view draws a suggestion: a dashed outline in its label's
// colour, never a fill, so that it cannot be taken for a span.
const (
	dashLen   = 4   // Fyne units
	dashGap   = 3   // between two dashes
	dashThick = 1.5 // the line's width
)

// SetSuggestions shows sugs (in reading order) as dashed outlines in their
// labels' colours (SetSpans' colours).
func (v *SpanView) SetSuggestions(sugs []annotate.Suggestion) {
	v.sugs = sugs
	v.Refresh()
}

// Suggestions returns the suggestions shown.
func (v *SpanView) Suggestions() []annotate.Suggestion { return v.sugs }

// SuggestionAtCaret is the suggestion a key acts on: with nothing selected,
// the innermost one the caret is in (or just after); ok is false if none.
func (v *SpanView) SuggestionAtCaret() (annotate.Suggestion, bool) {
	if v.anchor != v.caret {
		return annotate.Suggestion{}, false
	}
	c, best := v.caret, -1
	for pass := 0; pass < 2 && best < 0; pass++ {
		for i, sg := range v.sugs {
			in := sg.Start <= c && c < sg.End
			if pass == 1 { // the caret right after the last letter
				in = c == sg.End
			}
			if in && (best < 0 || sg.End-sg.Start < v.sugs[best].End-v.sugs[best].Start) {
				best = i
			}
		}
	}
	if best < 0 {
		return annotate.Suggestion{}, false
	}
	return v.sugs[best], true
}

// appendSuggestions draws the suggestions in view: each of their
// rectangles is outlined by short dashes, top, bottom and sides.
func (r *spanViewRenderer) appendSuggestions(objs []fyne.CanvasObject, visStart, visEnd int) []fyne.CanvasObject {
	v := r.v
	n := 0
	dash := func(col color.NRGBA, x, y, w, h float32) {
		d := pooled(&r.dashes, n)
		n++
		d.FillColor = col
		d.StrokeWidth = 0
		d.Move(fyne.NewPos(x, y))
		d.Resize(fyne.NewSize(w, h))
		objs = append(objs, d)
	}
	for _, sg := range v.sugs {
		if visStart < 0 || sg.End <= visStart || sg.Start >= visEnd {
			continue
		}
		col, ok := v.colors[sg.Label]
		if !ok {
			col = color.NRGBA{0x88, 0x88, 0x88, 0xff}
		}
		for _, lr := range v.doc.Rects(sg.Start, sg.End) {
			x0, x1 := viewPad+lr.X0/v.scale, viewPad+lr.X1/v.scale
			y0, y1 := viewPad+(lr.Y0+2)/v.scale, viewPad+(lr.Y1-2)/v.scale
			for x := x0; x < x1; x += dashLen + dashGap {
				w := min(dashLen, x1-x)
				dash(col, x, y0, w, dashThick)
				dash(col, x, y1-dashThick, w, dashThick)
			}
			for y := y0; y < y1; y += dashLen + dashGap {
				h := min(dashLen, y1-y)
				dash(col, x0, y, dashThick, h)
				dash(col, x1-dashThick, y, dashThick, h)
			}
		}
	}
	return objs
}
