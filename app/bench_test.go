package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/annotate/layout"
	"tawsim/assets"
	"tawsim/storage"
)

// bigArabic is a ~100,000-code-point document of ~190 paragraphs made of
// the sample articles' paragraphs.
func bigArabic(tb testing.TB) string {
	paras := sampleParagraphs()
	var b strings.Builder
	n, cur := 0, 0
	for i := 0; n < 100000; i++ {
		p := paras[i%len(paras)]
		switch {
		case cur == 0:
		case cur >= 400:
			b.WriteString("\n")
			cur = 0
			n++
		default:
			b.WriteString(" ")
			cur++
			n++
		}
		b.WriteString(p)
		n += len([]rune(p))
		cur += len([]rune(p))
	}
	return string([]rune(b.String())[:100000])
}

// sampleParagraphs are the sample articles' paragraphs of more than 40
// code points.
func sampleParagraphs() []string {
	var paras []string
	for _, f := range assets.SampleCorpus() {
		text, _ := annotate.NormalizeText(f.Data)
		for _, p := range strings.Split(text, "\n") {
			if p = strings.TrimSpace(p); len([]rune(p)) > 40 {
				paras = append(paras, p)
			}
		}
	}
	return paras
}

// BenchmarkFirstScreen: a 100,000-code-point document opened in a 900 px
// wide view: laid out as far as the screen needs and its visible lines
// (plus the margin) rasterised into line images. Target ≤ 50 ms.
func BenchmarkFirstScreen(b *testing.B) {
	test.NewTempApp(b)
	text := bigArabic(b)
	v := NewSpanView(testFonts, 20)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(900, 1000))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.SetText(text) // a fresh layout: nothing shaped or drawn yet
		v.ScrollTo(0, 1000)
		test.WidgetRenderer(v).Layout(v.Size())
	}
	b.ReportMetric(float64(strings.Count(text, "\n")+1), "paragraphs")
}

// BenchmarkScrollStep: one scroll step of 60 units through the document,
// drawing the lines that come into view. Target ≤ 16 ms.
func BenchmarkScrollStep(b *testing.B) {
	test.NewTempApp(b)
	v := NewSpanView(testFonts, 20)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(900, 1000))
	v.SetText(bigArabic(b))
	v.Layout().LayoutAll()
	total := v.Layout().Height()
	y := float32(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		y += 60
		if y > total-1000 {
			y = 0
		}
		v.ScrollTo(y, 1000)
	}
}

// BenchmarkHotkeyLabel1000: from a label hotkey to the span stored (commit
// included) and the view, span list and palette refreshed, in a document
// that has 1,000 spans. Target ≤ 16 ms.
func BenchmarkHotkeyLabel1000(b *testing.B) {
	a := test.NewTempApp(b)
	a.Preferences().SetString(prefAnnotator, "amina")
	st, err := storage.OpenEmpty(filepath.Join(b.TempDir(), "b.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	text := bigArabic(b)
	layer := annotate.Layer{Annotator: "amina"}
	labels := []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
	for k := 0; k < 1000; k++ {
		layer.Spans = append(layer.Spans, annotate.Span{Start: k * 90, End: k*90 + 6, Label: labels[k%4]})
	}
	if _, err := st.Import([]annotate.Record{{Doc: annotate.Document{ID: "big", Text: text}, Layers: []annotate.Layer{layer}}}, storage.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	w := test.NewWindow(nil)
	defer w.Close()
	u, err := NewUI(a, w, st, testFonts)
	if err != nil {
		b.Fatal(err)
	}
	w.Resize(fyne.NewSize(1280, 800))
	if n := len(u.view.Spans()); n != 1000 {
		b.Fatalf("%d spans shown", n)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := (i%1000)*90 + 20 + (i/1000)%60
		u.view.Select(s, s+3)
		test.Type(u.view, "2")
	}
	b.StopTimer()
	if n := len(u.view.Spans()); n != 1000+b.N {
		b.Fatalf("%d spans shown after %d labels", n, b.N)
	}
}

// BenchmarkFirstScreenCold is BenchmarkFirstScreen with fresh fonts each
// time: no shaper and no glyph is cached (the first document of a session).
func BenchmarkFirstScreenCold(b *testing.B) {
	test.NewTempApp(b)
	text := bigArabic(b)
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(900, 1000))
	b.ResetTimer()
	c0 := cpuTime(b)
	for i := 0; i < b.N; i++ {
		fonts, err := layout.DefaultFonts()
		if err != nil {
			b.Fatal(err)
		}
		v := NewSpanView(fonts, 20)
		w.SetContent(v)
		v.SetText(text)
		v.ScrollTo(0, 1000)
		test.WidgetRenderer(v).Layout(v.Size())
	}
	b.ReportMetric(float64(cpuTime(b)-c0)/float64(b.N)/1e6, "cpu-ms/op")
}
