package project

import (
	"reflect"
	"testing"
	"time"

	"tawsim/annotate"
	"tawsim/annotate/assign"
	"tawsim/storage"
)

// Without assignments, everyone who worked on a document is expected.
func TestAllDoneWithoutAssignments(t *testing.T) {
	d := storage.DocInfo{Spans: map[string]int{"amina": 2, storage.GoldLayer: 1}, Status: map[string]annotate.Status{"badr": annotate.StatusDone}}
	if AllDone(d, nil) {
		t.Error("amina has spans and is not done")
	}
	d.Status["amina"] = annotate.StatusDone
	if !AllDone(d, nil) || AllDone(storage.DocInfo{}, nil) || AllDone(d, []string{"chadi"}) {
		t.Error("all done: both who worked; nobody worked: no; an assigned annotator not done: no")
	}
}

func TestProgressBoard(t *testing.T) {
	st := testProject(t, 4) // amina has a span on each document
	defer st.Close()
	plan, err := Assign(st, assign.Options{Annotators: []string{"badr", "amina"}, PerDoc: 1, Overlap: 0.5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 4 {
		t.Fatalf("plan of %d documents", len(plan))
	}
	var shared, badrOwn []string
	for _, as := range plan {
		if as.Overlap {
			shared = append(shared, as.Doc)
		} else if as.Annotators[0] == "badr" {
			badrOwn = append(badrOwn, as.Doc)
		}
	}
	if len(shared) != 2 || len(badrOwn) != 1 {
		t.Fatalf("plan %+v", plan)
	}
	for _, d := range shared {
		if err := st.SetStatus(d, "amina", annotate.StatusDone); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetStatus(shared[0], "badr", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	if err := st.AddTime(badrOwn[0], "badr", 75*time.Second); err != nil {
		t.Fatal(err)
	}
	// The gold layer is not an annotator on the board.
	if _, err := st.GoldAccept(shared[1], annotate.Span{Start: 4, End: 9, Label: "PERSON"}, annotate.DecisionAdded, "lead", nil); err != nil {
		t.Fatal(err)
	}
	if err := st.EnsureAnnotator("chadi"); err != nil { // nothing assigned, no work: not on the board
		t.Fatal(err)
	}
	p, err := ProgressOf(st)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Annotators) != 2 {
		t.Fatalf("annotators %+v", p.Annotators)
	}
	amina, badr := p.Annotators[0], p.Annotators[1]
	// amina: her span on every document made all four in progress; two
	// are done.
	if amina.Annotator != "amina" || amina.Assigned != 3 || amina.AssignedDone != 2 || amina.Done != 2 || amina.InProgress != 2 || amina.Spans != 4 || amina.LastActivity == nil {
		t.Errorf("amina: %+v", amina)
	}
	if badr.Annotator != "badr" || badr.Assigned != 3 || badr.AssignedDone != 1 || badr.Done != 1 || badr.Spans != 0 || badr.Spent() != 75*time.Second {
		t.Errorf("badr: %+v", badr)
	}
	byID := map[string]DocProgress{}
	for _, d := range p.Documents {
		byID[d.ID] = d
	}
	if d := byID[shared[0]]; !d.Overlap || !d.AllDone || !reflect.DeepEqual(d.Done, []string{"amina", "badr"}) {
		t.Errorf("shared document done by both: %+v", d)
	}
	if d := byID[shared[1]]; d.AllDone || !reflect.DeepEqual(d.Assigned, []string{"amina", "badr"}) || !reflect.DeepEqual(d.Done, []string{"amina"}) {
		t.Errorf("shared document done by amina only: %+v", d)
	}
	if d := byID[badrOwn[0]]; d.AllDone || !reflect.DeepEqual(d.Assigned, []string{"badr"}) || !reflect.DeepEqual(d.Done, []string{}) {
		t.Errorf("badr's own document: %+v", d)
	}
}
