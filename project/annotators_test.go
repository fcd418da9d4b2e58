package project

import (
	"reflect"
	"testing"

	"tawsim/annotate"
	"tawsim/storage"
)

// The annotators who count by default: a span or a status past todo on
// some document; not one who only exists, nor one with todo only, nor the
// gold layer.
func TestAnnotatorsWhoWorked(t *testing.T) {
	st := testProject(t, 2) // amina has a span on each document
	defer st.Close()
	for _, c := range []struct {
		who    string
		status annotate.Status
	}{{"badr", annotate.StatusDone}, {"chadi", annotate.StatusInProgress}, {"dalia", annotate.StatusTodo}} {
		if err := st.SetStatus("d0001", c.who, c.status); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.EnsureAnnotator("emad"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GoldAccept("d0000", annotate.Span{Start: 4, End: 9, Label: "PERSON"}, annotate.DecisionAdded, "lead", nil); err != nil {
		t.Fatal(err)
	}
	got, err := Annotators(st)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"amina", "badr", "chadi"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("annotators %v, want %v", got, want)
	}
	// OnlyWorked keeps the documents everyone named worked on.
	_, left, err := AgreementDocs(st, []string{"amina", "badr"}, AgreementSelection{OnlyWorked: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(left, []string{"d0000"}) {
		t.Fatalf("left out %v, want d0000 (badr has nothing there)", left)
	}
	if !Worked(storage.DocInfo{Status: map[string]annotate.Status{"x": annotate.StatusDone}}, "x") {
		t.Error("done without spans is work")
	}
}
