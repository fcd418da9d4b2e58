package storage

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"tawsim/annotate"
)

// Spans of sampleText for the attribution scheme.
var (
	relClaim = annotate.Span{Start: 37, End: 48, Label: "CLAIM"}        // زار والأردن
	relOrg   = annotate.Span{Start: 11, End: 27, Label: "ORGANIZATION"} // Türkiye Gazetesi
	relCue   = annotate.Span{Start: 0, End: 4, Label: "CUE"}            // بحسب
	relState = annotate.Span{Start: 42, End: 48, Label: "STATE"}        // الأردن
)

func TestNewProjectHasDefaultRelationTypesAndCue(t *testing.T) {
	s, _ := tempStore(t)
	types, err := s.RelationTypes()
	if err != nil || !reflect.DeepEqual(types, annotate.DefaultRelationTypes()) {
		t.Fatalf("relation types %+v, %v", types, err)
	}
	labels, _ := s.Labels()
	if len(labels) != 5 || labels[4].Name != "CUE" || labels[4].Hotkey != "5" {
		t.Fatalf("labels %+v", labels)
	}
}

func TestAddRelationFollowsTheRules(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	add := func(sp annotate.Span) int64 {
		got, err := s.AddSpan("d1", "amina", sp)
		if err != nil {
			t.Fatal(err)
		}
		return got.ID
	}
	claim, org, cue, state := add(relClaim), add(relOrg), add(relCue), add(relState)
	if err := s.AddRelation(claim, org, "SOURCE"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddRelation(claim, cue, "CUE"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		head, tail  int64
		label, want string
	}{
		{org, claim, "SOURCE", "not ORGANIZATION to CLAIM"},
		{claim, state, "CUE", "not CLAIM to STATE"},
		{claim, org, "ABOUT", `unknown relation type "ABOUT"`},
		{claim, claim, "SOURCE", "two different spans"},
	} {
		err := s.AddRelation(bad.head, bad.tail, bad.label)
		if !errors.Is(err, ErrRelationRule) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s %d→%d: %v, want %q", bad.label, bad.head, bad.tail, err, bad.want)
		}
	}
	if err := s.AddRelation(claim, org, "SOURCE"); !errors.Is(err, ErrDuplicateRelation) {
		t.Fatalf("second equal relation: %v", err)
	}
	other, _ := s.AddSpan("d1", "badr", relOrg)
	if err := s.AddRelation(claim, other.ID, "SOURCE"); err == nil {
		t.Fatal("a relation across layers was accepted")
	}
	if l, _ := s.Layer("d1", "amina"); len(l.Relations) != 2 {
		t.Fatalf("relations %+v", l.Relations)
	}
}

func relRecord(ann string, rels ...annotate.Relation) annotate.Record {
	return annotate.Record{Doc: annotate.Document{ID: "d1", Text: sampleText}, Line: 7, Layers: []annotate.Layer{{Annotator: ann,
		Spans: []annotate.Span{relClaim, relOrg, relCue, relState}, Relations: rels}}}
}

func TestImportRefusesRelationsAgainstTheRules(t *testing.T) {
	s, _ := tempStore(t)
	for _, c := range []struct {
		rel  annotate.Relation
		want string
	}{
		{annotate.Relation{Head: 1, Tail: 0, Label: "SOURCE"}, `in.jsonl:7: document "d1": relation 0 (ORGANIZATION [11,27) → CLAIM [37,48)): relation refused: a SOURCE relation joins [CLAIM] to [PERSON ORGANIZATION STATE], not ORGANIZATION to CLAIM`},
		{annotate.Relation{Head: 0, Tail: 3, Label: "CUE"}, `in.jsonl:7: document "d1": relation 0 (CLAIM [37,48) → STATE [42,48)): relation refused: a CUE relation joins [CLAIM] to [CUE], not CLAIM to STATE`},
		{annotate.Relation{Head: 0, Tail: 0, Label: "SOURCE"}, `in.jsonl:7: document "d1": relation 0: relation refused: it joins span 0 (CLAIM [37,48)) to itself`},
	} {
		_, err := s.Import([]annotate.Record{relRecord("amina", c.rel)}, ImportOptions{File: "in.jsonl"})
		if err == nil || err.Error() != c.want {
			t.Errorf("import of %+v:\n got %v\nwant %s", c.rel, err, c.want)
		}
	}
	if docs, _ := s.Documents(); len(docs) != 0 {
		t.Fatal("a refused import stored documents")
	}
}

// An imported relation the layer has already, or one listed twice alike,
// is kept once and is no error; two copies with other provenance are.
func TestImportDuplicateRelations(t *testing.T) {
	s, _ := tempStore(t)
	src := annotate.Relation{Head: 0, Tail: 1, Label: "SOURCE"}
	res, err := s.Import([]annotate.Record{relRecord("amina", src, src, annotate.Relation{Head: 0, Tail: 2, Label: "CUE"})}, ImportOptions{})
	if err != nil || res.Relations != 2 {
		t.Fatalf("first import: %v %+v", err, res)
	}
	res, err = s.Import([]annotate.Record{relRecord("amina", src)}, ImportOptions{})
	if err != nil || res.Relations != 0 || res.RelationsPresent != 1 {
		t.Fatalf("second import: %v %+v", err, res)
	}
	if l, _ := s.Layer("d1", "amina"); len(l.Relations) != 2 {
		t.Fatalf("relations %+v", l.Relations)
	}
	a, b := src, src
	a.Decision, b.Decision = annotate.DecisionChosen, annotate.DecisionEdited
	if _, err := s.Import([]annotate.Record{relRecord(GoldLayer, a, b)}, ImportOptions{File: "g.jsonl"}); !errors.Is(err, ErrDuplicateRelation) || !strings.HasPrefix(err.Error(), "g.jsonl:7: ") {
		t.Fatalf("gold relation twice with other decisions: %v", err)
	}
}

