package app

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"tawsim/annotate"
)

// mixedDoc is a mixed-direction paragraph: Latin words, digits, brackets,
// guillemets, a sub-word span (الأردن in والأردن, تركيا in بتركيا) and
// nested spans (فيدان in هاكان فيدان, تركيا in the CLAIM).
func mixedDoc(t *testing.T) (*annotate.Document, []annotate.Span) {
	t.Helper()
	text := "بحسب صحيفة Türkiye Gazetesi التركية، زار وزير الخارجية هاكان فيدان والأردن في 10 مارس 2025 (سانا)، وقال إن «التعاون» مستمر بتركيا."
	doc := &annotate.Document{ID: "mix", Title: "نص مختلط الاتجاه", Text: text}
	runes := []rune(text)
	var spans []annotate.Span
	for _, s := range []struct {
		start, end int
		label      string
	}{{11, 27, "ORGANIZATION"}, {61, 66, "PERSON"}, {55, 66, "PERSON"}, {68, 74, "STATE"}, {92, 96, "ORGANIZATION"}, {124, 129, "STATE"}, {107, 129, "CLAIM"}} {
		spans = append(spans, annotate.Span{Start: s.start, End: s.end, Label: s.label, Text: string(runes[s.start:s.end])})
	}
	if spans[3].Text != "الأردن" || spans[5].Text != "تركيا" {
		t.Fatalf("fixture offsets are off: %q %q", spans[3].Text, spans[5].Text)
	}
	return doc, spans
}

// TestRenderGolden compares the headless render of the mixed paragraph
// with the checked-in image (looked at before it was checked in). Set
// TAWSIM_UPDATE_GOLDEN=1 to write it anew.
func TestRenderGolden(t *testing.T) {
	doc, spans := mixedDoc(t)
	var buf bytes.Buffer
	if err := Render(&buf, doc, spans, annotate.DefaultLabels(), "amina", RenderOptions{Width: 700}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "render-mixed.png")
	if os.Getenv("TAWSIM_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != want.Bounds() {
		t.Fatalf("size %v, golden %v", got.Bounds(), want.Bounds())
	}
	// Tolerance: anti-aliasing may differ slightly between platforms; a
	// moved word or highlight changes thousands of pixels.
	diff, total := pixelDiff(got, want, 48)
	if diff*1000 > total*3 {
		out := filepath.Join(t.TempDir(), "render-mixed-got.png")
		b, _ := os.Create(out)
		png.Encode(b, got)
		b.Close()
		t.Fatalf("%d of %d pixels differ from %s (more than 0.3%%); the render is at %s", diff, total, golden, out)
	}
}

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
