package layout

import (
	"image"
	"image/color"
	"testing"
)

// tallText has the letters that reach highest and lowest: lam-alef with
// hamza, ta, kaf and lam with shadda and fatha, alef with hamza below.
const tallText = "لأُنَّ طّ كَّ لِّ إِ ألّا\nLatin Éy"

// With SpaceAbove, every line keeps its box (highlights, caret, hit tests
// agree on it) and has a free band above it that a point in maps to the
// line below; nothing else moves.
func TestSpaceAboveBandsLines(t *testing.T) {
	const gap = 16
	for _, scale := range []float32{1, 2} {
		plain := NewDocument(tallText, mustFonts(t), Options{Size: 20, Scale: scale})
		d := NewDocument(tallText, mustFonts(t), Options{Size: 20, Scale: scale, SpaceAbove: gap})
		plain.Wrap(60 * scale)
		d.Wrap(60 * scale)
		band := gap * scale
		if m := d.Metrics(); m.SpaceAbove != band || m.LineHeight != plain.Metrics().LineHeight {
			t.Fatalf("scale %v: metrics %+v", scale, m)
		}
		pl, ls := plain.Lines(), d.Lines()
		if len(ls) != len(pl) || len(ls) < 3 {
			t.Fatalf("scale %v: %d lines, %d without space", scale, len(ls), len(pl))
		}
		for i, ln := range ls {
			if want := pl[i].Y + float32(i+1)*band; ln.Y != want || ln.Baseline-ln.Y != pl[i].Baseline-pl[i].Y || ln.Height != pl[i].Height {
				t.Fatalf("scale %v line %d: Y %v baseline %v height %v; want Y %v", scale, i, ln.Y, ln.Baseline, ln.Height, want)
			}
			if ln.Start != pl[i].Start || ln.End != pl[i].End {
				t.Fatalf("scale %v line %d: [%d,%d), without space [%d,%d)", scale, i, ln.Start, ln.End, pl[i].Start, pl[i].End)
			}
			for _, r := range d.Rects(ln.Start, ln.End) {
				if r.Y0 != ln.Y || r.Y1 != ln.Y+ln.Height {
					t.Fatalf("scale %v line %d: rect %+v off the line box", scale, i, r)
				}
			}
			for o := ln.Start; o < ln.End; o++ {
				li, x := d.Caret(o)
				_, px := plain.Caret(o)
				if li != i || x != px {
					t.Fatalf("scale %v: caret %d at line %d x %v, without space line %d x %v", scale, o, li, x, i, px)
				}
				for _, y := range []float32{ln.Y - band + 0.5, ln.Y - 0.5, ln.Y + ln.Height/2} {
					if got := d.HitTest(x, y); got != plain.HitTest(x, pl[i].Y+pl[i].Height/2) {
						t.Fatalf("scale %v: HitTest(%v, %v) = %d on line %d", scale, x, y, got, i)
					}
				}
			}
			if got := d.LineAt(ln.Y - band); got != i {
				t.Fatalf("scale %v: the band above line %d is line %d's", scale, i, got)
			}
		}
		last := ls[len(ls)-1]
		if h := d.Height(); h != last.Y+last.Height {
			t.Fatalf("scale %v: height %v, last line ends at %v", scale, h, last.Y+last.Height)
		}
		// A view band holding only line 1's space above draws line 1.
		if first, end := d.LinesInRange(ls[1].Y-band, ls[1].Y-band+1); first != 1 || end != 2 {
			t.Fatalf("scale %v: lines in line 1's band: [%d,%d)", scale, first, end)
		}
	}
}

// The glyphs of every line, the tallest Arabic letters and diacritics too,
// are drawn inside its line box: the band above it stays empty.
func TestTallLettersStayInTheLineBox(t *testing.T) {
	d := NewDocument(tallText, mustFonts(t), Options{Size: 20, Scale: 1, SpaceAbove: 16})
	d.Wrap(1000)
	for _, ln := range d.Lines() {
		pad := 40
		img := image.NewRGBA(image.Rect(0, 0, 1000, int(ln.Height)+2*pad))
		d.DrawLine(img, ln.Index, image.Pt(0, pad-int(ln.Y)), color.Black)
		top, bottom := -1, -1
		for y := 0; y < img.Bounds().Dy(); y++ {
			for x := 0; x < img.Bounds().Dx(); x++ {
				if img.RGBAAt(x, y).A != 0 {
					if top < 0 {
						top = y
					}
					bottom = y
					break
				}
			}
		}
		if top < 0 {
			t.Fatalf("line %d: no ink", ln.Index)
		}
		if top < pad || bottom >= pad+int(ln.Height) {
			t.Errorf("line %d: ink in rows [%d,%d] of the line box [0,%d)", ln.Index, top-pad, bottom-pad, int(ln.Height))
		}
		t.Logf("line %d: ink in rows [%d,%d] of [0,%d)", ln.Index, top-pad, bottom-pad, int(ln.Height))
	}
}
