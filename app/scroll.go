package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"tawsim/annotate/layout"
)

// A span view draws only the lines in view, so it must know which part of
// it its scroller shows: these helpers keep the two in step.

// viewScroll is the vertical scroller of a span view. It tells the view
// its visible height on every resize too: a window made taller without a
// scroll would otherwise leave the lines below the old height undrawn.
type viewScroll struct {
	container.Scroll
	view *SpanView
}

func (s *viewScroll) Resize(size fyne.Size) {
	changed := size.Height != s.Size().Height
	s.Scroll.Resize(size)
	if changed {
		s.view.ScrollTo(s.Offset.Y, size.Height)
	}
}

// scrolledView puts a new span view in a vertical scroller that tells the
// view what is visible.
func scrolledView(fonts *layout.Fonts, size float32) (*SpanView, *viewScroll) {
	v := NewSpanView(fonts, size)
	s := &viewScroll{Scroll: container.Scroll{Direction: container.ScrollVerticalOnly, Content: v}, view: v}
	s.ExtendBaseWidget(s)
	s.OnScrolled = func(p fyne.Position) { v.ScrollTo(p.Y, s.Size().Height) }
	v.onReflow = func(top float32) { // a re-wrap kept the reading position
		s.Offset.Y = top
		s.Refresh()
	}
	v.onScroll = func(top float32) { // the view scrolls itself (reveal)
		h := s.Size().Height
		top = max(0, min(top, v.Size().Height-h))
		if top != s.Offset.Y {
			s.Offset.Y = top
			s.Refresh()
			v.ScrollTo(top, h)
		}
	}
	return v, s
}

// scrollToTop shows the top of the view, as after SetText.
func scrollToTop(v *SpanView, s *viewScroll) {
	s.ScrollToTop()
	v.ScrollTo(0, s.Size().Height)
}

// scrollIntoView scrolls the line holding offset off into view, a third
// down the scroller, unless it is in view already.
func scrollIntoView(v *SpanView, s *viewScroll, off int) {
	y := v.LineTop(off)
	h := s.Size().Height
	if y < s.Offset.Y || y > s.Offset.Y+h-40 {
		s.Offset.Y = max(y-h/3, 0)
		s.Refresh()
	}
	v.ScrollTo(s.Offset.Y, h)
}

// revealRange selects [start,end) in v and scrolls it into view.
func revealRange(v *SpanView, s *viewScroll, start, end int) {
	v.Select(start, end)
	scrollIntoView(v, s, start)
}
