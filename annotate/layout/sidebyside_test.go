package layout

import (
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"slices"
	"syscall"
	"testing"
	"time"
)

// The side-by-side benchmark of scripts/bench-layout.sh (make bench-layout):
// TestLayoutTimes measures Tawsim in a fresh process, TestWriteChromiumPage
// writes the page that measures Chromium on the same text. Both are skipped
// unless their environment variable is set.

// cpuTime is the process's user and system CPU time (every thread: the
// garbage collector's work counts).
func cpuTime(tb testing.TB) time.Duration {
	u, s := cpuTimes(tb)
	return u + s
}

// cpuTimes is the process's user and system CPU times; system time is
// mostly page faults on fresh heap memory.
func cpuTimes(tb testing.TB) (user, sys time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// TestLayoutTimes (TAWSIM_BENCH_LAYOUT=1) prints the CPU and wall time of the
// first full layout of the benchmark text in this process (the word cache
// empty) and the median of 5 warm ones, each a new Document.
func TestLayoutTimes(t *testing.T) {
	if os.Getenv("TAWSIM_BENCH_LAYOUT") == "" {
		t.Skip("set TAWSIM_BENCH_LAYOUT=1 (make bench-layout)")
	}
	text := bigText(t)
	c0, w0 := cpuTime(t), time.Now()
	f, err := DefaultFonts()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("fonts: cpu %.2f ms, wall %.2f ms\n", ms(cpuTime(t)-c0), ms(time.Since(w0)))
	layout := func() (user, sys, wall time.Duration, lines int, height float32) {
		u0, s0 := cpuTimes(t)
		w0 := time.Now()
		d := NewDocument(text, f, Options{Size: 20, Scale: 1})
		d.Wrap(benchWidth)
		d.LayoutAll()
		u1, s1 := cpuTimes(t)
		return u1 - u0, s1 - s0, time.Since(w0), d.NumLines(), d.Height()
	}
	user, sys, wall, lines, height := layout()
	fmt.Printf("first: cpu %.2f ms, wall %.2f ms, %d lines, %.0f px (user %.2f ms, sys %.2f ms)\n",
		ms(user+sys), ms(wall), lines, height, ms(user), ms(sys))
	var cpus, walls []float64
	for range 5 {
		user, sys, wall, _, _ := layout()
		cpus, walls = append(cpus, ms(user+sys)), append(walls, ms(wall))
	}
	words, bytes := f.words.stats()
	fmt.Printf("warm: cpu %.2f ms, wall %.2f ms (medians of 5)\n", median(cpus), median(walls))
	fmt.Printf("cache: %d words, %.2f MiB\n", words, float64(bytes)/(1<<20))
}

// TestFirstScreenTimes (TAWSIM_BENCH_SCREEN=1) prints the CPU and wall time
// of a fresh process's first screen of the benchmark text: parsing the
// fonts, laying out the lines of the first 1,000 px and drawing each into
// an image of its own, as the annotation view does.
func TestFirstScreenTimes(t *testing.T) {
	if os.Getenv("TAWSIM_BENCH_SCREEN") == "" {
		t.Skip("set TAWSIM_BENCH_SCREEN=1 (make bench-layout)")
	}
	text := bigText(t)
	c0, w0 := cpuTime(t), time.Now()
	f, err := DefaultFonts()
	if err != nil {
		t.Fatal(err)
	}
	c1, w1 := cpuTime(t), time.Now()
	d := NewDocument(text, f, Options{Size: 20, Scale: 1})
	d.Wrap(benchWidth)
	first, end := d.LinesInRange(0, benchScreen)
	for i := first; i < end; i++ {
		d.Line(i)
	}
	c2, w2 := cpuTime(t), time.Now()
	var idx []int
	for i := first; i < end; i++ {
		idx = append(idx, i)
	}
	d.LineImages(idx, benchWidth, color.Black) // as the view draws a new screen
	c3, w3 := cpuTime(t), time.Now()
	fmt.Printf("screen: cpu %.2f ms, wall %.2f ms, %d lines (cpu/wall: fonts %.2f/%.2f ms, layout %.2f/%.2f ms, drawing %.2f/%.2f ms)\n",
		ms(c3-c0), ms(w3.Sub(w0)), end-first, ms(c1-c0), ms(w1.Sub(w0)), ms(c2-c1), ms(w2.Sub(w1)), ms(c3-c2), ms(w3.Sub(w2)))
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestWriteChromiumPage (TAWSIM_BENCH_PAGE=file.html) writes a page that
// lays out the benchmark text as Tawsim does: a 900 px dir=auto
// pre-wrap div in Noto Naskh Arabic 20 px. After a short text in the font
// (so that the face is loaded), it times 5 rounds of setting the text and
// reading the div's bounding box (which forces style and layout), and
// writes the times into the page, for chromium --dump-dom.
func TestWriteChromiumPage(t *testing.T) {
	path := os.Getenv("TAWSIM_BENCH_PAGE")
	if path == "" {
		t.Skip("set TAWSIM_BENCH_PAGE=page.html (make bench-layout)")
	}
	js, err := json.Marshal(bigText(t))
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf(`<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>
#t { width: %dpx; white-space: pre-wrap; font: 20px "Noto Naskh Arabic"; line-height: normal; }
</style></head>
<body><div id="t" dir="auto"></div><pre id="out"></pre>
<script>
const text = %s;
const div = document.getElementById("t");
div.textContent = "تحميل الخط";
div.getBoundingClientRect();
const times = [];
let h = 0;
for (let i = 0; i < 5; i++) {
  div.textContent = "";
  div.getBoundingClientRect();
  const t0 = performance.now();
  div.textContent = text;
  h = div.getBoundingClientRect().height;
  times.push(performance.now() - t0);
}
div.textContent = "ب";
const lh = div.getBoundingClientRect().height;
div.textContent = "";
document.getElementById("out").textContent = "chromium" + "-ms " + times.map(x => x.toFixed(1)).join(" ") +
  " lines " + Math.round(h / lh) + " height " + h.toFixed(0);
</script></body></html>
`, benchWidth, js)
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
}