// Gold relations keep their provenance through import and the layer.
func TestImportGoldRelationProvenance(t *testing.T) {
	s, _ := tempStore(t)
	src := annotate.Relation{Head: 0, Tail: 1, Label: "SOURCE", Votes: []string{"badr", "amina"}, Decision: annotate.DecisionChosen, DecidedBy: "lead"}
	if _, err := s.Import([]annotate.Record{relRecord(GoldLayer, src)}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	want := src // the layer lists spans in reading order: CUE, ORGANIZATION, CLAIM, STATE
	want.Head, want.Tail, want.Votes = 2, 1, []string{"amina", "badr"}
	l, _ := s.Layer("d1", GoldLayer)
	if len(l.Relations) != 1 || !reflect.DeepEqual(l.Relations[0], want) {
		t.Fatalf("gold relations %+v", l.Relations)
	}
	var got []annotate.Relation
	s.EachRecord(GoldLayer, false, func(rec *annotate.Record) error {
		got = append(got, rec.Layers[0].Relations...)
		return nil
	})
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("EachRecord gold relations %+v", got)
	}
}

// v4Schema is version 4: v3 with the gold statuses table, a project whose
// labels were initialised (without CUE).
const v4Schema = `
CREATE TABLE gold_statuses (document_id integer, status text NOT NULL DEFAULT 'todo', finished_by text NOT NULL DEFAULT '', finished_at datetime, updated_at datetime, PRIMARY KEY (document_id),
  CONSTRAINT fk_gold_statuses_document FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE);
CREATE INDEX idx_gold_statuses_status ON gold_statuses(status);
UPDATE tawsim_meta SET value = '4' WHERE key = 'schema_version';
INSERT INTO tawsim_meta VALUES ('labels_initialized', '2025-01-01T00:00:00Z');
INSERT INTO label_types (name, hotkey, sort_order) VALUES ('CLAIM', '4', 4);
`

func TestMigrationFromV4(t *testing.T) {
	s := openOld(t, v2Schema+v3Schema+v4Schema)
	if v, _ := s.Version(); v != SchemaVersion {
		t.Fatalf("version after migration = %d", v)
	}
	types, err := s.RelationTypes()
	if err != nil || !reflect.DeepEqual(types, annotate.DefaultRelationTypes()) {
		t.Fatalf("relation types %+v, %v", types, err)
	}
	labels, _ := s.Labels()
	if n := len(labels); n != 3 || labels[n-1].Name != "CUE" || labels[n-1].Hotkey != "5" {
		t.Fatalf("labels %+v", labels)
	}
	// The old relation stays (a check may report it), without provenance.
	l, _ := s.Layer("d-hand", "amina")
	if len(l.Relations) != 1 || l.Relations[0].Label != "SELF" || l.Relations[0].Decision != "" {
		t.Fatalf("relations after migration %+v", l.Relations)
	}
	for _, col := range []string{"votes", "decision", "decided_by"} {
		if !s.db.Migrator().HasColumn(&relation{}, col) {
			t.Fatalf("relations.%s not added", col)
		}
	}
}

// A project whose hotkey 5 is taken keeps its labels: no CUE is added.
func TestMigrationFromV4KeepsHotkey5(t *testing.T) {
	s := openOld(t, v2Schema+v3Schema+v4Schema+`INSERT INTO label_types (name, hotkey) VALUES ('EVENT', '5');`)
	labels, _ := s.Labels()
	for _, l := range labels {
		if l.Name == "CUE" {
			t.Fatalf("CUE added beside a label on hotkey 5: %+v", labels)
		}
	}
}

// DeleteRelation removes exactly the relation named and refuses one that
// is not stored.
func TestDeleteRelation(t *testing.T) {
	s, _ := tempStore(t)
	layer := annotate.Layer{Annotator: "a",
		Spans:     []annotate.Span{{Start: 0, End: 4, Label: "CLAIM"}, {Start: 5, End: 10, Label: "PERSON"}},
		Relations: []annotate.Relation{{Head: 0, Tail: 1, Label: "SOURCE"}}}
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}, Layers: []annotate.Layer{layer}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	l, _ := s.Layer("d1", "a")
	claim, who := l.Spans[0].ID, l.Spans[1].ID
	for _, c := range []struct {
		label string
		ok    bool
		left  int
	}{{"CUE", false, 1}, {"SOURCE", true, 0}, {"SOURCE", false, 0}} {
		err := s.DeleteRelation(claim, who, c.label)
		if (err == nil) != c.ok {
			t.Fatalf("deleting %s: %v", c.label, err)
		}
		if l, _ := s.Layer("d1", "a"); len(l.Spans) != 2 || len(l.Relations) != c.left {
			t.Fatalf("after deleting %s: %+v", c.label, l)
		}
	}
}
