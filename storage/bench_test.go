package storage_test

import (
	"fmt"
	"io"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
	"tawsim/assets"
	"tawsim/export"
	"tawsim/internal/pgtest"
	"tawsim/storage"
)

// sentences are the sample corpus cut at full stops.
func sentences(b testing.TB) []string {
	var out []string
	for _, f := range assets.SampleCorpus() {
		text, _ := annotate.NormalizeText(f.Data)
		for _, s := range strings.FieldsFunc(text, func(r rune) bool { return r == '.' || r == '\n' }) {
			if s = strings.TrimSpace(s); len([]rune(s)) > 20 {
				out = append(out, s+".")
			}
		}
	}
	if len(out) == 0 {
		b.Fatal("no sentences")
	}
	return out
}

// synthetic builds n documents of about 2,000 code points from the sample
// sentences, each with spans spans on word boundaries.
func synthetic(b testing.TB, n, spans int) []annotate.Record {
	ss := sentences(b)
	rng := rand.New(rand.NewSource(1))
	recs := make([]annotate.Record, n)
	for i := range recs {
		var sb strings.Builder
		for len([]rune(sb.String())) < 2000 {
			sb.WriteString(ss[rng.Intn(len(ss))])
			sb.WriteString(" ")
		}
		text := sb.String()
		recs[i] = annotate.Record{Doc: annotate.Document{ID: fmt.Sprintf("doc%05d", i), Title: fmt.Sprintf("وثيقة %d", i), Text: text}}
		if spans > 0 {
			runes := []rune(text)
			var starts []int
			for j, r := range runes {
				if j > 0 && runes[j-1] == ' ' && r != ' ' {
					starts = append(starts, j)
				}
			}
			labels := []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
			layer := annotate.Layer{Annotator: "amina"}
			step := len(starts) / spans
			for k := 0; k < spans; k++ {
				s := starts[k*step]
				e := s + 3 + rng.Intn(8)
				layer.Spans = append(layer.Spans, annotate.Span{Start: s, End: e, Label: labels[k%4], Text: string(runes[s:e])})
			}
			recs[i].Layers = []annotate.Layer{layer}
		}
	}
	return recs
}

// BenchmarkImport10k imports 10,000 documents of ~2,000 code points into a
// fresh database per iteration. Target: ≥ 5,000 documents/s (on
// PostgreSQL, in the second run under scripts/pg-test.sh: ≥ 2,000).
func BenchmarkImport10k(b *testing.B) {
	recs := synthetic(b, 10000, 0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := storage.OpenEmpty(pgtest.Project(b, b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(recs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkAddSpan adds one span (commit included) to a document that
// already has 1,000. Target: median ≤ 2 ms (PostgreSQL: ≤ 5 ms).
func BenchmarkAddSpan(b *testing.B) {
	st, err := storage.OpenEmpty(pgtest.Project(b, b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	recs := synthetic(b, 1, 0)
	text := []rune(recs[0].Doc.Text)
	for len(text) < 60000 {
		text = append(text, text...)
	}
	recs[0].Doc.Text = string(text)
	layer := annotate.Layer{Annotator: "amina"}
	for k := 0; k < 1000; k++ {
		layer.Spans = append(layer.Spans, annotate.Span{Start: k * 50, End: k*50 + 5, Label: "PERSON"})
	}
	recs[0].Layers = []annotate.Layer{layer}
	if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		start := i%50000 + 7
		if _, err := st.AddSpan("doc00000", "amina", annotate.Span{Start: start, End: start + 2 + i/50000, Label: "STATE"}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}

// BenchmarkExportJSONL exports 10,000 documents × 20 spans from the store
// as native JSONL. Target: ≥ 50 MB/s (PostgreSQL: ≥ 30 MB/s).
func BenchmarkExportJSONL(b *testing.B) {
	st, err := storage.OpenEmpty(pgtest.Project(b, b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(synthetic(b, 10000, 20), storage.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	var cw countingWriter
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cw.n = 0
		w := export.NewJSONLWriter(&cw)
		err := st.EachRecord("amina", false, func(rec *annotate.Record) error {
			return w.Write(&rec.Doc, &rec.Layers[0])
		})
		if err != nil {
			b.Fatal(err)
		}
		w.Flush()
	}
	b.SetBytes(cw.n)
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return io.Discard.Write(p)
}
