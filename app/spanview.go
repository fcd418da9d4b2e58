package app

import (
	"image"
	"image/color"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/layout"
)

// viewPad is the space around the text inside the span view, in Fyne units.
const viewPad = 12

// lineMargin is how many lines above and below the visible ones get canvas
// objects, so a scroll step rarely has to draw a line.
const lineMargin = 8

// SpanView shows one document laid out right to left by annotate/layout,
// with every span as a highlight behind its letters, the selection and a
// caret. Only the lines in view (plus a margin) have canvas objects; each
// line's text is drawn once, from the very glyphs the layout measured, into
// an image that is reused until the layout changes. Highlights are
// rectangles behind those images, so moving the selection redraws no text.
// Relations between spans are a layer of lines between the highlights and
// the text (arcs.go).
//
// The view handles selection by mouse and keyboard itself and reports
// everything else (label hotkeys, delete, shortcuts) through callbacks.
//
// Like Fyne's own widgets it is not safe for concurrent use: call its
// methods, and set its callbacks, on the Fyne goroutine, where Fyne calls
// them too. Background work (see bgRun) hands its results back with
// fyne.Do. A view no window shows may instead belong to one other
// goroutine (Render draws on its own).
type SpanView struct {
	widget.BaseWidget

	fonts  *layout.Fonts
	text   string
	doc    *layout.Document
	size   float32 // text size, points
	scale  float32 // device pixels per Fyne unit the layout was made for
	wrapPx float32 // layout width in pixels

	spans  []annotate.Span
	depth  []int // per span: underline level, so nested spans stay apart
	colors map[string]color.NRGBA
	active int // index of the span the caret designates, -1 for none

	anchor, caret int
	focused       bool
	shift         bool
	pressed       bool // primary button down: MouseDown set the anchor
	dragging      bool
	alt           bool // the Alt key is held (KeyDown, KeyUp)
	exact         bool // the press had Alt: its drag selects letter-exact
	dragFrom      int  // where the drag started, before snapping to words

	viewTop, viewHeight float32 // visible part, Fyne units (from the scroller)
	// topChar is the first visible character while the layout changes
	// (re-wrap, text size, arc band), so the reading position survives
	// it; -1 until one is needed, and again once the view scrolls.
	topChar int
	// holdChar, when not -1, is a character whose line the next layout
	// puts holdDY below the view's top (needBand), instead of topChar's at
	// the top.
	holdChar int
	holdDY   float32
	// onReflow is told the new top (Fyne units) when a new layout moved
	// the first visible character: the scroller follows (scrolledView).
	onReflow func(top float32)
	// onScroll is told the new top (Fyne units) when the view scrolls
	// itself (reveal): the scroller follows and reports the visible part
	// back through ScrollTo.
	onScroll  func(top float32)
	hoverAt   fyne.Position
	hoverText string

	lines     map[int]*canvas.Image // line images by line index
	textColor color.Color

	rel relOverlay // relations between the spans (arcs.go)

	marks   [][2]int // find matches, outlined (not a span colour)
	markCur int      // the current one among marks, -1 for none

	sugs []annotate.Suggestion // drawn dashed, never filled: suggest.go

	// OnHotkey is called for a typed label hotkey ('1'…'9').
	OnHotkey func(r rune)
	// OnDelete is called for Delete or Backspace.
	OnDelete func()
	// OnSelect is called when the selection or caret changes.
	OnSelect func(start, end int)
	// OnShortcut gets the shortcuts the view does not handle itself.
	OnShortcut func(s fyne.Shortcut)
	// OnEscape is called for Escape when nothing is selected (a second
	// Escape), e.g. to give the keyboard back to a list.
	OnEscape func()
	// OnRune gets the typed characters that are not label hotkeys.
	OnRune func(r rune)
	// OnKey, if set, sees every key first; returning true consumes it.
	OnKey func(ev *fyne.KeyEvent) bool
	// OnTap gets the spans under a click, innermost first, and the
	// relation clicked (an index into SetRelations' arcs, -1 for none).
	OnTap func(spans []annotate.Span, rel int)
	// OnDoubleTap, if set, may adjust the words selected by double-click
	// or by a drag (e.g. strip clitics) and returns the range to select.
	OnDoubleTap func(start, end int) (int, int)
}

