package storage

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
)

// labelsProject is a project with d1 where amina has a claim, two spans
// at the offsets of الأردن (STATE and ORGANIZATION), a SOURCE relation
// from the claim to each, a second claim with a SOURCE to the STATE, and
// a PERSON in d2.
func labelsProject(t *testing.T) *Store {
	t.Helper()
	docs := []annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}, {Doc: annotate.Document{ID: "d2", Text: sampleText}}}
	s, _ := tempStore(t)
	if _, err := s.Import(docs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	add := func(doc string, sp annotate.Span) int64 {
		got, err := s.AddSpan(doc, "amina", sp)
		if err != nil {
			t.Fatal(err)
		}
		return got.ID
	}
	claim, claim2 := add("d1", relClaim), add("d1", annotate.Span{Start: 28, End: 36, Label: "CLAIM"})
	state, org := add("d1", relState), add("d1", annotate.Span{Start: 42, End: 48, Label: "ORGANIZATION"})
	add("d2", annotate.Span{Start: 42, End: 48, Label: "STATE"})
	for _, r := range [][2]int64{{claim, state}, {claim, org}, {claim2, state}} {
		if err := s.AddRelation(r[0], r[1], "SOURCE"); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func labelNames(t *testing.T, s *Store) []string {
	t.Helper()
	ls, err := s.Labels()
	return collect(t, ls, err, func(l annotate.Label) string { return l.Name })
}

func layerOf(t *testing.T, s *Store, doc string) annotate.Layer {
	t.Helper()
	l, err := s.Layer(doc, "amina")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func definitionRev(t *testing.T, s *Store) int64 {
	t.Helper()
	r, err := s.DefinitionRevision()
	if err != nil {
		t.Fatal(err)
	}
	return r.Revision
}

func TestRenameLabelKeepsSpansAndRelationTypes(t *testing.T) {
	s := labelsProject(t)
	before, _ := s.Labels()
	rev := definitionRev(t, s)
	if err := s.RenameLabel("STATE", "COUNTRY"); err != nil {
		t.Fatal(err)
	}
	if definitionRev(t, s) != rev+1 {
		t.Fatal("a rename is a change of the definition")
	}
	after, _ := s.Labels()
	if after[1].Name != "COUNTRY" || after[1].UID != before[1].UID || after[1].Hotkey != "2" {
		t.Fatalf("renamed label %+v (was %+v)", after[1], before[1])
	}
	l := layerOf(t, s, "d1")
	if len(l.Spans) != 4 || len(l.Relations) != 3 || !slices.ContainsFunc(l.Spans, func(sp annotate.Span) bool { return sp.Label == "COUNTRY" }) {
		t.Fatalf("layer after the rename %+v", l)
	}
	types, _ := s.RelationTypes()
	if !reflect.DeepEqual(types[0].Tails, []string{"PERSON", "ORGANIZATION", "COUNTRY"}) {
		t.Fatalf("SOURCE's tails %v", types[0].Tails)
	}
	if err := s.RenameLabel("COUNTRY", "PERSON"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Fatalf("rename onto a label: %v", err)
	}
	if err := s.RenameLabel("COUNTRY", "A B"); err == nil {
		t.Fatal("a name with a space was accepted")
	}
}

func TestEditLabelChecksColourAndHotkey(t *testing.T) {
	s := labelsProject(t)
	str := func(v string) *string { return &v }
	for _, e := range []LabelEdit{{Color: str("red")}, {Color: str("#12345")}, {Hotkey: str("0")}, {Hotkey: str("12")}} {
		if err := s.EditLabel("STATE", e); err == nil {
			t.Errorf("edit %+v accepted", e)
		}
	}
	if err := s.EditLabel("STATE", LabelEdit{Hotkey: str("1")}); err == nil || !strings.Contains(err.Error(), "PERSON") {
		t.Fatalf("a hotkey taken: %v", err)
	}
	if err := s.EditLabel("STATE", LabelEdit{Color: str("#00AA11"), Arabic: str(" بلد "), Hotkey: str("")}); err != nil {
		t.Fatal(err)
	}
	if err := s.EditLabel("PERSON", LabelEdit{Hotkey: str("2")}); err != nil {
		t.Fatalf("STATE's freed hotkey: %v", err)
	}
	ls, _ := s.Labels()
	if ls[1].Color != "#00aa11" || ls[1].Arabic != "بلد" || ls[1].Hotkey != "" || ls[0].Hotkey != "2" {
		t.Fatalf("labels %+v", ls)
	}
	if err := s.AddLabel(annotate.Label{Name: "EVENT", Hotkey: "2"}); err == nil {
		t.Fatal("a new label took a hotkey in use")
	}
	if err := s.AddLabel(annotate.Label{Name: "EVENT", Hotkey: "9"}); err != nil {
		t.Fatal(err)
	}
	ls, _ = s.Labels()
	if last := ls[len(ls)-1]; last.Name != "EVENT" || !colorRE.MatchString(last.Color) || last.UID == "" {
		t.Fatalf("added label %+v", last)
	}
}

func TestReorderLabels(t *testing.T) {
	s := labelsProject(t)
	order := []string{"CUE", "CLAIM", "STATE", "ORGANIZATION", "PERSON"}
	if err := s.ReorderLabels(order); err != nil {
		t.Fatal(err)
	}
	if got := labelNames(t, s); !reflect.DeepEqual(got, order) {
		t.Fatalf("order %v", got)
	}
	if err := s.ReorderLabels(order[:4]); err == nil {
		t.Fatal("an order missing a label was accepted")
	}
}

func TestDeleteLabelRefusedWhileInUse(t *testing.T) {
	s := labelsProject(t)
	err := s.DeleteLabel("STATE")
	var use *LabelInUseError
	if !errors.As(err, &use) || !errors.Is(err, ErrLabelInUse) || use.Spans != 2 || use.Documents != 2 || !reflect.DeepEqual(use.RelationTypes, []string{"SOURCE"}) {
		t.Fatalf("delete of a label in use: %v", err)
	}
	if !strings.Contains(err.Error(), "2 spans in 2 documents") {
		t.Fatalf("refusal %q", err)
	}
	if err := s.DeleteLabel("PERSON"); !errors.As(err, &use) || use.Spans != 0 {
		t.Fatalf("PERSON is named by SOURCE: %v", err)
	} else if !strings.Contains(err.Error(), ": relation type SOURCE names it") {
		t.Fatalf("refusal %q", err)
	}
	if err := s.DeleteLabel("ORGANIZATION"); err == nil || !strings.Contains(err.Error(), ": 1 span in 1 document carries it") {
		t.Fatalf("refusal %v", err)
	}
	s.AddLabel(annotate.Label{Name: "EVENT"})
	if err := s.DeleteLabel("EVENT"); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(labelNames(t, s), "EVENT") {
		t.Fatal("EVENT stayed")
	}
}

func TestMergeLabelFoldsDuplicatesAndKeepsRelations(t *testing.T) {
	s := labelsProject(t)
	rev, _ := s.LayerRevision("d1", "amina")
	res, err := s.MergeLabel("STATE", "ORGANIZATION")
	if err != nil {
		t.Fatal(err)
	}
	// d2's STATE is relabelled; d1's folds into the ORGANIZATION span at
	// its offsets, its relation from the first claim a duplicate.
	if res != (LabelMerge{Relabelled: 1, Folded: 1, RelationsFolded: 1}) {
		t.Fatalf("result %+v", res)
	}
	l := layerOf(t, s, "d1")
	if len(l.Spans) != 3 || len(l.Relations) != 2 {
		t.Fatalf("d1 after the merge %+v", l)
	}
	for _, r := range l.Relations {
		if l.Spans[r.Tail].Label != "ORGANIZATION" || r.Label != "SOURCE" {
			t.Fatalf("relation %+v of %+v", r, l.Spans)
		}
	}
	if l2 := layerOf(t, s, "d2"); len(l2.Spans) != 1 || l2.Spans[0].Label != "ORGANIZATION" {
		t.Fatalf("d2 after the merge %+v", l2)
	}
	if after, _ := s.LayerRevision("d1", "amina"); after.Revision <= rev.Revision {
		t.Fatal("the merge did not advance the layer's revision")
	}
	if slices.Contains(labelNames(t, s), "STATE") {
		t.Fatal("STATE stayed")
	}
	types, _ := s.RelationTypes()
	if !reflect.DeepEqual(types[0].Tails, []string{"PERSON", "ORGANIZATION"}) {
		t.Fatalf("SOURCE's tails %v", types[0].Tails)
	}
	if _, err := s.MergeLabel("CLAIM", "CLAIM"); err == nil {
		t.Fatal("a merge into itself")
	}
}

func TestEditRelationTypes(t *testing.T) {
	s := labelsProject(t)
	if err := s.AddRelationType(annotate.RelationType{Name: "MENTIONS", Heads: []string{"CLAIM"}, Tails: []string{"NOPE"}}); err == nil {
		t.Fatal("a type naming an unknown label")
	}
	if err := s.AddRelationType(annotate.RelationType{Name: "MENTIONS", Heads: []string{"CLAIM"}, Tails: []string{"PERSON"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.RenameRelationType("SOURCE", "SAID_BY"); err != nil {
		t.Fatal(err)
	}
	if l := layerOf(t, s, "d1"); len(l.Relations) != 3 || l.Relations[0].Label != "SAID_BY" {
		t.Fatalf("relations after the rename %+v", l.Relations)
	}
	err := s.SetRelationTypeEnds("SAID_BY", []string{"CLAIM"}, []string{"STATE"})
	if !errors.Is(err, ErrRelationTypeInUse) || !strings.Contains(err.Error(), "1 stored relation in 1 document") {
		t.Fatalf("narrowing a type its relations break: %v", err)
	}
	if err := s.SetRelationTypeEnds("SAID_BY", []string{"CLAIM"}, []string{"STATE", "ORGANIZATION"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRelationType("SAID_BY"); !errors.Is(err, ErrRelationTypeInUse) || !strings.Contains(err.Error(), "3 stored relations") {
		t.Fatalf("delete of a type in use: %v", err)
	}
	if err := s.DeleteRelationType("MENTIONS"); err != nil {
		t.Fatal(err)
	}
	types, _ := s.RelationTypes()
	if len(types) != 2 || types[0].Name != "SAID_BY" || !reflect.DeepEqual(types[0].Tails, []string{"STATE", "ORGANIZATION"}) {
		t.Fatalf("types %+v", types)
	}
}

func TestGuidelinesAreStoredInTheProject(t *testing.T) {
	s, path := tempStore(t)
	if g, err := s.Guidelines(); err != nil || g != (Guidelines{Format: GuidelinesMarkdown}) {
		t.Fatalf("guidelines of a new project %+v %v", g, err)
	}
	rev := definitionRev(t, s)
	if err := s.SetGuidelines(Guidelines{Text: "x", Format: "html"}); err == nil {
		t.Fatal("an unknown format")
	}
	want := Guidelines{Text: "# التعليمات\n\nضع **شخص** على الأسماء.", Format: GuidelinesMarkdown}
	if err := s.SetGuidelines(want); err != nil {
		t.Fatal(err)
	}
	if definitionRev(t, s) != rev+1 {
		t.Fatal("setting the guidelines is a change of the definition")
	}
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if g, err := s2.Guidelines(); err != nil || g != want {
		t.Fatalf("after reopening %+v %v", g, err)
	}
}

func TestImportRefusesUnknownLabels(t *testing.T) {
	s, _ := tempStore(t)
	recs := []annotate.Record{
		{Line: 1, Doc: annotate.Document{ID: "a", Text: sampleText}, Layers: []annotate.Layer{{Annotator: "x", Spans: []annotate.Span{{Start: 0, End: 4, Label: "PERSN"}, {Start: 42, End: 48, Label: "STATE"}}}}},
		{Line: 2, Doc: annotate.Document{ID: "b", Text: sampleText}, Layers: []annotate.Layer{{Annotator: "x", Spans: []annotate.Span{{Start: 0, End: 4, Label: "MINISTER"}, {Start: 5, End: 10, Label: "PERSN"}}}}},
	}
	_, err := s.Import(recs, ImportOptions{File: "in.jsonl"})
	var u *UnknownLabelsError
	if !errors.As(err, &u) || !reflect.DeepEqual(u.Labels, []UnknownLabel{{"PERSN", 1, 2}, {"MINISTER", 2, 1}}) {
		t.Fatalf("unknown labels: %v", err)
	}
	if want := `in.jsonl:1: labels not in the project's label set: "PERSN" (2 spans, first at line 1), "MINISTER" (1 span, first at line 2)`; err.Error() != want {
		t.Fatalf("message %q", err)
	}
	if _, err := s.Document("a"); err == nil {
		t.Fatal("a refused import stored a document")
	}
	res, err := s.Import(recs, ImportOptions{File: "in.jsonl", AddLabels: true})
	if err != nil || !reflect.DeepEqual(res.NewLabels, []string{"PERSN", "MINISTER"}) || res.Spans != 4 {
		t.Fatalf("with AddLabels: %+v %v", res, err)
	}
}

// A span at offset 0 is merged by its own offsets: a span of the kept
// label that only ends where it does is not its twin.
func TestMergeLabelSpanAtTheStart(t *testing.T) {
	s, _ := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, sp := range []annotate.Span{{Start: 0, End: 4, Label: "STATE"}, {Start: 2, End: 4, Label: "ORGANIZATION"}} {
		if _, err := s.AddSpan("d1", "amina", sp); err != nil {
			t.Fatal(err)
		}
	}
	if res, err := s.MergeLabel("STATE", "ORGANIZATION"); err != nil || res != (LabelMerge{Relabelled: 1}) {
		t.Fatalf("merge: %+v %v", res, err)
	}
	got := collect(t, layerOf(t, s, "d1").Spans, nil, func(sp annotate.Span) string { return fmt.Sprintf("%d-%d %s", sp.Start, sp.End, sp.Label) })
	if !reflect.DeepEqual(got, []string{"0-4 ORGANIZATION", "2-4 ORGANIZATION"}) {
		t.Fatalf("after the merge: %q", got)
	}
}

// Rejected gold relations that a merge makes the same (one per label,
// decided by different people at different times) are kept once.
func TestMergeLabelFoldsRelationRejections(t *testing.T) {
	s, _ := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for i, head := range []string{"STATE", "ORGANIZATION"} {
		k := adjudicate.RelKey{HeadStart: 0, HeadEnd: 4, HeadLabel: head, TailStart: 42, TailEnd: 48, TailLabel: "PERSON", Label: "SOURCE"}
		if err := s.GoldRejectRelation("d1", k, []string{"amina", "badr"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.MergeLabel("STATE", "ORGANIZATION"); err != nil {
		t.Fatal(err)
	}
	var rows []goldRelationRejection
	if err := s.db.Find(&rows).Error; err != nil || len(rows) != 1 || rows[0].HeadLabel != "ORGANIZATION" {
		t.Fatalf("rejections after the merge: %+v %v", rows, err)
	}
}
