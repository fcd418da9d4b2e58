package export

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"tawsim/annotate"
)

// benchRecords builds n documents of about 2,000 code points of Arabic news
// text with 20 spans each.
func benchRecords(b testing.TB, n int) []annotate.Record {
	para := "قالَ وزيرُ الخارجية الأردني أيمن الصفدي إنّ والأردن سيواصل جهوده مع مصر والسعودية، وأضاف في مؤتمر صحفي بعمّان عام 2024 أن منظمة الأمم المتحدة مطالبة بالتحرك. "
	var sb strings.Builder
	for utf8.RuneCountInString(sb.String()) < 2000 {
		sb.WriteString(para)
	}
	text := sb.String()
	labels := []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
	words := []string{"أيمن الصفدي", "الأردن", "مصر", "الأمم المتحدة", "السعودية"}
	var spans []annotate.Span
	for i := 0; len(spans) < 20; i++ {
		w := words[i%len(words)]
		spans = append(spans, span(b, text, w, i/len(words), labels[i%len(labels)]))
	}
	recs := make([]annotate.Record, n)
	for i := range recs {
		recs[i] = annotate.Record{Doc: annotate.Document{ID: "doc-" + itoa(i), Title: "عنوان", Text: text},
			Layers: []annotate.Layer{{Annotator: "salma", Spans: spans}}}
	}
	return recs
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func benchFormat(b *testing.B, name string, opts Options) {
	recs := benchRecords(b, 10000)
	f, _ := Lookup(name)
	var cw countWriter
	if _, err := f.Encode(&cw, slices.Values(recs), opts); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Encode(io.Discard, slices.Values(recs), opts); err != nil {
			b.Fatal(err)
		}
	}
}

// The export targets (MB/s of output): ≥ 50 for jsonl, doccano and spacy,
// ≥ 20 for conll and hf.
func BenchmarkExportJSONL(b *testing.B)       { benchFormat(b, "jsonl", Options{}) }
func BenchmarkExportDoccano(b *testing.B)     { benchFormat(b, "doccano", Options{}) }
func BenchmarkExportSpacy(b *testing.B)       { benchFormat(b, "spacy", Options{}) }
func BenchmarkExportLabelStudio(b *testing.B) { benchFormat(b, "labelstudio", Options{}) }
func BenchmarkExportCoNLL(b *testing.B)       { benchFormat(b, "conll", Options{}) }
func BenchmarkExportCoNLLBIOES(b *testing.B)  { benchFormat(b, "conll", Options{Scheme: "bioes"}) }
func BenchmarkExportHF(b *testing.B)          { benchFormat(b, "hf", Options{}) }

// BenchmarkReadJSONL reads 10,000 native JSONL lines (bench records), with
// the fast reader and with encoding/json alone: what the fast reader gains
// end to end for imports and for tawsim score.
func BenchmarkReadJSONL(b *testing.B) {
	var buf bytes.Buffer
	jsonl, _ := Lookup("jsonl")
	if _, err := jsonl.Encode(&buf, slices.Values(benchRecords(b, 10000)), Options{}); err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct {
		name  string
		parse func([]byte) (nativeLine, error)
	}{{"fast", parseNative}, {"encoding-json", unmarshalNative}} {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if err := scanJSONL(bytes.NewReader(buf.Bytes()), "bench.jsonl", p.parse, func([]annotate.Record) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