// The interfaces through which Fyne hands the view its input.
var (
	_ fyne.Widget         = (*SpanView)(nil)
	_ fyne.Tappable       = (*SpanView)(nil)
	_ fyne.DoubleTappable = (*SpanView)(nil)
	_ fyne.Draggable      = (*SpanView)(nil)
	_ fyne.Focusable      = (*SpanView)(nil)
	_ fyne.Shortcutable   = (*SpanView)(nil)
	_ desktop.Keyable     = (*SpanView)(nil)
	_ desktop.Mouseable   = (*SpanView)(nil)
	_ desktop.Hoverable   = (*SpanView)(nil)
	_ fyne.Tabbable       = (*SpanView)(nil)

	_ fyne.WidgetRenderer = (*spanViewRenderer)(nil)
)

// NewSpanView makes an empty view using fonts at text size size (points).
func NewSpanView(fonts *layout.Fonts, size float32) *SpanView {
	v := &SpanView{fonts: fonts, size: size, scale: 1, active: -1, markCur: -1, topChar: -1, holdChar: -1, colors: map[string]color.NRGBA{}, lines: map[int]*canvas.Image{},
		rel: relOverlay{focus: -1, hover: -1}}
	v.ExtendBaseWidget(v)
	v.setText("")
	return v
}

// SetText shows a new document; selection and spans are cleared.
func (v *SpanView) SetText(text string) {
	v.rel = relOverlay{focus: -1, hover: -1}
	v.setText(text)
	v.topChar, v.holdChar = -1, -1 // a new document starts at the top
	v.spans, v.depth, v.active = nil, nil, -1
	v.marks, v.markCur = nil, -1
	v.sugs = nil
	v.anchor, v.caret = 0, 0
	v.Refresh()
}

// SetMarks outlines the ranges [start,end) of marks, the one at cur
// (-1 for none) more boldly: the matches of a search.
func (v *SpanView) SetMarks(marks [][2]int, cur int) {
	v.marks, v.markCur = marks, cur
	v.Refresh()
}

// Marks returns the outlined ranges and the current one's index.
func (v *SpanView) Marks() ([][2]int, int) { return v.marks, v.markCur }

func (v *SpanView) setText(text string) {
	if text == v.text {
		v.firstVisible() // kept for the new layout (ensureLayout)
	}
	v.text = text
	opts := layout.Options{Size: v.size, Scale: v.scale}
	if v.rel.band {
		opts.SpaceAbove = arcBand
	}
	v.doc = layout.NewDocument(text, v.fonts, opts)
	v.wrapPx = 0
	v.lines = map[int]*canvas.Image{}
}

// Text is the document text shown.
func (v *SpanView) Text() string { return v.text }

// Layout gives access to the current layout (for tests and hit tests).
func (v *SpanView) Layout() *layout.Document { return v.doc }

// SetTextSize changes the font size and lays the text out again.
func (v *SpanView) SetTextSize(size float32) {
	if size == v.size {
		return
	}
	v.size = size
	v.setText(v.text)
	v.Refresh()
}

// TextSize is the current font size in points.
func (v *SpanView) TextSize() float32 { return v.size }

// SetSpans shows spans (any order) with their labels' colours.
func (v *SpanView) SetSpans(spans []annotate.Span, colors map[string]color.NRGBA) {
	v.spans = append([]annotate.Span(nil), spans...)
	sort.SliceStable(v.spans, func(i, j int) bool {
		a, b := v.spans[i], v.spans[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End > b.End // outer first
		}
		return a.Label < b.Label
	})
	v.depth = nestingDepths(v.spans)
	v.colors = colors
	v.updateActive()
	if v.hoverText != "" { // the pointer rests on what changed
		v.hoverText = v.hoverLabel(v.hoverAt)
	}
	v.Refresh()
}

// nestingDepths gives each span (sorted by start, outer first) the lowest
// underline level not taken by a span it overlaps.
func nestingDepths(spans []annotate.Span) []int {
	depth := make([]int, len(spans))
	var ends []int // per level: end of the last span on it
	for i, s := range spans {
		d := 0
		for d < len(ends) && ends[d] > s.Start {
			d++
		}
		if d == len(ends) {
			ends = append(ends, 0)
		}
		ends[d] = s.End
		depth[i] = d
	}
	return depth
}

// Spans returns the spans shown, in reading order (outer first).
func (v *SpanView) Spans() []annotate.Span { return append([]annotate.Span(nil), v.spans...) }

