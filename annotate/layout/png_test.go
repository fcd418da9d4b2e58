package layout

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"testing"
)

const mixedSample = "بحسب صحيفة Türkiye Gazetesi التركية، اجتمع وزراء خارجية تركيا والأردن وسوريا في 10 مارس 2025 (سانا) لبحث نقل 3.5 مليون لاجئ مقيمين بتركيا، وقال فيدان: \"التعاون [الإقليمي] ضروري\" وفق BMW (X5) 2024.\nEnglish paragraph with an Arabic word عمّان inside, and (parentheses)."

// pangoSample is the text of /work/shared/notes/fyne-bidi-pango-reference.png
// (pango-view, 616 px wide, 20 px).
const pangoSample = "عمّان (رويترز) - قال وزير الخارجية إن التعاون بين سوريا والأردن وتركيا سيتعزز خلال عام 2025، مشيراً إلى أن شركة Microsoft ستستثمر 1.5 مليار دولار في مشروع «الطاقة الخضراء» بتركيا.\nوأضاف في مقابلة مع قناة BBC (British Broadcasting Corporation) أن \"الاتفاق سيُوقَّع في 12 آذار/مارس\" المقبل، وأن سعر سيارة BMW (X5) بلغ نحو 50,000 دولار بحسب موقع example.com [المصدر: وكالة الأنباء]."

// TestRenderPNG draws a mixed-direction text with highlights into
// /tmp/layout-check.png, for a human look (compare with
// /work/shared/notes/fyne-bidi-pango-reference.png).
func TestRenderPNG(t *testing.T) {
	doc := NewDocument(mixedSample, mustFonts(t), Options{Size: 20, Scale: 1})
	const W = 600
	doc.Wrap(W)
	ref := NewDocument(pangoSample, mustFonts(t), Options{Size: 20, Scale: 1})
	ref.Wrap(616)
	h := int(doc.Height()) + 20
	img := image.NewRGBA(image.Rect(0, 0, 616+40, h+int(ref.Height())+20))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	origin := image.Pt(20, 10)
	// Alignment guides.
	for y := 0; y < h; y++ {
		img.Set(origin.X, y, color.RGBA{200, 200, 255, 255})
		img.Set(origin.X+W, y, color.RGBA{200, 200, 255, 255})
	}
	spans := []struct {
		ctx, sub string
		col      color.RGBA
	}{
		{"والأردن", "الأردن", color.RGBA{255, 200, 200, 255}},
		{"بتركيا", "تركيا", color.RGBA{200, 255, 200, 255}},
		{"Türkiye Gazetesi", "Türkiye Gazetesi", color.RGBA{200, 200, 255, 255}},
		{"(سانا)", "سانا", color.RGBA{255, 255, 160, 255}},
		{"10 مارس 2025", "10 مارس 2025", color.RGBA{255, 220, 160, 255}},
		{"عمّان", "عمّان", color.RGBA{255, 200, 255, 255}},
	}
	for _, sp := range spans {
		s, e := span(t, mixedSample, sp.ctx, sp.sub)
		rects := doc.Rects(s, e)
		t.Logf("%s [%d,%d): %v", sp.sub, s, e, rects)
		for _, r := range rects {
			rr := image.Rect(origin.X+int(r.X0+0.5), origin.Y+int(r.Y0), origin.X+int(r.X1+0.5), origin.Y+int(r.Y1))
			draw.Draw(img, rr, &image.Uniform{sp.col}, image.Point{}, draw.Src)
		}
	}
	for i := 0; i < doc.NumLines(); i++ {
		doc.DrawLine(img, i, origin, color.Black)
	}
	refOrigin := image.Pt(20, h+10)
	for y := h; y < img.Bounds().Dy(); y++ {
		img.Set(refOrigin.X+616, y, color.RGBA{200, 200, 255, 255})
	}
	for i := 0; i < ref.NumLines(); i++ {
		ref.DrawLine(img, i, refOrigin, color.Black)
	}
	f, err := os.Create("/tmp/layout-check.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
