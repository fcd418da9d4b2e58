package adjudicate

import (
	"reflect"
	"testing"

	"tawsim/annotate"
)

const abc = "abcdefghijklmnopqrstuvwxyz"

func sp(s, e int, label string) annotate.Span {
	return annotate.Span{Start: s, End: e, Label: label, Text: abc[s:e]}
}

// doc: three annotators.
//
//	G1 [0,3)   a b c: PER [0,3)                      one candidate, 3 votes
//	G2 [5,8)   a b: ORG [5,8); c nothing             one candidate, 2 votes
//	G3 [10,14) a b: PER [10,14); c: PER [11,14)      two candidates
//	G4 [16,22) a PER [16,18), b LOC [17,20), c PER [19,22): a chain
//	G5 [22,24) a X [22,24): touches G4, a group of its own
func doc() Doc {
	return Doc{ID: "d", Text: abc, Annotators: []string{"a", "b", "c"}, Layers: map[string][]annotate.Span{
		"a": {sp(0, 3, "PER"), sp(5, 8, "ORG"), sp(10, 14, "PER"), sp(16, 18, "PER"), sp(22, 24, "X")},
		"b": {sp(0, 3, "PER"), sp(5, 8, "ORG"), sp(10, 14, "PER"), sp(17, 20, "LOC")},
		"c": {sp(0, 3, "PER"), sp(11, 14, "PER"), sp(19, 22, "PER")},
		"z": {sp(0, 26, "IGNORED")}, // not among the annotators considered
	}}
}

type brief struct {
	Start, End int
	Cands      []string
	Agreed     bool
	State      State
}

func briefs(gs []Group) []brief {
	var out []brief
	for _, g := range gs {
		b := brief{Start: g.Start, End: g.End, Agreed: g.Agreed, State: g.State}
		for _, c := range g.Candidates {
			b.Cands = append(b.Cands, c.Describe())
		}
		out = append(out, b)
	}
	return out
}

func TestGroupsAllMustAgree(t *testing.T) {
	got := briefs(Groups(doc(), 0))
	want := []brief{
		{0, 3, []string{"PER [0,3) «abc» (a, b, c)"}, true, Agreed},
		{5, 8, []string{"ORG [5,8) «fgh» (a, b)"}, false, Open},
		{10, 14, []string{"PER [10,14) «klmn» (a, b)", "PER [11,14) «lmn» (c)"}, false, Open},
		{16, 22, []string{"PER [16,18) «qr» (a)", "LOC [17,20) «rst» (b)", "PER [19,22) «tuv» (c)"}, false, Open},
		{22, 24, []string{"X [22,24) «wx» (a)"}, false, Open},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("groups\n got %+v\nwant %+v", got, want)
	}
	p := Prefill(Groups(doc(), 0))
	if !reflect.DeepEqual(p.Add, []annotate.Span{{Start: 0, End: 3, Label: "PER", Text: "abc", Votes: []string{"a", "b", "c"}}}) || p.Drop != nil {
		t.Fatalf("prefill (all) = %+v", p)
	}
}

func TestGroupsTwoOfThree(t *testing.T) {
	gs := Groups(doc(), 2)
	states := []State{}
	for _, g := range gs {
		states = append(states, g.State)
	}
	// G3 stays open, since c marked another span, but its span of a and b
	// (2 votes) is accepted: the rule is per span.
	if !reflect.DeepEqual(states, []State{Agreed, Agreed, Open, Open, Open}) {
		t.Fatalf("states = %v", states)
	}
	p := Prefill(gs)
	want := []annotate.Span{
		{Start: 0, End: 3, Label: "PER", Text: "abc", Votes: []string{"a", "b", "c"}},
		{Start: 5, End: 8, Label: "ORG", Text: "fgh", Votes: []string{"a", "b"}},
		{Start: 10, End: 14, Label: "PER", Text: "klmn", Votes: []string{"a", "b"}},
	}
	if !reflect.DeepEqual(p.Add, want) {
		t.Fatalf("prefill (2) add = %+v", p.Add)
	}
	// With N = 1 every span someone marked is agreed, conflicting ones too:
	// the threshold is the user's choice.
	if g := Groups(doc(), 1); g[4].State != Agreed || g[3].State != Agreed || len(Prefill(g).Add) != 8 {
		t.Fatalf("N=1: %+v", briefs(g))
	}
	if Done(gs) {
		t.Fatal("done with open groups")
	}
}