// Selection returns the selected logical range [start, end); start == end
// when nothing is selected (then it is the caret).
func (v *SpanView) Selection() (int, int) { return min(v.anchor, v.caret), max(v.anchor, v.caret) }

// Caret is the caret offset.
func (v *SpanView) Caret() int { return v.caret }

// Select sets the selection to [start, end) with the caret at end.
func (v *SpanView) Select(start, end int) {
	n := v.doc.Len()
	v.anchor, v.caret = clamp(start, 0, n), clamp(end, 0, n)
	v.updateActive()
	v.selectionChanged()
}

// ActiveSpan is the span the selection designates: the span exactly
// selected, else the innermost span under the caret, else the innermost
// one the caret just ends (as after a label key); ok is false if none.
func (v *SpanView) ActiveSpan() (annotate.Span, bool) {
	if v.active < 0 {
		return annotate.Span{}, false
	}
	return v.spans[v.active], true
}

func (v *SpanView) updateActive() {
	v.active = -1
	s, e := min(v.anchor, v.caret), max(v.anchor, v.caret)
	if s < e {
		for i, sp := range v.spans {
			if sp.Start == s && sp.End == e {
				v.active = i
				return
			}
		}
	}
	best := -1
	for i, sp := range v.spans {
		in := sp.Start <= v.caret && v.caret < sp.End
		if s < e {
			in = sp.Start <= s && e <= sp.End
		}
		if in && (best < 0 || sp.End-sp.Start < v.spans[best].End-v.spans[best].Start) {
			best = i
		}
	}
	if best < 0 && s == e {
		for i, sp := range v.spans {
			if sp.End == v.caret && (best < 0 || sp.Start > v.spans[best].Start) {
				best = i
			}
		}
	}
	v.active = best
}

func (v *SpanView) selectionChanged() {
	v.Refresh()
	if v.OnSelect != nil {
		s, e := v.Selection()
		v.OnSelect(s, e)
	}
}

// ScrollTo records the visible part of the view (Fyne units, relative to
// the view's top), as the enclosing scroller reports it.
func (v *SpanView) ScrollTo(top, height float32) {
	if top != v.viewTop {
		v.topChar, v.holdChar = -1, -1 // the user's scroll wins
	}
	v.viewTop, v.viewHeight = top, height
	v.Refresh()
}

// firstVisible is the first character of the first line in view, or -1
// at the top of the document (remembered in topChar until the view
// scrolls, so that re-wrap after re-wrap does not creep backwards).
func (v *SpanView) firstVisible() int {
	if v.topChar >= 0 || v.wrapPx == 0 {
		return v.topChar
	}
	y := (v.viewTop - viewPad) * v.scale
	if y <= 0 {
		return -1
	}
	first, _ := v.doc.LinesInRange(y, y+1)
	if ln, ok := v.doc.Line(first); ok {
		v.topChar = ln.Start
	}
	return v.topChar
}

// reveal scrolls the least that brings [y0, y1] (Fyne units, in the view)
// into view, its top if it is taller than the view.
func (v *SpanView) reveal(y0, y1 float32) {
	if v.onScroll == nil || v.viewHeight <= 0 {
		return
	}
	top := v.viewTop
	if y1 > top+v.viewHeight {
		top = y1 - v.viewHeight
	}
	if y0 < top {
		top = y0
	}
	if top != v.viewTop {
		v.onScroll(top)
	}
}

// revealCaret scrolls the caret's line (with the arc band above it) into
// view: keys move the caret out of it.
func (v *SpanView) revealCaret() {
	if v.wrapPx == 0 {
		return
	}
	i, _ := v.doc.Caret(v.caret)
	ln, _ := v.doc.Line(i)
	y0, y1 := v.LineTop(v.caret), viewPad+(ln.Y+ln.Height)/v.scale
	if i == 0 { // with the padding at the ends of the text
		y0 = 0
	}
	if ln.End >= v.doc.Len() {
		y1 += viewPad
	}
	v.reveal(y0, y1)
}

// pageFrom is the caret position a page (the visible height) above
// (dir < 0) or below offset off, at the same x, as Up and Down keep it;
// the view scrolls by that page too.
func (v *SpanView) pageFrom(off, dir int) int {
	page := v.viewHeight
	if page <= 0 {
		page = v.Size().Height
	}
	if page <= 0 || v.wrapPx == 0 {
		return off
	}
	page = max(page-2*viewPad, page/2) // a little of the last page stays in view
	i, x := v.doc.Caret(off)
	ln, _ := v.doc.Line(i)
	if v.onScroll != nil && v.viewHeight > 0 {
		v.onScroll(v.viewTop + float32(dir)*page) // the scroller clamps it
	}
	y := ln.Y + ln.Height/2 + float32(dir)*page*v.scale
	return v.doc.OffsetAtLineX(v.doc.LineAt(y), x) // LineAt clamps y to the text
}

