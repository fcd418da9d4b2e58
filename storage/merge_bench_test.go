package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/annotate"
)

// BenchmarkMergeLaptops merges 10 laptops, each 1,000 documents × 20
// spans of its annotator, into a 10,000-document project (the target of
// issue 12: ≤ 5 s).
func BenchmarkMergeLaptops(b *testing.B) {
	const laptops, perLaptop, spans = 10, 1000, 20
	dir := b.TempDir()
	leadPath := filepath.Join(dir, "lead.db")
	lead, err := OpenProject(leadPath, Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	word := "الوزير "
	text := strings.Repeat(word, 60) // 420 code points
	recs := make([]annotate.Record, laptops*perLaptop)
	for i := range recs {
		recs[i] = annotate.Record{Doc: annotate.Document{ID: fmt.Sprintf("d%05d", i), Text: fmt.Sprintf("%05d %s", i, text)}}
	}
	if _, err := lead.Import(recs, ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	files := make([]string, laptops)
	for l := range laptops {
		who := fmt.Sprintf("a%02d", l)
		files[l] = filepath.Join(dir, who+".db")
		ids := make([]string, perLaptop)
		work := make([]annotate.Record, perLaptop)
		for i := range ids {
			rec := recs[l*perLaptop+i]
			ids[i] = rec.Doc.ID
			layer := annotate.Layer{Annotator: who}
			for k := range spans {
				start := 6 + k*len([]rune(word))
				layer.Spans = append(layer.Spans, annotate.Span{Start: start, End: start + 6, Label: "PERSON"})
			}
			rec.Layers = []annotate.Layer{layer}
			work[i] = rec
		}
		if _, err := lead.HandOut(files[l], HandOutOptions{Annotator: who, Docs: ids}); err != nil {
			b.Fatal(err)
		}
		laptop, err := OpenProject(files[l], Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := laptop.Import(work, ImportOptions{}); err != nil {
			b.Fatal(err)
		}
		laptop.Close()
	}
	lead.Close()
	data, err := os.ReadFile(leadPath)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprintf("run%d.db", n))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		s, err := OpenWith(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, f := range files {
			rep, err := s.MergeFile(f, MergeOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if rep.LayersReplaced != perLaptop {
				b.Fatalf("%s: %+v", f, rep)
			}
		}
		b.StopTimer()
		var n int64
		s.db.Model(&span{}).Count(&n)
		if n != laptops*perLaptop*spans {
			b.Fatalf("%d spans after the merge", n)
		}
		s.Close()
		removeDB(path)
	}
}
