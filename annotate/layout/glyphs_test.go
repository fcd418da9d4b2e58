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