// LineTop is the y (Fyne units, in the view) of the line holding offset,
// with the arc band above it, for scrolling a selection into view.
func (v *SpanView) LineTop(off int) float32 {
	i, _ := v.doc.Caret(off)
	ln, _ := v.doc.Line(i)
	return viewPad + (ln.Y-v.doc.Metrics().SpaceAbove)/v.scale
}

// ensureLayout wraps the layout to the view's width at the canvas scale.
// A new layout keeps the reading position: the line holding the first
// visible character comes to the top.
func (v *SpanView) ensureLayout(size fyne.Size) {
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		scale = c.Scale()
	}
	w := max((size.Width-2*viewPad)*scale, 40)
	if scale == v.scale && w == v.wrapPx {
		return
	}
	keep := v.firstVisible()
	if scale != v.scale {
		v.scale = scale
		v.setText(v.text)
	}
	v.wrapPx = w
	v.doc.Wrap(w)
	v.lines = map[int]*canvas.Image{}
	if v.holdChar < 0 && keep < 0 {
		return
	}
	if v.holdChar >= 0 {
		v.viewTop = max(0, v.LineTop(v.holdChar)-v.holdDY)
		v.holdChar, v.topChar = -1, -1
	} else {
		v.viewTop = v.LineTop(keep)
	}
	if v.onReflow != nil {
		v.onReflow(v.viewTop)
	}
}

// MinSize is as tall as the laid-out text (estimated until all is laid out).
func (v *SpanView) MinSize() fyne.Size {
	v.ExtendBaseWidget(v)
	h := float32(0)
	if v.wrapPx > 0 {
		h = v.doc.EstimatedHeight() / v.scale
	}
	return fyne.NewSize(200, h+2*viewPad)
}

// toLayout converts a position in the view to layout pixels.
func (v *SpanView) toLayout(p fyne.Position) (float32, float32) {
	return (p.X - viewPad) * v.scale, (p.Y - viewPad) * v.scale
}

func (v *SpanView) hit(p fyne.Position) int {
	if v.wrapPx == 0 {
		return 0
	}
	x, y := v.toLayout(p)
	return v.doc.HitTest(x, y)
}

// MouseDown places the caret, or extends the selection with Shift.
func (v *SpanView) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		c.Focus(v)
	}
	off := v.hit(ev.Position)
	v.pressed = true
	v.exact = ev.Modifier&fyne.KeyModifierAlt != 0
	if ev.Modifier&fyne.KeyModifierShift != 0 || v.shift {
		v.caret = off
	} else {
		v.anchor, v.caret = off, off
	}
	v.updateActive()
	v.selectionChanged()
}

// MouseUp is part of desktop.Mouseable.
func (v *SpanView) MouseUp(*desktop.MouseEvent) {
	v.pressed = false
}

// Dragged extends the selection to the pointer. The anchor is where the
// button went down (MouseDown); a drag without a press event starts where
// the first drag event says it came from. The selection snaps to the
// whole words it touches (then OnDoubleTap adjusts it, as a double-click
// does): a hand rarely stops on a word's first or last letter. With Alt
// held it is letter-exact.
func (v *SpanView) Dragged(ev *fyne.DragEvent) {
	off := v.hit(ev.Position)
	if !v.dragging {
		v.dragging = true
		if !v.pressed && !v.shift {
			v.anchor = v.hit(ev.Position.Subtract(ev.Dragged))
		}
		v.dragFrom = v.anchor
	}
	v.anchor, v.caret = v.dragFrom, off
	v.reveal(ev.Position.Y, ev.Position.Y) // a drag past the visible part scrolls
	if !v.alt && !v.exact {
		s, e := snapWords(v.doc.Text(), min(v.dragFrom, off), max(v.dragFrom, off))
		if s < e && v.OnDoubleTap != nil {
			s, e = v.OnDoubleTap(s, e)
		}
		if off < v.dragFrom { // the caret stays at the end the pointer moves
			s, e = e, s
		}
		v.anchor, v.caret = s, e
	}
	v.updateActive()
	v.selectionChanged()
}