func TestStatesWithGold(t *testing.T) {
	d := doc()
	auto := func(id int64, s annotate.Span, votes ...string) annotate.Span {
		s.ID, s.Decision, s.Votes = id, annotate.DecisionAutomatic, votes
		return s
	}
	hand := func(id int64, s annotate.Span, dec annotate.Decision) annotate.Span {
		s.ID, s.Decision, s.DecidedBy = id, dec, "lead"
		return s
	}
	d.Gold = []annotate.Span{
		auto(1, sp(0, 3, "PER"), "a", "b", "c"),             // G1 automatic
		auto(2, sp(5, 8, "ORG"), "a", "b"),                  // G2: stale at N=3
		hand(3, sp(10, 13, "PER"), annotate.DecisionEdited), // G3 decided
		hand(4, sp(24, 26, "PER"), annotate.DecisionAdded),  // overlaps no group
		auto(5, sp(25, 26, "ORG")),                          // stray automatic, but in the hand group
	}
	d.Rejected = []Range{{Start: 16, End: 22, By: "lead"}} // G4 rejected
	gs := Groups(d, 0)
	got := []State{}
	for _, g := range gs {
		got = append(got, g.State)
	}
	// G2's automatic span is shown as automatic whatever N: it was accepted
	// by a run with another threshold. A pre-fill at N=3 drops it (below).
	want := []State{Automatic, Automatic, Decided, Rejected, Open, Decided}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("states = %v, want %v\n%+v", got, want, briefs(gs))
	}
	if last := gs[5]; last.Start != 24 || last.End != 26 || len(last.Candidates) != 0 || len(last.Gold) != 2 {
		t.Fatalf("stray gold group %+v", last)
	}
	c := Count(gs)
	if c != (Counts{Open: 1, Automatic: 2, Decided: 2, Rejected: 1}) {
		t.Fatalf("counts %+v", c)
	}
	// Pre-fill at N=3: G1 again (votes refreshed), the stale ORG dropped,
	// nothing in decided or rejected groups, the stray automatic span kept
	// because a hand decision covers its group.
	p := Prefill(gs)
	if len(p.Add) != 1 || p.Add[0].Start != 0 || !reflect.DeepEqual(p.Drop, []int64{2}) || p.Keep != 2 {
		t.Fatalf("prefill = %+v", p)
	}
	// At N=2 the ORG span stays.
	p = Prefill(Groups(d, 2))
	if len(p.Add) != 2 || p.Drop != nil {
		t.Fatalf("prefill N=2 = %+v", p)
	}
}

func TestDoneAndDecisions(t *testing.T) {
	d := Doc{Text: abc, Annotators: []string{"a", "b"}, Layers: map[string][]annotate.Span{
		"a": {sp(0, 3, "PER")}, "b": {sp(0, 3, "PER")},
	}}
	gs := Groups(d, 0)
	if Done(gs) || gs[0].State != Agreed {
		t.Fatalf("agreed but not accepted counts as not done: %+v", gs)
	}
	d.Gold = []annotate.Span{{ID: 1, Start: 0, End: 3, Label: "PER", Decision: annotate.DecisionAutomatic}}
	if !Done(Groups(d, 0)) {
		t.Fatal("accepted document not done")
	}
	if Groups(Doc{Text: abc}, 0) != nil || !Done(nil) {
		t.Fatal("a document without spans has no groups and is done")
	}
	if got := DecisionFor(d, sp(0, 3, "PER")); got != annotate.DecisionChosen {
		t.Fatal(got)
	}
	if got := DecisionFor(d, sp(0, 3, "ORG")); got != annotate.DecisionEdited {
		t.Fatal(got)
	}
	if got := DecisionFor(d, sp(1, 4, "PER")); got != annotate.DecisionEdited {
		t.Fatal(got)
	}
	if got := DecisionFor(d, sp(3, 5, "PER")); got != annotate.DecisionAdded {
		t.Fatal(got)
	}
	if v := VotesFor(d, sp(0, 3, "PER")); !reflect.DeepEqual(v, []string{"a", "b"}) {
		t.Fatal(v)
	}
}
