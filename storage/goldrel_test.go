package storage

import (
	"errors"
	"reflect"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
)

// Accepting a relation whose ends are not gold accepts them too, in one
// transaction; an end already gold keeps its decision.
func TestGoldAcceptRelation(t *testing.T) {
	s := goldStore(t)
	hand, err := s.GoldAccept("d1", relOrg, annotate.DecisionEdited, "lead", nil)
	if err != nil {
		t.Fatal(err)
	}
	claim := relClaim
	claim.Votes = []string{"amina"}
	h, tl, err := s.GoldAcceptRelation("d1", GoldRelation{Head: claim, Tail: relOrg, Label: "SOURCE", Votes: []string{"badr", "amina"}, Decision: annotate.DecisionChosen}, "lead")
	if err != nil {
		t.Fatal(err)
	}
	if h.Decision != annotate.DecisionChosen || h.Text != "زار والأردن" || tl.ID != hand.ID || tl.Decision != annotate.DecisionEdited {
		t.Fatalf("ends %+v %+v", h, tl)
	}
	d, _ := s.AdjudicationDoc("d1", []string{"amina", "badr"})
	want := []adjudicate.Rel{{Head: h, Tail: tl, Label: "SOURCE", Votes: []string{"amina", "badr"}, Decision: annotate.DecisionChosen, DecidedBy: "lead"}}
	for i := range d.GoldRelations {
		d.GoldRelations[i].Head.ID, d.GoldRelations[i].Tail.ID = 0, 0
	}
	want[0].Head.ID, want[0].Tail.ID = 0, 0
	want[0].Head.DecidedBy, want[0].Tail.DecidedBy, want[0].Head.Votes, want[0].Tail.Votes, want[0].Head.Decision, want[0].Tail.Decision = "", "", nil, nil, "", ""
	if !reflect.DeepEqual(d.GoldRelations, want) {
		t.Fatalf("gold relations\n%+v\nwant\n%+v", d.GoldRelations, want)
	}
	if g, _ := s.GoldStatuses(); g["d1"].Status != annotate.GoldInProgress {
		t.Fatalf("status %+v", g["d1"])
	}
	// Against the rules: refused, and nothing is accepted.
	if _, _, err := s.GoldAcceptRelation("d1", GoldRelation{Head: relClaim, Tail: relCue, Label: "SOURCE", Decision: annotate.DecisionChosen}, "lead"); !errors.Is(err, ErrRelationRule) {
		t.Fatalf("CUE as a source: %v", err)
	}
	if l, _ := s.Layer("d1", GoldLayer); len(l.Spans) != 2 || len(l.Relations) != 1 {
		t.Fatalf("gold after a refused accept: %+v", l)
	}
	// Reject: the relation goes, its ends stay, and the rejection shows.
	k := want[0].Key()
	if err := s.GoldRejectRelation("d1", k, "lead"); err != nil {
		t.Fatal(err)
	}
	d, _ = s.AdjudicationDoc("d1", nil)
	if len(d.GoldRelations) != 0 || len(d.Gold) != 2 || !reflect.DeepEqual(d.RejectedRelations, []adjudicate.RelKey{k}) {
		t.Fatalf("after reject: %+v", d)
	}
	if err := s.GoldDeleteRelation("d1", k); err != nil {
		t.Fatal(err)
	}
	if err := s.GoldDeleteRelation("d1", k); !errors.Is(err, ErrNoRelation) {
		t.Fatalf("second delete: %v", err)
	}
	// Deleting a gold end deletes the relation.
	s.GoldAcceptRelation("d1", GoldRelation{Head: relClaim, Tail: relOrg, Label: "SOURCE", Decision: annotate.DecisionChosen}, "lead")
	if err := s.GoldDelete(hand.ID); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Layer("d1", GoldLayer); len(l.Relations) != 0 {
		t.Fatalf("relation outlived its end: %+v", l)
	}
}