// snapWords widens [s,e) to the whole words (runs of annotate.IsWordRune)
// it touches, and narrows it off the spaces and punctuation at its ends.
// A range touching no word is left as it is.
func snapWords(t []rune, s, e int) (int, int) {
	ns, ne := s, e
	for ns < ne && !annotate.IsWordRune(t[ns]) {
		ns++
	}
	for ne > ns && !annotate.IsWordRune(t[ne-1]) {
		ne--
	}
	if ns == ne {
		return s, e
	}
	for ns > 0 && annotate.IsWordRune(t[ns-1]) {
		ns--
	}
	for ne < len(t) && annotate.IsWordRune(t[ne]) {
		ne++
	}
	return ns, ne
}

// DragEnd ends a drag selection and keeps the keyboard focus on the view:
// Fyne's desktop driver unfocuses the canvas when the button is released
// over something that takes no focus (the status line below the view),
// and the selection's hotkeys would then go nowhere.
func (v *SpanView) DragEnd() {
	v.dragging, v.pressed, v.exact = false, false, false
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil && c.Focused() != v {
		c.Focus(v)
	}
}

// Tapped focuses the view (MouseDown already placed the caret).
func (v *SpanView) Tapped(ev *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		c.Focus(v)
	}
	if v.OnTap != nil {
		v.OnTap(v.SpansAt(ev.Position), v.relationAt(ev.Position))
	}
}

// DoubleTapped selects the word under the pointer: of the character under
// it, not of the caret position nearest it, which on the trailing half of
// a character is the next one's.
func (v *SpanView) DoubleTapped(ev *fyne.PointEvent) {
	s, e := 0, 0
	if v.wrapPx > 0 {
		off, cs, ce := v.doc.RuneAt(v.toLayout(ev.Position))
		s, e = v.doc.WordAt(off)
		// A sign of several code points (an emoji sequence) is one.
		s, e = min(s, cs), max(e, ce)
	}
	if v.OnDoubleTap != nil {
		s, e = v.OnDoubleTap(s, e)
	}
	v.Select(s, e)
}

// MouseIn shows the labels of the spans under the pointer (desktop.Hoverable).
func (v *SpanView) MouseIn(ev *desktop.MouseEvent) { v.MouseMoved(ev) }

// MouseMoved updates the hover label.
func (v *SpanView) MouseMoved(ev *desktop.MouseEvent) {
	if v.hoverRelation(ev.Position) {
		v.Refresh()
	}
	text := v.hoverLabel(ev.Position)
	changed := text != v.hoverText
	v.hoverText, v.hoverAt = text, ev.Position
	if changed || text != "" {
		v.Refresh()
	}
}

// hoverLabel is what the hover label says at p: the relation under it,
// else the labels of the spans under it, outermost first.
func (v *SpanView) hoverLabel(p fyne.Position) string {
	if i := v.rel.hover; i >= 0 {
		return v.rel.arcs[i].Label
	}
	spans := v.SpansAt(p)
	labels := make([]string, len(spans))
	for i, sp := range spans {
		labels[len(spans)-1-i] = sp.Label
	}
	return strings.Join(labels, " · ")
}

// tipPlace is where the hover label of size sz goes for the pointer at p,
// so that it hides neither the hovered words nor the next line: above the
// pointer's line; where that is out of view (the first line in view),
// beside the hovered span; failing that below the line. It stays inside
// the visible part of the view, rows top to bottom.
func (v *SpanView) tipPlace(p fyne.Position, sz fyne.Size, top, bottom float32) fyne.Position {
	x, y := v.toLayout(p)
	ln, _ := v.doc.Line(v.doc.LineAt(y))
	lineTop := viewPad + ln.Y/v.scale
	lineBottom := lineTop + ln.Height/v.scale
	w := v.Size().Width
	pos := fyne.NewPos(max(0, min(p.X+8, w-sz.Width)), lineTop-sz.Height-1)
	if pos.Y >= top {
		return pos
	}
	if spans := v.SpansAt(p); len(spans) > 0 {
		mid := max(top, min((lineTop+lineBottom-sz.Height)/2, bottom-sz.Height))
		for _, r := range v.doc.Rects(spans[len(spans)-1].Start, spans[len(spans)-1].End) {
			if x < r.X0 || x >= r.X1 || y < r.Y0 || y >= r.Y1 {
				continue
			}
			if x0 := viewPad + r.X0/v.scale - sz.Width - 4; x0 >= 0 {
				return fyne.NewPos(x0, mid)
			}
			if x1 := viewPad + r.X1/v.scale + 4; x1+sz.Width <= w {
				return fyne.NewPos(x1, mid)
			}
		}
	}
	pos.Y = max(top, min(lineBottom+1, bottom-sz.Height))
	return pos
}

