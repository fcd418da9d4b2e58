package storage

import (
	"reflect"
	"testing"
	"time"

	"tawsim/annotate"
	"tawsim/annotate/assign"
)

func assignStore(t *testing.T) (*Store, string) {
	t.Helper()
	s, path := tempStore(t)
	var recs []annotate.Record
	for _, id := range []string{"d1", "d2", "d3"} {
		recs = append(recs, annotate.Record{Doc: annotate.Document{ID: id, Text: sampleText}})
	}
	if _, err := s.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return s, path
}

func TestAssignReplacesThePlanOfItsDocuments(t *testing.T) {
	s, path := assignStore(t)
	first := []assign.Assignment{
		{Doc: "d1", Annotators: []string{"amina", "badr"}, Overlap: true},
		{Doc: "d2", Annotators: []string{"amina"}},
		{Doc: "d3", Annotators: []string{"badr"}},
	}
	c0, _, _ := definitionClock(s.db)
	if err := s.Assign(first); err != nil {
		t.Fatal(err)
	}
	if c1, modified, _ := definitionClock(s.db); c1.revision() != c0.revision()+1 || modified.IsZero() {
		t.Fatalf("assigning did not advance the definition: %v → %v", c0, c1)
	}
	// A second plan for d2 and d3 only: d1 keeps its annotators, d3 loses
	// all of them.
	if err := s.Assign([]assign.Assignment{{Doc: "d2", Annotators: []string{"badr", "chadi"}}, {Doc: "d3"}}); err != nil {
		t.Fatal(err)
	}
	want := []assign.Assignment{
		{Doc: "d1", Annotators: []string{"amina", "badr"}, Overlap: true},
		{Doc: "d2", Annotators: []string{"badr", "chadi"}},
	}
	s.Close()
	s, err := OpenWith(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Assignments(); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("assignments after reopening:\n got %+v (%v)\nwant %+v", got, err, want)
	}
	if ids, _ := s.AssignedTo("badr"); !reflect.DeepEqual(ids, []string{"d1", "d2"}) {
		t.Fatalf("badr's documents: %v", ids)
	}
	if names, _ := s.Annotators(); !reflect.DeepEqual(names, []string{"amina", "badr", "chadi"}) {
		t.Fatalf("annotators: %v", names)
	}
}

func TestAssignRefusesTheWholePlan(t *testing.T) {
	s, _ := assignStore(t)
	for _, plan := range [][]assign.Assignment{
		{{Doc: "d1", Annotators: []string{"amina"}}, {Doc: "nope", Annotators: []string{"amina"}}},
		{{Doc: "d1", Annotators: []string{"amina"}}, {Doc: "d2", Annotators: []string{GoldLayer}}},
	} {
		if err := s.Assign(plan); err == nil {
			t.Fatalf("plan %+v accepted", plan)
		}
	}
	if got, _ := s.Assignments(); len(got) != 0 {
		t.Fatalf("a refused plan left %+v", got)
	}
	if c, _, _ := definitionClock(s.db); c.revision() != 0 {
		t.Fatalf("a refused plan advanced the definition to %v", c)
	}
}

