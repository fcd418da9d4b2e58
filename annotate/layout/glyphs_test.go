package layout

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"math/rand"
	"testing"
)

// TestBlendMaskIsDrawOver: blendMask gives draw.DrawMask's pixels (uniform
// source, draw.Over) for opaque and translucent colours, on transparent and
// painted destinations, with masks reaching past the destination's edges.
func TestBlendMaskIsDrawOver(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	colours := []color.Color{color.Black, color.White, color.NRGBA{0x20, 0x60, 0xc0, 0xff},
		color.NRGBA{0xd0, 0x30, 0x10, 0x80}, color.RGBA{0x10, 0x20, 0x30, 0x40}}
	for k := 0; k < 200; k++ {
		mask := image.NewAlpha(image.Rect(0, 0, 1+rng.Intn(20), 1+rng.Intn(30)))
		for i := range mask.Pix {
			switch rng.Intn(3) {
			case 0:
				mask.Pix[i] = 0
			case 1:
				mask.Pix[i] = 0xff
			default:
				mask.Pix[i] = uint8(rng.Intn(256))
			}
		}
		want := image.NewRGBA(image.Rect(0, 0, 40, 30))
		if k%2 == 1 { // a painted background, partly transparent
			for i := range want.Pix {
				if rng.Intn(3) > 0 {
					want.Pix[i] = uint8(rng.Intn(256))
				}
			}
		}
		got := image.NewRGBA(want.Rect)
		copy(got.Pix, want.Pix)
		at := image.Pt(rng.Intn(50)-10, rng.Intn(40)-10)
		col := colours[k%len(colours)]
		draw.DrawMask(want, mask.Bounds().Add(at), image.NewUniform(col), image.Point{}, mask, image.Point{}, draw.Over)
		blendMask(got, at, mask, newCoverageLUT(col))
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("case %d (mask %v at %v, colour %v): pixels differ from draw.DrawMask", k, mask.Rect, at, col)
		}
	}
}

// TestLineImagesAreDrawLine: prepare, rasterising from an empty glyph cache
// on several workers, finds every glyph drawing needs (at its phase), and the
// lines drawn together on all CPUs are the pixels DrawLine gives each line
// alone; the benchmark text's first 60 lines and an article's (go test -race).
func TestLineImagesAreDrawLine(t *testing.T) {
	for _, text := range []string{bigText(t), corpus(t)[0].text} {
		f := freshFonts(t) // an empty glyph cache: prepare rasterises
		d := NewDocument(text, f, Options{Size: 20, Scale: 1})
		d.Wrap(600)
		var idx []int
		for i := 0; i < min(60, d.NumLines()); i++ {
			idx = append(idx, i)
		}
		idx = append(idx, d.NumLines()+3) // no such line
		f.glyphs.mu.Lock()
		cached := len(f.glyphs.m)
		f.glyphs.mu.Unlock()
		if cached != 0 {
			t.Fatalf("%d glyphs cached before drawing", cached)
		}
		// prepare finds every glyph drawing needs, at its phase.
		var lines []Line
		for _, i := range idx {
			ln, _ := d.Line(i)
			lines = append(lines, ln)
		}
		f.glyphs.prepare(lines, 20)
		prepared := len(f.glyphs.m)
		d.LineImages(idx, 620, color.Black)
		if drawn := len(f.glyphs.m); prepared < minPrepared || drawn != prepared {
			t.Fatalf("%d glyphs prepared, %d after drawing", prepared, drawn)
		}
		for round := range 2 {
			imgs := d.LineImages(idx, 620, color.Black)
			for k, i := range idx {
				ln, ok := d.Line(i)
				want := image.NewRGBA(image.Rect(0, 0, 620, max(int(ln.Height+0.5), 1)))
				if ok && !d.DrawLine(want, i, image.Pt(0, -int(ln.Y)), color.Black) {
					t.Fatalf("line %d not drawn", i)
				}
				if imgs[k].Bounds() != want.Bounds() || !bytes.Equal(imgs[k].Pix, want.Pix) {
					t.Fatalf("round %d: line %d differs from DrawLine's", round, i)
				}
			}
		}
	}
}