// inside reports whether a layout point is in one of the span's rectangles
// (the hit offset alone would also name a span ending just left of x).
func (v *SpanView) inside(sp annotate.Span, x, y float32) bool {
	for _, r := range v.doc.Rects(sp.Start, sp.End) {
		if x >= r.X0 && x < r.X1 && y >= r.Y0 && y < r.Y1 {
			return true
		}
	}
	return false
}

// MouseOut hides the hover label.
func (v *SpanView) MouseOut() {
	v.hoverText = ""
	v.Refresh()
}

// FocusGained shows the caret.
func (v *SpanView) FocusGained() { v.setFocused(true) }

// FocusLost hides the caret.
func (v *SpanView) FocusLost() { v.setFocused(false) }

func (v *SpanView) setFocused(f bool) {
	v.focused = f
	v.shift, v.alt = false, false
	v.Refresh()
}

// KeyDown tracks Shift, which Fyne does not pass with arrow keys, and Alt,
// which drag events do not carry.
func (v *SpanView) KeyDown(ev *fyne.KeyEvent) { v.trackModifier(ev.Name, true) }

// KeyUp tracks Shift and Alt.
func (v *SpanView) KeyUp(ev *fyne.KeyEvent) { v.trackModifier(ev.Name, false) }

func (v *SpanView) trackModifier(key fyne.KeyName, down bool) {
	switch key {
	case desktop.KeyShiftLeft, desktop.KeyShiftRight:
		v.shift = down
	case desktop.KeyAltLeft, desktop.KeyAltRight:
		v.alt = down
	}
}

// TypedRune sends label hotkeys to OnHotkey.
func (v *SpanView) TypedRune(r rune) {
	if r >= '1' && r <= '9' {
		if v.OnHotkey != nil {
			v.OnHotkey(r)
		}
	} else if v.OnRune != nil {
		v.OnRune(r)
	}
}

// TypedKey moves the caret: arrows in visual direction, Home/End, Up/Down
// by lines, PgUp/PgDn by the visible height; with Shift held the selection
// extends. The view scrolls to keep the caret's line in sight.
func (v *SpanView) TypedKey(ev *fyne.KeyEvent) {
	if v.OnKey != nil && v.OnKey(ev) {
		return
	}
	switch ev.Name {
	case fyne.KeyDelete, fyne.KeyBackspace:
		if v.OnDelete != nil {
			v.OnDelete()
		}
		return
	case fyne.KeyEscape:
		empty := v.anchor == v.caret
		v.anchor = v.caret
		v.updateActive()
		if empty && v.OnEscape != nil {
			v.OnEscape()
			return
		}
		v.selectionChanged()
		return
	}
	c := v.caret
	switch ev.Name {
	case fyne.KeyLeft:
		c = v.doc.MoveVisual(c, -1)
	case fyne.KeyRight:
		c = v.doc.MoveVisual(c, +1)
	case fyne.KeyUp:
		c = v.doc.MoveLine(c, -1)
	case fyne.KeyDown:
		c = v.doc.MoveLine(c, +1)
	case fyne.KeyHome:
		c = v.doc.LineStart(c)
	case fyne.KeyEnd:
		c = v.doc.LineEnd(c)
	case fyne.KeyPageUp:
		c = v.pageFrom(c, -1)
	case fyne.KeyPageDown:
		c = v.pageFrom(c, +1)
	default:
		return
	}
	v.caret = c
	if !v.shift {
		v.anchor = c
	}
	v.updateActive()
	v.revealCaret()
	v.selectionChanged()
}

// MoveVisual exposes visual caret motion from an offset (for boundary moves).
func (v *SpanView) MoveVisual(off, dir int) int { return v.doc.MoveVisual(off, dir) }

// TypedShortcut passes shortcuts to the owner.
func (v *SpanView) TypedShortcut(s fyne.Shortcut) {
	if v.OnShortcut != nil {
		v.OnShortcut(s)
	}
}

