// Package golden compares rendered images with checked-in golden PNGs, for
// the render tests of layout and app.
package golden

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// UpdateEnv names the environment variable that, when set, makes Check
// write the golden file anew from the image it is given.
const UpdateEnv = "TAWSIM_UPDATE_GOLDEN"

// Check fails t unless got matches the PNG at path: same size, and at most
// 0.3 % of the pixels differ by more than 48 (of 255) in a colour channel.
// The tolerance absorbs anti-aliasing that differs between platforms; a
// moved word or highlight changes thousands of pixels. On failure got is
// written to a temporary file, named in the message.
func Check(t testing.TB, got image.Image, path string) {
	t.Helper()
	if os.Getenv(UpdateEnv) != "" {
		var buf bytes.Buffer
		if err := png.Encode(&buf, got); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (set %s=1 to write it)", err, UpdateEnv)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("size %v, golden %s %v", got.Bounds(), path, want.Bounds())
	}
	diff, total := pixelDiff(got, want, 48)
	if diff*1000 > total*3 {
		out := filepath.Join(t.TempDir(), "got-"+filepath.Base(path))
		if b, err := os.Create(out); err == nil {
			png.Encode(b, got)
			b.Close()
		}
		t.Fatalf("%d of %d pixels differ from %s (more than 0.3%%); the render is at %s", diff, total, path, out)
	}
}

// pixelDiff counts the pixels whose colour channels differ by more than tol.
func pixelDiff(a, b image.Image, tol uint32) (diff, total int) {
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if d := max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2)) >> 8; d > tol {
				diff++
			}
			total++
		}
	}
	return diff, total
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
