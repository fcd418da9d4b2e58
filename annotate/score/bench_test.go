package score

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
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
// prediction per document. Four in five gold CLAIM spans head a relation
// (SOURCE or CUE) to another gold span, about 3 a document; the
// predictions copy those whose two ends they copied, with drops, other
// labels and one spurious relation in ten documents. Relations draw from a
// random source of their own, so the spans are what they were before.
func synthCorpus(n int) []Doc {
	rng := rand.New(rand.NewPCG(42, 43))
	rrng := rand.New(rand.NewPCG(42, 44))
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
		var predOf []int // gold index → its prediction's index, −1 if none
		slot := len(starts) / 15
		for k := range 15 {
			sw := k*slot + rng.IntN(slot-3)
			ew := sw + rng.IntN(3)
			g := mk(sw, ew, labels[rng.IntN(len(labels))])
			gi := len(gold)
			gold = append(gold, g)
			predOf = append(predOf, -1)
			if ew > sw && rng.IntN(8) == 0 {
				gold = append(gold, mk(sw+1, ew, labels[rng.IntN(len(labels))]))
				predOf = append(predOf, -1)
			}
			predOf[gi] = len(pred) // undone below when no prediction follows
			switch r := rng.IntN(100); {
			case r < 75:
				pred = append(pred, g)
			case r < 83:
				p := g
				p.Label = labels[(rng.IntN(len(labels)-1)+1+indexOf(labels, g.Label))%len(labels)]
				pred = append(pred, p)
			case r < 96:
				pred = append(pred, mk(sw, ew+1, g.Label))
			default:
				predOf[gi] = -1
			}
		}
		sw := rng.IntN(len(starts) - 1)
		pred = append(pred, mk(sw, sw, labels[rng.IntN(len(labels))]))
		at := make([]int, len(pred)) // at[k]: where the k-th prediction ends up
		from := make([]int, len(pred))
		for k := range from {
			from[k] = k
		}
		rng.Shuffle(len(pred), func(a, b int) {
			pred[a], pred[b] = pred[b], pred[a]
			from[a], from[b] = from[b], from[a]
		})
		for k, f := range from {
			at[f] = k
		}
		var goldRel, predRel []annotate.Relation
		for h := range gold {
			if gold[h].Label != "CLAIM" || rrng.IntN(5) == 0 {
				continue
			}
			r := annotate.Relation{Head: h, Tail: (h + 1 + rrng.IntN(len(gold)-1)) % len(gold), Label: relLabels[rrng.IntN(2)]}
			goldRel = append(goldRel, r)
			if predOf[r.Head] < 0 || predOf[r.Tail] < 0 || rrng.IntN(100) < 10 {
				continue
			}
			r.Head, r.Tail = at[predOf[r.Head]], at[predOf[r.Tail]]
			if rrng.IntN(100) < 5 {
				r.Label = relLabels[rrng.IntN(2)]
			}
			predRel = append(predRel, r)
		}
		if rrng.IntN(10) == 0 {
			predRel = append(predRel, annotate.Relation{Head: 0, Tail: len(pred) - 1, Label: relLabels[rrng.IntN(2)]})
		}
		docs[i] = Doc{ID: fmt.Sprintf("doc-%05d", i), Text: text, Gold: gold, Pred: pred, GoldRel: goldRel, PredRel: predRel}
	}
	return docs
}

var relLabels = []string{"SOURCE", "CUE"}

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
	write := func(name, annotator string, layer func(*Doc) ([]annotate.Span, []annotate.Relation)) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			tb.Fatal(err)
		}
		w := export.NewJSONLWriter(f)
		for i := range docs {
			d := &docs[i]
			doc := annotate.Document{ID: d.ID, Title: d.ID, Text: d.Text}
			spans, rels := layer(d)
			if err := w.Write(&doc, &annotate.Layer{Annotator: annotator, Spans: spans, Relations: rels}); err != nil {
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
	return write("gold.jsonl", "amira", func(d *Doc) ([]annotate.Span, []annotate.Relation) { return d.Gold, d.GoldRel }),
		write("pred.jsonl", "model", func(d *Doc) ([]annotate.Span, []annotate.Relation) { return d.Pred, d.PredRel })
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
	if !reflect.DeepEqual(got.Relations, want.Relations) || len(got.RelationErrors) != len(want.RelationErrors) {
		t.Errorf("relations round trip: %+v\nwant %+v", got.Relations, want.Relations)
	}
	if rs := want.Relations.Strict; rs.Cor == 0 || rs.Mis == 0 || rs.Spu == 0 || rs.Possible < 300*2 || want.Relations.Boundary.Cor <= rs.Cor {
		t.Errorf("synthetic relations lack some outcome: %+v, boundary %+v", rs, want.Relations.Boundary)
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

// TestWriteBenchCorpus writes the benchmark's 5,000 documents as gold.jsonl
// and pred.jsonl into $TAWSIM_BENCH_DIR, to time the binary:
// tawsim score --gold gold.jsonl --pred pred.jsonl.
func TestWriteBenchCorpus(t *testing.T) {
	dir := os.Getenv("TAWSIM_BENCH_DIR")
	if dir == "" {
		t.Skip("TAWSIM_BENCH_DIR is not set")
	}
	writeCorpus(t, dir, synthCorpus(5000))
}