// CreateRenderer is part of fyne.Widget.
func (v *SpanView) CreateRenderer() fyne.WidgetRenderer {
	r := &spanViewRenderer{v: v, bg: canvas.NewRectangle(color.Transparent)}
	r.caret = canvas.NewRectangle(color.Black)
	r.tipBox = canvas.NewRectangle(color.Black)
	r.tipBox.CornerRadius = 4
	r.tip = canvas.NewText("", color.White)
	return r
}

type spanViewRenderer struct {
	v       *SpanView
	bg      *canvas.Rectangle
	caret   *canvas.Rectangle
	tipBox  *canvas.Rectangle
	tip     *canvas.Text
	objects []fyne.CanvasObject
	// rectangle pools, reused between refreshes
	highlights, selection, underlines, outlines []*canvas.Rectangle
	dashes                                      []*canvas.Rectangle // suggestions' outlines
	arcs                                        arcPool
}

func (r *spanViewRenderer) Destroy() {}

func (r *spanViewRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.v.ensureLayout(size)
	r.Refresh()
}

func (r *spanViewRenderer) MinSize() fyne.Size { return r.v.MinSize() }

func (r *spanViewRenderer) Objects() []fyne.CanvasObject { return r.objects }

func pooled(pool *[]*canvas.Rectangle, i int) *canvas.Rectangle {
	for len(*pool) <= i {
		*pool = append(*pool, canvas.NewRectangle(color.Transparent))
	}
	return (*pool)[i]
}

// Refresh rebuilds the object list for the lines in view: cached line
// images, span highlights, stacked underlines, selection and caret.
func (r *spanViewRenderer) Refresh() {
	v := r.v
	size := v.Size()
	v.ensureLayout(size)
	th := v.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, variant)
	if v.textColor == nil || !sameColor(v.textColor, fg) {
		v.textColor = fg
		v.lines = map[int]*canvas.Image{}
	}
	scale := v.scale
	top, height := v.viewTop, v.viewHeight
	if height <= 0 {
		height = size.Height
	}
	y0 := (top - viewPad) * scale
	y1 := (top + height - viewPad) * scale
	first, end := v.doc.LinesInRange(y0, y1)
	first = max(first-lineMargin, 0)
	end += lineMargin
	var visStart, visEnd = -1, -1
	var lines []layout.Line
	for i := first; i < end; i++ {
		ln, ok := v.doc.Line(i)
		if !ok {
			break
		}
		if visStart < 0 {
			visStart = ln.Start
		}
		visEnd = ln.End + 1
		lines = append(lines, ln)
	}

	objs := r.objects[:0]
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, variant)
	objs = append(objs, r.bg)
	toRect := func(rc *canvas.Rectangle, lr layout.Rect, dy0, dy1 float32) {
		rc.Move(fyne.NewPos(viewPad+lr.X0/scale, viewPad+(lr.Y0+dy0)/scale))
		rc.Resize(fyne.NewSize((lr.X1-lr.X0)/scale, (lr.Y1-lr.Y0-dy0+dy1)/scale))
	}

	// Span highlights, behind everything else.
	nh, nu := 0, 0
	if visStart >= 0 {
		for i, sp := range v.spans {
			if sp.End <= visStart || sp.Start >= visEnd {
				continue
			}
			col, ok := v.colors[sp.Label]
			if !ok {
				col = color.NRGBA{0x88, 0x88, 0x88, 0xff}
			}
			fill := col
			fill.A = 0x48
			if i == v.active {
				fill.A = 0x80
			}
			for _, lr := range v.doc.Rects(sp.Start, sp.End) {
				if lr.Y1 < y0-float32(lineMargin)*lr.Y1 && lr.Y1 < 0 {
					continue
				}
				h := pooled(&r.highlights, nh)
				nh++
				h.FillColor = fill
				h.StrokeWidth = 0
				toRect(h, lr, 2, -2)
				objs = append(objs, h)
				u := pooled(&r.underlines, nu)
				nu++
				u.FillColor = col
				d := float32(v.depth[i])
				u.Move(fyne.NewPos(viewPad+lr.X0/scale, viewPad+(lr.Y1-2-d*3*scale)/scale-2))
				u.Resize(fyne.NewSize((lr.X1-lr.X0)/scale, 2))
				objs = append(objs, u)
			}
		}
	}
	objs = r.appendSuggestions(objs, visStart, visEnd)
	objs = r.appendMarks(objs, visStart, visEnd, toRect)
	// Selection.
	ns := 0
	s, e := min(v.anchor, v.caret), max(v.anchor, v.caret)
	if s < e {
		sel := th.Color(theme.ColorNameSelection, variant)
		for _, lr := range v.doc.Rects(s, e) {
			rc := pooled(&r.selection, ns)
			ns++
			rc.FillColor = sel
			toRect(rc, lr, 0, 0)
			objs = append(objs, rc)
		}
	}
	objs = r.appendArcs(objs, visStart, visEnd)
	// Text, one cached image per line; the new ones drawn together.
	var missing []int
	for _, ln := range lines {
		if v.lines[ln.Index] == nil {
			missing = append(missing, ln.Index)
		}
	}
	if len(missing) > 0 {
		for k, rgba := range v.doc.LineImages(missing, max(int(v.wrapPx+0.5), 1), v.textColor) {
			v.lines[missing[k]] = v.lineImage(rgba)
		}
	}
	for _, ln := range lines {
		img := v.lines[ln.Index]
		img.Move(fyne.NewPos(viewPad, viewPad+ln.Y/scale))
		objs = append(objs, img)
	}
	// Forget images of lines far out of view.
	if len(v.lines) > 4*(end-first)+64 {
		for i := range v.lines {
			if i < first || i >= end {
				delete(v.lines, i)
			}
		}
	}
	// Caret.
	if v.focused && v.wrapPx > 0 {
		li, x := v.doc.Caret(v.caret)
		if ln, ok := v.doc.Line(li); ok {
			r.caret.FillColor = th.Color(theme.ColorNamePrimary, variant)
			r.caret.Move(fyne.NewPos(viewPad+x/scale-1, viewPad+ln.Y/scale+2))
			r.caret.Resize(fyne.NewSize(2, ln.Height/scale-4))
			objs = append(objs, r.caret)
		}
	}
	// Hover label.
	if v.hoverText != "" {
		r.tip.Text = v.hoverText
		r.tip.TextSize = th.Size(theme.SizeNameCaptionText)
		r.tip.Color = th.Color(theme.ColorNameBackground, variant)
		r.tip.TextStyle = fyne.TextStyle{Monospace: true}
		ts := r.tip.MinSize()
		r.tipBox.FillColor = th.Color(theme.ColorNameForeground, variant)
		box := ts.Add(fyne.NewSize(8, 4))
		pos := v.tipPlace(v.hoverAt, box, top, top+height)
		r.tipBox.Move(pos)
		r.tipBox.Resize(box)
		r.tip.Move(pos.Add(fyne.NewPos(4, 2)))
		r.tip.Resize(ts)
		objs = append(objs, r.tipBox, r.tip)
	}
	r.objects = objs
	canvas.Refresh(v) // repaint; the cached line images are not refreshed
}

