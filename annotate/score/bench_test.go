package score

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/export"
)

var benchWords = strings.Fields("قال وزير الخارجية المصري إن المحادثات مع الوفد الأردني في عمان كانت مثمرة وأضاف أن الحكومة ستواصل دعم الجهود الدولية لحل الأزمة وأكد المتحدث باسم الأمم المتحدة أن المنظمة تتابع الوضع عن كثب")

// synthCorpus makes n documents of about 800 code points with about 15
// word-aligned gold spans each (one in eight with a nested inner span), and
// predictions derived from them: mostly exact, some with another label,
// some with a boundary moved by a word, some dropped, plus one spurious
// prediction per document.
func synthCorpus(n int) []Doc {
	rng := rand.New(rand.NewPCG(42, 43))
	labels := []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
	docs := make([]Doc, n)
	for i := range docs {
		var b strings.Builder
		var starts, ends []int // word offsets in code points
		pos := 0
		for pos < 800 {
			w := benchWords[rng.IntN(len(benchWords))]
			if b.Len() > 0 {
				b.WriteByte(' ')
				pos++
			}
			b.WriteString(w)
			starts = append(starts, pos)
			pos += len([]rune(w))
			ends = append(ends, pos)
		}
		text := b.String()
		runes := []rune(text)
		mk := func(sw, ew int, label string) annotate.Span {
			s, e := starts[sw], ends[ew]
			return annotate.Span{Start: s, End: e, Label: label, Text: string(runes[s:e])}
		}
		var gold, pred []annotate.Span
		slot := len(starts) / 15
		for k := range 15 {
			sw := k*slot + rng.IntN(slot-3)
			ew := sw + rng.IntN(3)
			g := mk(sw, ew, labels[rng.IntN(len(labels))])
			gold = append(gold, g)
			if ew > sw && rng.IntN(8) == 0 {
				gold = append(gold, mk(sw+1, ew, labels[rng.IntN(len(labels))]))
			}
			switch r := rng.IntN(100); {
			case r < 75:
				pred = append(pred, g)
			case r < 83:
				p := g
				p.Label = labels[(rng.IntN(len(labels)-1)+1+indexOf(labels, g.Label))%len(labels)]
				pred = append(pred, p)
			case r < 96:
				pred = append(pred, mk(sw, ew+1, g.Label))
			}
		}
		sw := rng.IntN(len(starts) - 1)
		pred = append(pred, mk(sw, sw, labels[rng.IntN(len(labels))]))
		rng.Shuffle(len(pred), func(a, b int) { pred[a], pred[b] = pred[b], pred[a] })
		docs[i] = Doc{ID: fmt.Sprintf("doc-%05d", i), Text: text, Gold: gold, Pred: pred}
	}
	return docs
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

// BenchmarkScore scores 5,000 synthetic documents (~15 gold spans each).
func BenchmarkScore(b *testing.B) {
	docs := synthCorpus(5000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Score(docs)
	}
}

// writeCorpus writes the synthetic corpus as native JSONL gold and
// prediction files.
func writeCorpus(tb testing.TB, dir string, docs []Doc) (goldPath, predPath string) {
	tb.Helper()
	write := func(name, annotator string, spans func(*Doc) []annotate.Span) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			tb.Fatal(err)
		}
		w := export.NewJSONLWriter(f)
		for i := range docs {
			d := &docs[i]
			doc := annotate.Document{ID: d.ID, Title: d.ID, Text: d.Text}
			if err := w.Write(&doc, &annotate.Layer{Annotator: annotator, Spans: spans(d)}); err != nil {
				tb.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		if err := f.Close(); err != nil {
			tb.Fatal(err)
		}
		return path
	}
	return write("gold.jsonl", "amira", func(d *Doc) []annotate.Span { return d.Gold }),
		write("pred.jsonl", "model", func(d *Doc) []annotate.Span { return d.Pred })
}

func readFile(tb testing.TB, path string) []annotate.Record {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := export.ReadJSONL(f, path)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// fullRun is what the CLI does: read both files, match, score, write the
// JSON report, the text table and the error list.
func fullRun(tb testing.TB, goldPath, predPath string, out io.Writer) *Report {
	gold := readFile(tb, goldPath)
	pred := readFile(tb, predPath)
	docs, err := Match(gold, pred, Layers{})
	if err != nil {
		tb.Fatal(err)
	}
	r := Score(docs)
	if err := r.WriteJSON(out); err != nil {
		tb.Fatal(err)
	}
	if err := r.WriteText(out); err != nil {
		tb.Fatal(err)
	}
	if err := WriteErrors(out, r); err != nil {
		tb.Fatal(err)
	}
	return r
}

// TestFullPathRoundTrip: the JSONL round trip scores exactly like the
// in-memory documents.
func TestFullPathRoundTrip(t *testing.T) {
	docs := synthCorpus(300)
	g, p := writeCorpus(t, t.TempDir(), docs)
	got := fullRun(t, g, p, io.Discard)
	want := Score(docs)
	if got.Micro != want.Micro || len(got.Errors) != len(want.Errors) || got.GoldSpans != want.GoldSpans {
		t.Errorf("round trip: %+v\nwant %+v", got.Micro, want.Micro)
	}
	if want.Micro.Strict.Cor == 0 || want.Micro.Strict.Inc == 0 || want.Micro.Strict.Mis == 0 || want.Micro.Strict.Spu == 0 || want.Micro.Partial.Par == 0 {
		t.Errorf("synthetic corpus lacks some outcome: %+v", want.Micro.Strict)
	}
}

// BenchmarkFullPathParts times the stages of BenchmarkFullPath separately.
func BenchmarkFullPathParts(b *testing.B) {
	docs := synthCorpus(5000)
	g, p := writeCorpus(b, b.TempDir(), docs)
	b.Run("ReadJSONL-both", func(b *testing.B) {
		for b.Loop() {
			readFile(b, g)
			readFile(b, p)
		}
	})
	gold, pred := readFile(b, g), readFile(b, p)
	b.Run("Match", func(b *testing.B) {
		for b.Loop() {
			if _, err := Match(gold, pred, Layers{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	m, _ := Match(gold, pred, Layers{})
	b.Run("Score", func(b *testing.B) {
		for b.Loop() {
			Score(m)
		}
	})
	r := Score(m)
	b.Run("Write", func(b *testing.B) {
		for b.Loop() {
			r.WriteJSON(io.Discard)
			r.WriteText(io.Discard)
			WriteErrors(io.Discard, r)
		}
	})
}

// BenchmarkFullPath reads ~5,000-line gold and prediction files with
// export.ReadJSONL, matches, scores and writes all three outputs.
func BenchmarkFullPath(b *testing.B) {
	docs := synthCorpus(5000)
	g, p := writeCorpus(b, b.TempDir(), docs)
	var size int64
	for _, path := range []string{g, p} {
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size += st.Size()
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		fullRun(b, g, p, io.Discard)
	}
}
