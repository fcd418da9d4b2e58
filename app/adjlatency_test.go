package app

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
	"tawsim/storage"
)

// teamProject is a project of n documents of 100 words, each with the
// layers of annotators a, b and c over 12 places: all three agree on 8, a
// and b on 3 against c's other label, and a alone marked 1.
func teamProject(tb testing.TB, n int) *storage.Store {
	tb.Helper()
	st, err := storage.OpenEmpty(filepath.Join(tb.TempDir(), "team.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	words := strings.Fields("أكد وزير الخارجية التركي هاكان فيدان أن أنقرة ستواصل التعاون مع الأردن وسوريا في مجالات الأمن والطاقة والتجارة")
	labels := []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
	// Who marks place k, and whether c gives it the next label.
	who := func(k int) (names string, cOther bool) {
		switch {
		case k < 8:
			return "abc", false
		case k < 11:
			return "abc", true
		}
		return "a", false
	}
	rng := rand.New(rand.NewSource(1))
	var recs []annotate.Record
	for i := range n {
		text := make([]string, 100)
		for k := range text {
			text[k] = words[rng.Intn(len(words))]
		}
		layers := map[string][]annotate.Span{}
		for k := range 12 {
			// Word 8k starts after the 8k words before it and their spaces.
			s := len([]rune(strings.Join(text[:8*k], " ")))
			if k > 0 {
				s++
			}
			e := s + len([]rune(text[8*k]))
			names, cOther := who(k)
			for _, r := range names {
				l := labels[k%4]
				if r == 'c' && cOther {
					l = labels[(k+1)%4]
				}
				layers[string(r)] = append(layers[string(r)], annotate.Span{Start: s, End: e, Label: l})
			}
		}
		doc := annotate.Document{ID: fmt.Sprintf("doc%05d", i), Text: strings.Join(text, " ")}
		for _, a := range []string{"a", "b", "c"} {
			recs = append(recs, annotate.Record{Doc: doc, Layers: []annotate.Layer{{Annotator: a, Spans: layers[a]}}})
		}
	}
	for from := 0; from < len(recs); from += 3000 {
		if _, err := st.Import(recs[from:min(from+3000, len(recs))], storage.ImportOptions{}); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

// prefillLatency presses P in an adjudication window on st and runs the
// window's UI work on this goroutine, as the driver's event loop would,
// while another goroutine schedules a tick every 2 ms: it returns the
// longest the UI goroutine was blocked (the longest a tick waited, or the
// longest task it ran), the ticks run and how long the pre-fill took.
func prefillLatency(tb testing.TB, st *storage.Store) (worst time.Duration, ticks int, took time.Duration) {
	s := openAdj(uiOn(tb, st, "lead"))
	defer s.win.Close()
	s.minSel.SetSelected("2 of 3 agree")
	q := make(chan func(), 1<<16)
	s.do = func(f func()) { q <- f }
	stop, finished := make(chan struct{}), make(chan struct{})
	go every(2*time.Millisecond, stop, func() {
		sent := time.Now()
		q <- func() { worst, ticks = max(worst, time.Since(sent)), ticks+1 }
	})
	start := time.Now()
	q <- func() {
		s.prefill() // the key press
		go func() {
			s.jobs.wait()
			// After the pre-fill's own UI work: the list load it started.
			q <- func() {
				go func() {
					s.loads.wait()
					close(finished)
				}()
			}
		}()
	}
	var longestF time.Duration
	for running := true; running; {
		select {
		case f := <-q:
			t0 := time.Now()
			f()
			if d := time.Since(t0); d > longestF {
				longestF = d
			}
		case <-finished:
			running = false
		}
	}
	took = time.Since(start)
	worst = max(worst, longestF) // a long task no tick happened to wait for
	close(stop)
	for len(q) > 0 { // what the load left for the UI
		(<-q)()
	}
	if !strings.Contains(s.message.text, "accepted") || s.bar.Visible() {
		tb.Fatalf("after the pre-fill: %q", s.message.text)
	}
	return worst, ticks, took
}

// A pre-fill through the window never blocks the UI goroutine for long:
// it runs in the background and the window only moves its progress bar.
// (BenchmarkPrefillWindow10k measures 10,000 documents.)
func TestPrefillKeepsTheWindowResponsive(t *testing.T) {
	worst, ticks, took := prefillLatency(t, teamProject(t, 300))
	t.Logf("300 documents: pre-fill %v, longest UI block %v over %d ticks", took, worst, ticks)
	if worst > 50*time.Millisecond {
		t.Errorf("the UI goroutine was blocked %v (at most 50 ms)", worst)
	}
}

// BenchmarkPrefillWindow10k: P in the adjudication window of a project of
// 10,000 documents × 3 annotators; reports the longest the UI goroutine
// was blocked (target ≤ 50 ms).
func BenchmarkPrefillWindow10k(b *testing.B) {
	st := teamProject(b, 10000)
	b.ResetTimer()
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		w, ticks, took := prefillLatency(b, st)
		worst = max(worst, w)
		b.Logf("pre-fill %v, longest UI block %v over %d ticks", took, w, ticks)
	}
	b.ReportMetric(float64(worst.Microseconds())/1000, "max-ui-block-ms")
}
