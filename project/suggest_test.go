package project

import (
	"fmt"
	"path/filepath"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/match"
	"tawsim/storage"
)

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
	var s []string
	for _, g := range got {
		s = append(s, fmt.Sprintf("%s %d %d %s %s %s", g.Doc, g.Start, g.End, g.Text, g.Label, g.Origin))
	}
	want := []string{"a 19 24 لأردن STATE propagated", "b 9 16 الأُردن STATE propagated"}
	if fmt.Sprint(s) != fmt.Sprint(want) {
		t.Fatalf("got %q\nwant %q", s, want)
	}
}

func TestProjectSuggestions(t *testing.T) {
	st, err := storage.OpenEmpty(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs := []annotate.Record{
		{Doc: annotate.Document{ID: "a", Text: "زار الأردن"}, Layers: []annotate.Layer{{Annotator: "amina", Spans: []annotate.Span{{Start: 4, End: 10, Label: "STATE"}}}}},
		{Doc: annotate.Document{ID: "b", Text: "في الأردن وسوريا"}},
	}
	if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	jordan, _ := match.Compile("الأردن")
	syria, _ := match.Compile("سوريا")
	got, err := ProjectSuggestions(st, "amina", []Name{{Label: "STATE", Matcher: jordan}, {Label: "STATE", Matcher: syria}}, annotate.OriginGazetteer)
	if err != nil || len(got) != 2 || got[0].Doc != "b" || got[0].Text != "الأردن" || got[1].Text != "سوريا" || got[1].Origin != annotate.OriginGazetteer {
		t.Fatalf("%+v %v", got, err)
	}
}

// BenchmarkPropagate10k: one label's propagation over 10,000 documents
// of 330 words, pure (records in memory) and with the documents read
// from the project.
func BenchmarkPropagate10k(b *testing.B) {
	var recs []annotate.Record
	for i, r := range teamRecords(10000) {
		if i%3 == 0 { // one record (layer a) per document
			recs = append(recs, r)
		}
	}
	m, _ := match.Compile("الأردن")
	b.Run("pure", func(b *testing.B) {
		for b.Loop() {
			if n := len(Propagate(m, "STATE", annotate.OriginPropagated, recs)); n == 0 {
				b.Fatal(n)
			}
		}
	})
	st, err := storage.OpenEmpty(filepath.Join(b.TempDir(), "p.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run("stored", func(b *testing.B) {
		for b.Loop() {
			got, err := ProjectSuggestions(st, "a", []Name{{Label: "STATE", Matcher: m}}, annotate.OriginPropagated)
			if err != nil || len(got) == 0 {
				b.Fatal(len(got), err)
			}
		}
	})
}
