package project

import (
	"reflect"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/internal/pgtest"
	"tawsim/storage"
)

const relText = "قال الصفدي إن الأردن يرفض الخطة"

// Pre-fill accepts a relation both annotators drew exactly once both its
// ends are gold; a relation drawn by one, or rejected by hand, stays out.
func TestPrefillAcceptsAgreedRelations(t *testing.T) {
	st, err := storage.OpenEmpty(pgtest.Project(t, t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	claim := annotate.Span{Start: 14, End: 31, Label: "CLAIM"}
	safadi := annotate.Span{Start: 4, End: 10, Label: "PERSON"}
	cue := annotate.Span{Start: 0, End: 3, Label: "CUE"}
	layer := func(who string, rels ...annotate.Relation) annotate.Layer {
		return annotate.Layer{Annotator: who, Spans: []annotate.Span{claim, safadi, cue}, Relations: rels}
	}
	source := annotate.Relation{Head: 0, Tail: 1, Label: "SOURCE"}
	said := annotate.Relation{Head: 0, Tail: 2, Label: "CUE"}
	var recs []annotate.Record
	for _, id := range []string{"d1", "d2"} {
		doc := annotate.Document{ID: id, Text: relText}
		recs = append(recs, annotate.Record{Doc: doc, Layers: []annotate.Layer{layer("amina", source, said)}},
			annotate.Record{Doc: doc, Layers: []annotate.Layer{layer("badr", source)}})
	}
	if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rejected := adjudicate.RelKey{HeadStart: 14, HeadEnd: 31, HeadLabel: "CLAIM", TailStart: 4, TailEnd: 10, TailLabel: "PERSON", Label: "SOURCE"}
	if err := st.GoldRejectRelation("d2", rejected, "lead"); err != nil {
		t.Fatal(err)
	}
	out, err := Prefill(st, PrefillOptions{Settings: storage.PrefillSettings{Annotators: []string{"amina", "badr"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || len(out[0].Relations) != 1 || len(out[1].Relations) != 0 {
		t.Fatalf("pre-fill %+v", out)
	}
	l, _ := st.Layer("d1", storage.GoldLayer)
	want := []annotate.Relation{{Head: 2, Tail: 1, Label: "SOURCE", Votes: []string{"amina", "badr"}, Decision: annotate.DecisionAutomatic}}
	if len(l.Spans) != 3 || !reflect.DeepEqual(l.Relations, want) {
		t.Fatalf("gold of d1: %+v", l)
	}
	if l, _ := st.Layer("d2", storage.GoldLayer); len(l.Spans) != 3 || len(l.Relations) != 0 {
		t.Fatalf("gold of d2 (relation rejected): %+v", l)
	}
	// A hand decision on the relation survives another pre-fill.
	if _, _, err := st.GoldAcceptRelation("d1", storage.GoldRelation{Head: claim, Tail: safadi, Label: "SOURCE", Decision: annotate.DecisionEdited}, "lead"); err != nil {
		t.Fatal(err)
	}
	if _, err := Prefill(st, PrefillOptions{Settings: storage.PrefillSettings{Annotators: []string{"amina", "badr"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if l, _ := st.Layer("d1", storage.GoldLayer); len(l.Relations) != 1 || l.Relations[0].Decision != annotate.DecisionEdited || l.Relations[0].DecidedBy != "lead" {
		t.Fatalf("hand decision changed: %+v", l.Relations)
	}
}
