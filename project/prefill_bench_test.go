package project

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/storage"
)

// teamRecords builds n documents of about 2,000 code points, each with
// the layers of annotators a, b and c: 12 places per document, where all
// three agree on 8, a and b agree on 3 against c (boundary or label), and
// a alone marked 1. So with --min-agree 2 a pre-fill accepts 11 spans per
// document and leaves 4 groups open.
func teamRecords(n int) []annotate.Record {
	words := strings.Fields("أكد وزير الخارجية التركي هاكان فيدان أن أنقرة ستواصل التعاون مع الأردن وسوريا في مجالات الأمن والطاقة والتجارة")
	labels := []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
	rng := rand.New(rand.NewSource(1))
	var out []annotate.Record
	for i := 0; i < n; i++ {
		var sb strings.Builder
		var at [][2]int
		pos := 0
		for k := 0; k < 330; k++ {
			w := words[rng.Intn(len(words))]
			if k > 0 {
				sb.WriteByte(' ')
				pos++
			}
			sb.WriteString(w)
			l := len([]rune(w))
			at = append(at, [2]int{pos, pos + l})
			pos += l
		}
		doc := annotate.Document{ID: fmt.Sprintf("doc%05d", i), Text: sb.String()}
		layers := map[string][]annotate.Span{}
		mark := func(who string, s, e int, label string) {
			layers[who] = append(layers[who], annotate.Span{Start: s, End: e, Label: label})
		}
		for k := 0; k < 12; k++ {
			s, e, l := at[k*25][0], at[k*25][1], labels[k%4]
			switch {
			case k < 8:
				mark("a", s, e, l)
				mark("b", s, e, l)
				mark("c", s, e, l)
			case k < 10:
				mark("a", s, e, l)
				mark("b", s, e, l)
				mark("c", s+1, e, l)
			case k < 11:
				mark("a", s, e, l)
				mark("b", s, e, l)
				mark("c", s, e, labels[(k+1)%4])
			default:
				mark("a", s, e, l)
			}
		}
		for _, who := range []string{"a", "b", "c"} {
			out = append(out, annotate.Record{Doc: doc, Layers: []annotate.Layer{{Annotator: who, Spans: layers[who]}}})
		}
	}
	return out
}

// BenchmarkPrefill10k pre-fills (as `tawsim adjudicate --min-agree 2`)
// a project of 10,000 documents × 3 annotators, from a copy of the
// imported project each time. Target: ≤ 3 s through the binary.
func BenchmarkPrefill10k(b *testing.B) {
	dir := b.TempDir()
	base := filepath.Join(dir, "base.db")
	st, err := storage.OpenEmpty(base)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Import(teamRecords(10000), storage.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	st.Close()
	opts := PrefillOptions{Settings: storage.PrefillSettings{Annotators: []string{"a", "b", "c"}, MinAgree: 2}, By: "bench"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprintf("run%d.db", i))
		copyFile(b, base, path)
		st, err := storage.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		docs, err := Prefill(st, opts, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(docs) != 10000 || len(docs[0].Added) != 11 || len(docs[0].Open) != 4 {
			b.Fatalf("pre-fill: %d documents, the first with %d accepted and %d open", len(docs), len(docs[0].Added), len(docs[0].Open))
		}
		st.Close()
		os.Remove(path)
		b.StartTimer()
	}
}

func copyFile(b *testing.B, from, to string) {
	data, err := os.ReadFile(from)
	if err == nil {
		err = os.WriteFile(to, data, 0o644)
	}
	if err != nil {
		b.Fatal(err)
	}
}