// appendMarks outlines the marks in view: a line round each, thicker
// round the current one.
func (r *spanViewRenderer) appendMarks(objs []fyne.CanvasObject, visStart, visEnd int, toRect func(*canvas.Rectangle, layout.Rect, float32, float32)) []fyne.CanvasObject {
	v := r.v
	th, variant := v.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	n := 0
	for i, m := range v.marks {
		if visStart < 0 || m[1] <= visStart || m[0] >= visEnd {
			continue
		}
		for _, lr := range v.doc.Rects(m[0], m[1]) {
			o := pooled(&r.outlines, n)
			n++
			o.FillColor = color.Transparent
			o.StrokeColor = th.Color(theme.ColorNameForeground, variant)
			o.StrokeWidth = 1
			if i == v.markCur {
				o.StrokeColor = th.Color(theme.ColorNamePrimary, variant)
				o.StrokeWidth = 3
			}
			toRect(o, lr, 0, 0)
			objs = append(objs, o)
		}
	}
	return objs
}

// lineImage shows a line drawn by layout.LineImages, in device pixels.
func (v *SpanView) lineImage(rgba *image.RGBA) *canvas.Image {
	img := canvas.NewImageFromImage(rgba)
	img.FillMode = canvas.ImageFillStretch
	img.ScaleMode = canvas.ImageScaleFastest
	b := rgba.Bounds()
	img.Resize(fyne.NewSize(float32(b.Dx())/v.scale, float32(b.Dy())/v.scale))
	return img
}

func sameColor(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

func clamp(x, lo, hi int) int {
	return max(lo, min(x, hi))
}
