package project

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/match"
	"tawsim/storage"
)

func TestSearch(t *testing.T) {
	st, err := storage.OpenEmpty(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := []annotate.Record{
		{Doc: annotate.Document{ID: "a", Text: "زار الصفدي الأردن، وللأردن جيش.\nأيمن\nالصفدي"},
			Layers: []annotate.Layer{{Annotator: "amina", Spans: []annotate.Span{{Start: 4, End: 10, Label: "PERSON"}, {Start: 32, End: 43, Label: "PERSON"}}}}},
		{Doc: annotate.Document{ID: "b", Text: "الاردنية ليست الأردن"},
			Layers: []annotate.Layer{{Annotator: "omar", Spans: []annotate.Span{{Start: 14, End: 20, Label: "STATE"}}}}},
	}
	if _, err := st.Import(recs, storage.ImportOptions{AddLabels: true}); err != nil {
		t.Fatal(err)
	}
	search := func(query string, q SearchQuery) []Hit {
		t.Helper()
		if query != "" {
			if q.Matcher, err = match.Compile(query); err != nil {
				t.Fatal(err)
			}
		}
		var hits []Hit
		if err := Search(st, q, func(h Hit) error { hits = append(hits, h); return nil }); err != nil {
			t.Fatal(err)
		}
		return hits
	}
	want := []Hit{{Doc: "a", Start: 11, End: 17, Text: "الأردن"}, {Doc: "a", Start: 21, End: 26, Text: "لأردن"}, {Doc: "b", Start: 14, End: 20, Text: "الأردن"}}
	if got := search("الاردن", SearchQuery{}); !reflect.DeepEqual(got, want) {
		t.Fatalf("text search:\n got %+v\nwant %+v", got, want)
	}
	want = []Hit{{Doc: "a", Start: 4, End: 10, Text: "الصفدي", Label: "PERSON", Annotator: "amina"}}
	if got := search("الصفدي", SearchQuery{Label: "PERSON"}); !reflect.DeepEqual(got, want) {
		t.Fatalf("label search:\n got %+v\nwant %+v", got, want)
	}
	if got := search("", SearchQuery{Label: "PERSON"}); len(got) != 2 || got[1].Text != "أيمن\nالصفدي" {
		t.Fatalf("every PERSON span: %+v", got)
	}
	if got := search("الأردن", SearchQuery{Label: "STATE", Layers: []string{"amina"}}); len(got) != 0 {
		t.Fatalf("STATE spans in amina's layer: %+v", got)
	}
	if got := search("الأردن", SearchQuery{Label: "STATE", Layers: []string{"omar"}}); len(got) != 1 || got[0].Doc != "b" {
		t.Fatalf("STATE spans in omar's layer: %+v", got)
	}
}

// BenchmarkSearch10k searches a project of 10,000 documents of about
// 2,000 code points (as `tawsim search الأردن`). Target: ≤ 200 ms. The
// sub-benchmarks split it: reading the documents alone, and the matcher
// alone over the same texts in memory.
func BenchmarkSearch10k(b *testing.B) {
	st, err := storage.OpenEmpty(filepath.Join(b.TempDir(), "p.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	recs := teamRecords(10000)
	if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	m, _ := match.Compile("الأردن")
	b.Run("search", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := Search(st, SearchQuery{Matcher: m}, func(Hit) error { n++; return nil }); err != nil || n == 0 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if err := st.EachLayers(nil, func(*annotate.Record) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("match", func(b *testing.B) {
		for b.Loop() {
			for i := 0; i < len(recs); i += 3 { // one record per document
				m.Find(recs[i].Doc.Text, func(match.Match) bool { return true })
			}
		}
	})
}

func TestPropagate(t *testing.T) {
	m, err := match.Compile("الأردن")
	if err != nil {
		t.Fatal(err)
	}
	recs := []annotate.Record{
		// The labelled span (4–10) and a suggestion in the same document;
		// الأردنية is another word.
		{Doc: annotate.Document{ID: "a", Text: "زار الأردن ثم عاد للأردن والأردنية"},
			Layers: []annotate.Layer{{Annotator: "amina", Spans: []annotate.Span{{Start: 0, End: 3, Label: "CLAIM"}, {Start: 4, End: 10, Label: "STATE"}}}}},
		// A span at the same offsets with another label: not suggested.
		{Doc: annotate.Document{ID: "b", Text: "الاردن وبالأُردن"},
			Layers: []annotate.Layer{{Annotator: "amina", Spans: []annotate.Span{{Start: 0, End: 6, Label: "ORGANIZATION"}}}}},
		{Doc: annotate.Document{ID: "c", Text: "لا شيء هنا"}},
	}
	got := Propagate(m, "STATE", annotate.OriginPropagated, recs)
	want := []annotate.Suggestion{
		{Doc: "a", Start: 19, End: 24, Label: "STATE", Text: "لأردن", Origin: annotate.OriginPropagated},
		{Doc: "b", Start: 9, End: 16, Label: "STATE", Text: "الأُردن", Origin: annotate.OriginPropagated},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

// storeOf is a new project (SQLite, in tb's temporary folder) with recs
// imported, closed when tb ends.
func storeOf(tb testing.TB, recs []annotate.Record) *storage.Store {
	tb.Helper()
	st, err := storage.OpenEmpty(filepath.Join(tb.TempDir(), "p.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
		tb.Fatal(err)
	}
	return st
}

func TestProjectSuggestions(t *testing.T) {
	recs := []annotate.Record{
		{Doc: annotate.Document{ID: "a", Text: "زار الأردن"}, Layers: []annotate.Layer{{Annotator: "amina", Spans: []annotate.Span{{Start: 4, End: 10, Label: "STATE"}}}}},
		{Doc: annotate.Document{ID: "b", Text: "في الأردن وسوريا"}},
	}
	jordan, _ := match.Compile("الأردن")
	syria, _ := match.Compile("سوريا")
	names := []Name{{Label: "STATE", Matcher: jordan}, {Label: "STATE", Matcher: syria}}
	// Every document matching (the whole layer read) and few of them (the
	// layer read for those only) give the same suggestions.
	for _, extra := range []int{0, 5} {
		all := slices.Clone(recs)
		for i := range extra {
			all = append(all, annotate.Record{Doc: annotate.Document{ID: fmt.Sprint("z", i), Text: "لا شيء"}})
		}
		got, err := ProjectSuggestions(storeOf(t, all), "amina", names, annotate.OriginGazetteer)
		if err != nil || len(got) != 2 || got[0].Doc != "b" || got[0].Text != "الأردن" || got[1].Text != "سوريا" || got[1].Origin != annotate.OriginGazetteer {
			t.Fatalf("%d more documents: %+v %v", extra, got, err)
		}
	}
}

// BenchmarkPropagate10k: one label's propagation over 10,000 documents
// of 330 words, pure (records in memory) and with the documents read
// from the project: a name in every document about 18 times (180,000
// suggestions, the worst case) and a name in one document in 20.
func BenchmarkPropagate10k(b *testing.B) {
	var recs []annotate.Record
	for i, r := range teamRecords(10000) {
		if i%3 == 0 { // one record (layer a) per document
			if len(recs)%20 == 0 {
				r.Doc.Text += " عمّان"
			}
			recs = append(recs, r)
		}
	}
	common, _ := match.Compile("الأردن")
	rare, _ := match.Compile("عمان")
	b.Run("pure", func(b *testing.B) {
		for b.Loop() {
			if n := len(Propagate(common, "STATE", annotate.OriginPropagated, recs)); n == 0 {
				b.Fatal(n)
			}
		}
	})
	st := storeOf(b, recs)
	for _, c := range []struct {
		name string
		m    *match.Matcher
		want int
	}{{"stored-every-doc", common, 0}, {"stored-1-in-20", rare, 500}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				got, err := ProjectSuggestions(st, "a", []Name{{Label: "STATE", Matcher: c.m}}, annotate.OriginPropagated)
				if err != nil || len(got) == 0 || c.want > 0 && len(got) != c.want {
					b.Fatal(len(got), err)
				}
			}
		})
	}
}

// With most of the first 500 documents matching, the layer's offsets are
// read beside the search: the suggestions are the same.
func TestProjectSuggestionsManyMatching(t *testing.T) {
	var recs []annotate.Record
	for i := range 600 {
		r := annotate.Record{Doc: annotate.Document{ID: fmt.Sprintf("d%03d", i), Text: "زار الأردن"}}
		if i == 550 {
			r.Layers = []annotate.Layer{{Annotator: "amina", Spans: []annotate.Span{{Start: 4, End: 10, Label: "STATE"}}}}
		}
		recs = append(recs, r)
	}
	jordan, _ := match.Compile("الأردن")
	got, err := ProjectSuggestions(storeOf(t, recs), "amina", []Name{{Label: "STATE", Matcher: jordan}}, annotate.OriginPropagated)
	if err != nil || len(got) != 599 || slices.ContainsFunc(got, func(sg annotate.Suggestion) bool { return sg.Doc == "d550" }) {
		t.Fatalf("%d suggestions, %v", len(got), err)
	}
}
