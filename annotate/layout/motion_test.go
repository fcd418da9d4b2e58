package layout

import "testing"

func TestWordAt(t *testing.T) {
	const text = "قال (سانا) إن والأردن 2025، Türkiye."
	d := newDoc(t, text, 900)
	for _, c := range []struct{ ctx, word string }{
		{"(سانا)", "سانا"}, {"والأردن", "والأردن"}, {"2025", "2025"}, {"Türkiye", "Türkiye"},
	} {
		s, e := span(t, text, c.ctx, c.word)
		for o := s; o < e; o++ {
			if gs, ge := d.WordAt(o); gs != s || ge != e {
				t.Errorf("WordAt(%d) in %q = [%d,%d), want [%d,%d)", o, c.word, gs, ge, s, e)
			}
		}
	}
	if s, e := d.WordAt(4); s != 4 || e != 5 { // "("
		t.Errorf("WordAt on '(' = [%d,%d)", s, e)
	}
}

// Visual motion visits every distinct caret x of each line exactly once,
// monotonically, and leaving a line continues on the next one.
func TestMoveVisual(t *testing.T) {
	for _, a := range corpus(t)[:2] {
		d := newDoc(t, a.text, 600)
		for _, ln := range d.Lines() {
			if len(ln.Runs) == 0 {
				continue
			}
			stops := lineStops(&ln)
			distinct := 1
			for i := 1; i < len(stops); i++ {
				if stops[i].x-stops[i-1].x > 1e-3 {
					distinct++
				}
			}
			// Start at the leftmost stop and go right.
			o := stops[0].off
			_, x := d.Caret(o)
			visited := 1
			for {
				n := d.MoveVisual(o, +1)
				li, nx := d.Caret(n)
				if li != ln.Index || n == o {
					break
				}
				if nx <= x {
					t.Fatalf("%s line %d: MoveVisual(%d,+1) = %d went from x %.2f to %.2f", a.name, ln.Index, o, n, x, nx)
				}
				o, x = n, nx
				visited++
			}
			if visited != distinct {
				t.Fatalf("%s line %d: visited %d of %d caret positions", a.name, ln.Index, visited, distinct)
			}
		}
	}
	// Leaving an RTL line on the left goes to the next line's start.
	text := corpus(t)[0].text
	d := newDoc(t, text, 300)
	ln, _ := d.Line(3)
	for !ln.RTL || ln.Last {
		ln, _ = d.Line(ln.Index + 1)
	}
	left := lineStops(&ln)[0].off
	if got := d.MoveVisual(left, -1); got != ln.End {
		t.Errorf("MoveVisual off the left of line %d = %d, want next line start %d", ln.Index, got, ln.End)
	}
}

func TestLineStartEndMoveLine(t *testing.T) {
	text := corpus(t)[0].text
	d := newDoc(t, text, 300)
	for _, ln := range d.Lines() {
		for o := ln.Start; o < ln.End; o++ {
			if got := d.LineStart(o); got != ln.Start {
				t.Fatalf("LineStart(%d) = %d, want %d", o, got, ln.Start)
			}
			want := ln.End
			if !ln.Last {
				want--
			}
			if got := d.LineEnd(o); got != want {
				t.Fatalf("LineEnd(%d) = %d, want %d", o, got, want)
			}
		}
	}
	// Down then up from the start of a line in a multi-line paragraph.
	lines := d.Lines()
	for i := 0; i+1 < len(lines); i++ {
		if lines[i].Last || len(lines[i].Runs) == 0 {
			continue
		}
		o := lines[i].Start
		down := d.MoveLine(o, 1)
		if li, _ := d.Caret(down); li != i+1 {
			t.Fatalf("MoveLine(%d,+1) landed on line %d, want %d", o, li, i+1)
		}
		// It keeps x: the result is the hit-test of the same x on the lower
		// line. (At a bidi boundary that logical position may be drawn
		// elsewhere: "after Gazetesi" at a line's right edge is offset 657,
		// whose canonical caret is before the following space.)
		_, x0 := d.Caret(o)
		if want := d.OffsetAtLineX(i+1, x0); down != want {
			t.Fatalf("MoveLine(%d,+1) = %d, want %d", o, down, want)
		}
	}
}

// The first screen of a long document is laid out without the rest.
func TestLazyFirstScreen(t *testing.T) {
	d := NewDocument(bigText(t), mustFonts(t), Options{Size: 20, Scale: 1})
	d.Wrap(900)
	first, end := d.LinesInRange(0, 1000)
	if first != 0 || end < 20 {
		t.Fatalf("first screen lines [%d,%d)", first, end)
	}
	if d.Complete() {
		t.Fatal("whole document laid out for the first screen")
	}
	est := d.EstimatedHeight()
	h := d.Height()
	if !d.Complete() || est < h/2 || est > h*2 {
		t.Fatalf("estimated height %v, exact %v", est, h)
	}
	// A resize re-wraps lazily and keeps the shaping.
	d.Wrap(500)
	if d.Complete() {
		t.Fatal("resize did not invalidate the lines")
	}
	if l, ok := d.Line(d.NumLines() - 1); !ok || l.End != d.Len() {
		t.Fatalf("last line %+v", l)
	}
}

func TestScale(t *testing.T) {
	const text = "تجربة Scale"
	a := NewDocument(text, mustFonts(t), Options{Size: 10, Scale: 2})
	b := NewDocument(text, mustFonts(t), Options{Size: 20, Scale: 1})
	la, _ := a.Line(0)
	lb, _ := b.Line(0)
	if a.Metrics() != b.Metrics() || absf((la.X1-la.X0)-(lb.X1-lb.X0)) > 1e-3 {
		t.Fatalf("10pt×2 and 20pt×1 differ: %+v %+v", a.Metrics(), b.Metrics())
	}
}