func TestAssignmentsGoWithTheirDocument(t *testing.T) {
	s, _ := assignStore(t)
	if err := s.Assign([]assign.Assignment{{Doc: "d1", Annotators: []string{"amina"}}, {Doc: "d2", Annotators: []string{"amina"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec("DELETE FROM documents WHERE ext_id = 'd1'").Error; err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.AssignedTo("amina"); !reflect.DeepEqual(ids, []string{"d2"}) {
		t.Fatalf("after deleting d1: %v", ids)
	}
}

func TestActivity(t *testing.T) {
	s, _ := assignStore(t)
	before := time.Now().Add(-time.Second)
	if _, err := s.AddSpan("d1", "amina", annotate.Span{Start: 42, End: 48, Label: "STATE"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"amina", "badr"} {
		if err := s.AddTime("d2", who, 90*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddTime("d3", "amina", 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus("d2", "amina", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GoldAccept("d1", annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionAdded, "lead", nil); err != nil {
		t.Fatal(err)
	}
	acts, err := s.Activity()
	if err != nil {
		t.Fatal(err)
	}
	amina, badr := acts["amina"], acts["badr"]
	if len(acts) != 2 || amina.Spent != 2*time.Minute || badr.Spent != 90*time.Second {
		t.Fatalf("activity (the gold layer is not an annotator): %+v", acts)
	}
	for _, a := range []Activity{amina, badr} {
		if a.Last.Before(before) || a.Last.After(time.Now()) {
			t.Errorf("last activity %v is not of this test (from %v)", a.Last, before)
		}
	}
	// A layer's modified time counts, whatever its zone: here an hour
	// from now, written in another zone.
	later := time.Now().Add(time.Hour).In(time.FixedZone("AST", 3*3600))
	if err := s.db.Exec("UPDATE doc_statuses SET modified_at = ? WHERE annotator_id = (SELECT id FROM annotators WHERE name = 'badr')", later).Error; err != nil {
		t.Fatal(err)
	}
	acts, _ = s.Activity()
	if d := acts["badr"].Last.Sub(later); d < -time.Millisecond || d > time.Millisecond {
		t.Fatalf("badr's last activity %v, want %v", acts["badr"].Last, later)
	}
}

// An older project gets the assignments table when it is opened.
func TestMigrationAddsAssignments(t *testing.T) {
	s := openOld(t, v2Schema+v3Schema+v4Schema)
	if err := s.Assign([]assign.Assignment{{Doc: "d-hand", Annotators: []string{"amina"}}}); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.AssignedTo("amina"); err != nil || !reflect.DeepEqual(ids, []string{"d-hand"}) {
		t.Fatalf("amina's documents after migrating: %v, %v", ids, err)
	}
}

// FirstToDo finds, with a few rows read, the document the app's list
// would open first: assigned ones first, then by id, the first not done.
func TestFirstToDoFollowsTheListOrder(t *testing.T) {
	s, _ := assignStore(t)
	first := func(name, want string) {
		t.Helper()
		if got, err := s.FirstToDo(name); err != nil || got != want {
			t.Fatalf("FirstToDo(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	first("amina", "d1")
	if err := s.Assign([]assign.Assignment{{Doc: "d2", Annotators: []string{"amina"}}, {Doc: "d3", Annotators: []string{"amina", "badr"}}}); err != nil {
		t.Fatal(err)
	}
	first("amina", "d2")
	first("badr", "d3")
	first("", "d1")
	done := func(doc, name string) {
		t.Helper()
		if err := s.SetStatus(doc, name, annotate.StatusDone); err != nil {
			t.Fatal(err)
		}
	}
	done("d2", "amina")
	first("amina", "d3")
	done("d3", "amina")
	first("amina", "d1") // the assigned ones are done: the others
	done("d3", "badr")
	first("badr", "d1")
	done("d1", "amina")
	first("amina", "d2") // all done: the list's first, an assigned one
	done("d1", "badr")
	done("d2", "badr")
	first("badr", "d3")
	first("", "d1")
	// Each document's row as the whole list has it.
	all, err := s.Documents()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range all {
		one, err := s.DocumentInfo(d.ID)
		if err != nil || !reflect.DeepEqual(one, d) {
			t.Fatalf("DocumentInfo(%s) = %+v, %v; the list has %+v", d.ID, one, err, d)
		}
	}
	if _, err := s.DocumentInfo("nope"); err == nil {
		t.Fatal("no error for a missing document")
	}
	empty, _ := tempStore(t)
	if got, err := empty.FirstToDo("amina"); err != nil || got != "" {
		t.Fatalf("empty project: %q, %v", got, err)
	}
}
