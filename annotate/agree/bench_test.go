package agree_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"unicode/utf8"

	"tawsim/annotate"
	"tawsim/annotate/agree"
	"tawsim/export"
)

var benchWords = []string{
	"قال", "الرئيس", "والأردن", "بتركيا", "وزارة", "الخارجية", "في", "بيروت",
	"إن", "الحكومة", "اللبنانية", "أعلنت", "عن", "اتفاق", "مع", "الشيخ",
	"محمد", "عون", "سلام", "الدكتور", "منظمة", "الصحة", "العالمية", "دمشق",
	"وفد", "زار", "عمان", "القاهرة", "لبنان", "المتحدة", "الأمم", "مجلس",
}

var (
	benchLabels    = []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
	benchRelLabels = []string{"SOURCE", "CUE"}
)

// synthDocs makes n documents of about 160 non-space code points with ~10
// spans for annotator a; b and c copy a's spans with random drops, label
// changes, boundary shifts and extra spans. Three documents in five have a
// relation in a (about 3,000 for 5,000 documents), which b and c copy when
// both its ends survive, with drops, other labels and extra relations; the
// relations draw from a random source of their own, so the spans are what
// they were before relations were added.
func synthDocs(n int, seed uint64) []agree.Doc {
	rng := rand.New(rand.NewPCG(seed, 7))
	rrng := rand.New(rand.NewPCG(seed, 11))
	docs := make([]agree.Doc, n)
	for i := range docs {
		var buf bytes.Buffer
		var starts, ends []int // word offsets in code points
		pos, units := 0, 0
		for units < 160 {
			w := benchWords[rng.IntN(len(benchWords))]
			if buf.Len() > 0 {
				buf.WriteByte(' ')
				pos++
			}
			l := utf8.RuneCountInString(w)
			starts, ends = append(starts, pos), append(ends, pos+l)
			buf.WriteString(w)
			pos += l
			units += l
		}
		words := len(starts)
		var a []annotate.Span
		for w := rng.IntN(3); w < words && len(a) < 10; w += 2 + rng.IntN(2) {
			last := min(words-1, w+rng.IntN(3))
			a = append(a, annotate.Span{Start: starts[w], End: ends[last], Label: benchLabels[rng.IntN(len(benchLabels))]})
			w = last
		}
		var aRels []annotate.Relation
		if len(a) >= 2 && rrng.IntN(100) < 60 {
			h := rrng.IntN(len(a))
			aRels = append(aRels, annotate.Relation{Head: h, Tail: (h + 1 + rrng.IntN(len(a)-1)) % len(a), Label: benchRelLabels[rrng.IntN(2)]})
		}
		// perturb copies a's spans; at[i] is the copy of a's span i, −1 if
		// dropped.
		perturb := func() ([]annotate.Span, []annotate.Relation) {
			var out []annotate.Span
			at := make([]int, len(a))
			for i, s := range a {
				at[i] = -1
				switch x := rng.IntN(100); {
				case x < 8: // dropped
					continue
				case x < 16:
					s.Label = benchLabels[rng.IntN(len(benchLabels))]
				case x < 24 && s.End-s.Start > 1: // clitic-like shift
					s.Start++
				case x < 28 && s.End-s.Start > 2:
					s.End--
				}
				at[i] = len(out)
				out = append(out, s)
				if rng.IntN(100) < 5 {
					out = append(out, annotate.Span{Start: s.Start, End: s.End, Label: benchLabels[rng.IntN(len(benchLabels))]})
				}
			}
			var rels []annotate.Relation
			for _, r := range aRels {
				if at[r.Head] < 0 || at[r.Tail] < 0 || rrng.IntN(100) < 10 {
					continue
				}
				r.Head, r.Tail = at[r.Head], at[r.Tail]
				if rrng.IntN(100) < 5 {
					r.Label = benchRelLabels[rrng.IntN(2)]
				}
				rels = append(rels, r)
			}
			if len(out) >= 2 && rrng.IntN(100) < 12 {
				rels = append(rels, annotate.Relation{Head: 0, Tail: len(out) - 1, Label: benchRelLabels[rrng.IntN(2)]})
			}
			return out, rels
		}
		bs, br := perturb()
		cs, cr := perturb()
		docs[i] = agree.Doc{ID: "doc" + itoa(i), Text: buf.String(),
			Layers:    map[string][]annotate.Span{"a": a, "b": bs, "c": cs},
			Relations: map[string][]annotate.Relation{"a": aRels, "b": br, "c": cr}}
	}
	return docs
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// synthReport computes the agreement of three annotators on n synthetic
// documents.
func synthReport(tb testing.TB, n int, seed uint64) ([]agree.Doc, []string, *agree.Report) {
	docs := synthDocs(n, seed)
	ann := []string{"a", "b", "c"}
	r, err := agree.Compute(docs, ann, agree.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return docs, ann, r
}

func BenchmarkAgree5000x3(b *testing.B) {
	docs, ann, r := synthReport(b, 5000, 1)
	b.ReportMetric(float64(r.Units), "units")
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := agree.Compute(docs, ann, agree.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkAgreeJSONLPipeline is the whole command-line path: parse native
// JSONL (one line per document and annotator, 15,000 lines), group,
// compute, and write the report as JSON with the per-document items
// ("json"), as JSON without them ("json-noitems") or as the text table
// ("text").
func BenchmarkAgreeJSONLPipeline5000x3(b *testing.B) {
	docs := synthDocs(5000, 1)
	ann := []string{"a", "b", "c"}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, d := range docs {
		for _, a := range ann {
			spans := make([]map[string]any, 0, len(d.Layers[a]))
			for _, s := range d.Layers[a] {
				spans = append(spans, map[string]any{"start": s.Start, "end": s.End, "label": s.Label})
			}
			if err := enc.Encode(map[string]any{"id": d.ID, "text": d.Text, "annotator": a, "spans": spans, "relations": d.Relations[a]}); err != nil {
				b.Fatal(err)
			}
		}
	}
	data := in.Bytes()
	for _, out := range []string{"json", "json-noitems", "text"} {
		b.Run(out, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu0 := cpuTime()
			for b.Loop() {
				recs, err := export.ReadJSONL(bytes.NewReader(data), "bench.jsonl")
				if err != nil {
					b.Fatal(err)
				}
				docs, err := agree.DocsFromRecords(recs)
				if err != nil {
					b.Fatal(err)
				}
				r, err := agree.Compute(docs, ann, agree.Options{NoItems: out == "json-noitems"})
				if err != nil {
					b.Fatal(err)
				}
				var w bytes.Buffer
				if out == "text" {
					err = agree.WriteText(&w, r)
				} else {
					err = json.NewEncoder(&w).Encode(r)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkReadJSONL5000x3 is the parsing part of the pipeline alone.
func BenchmarkReadJSONL5000x3(b *testing.B) {
	docs := synthDocs(5000, 1)
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, d := range docs {
		for _, a := range []string{"a", "b", "c"} {
			if err := enc.Encode(map[string]any{"id": d.ID, "text": d.Text, "annotator": a, "spans": d.Layers[a]}); err != nil {
				b.Fatal(err)
			}
		}
	}
	data := in.Bytes()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := export.ReadJSONL(bytes.NewReader(data), "bench.jsonl"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// The synthetic set is what the benchmark claims: 5,000 documents, about
// 160 units and 10 spans each, and disagreements of every kind.
func TestSynthShape(t *testing.T) {
	docs := synthDocs(5000, 1)
	r, err := agree.Compute(docs, []string{"a", "b", "c"}, agree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Units < 5000*160 || r.Units > 5000*175 {
		t.Errorf("units %d", r.Units)
	}
	spans := 0
	for _, d := range docs {
		spans += len(d.Layers["a"])
	}
	if spans < 5000*8 || spans > 5000*10 {
		t.Errorf("spans of a: %d", spans)
	}
	rels := 0
	for _, d := range docs {
		rels += len(d.Relations["a"])
	}
	if rels < 2800 || rels > 3200 {
		t.Errorf("relations of a: %d", rels)
	}
	if f := r.Pairs[0].RelationF1; f.Strict.Matches == 0 || f.Strict.Matches == f.Strict.Reference || f.Overlap.MatchedReference == 0 {
		t.Errorf("relations %+v", f)
	}
	if at := r.Pairs[0].Attribution; at.ClaimsMatched == 0 || at.SameSource == at.ClaimsMatched {
		t.Errorf("attribution %+v", at)
	}
	d := r.Pairs[0].Disagreements
	if d.Boundary == 0 || d.Label == 0 || d.MissingInB == 0 || d.Crossing == 0 {
		t.Errorf("disagreements %+v", d)
	}
	if r.All.FleissKappa == nil || *r.All.FleissKappa < 0.5 || *r.All.FleissKappa > 0.99 {
		t.Errorf("fleiss %v", r.All.FleissKappa)
	}
}

// The result does not depend on how many workers share the documents.
func TestWorkersSameResult(t *testing.T) {
	docs := synthDocs(1000, 2)
	ann := []string{"a", "b", "c"}
	run := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r, err := agree.Compute(docs, ann, agree.Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	one, four := run(1), run(4)
	if !bytes.Equal(one, four) {
		t.Error("1 and 4 workers give different reports")
	}
}

// TestWriteBenchFiles writes the benchmark's documents as one native JSONL
// file per annotator (a.jsonl, b.jsonl, c.jsonl) into $TAWSIM_BENCH_DIR,
// to time the binary: tawsim agree a.jsonl b.jsonl c.jsonl.
func TestWriteBenchFiles(t *testing.T) {
	dir := os.Getenv("TAWSIM_BENCH_DIR")
	if dir == "" {
		t.Skip("TAWSIM_BENCH_DIR is not set")
	}
	docs := synthDocs(5000, 1)
	for _, a := range []string{"a", "b", "c"} {
		f, err := os.Create(filepath.Join(dir, a+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		w := export.NewJSONLWriter(f)
		for _, d := range docs {
			doc := annotate.Document{ID: d.ID, Title: d.ID, Text: d.Text}
			text := []rune(d.Text)
			spans := slices.Clone(d.Layers[a])
			for i := range spans {
				spans[i].Text = string(text[spans[i].Start:spans[i].End])
			}
			if err := w.Write(&doc, &annotate.Layer{Annotator: a, Spans: spans, Relations: d.Relations[a]}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
