package layout

import (
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"time"
)

const (
	benchRunes  = 100000
	benchWidth  = 900
	benchScreen = 1000 // px of visible height
)

// bigText builds a 100,000-code-point Arabic document from the sample
// articles' paragraphs, in paragraphs of about 530 code points.
func bigText(tb testing.TB) string {
	var paras []string
	for _, a := range corpus(tb) {
		for _, p := range strings.Split(a.text, "\n") {
			if strings.TrimSpace(p) != "" {
				paras = append(paras, strings.TrimSpace(p))
			}
		}
	}
	var b strings.Builder
	n, cur := 0, 0
	for i := 0; n < benchRunes; i++ {
		p := paras[i%len(paras)]
		if cur > 0 {
			if cur >= 400 {
				b.WriteString("\n")
				cur = 0
			} else {
				b.WriteString(" ")
				cur++
			}
			n++
		}
		b.WriteString(p)
		l := len([]rune(p))
		n += l
		cur += l
	}
	return string([]rune(b.String())[:benchRunes])
}

// reportCPU reports the process CPU time per iteration since c0 (all
// threads, the garbage collector's included): steadier than wall time on a
// loaded machine.
func reportCPU(b *testing.B, c0 time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

func BenchmarkFirstScreen(b *testing.B) {
	text := bigText(b)
	f := mustFonts(b)
	b.ResetTimer()
	c0 := cpuTime(b)
	for i := 0; i < b.N; i++ {
		d := NewDocument(text, f, Options{Size: 20, Scale: 1})
		d.Wrap(benchWidth)
		if first, end := d.LinesInRange(0, benchScreen); end-first < 20 {
			b.Fatalf("only %d lines on the first screen", end-first)
		}
	}
	reportCPU(b, c0)
}

func BenchmarkFullLayout(b *testing.B) {
	text := bigText(b)
	f := mustFonts(b)
	b.ResetTimer()
	c0 := cpuTime(b)
	var d *Document
	for i := 0; i < b.N; i++ {
		d = NewDocument(text, f, Options{Size: 20, Scale: 1})
		d.Wrap(benchWidth)
		d.LayoutAll()
	}
	b.StopTimer()
	reportCPU(b, c0)
	b.ReportMetric(float64(d.NumLines()), "lines")
	b.ReportMetric(float64(d.Paragraphs()), "paragraphs")
}

// BenchmarkFullLayoutParallel shapes with ShapeAll's workers first.
func BenchmarkFullLayoutParallel(b *testing.B) {
	text := bigText(b)
	f := mustFonts(b)
	b.ResetTimer()
	c0 := cpuTime(b)
	for i := 0; i < b.N; i++ {
		d := NewDocument(text, f, Options{Size: 20, Scale: 1})
		d.Wrap(benchWidth)
		d.ShapeAll()
		d.LayoutAll()
	}
	reportCPU(b, c0)
}

func BenchmarkRewrap(b *testing.B) {
	d := NewDocument(bigText(b), mustFonts(b), Options{Size: 20, Scale: 1})
	d.Wrap(benchWidth)
	d.LayoutAll()
	b.ResetTimer()
	c0 := cpuTime(b)
	for i := 0; i < b.N; i++ {
		d.Wrap(benchWidth - 200 + float32(i%2)*200)
		d.LayoutAll()
	}
	reportCPU(b, c0)
}

func BenchmarkMemory(b *testing.B) {
	text := bigText(b)
	f := mustFonts(b)
	var ms0, ms1 runtime.MemStats
	var mb float64
	for i := 0; i < b.N; i++ {
		runtime.GC()
		runtime.ReadMemStats(&ms0)
		d := NewDocument(text, f, Options{Size: 20, Scale: 1})
		d.Wrap(benchWidth)
		d.LayoutAll()
		runtime.GC()
		runtime.ReadMemStats(&ms1)
		mb = float64(ms1.HeapAlloc-ms0.HeapAlloc) / (1 << 20)
		runtime.KeepAlive(d)
	}
	b.ReportMetric(mb, "MB-retained")
}

func laidOut(b *testing.B) *Document {
	d := NewDocument(bigText(b), mustFonts(b), Options{Size: 20, Scale: 1})
	d.Wrap(benchWidth)
	d.LayoutAll()
	return d
}

func BenchmarkHitTest(b *testing.B) {
	d := laidOut(b)
	h := d.Height()
	rng := rand.New(rand.NewSource(1))
	pts := make([][2]float32, 1024)
	for i := range pts {
		pts[i] = [2]float32{rng.Float32() * benchWidth, rng.Float32() * h}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pts[i%len(pts)]
		d.HitTest(p[0], p[1])
	}
}

func BenchmarkRects(b *testing.B) {
	d := laidOut(b)
	rng := rand.New(rand.NewSource(1))
	spans := make([][2]int, 1024)
	for i := range spans {
		s := rng.Intn(d.Len() - 40)
		spans[i] = [2]int{s, s + 5 + rng.Intn(30)}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sp := spans[i%len(spans)]
		d.Rects(sp[0], sp[1])
	}
}

func BenchmarkCaret(b *testing.B) {
	d := laidOut(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Caret((i * 7919) % d.Len())
	}
}

// benchCold runs lay on a new document of the benchmark text with new fonts
// each time (parsing not timed), so that every word is shaped anew as for
// the first document of a session, and reports its CPU time.
func benchCold(b *testing.B, lay func(d *Document)) {
	text := bigText(b)
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f, err := DefaultFonts()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 := cpuTime(b)
		d := NewDocument(text, f, Options{Size: 20, Scale: 1})
		d.Wrap(benchWidth)
		lay(d)
		cpu += cpuTime(b) - c0
	}
	b.ReportMetric(float64(cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkFirstScreenCold is BenchmarkFirstScreen with an empty word cache.
func BenchmarkFirstScreenCold(b *testing.B) {
	benchCold(b, func(d *Document) { d.LinesInRange(0, benchScreen) })
}

// BenchmarkFullLayoutCold is BenchmarkFullLayout with an empty word cache.
// Target: ≤ 1.5× BenchmarkFullLayout.
func BenchmarkFullLayoutCold(b *testing.B) {
	benchCold(b, (*Document).LayoutAll)
}

// BenchmarkDefaultFonts: parsing the shipped fonts, as every process does
// once before its first screen.
func BenchmarkDefaultFonts(b *testing.B) {
	for b.Loop() {
		if _, err := DefaultFonts(); err != nil {
			b.Fatal(err)
		}
	}
}
