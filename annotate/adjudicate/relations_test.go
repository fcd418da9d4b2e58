package adjudicate

import (
	"reflect"
	"testing"

	"tawsim/annotate"
)

// relDoc: a and b draw R from PER [0,3) to ORG [5,8); c draws R from PER
// [0,3) to its own PER [11,14).
func relDoc() Doc {
	d := doc()
	r := func(h, t annotate.Span) []Rel { return []Rel{{Head: h, Tail: t, Label: "R"}} }
	d.Relations = map[string][]Rel{
		"a": r(sp(0, 3, "PER"), sp(5, 8, "ORG")),
		"b": r(sp(0, 3, "PER"), sp(5, 8, "ORG")),
		"c": r(sp(0, 3, "PER"), sp(11, 14, "PER")),
		"z": r(sp(0, 26, "IGNORED"), sp(0, 3, "PER")),
	}
	return d
}

func describeRels(cs []RelCandidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Describe())
	}
	return out
}

func TestRelationCandidates(t *testing.T) {
	d := relDoc()
	d.Gold = []annotate.Span{sp(0, 3, "PER")}
	cs := RelationCandidates(d, 2)
	want := []string{"R PER [0,3) «abc» → ORG [5,8) «fgh» (a, b)", "R PER [0,3) «abc» → PER [11,14) «lmn» (c)"}
	if got := describeRels(cs); !reflect.DeepEqual(got, want) {
		t.Fatalf("candidates %q", got)
	}
	if !cs[0].Agreed || cs[1].Agreed || !cs[0].HeadGold || cs[0].TailGold || cs[0].Gold != nil {
		t.Fatalf("states %+v", cs)
	}
	if cs := RelationCandidates(d, 0); cs[0].Agreed {
		t.Fatal("two of three agreed with everyone required")
	}
}

func TestPrefillRelations(t *testing.T) {
	d := relDoc()
	d.Gold = []annotate.Span{sp(0, 3, "PER")}
	if add := PrefillRelations(d, 2); len(add) != 0 {
		t.Fatalf("accepted with the tail not in gold: %+v", add)
	}
	d.Gold = append(d.Gold, sp(5, 8, "ORG"), sp(11, 14, "PER"))
	add := PrefillRelations(d, 2)
	want := []Rel{{Head: sp(0, 3, "PER"), Tail: sp(5, 8, "ORG"), Label: "R", Votes: []string{"a", "b"}, Decision: annotate.DecisionAutomatic}}
	if !reflect.DeepEqual(add, want) {
		t.Fatalf("planned %+v", add)
	}
	// A relation the gold layer has by hand, or one rejected, stays so.
	hand := want[0]
	hand.Decision, hand.Votes = annotate.DecisionEdited, nil
	d.GoldRelations = []Rel{hand}
	if add := PrefillRelations(d, 2); len(add) != 0 {
		t.Fatalf("planned over a hand decision: %+v", add)
	}
	d.GoldRelations = nil
	d.RejectedRelations = []RelKey{want[0].Key()}
	if add := PrefillRelations(d, 2); len(add) != 0 {
		t.Fatalf("planned a rejected relation: %+v", add)
	}
	if cs := RelationCandidates(d, 2); !cs[0].Rejected {
		t.Fatal("rejection not shown")
	}
}

func TestRelsOf(t *testing.T) {
	l := annotate.Layer{Spans: []annotate.Span{sp(0, 3, "PER"), sp(5, 8, "ORG")},
		Relations: []annotate.Relation{{Head: 0, Tail: 1, Label: "R", Decision: annotate.DecisionChosen}, {Head: 0, Tail: 5, Label: "BAD"}}}
	got := RelsOf(l)
	if len(got) != 1 || got[0].Tail.Label != "ORG" || got[0].Decision != annotate.DecisionChosen {
		t.Fatalf("%+v", got)
	}
}
