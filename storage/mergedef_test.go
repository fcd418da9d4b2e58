package storage

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
	"tawsim/annotate/assign"
)

// defPair is a lead's project and ali's hand-out of it.
type defPair struct {
	lead, ali         *Store
	leadPath, aliPath string
}

func newDefPair(t *testing.T, plan ...assign.Assignment) defPair {
	t.Helper()
	dir := t.TempDir()
	p := defPair{leadPath: filepath.Join(dir, "lead.db"), aliPath: filepath.Join(dir, "ali.db")}
	p.lead = openAt(t, p.leadPath)
	recs := []annotate.Record{{Doc: annotate.Document{ID: "d1", Text: newestText}}, {Doc: annotate.Document{ID: "d2", Text: "نص ثان"}}}
	if _, err := p.lead.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if plan != nil {
		ok(t, p.lead.Assign(plan))
	}
	if _, err := p.lead.HandOut(p.aliPath, HandOutOptions{Annotator: "ali"}); err != nil {
		t.Fatal(err)
	}
	p.ali = openAt(t, p.aliPath)
	return p
}

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func labelByName(t *testing.T, s *Store, name string) (annotate.Label, bool) {
	t.Helper()
	ls, err := s.Labels()
	ok(t, err)
	for _, l := range ls {
		if l.Name == name {
			return l, true
		}
	}
	return annotate.Label{}, false
}

func ptr(s string) *string { return &s }

// A rename on one side and a later, unrelated change on the other: both
// stay (the rename is not undone by the other side's newer definition).
func TestMergeKeepsRenameAgainstLaterAdd(t *testing.T) {
	p := newDefPair(t)
	ok(t, p.lead.RenameLabel("PERSON", "PER"))
	ok(t, p.ali.AddLabel(annotate.Label{Name: "MINISTER"}))
	rep := mustMerge(t, p.lead, p.aliPath)
	names := labelNames(t, p.lead)
	if slices.Contains(names, "PERSON") || !slices.Contains(names, "PER") || !slices.Contains(names, "MINISTER") {
		t.Fatalf("labels after the merge %v (%s)", names, rep)
	}
	if !slices.Equal(rep.LabelsAdded, []string{"MINISTER"}) || len(rep.LabelsChanged) != 0 || len(rep.DefinitionConflicts) != 0 {
		t.Fatalf("report %s", rep)
	}
	// And the other way: ali takes the rename.
	rep = mustMerge(t, p.ali, p.leadPath)
	if names := labelNames(t, p.ali); slices.Contains(names, "PERSON") || !slices.Contains(names, "PER") {
		t.Fatalf("ali's labels %v (%s)", names, rep)
	}
}

// New guidelines and a recolour on the lead, a later recolour of another
// label on ali: each item keeps its own newest change.
func TestMergeKeepsEachItemsNewest(t *testing.T) {
	p := newDefPair(t)
	ok(t, p.lead.SetGuidelines(Guidelines{Text: "lead's", Format: GuidelinesMarkdown}))
	ok(t, p.lead.EditLabel("PERSON", LabelEdit{Color: ptr("#000001")}))
	ok(t, p.ali.EditLabel("STATE", LabelEdit{Color: ptr("#000002")}))
	rep := mustMerge(t, p.lead, p.aliPath)
	g, err := p.lead.Guidelines()
	ok(t, err)
	person, _ := labelByName(t, p.lead, "PERSON")
	state, _ := labelByName(t, p.lead, "STATE")
	if g.Text != "lead's" || person.Color != "#000001" || state.Color != "#000002" {
		t.Fatalf("guidelines %q, PERSON %s, STATE %s (%s)", g.Text, person.Color, state.Color, rep)
	}
	if !slices.Equal(rep.LabelsChanged, []string{"STATE"}) || len(rep.DefinitionConflicts) != 0 {
		t.Fatalf("report %s", rep)
	}
	mustMerge(t, p.ali, p.leadPath)
	if g, _ := p.ali.Guidelines(); g.Text != "lead's" {
		t.Fatalf("ali's guidelines %q", g.Text)
	}
	if l, _ := labelByName(t, p.ali, "PERSON"); l.Color != "#000001" {
		t.Fatalf("ali's PERSON %s", l.Color)
	}
}

// The lead reassigns, ali later changes a label: the reassignment stays.
func TestMergeKeepsNewerAssignments(t *testing.T) {
	p := newDefPair(t, assign.Assignment{Doc: "d1", Annotators: []string{"ali", "sara"}}, assign.Assignment{Doc: "d2", Annotators: []string{"ali", "sara"}})
	ok(t, p.lead.Assign([]assign.Assignment{{Doc: "d1", Annotators: []string{"sara"}}, {Doc: "d2", Annotators: []string{"sara"}}}))
	ok(t, p.ali.EditLabel("STATE", LabelEdit{Color: ptr("#000002")}))
	rep := mustMerge(t, p.lead, p.aliPath)
	plan, err := p.lead.Assignments()
	ok(t, err)
	for _, a := range plan {
		if !slices.Equal(a.Annotators, []string{"sara"}) {
			t.Fatalf("%s assigned to %v after the merge (%s)", a.Doc, a.Annotators, rep)
		}
	}
	// ali takes the lead's plan: no longer assigned there.
	mustMerge(t, p.ali, p.leadPath)
	if docs, _ := p.ali.AssignedTo("ali"); len(docs) != 0 {
		t.Fatalf("ali still has %v", docs)
	}
}

// The same label and the guidelines changed on both sides: the later
// change wins, the report names both, and the other guidelines text is
// kept aside.
func TestMergeConcurrentItems(t *testing.T) {
	p := newDefPair(t)
	ok(t, p.ali.SetGuidelines(Guidelines{Text: "ali's", Format: GuidelinesText}))
	ok(t, p.ali.EditLabel("PERSON", LabelEdit{Color: ptr("#00000a")}))
	ok(t, p.lead.EditLabel("PERSON", LabelEdit{Color: ptr("#00000b")}))
	ok(t, p.lead.SetGuidelines(Guidelines{Text: "lead's", Format: GuidelinesMarkdown}))
	ok(t, p.ali.EditLabel("CLAIM", LabelEdit{Arabic: ptr("زعم")})) // ali's CLAIM is later, and only ali changed it
	rep := mustMerge(t, p.lead, p.aliPath)
	if l, _ := labelByName(t, p.lead, "PERSON"); l.Color != "#00000b" {
		t.Fatalf("PERSON %s (%s)", l.Color, rep)
	}
	if l, _ := labelByName(t, p.lead, "CLAIM"); l.Arabic != "زعم" {
		t.Fatalf("CLAIM %+v (%s)", l, rep)
	}
	if g, _ := p.lead.Guidelines(); g.Text != "lead's" {
		t.Fatalf("guidelines %q", g.Text)
	}
	kept, have, err := p.lead.KeptGuidelines()
	if err != nil || !have || kept.Text != "ali's" || kept.Format != GuidelinesText || kept.From != "ali.db" ||
		kept.Modified.IsZero() || kept.Modified.After(time.Now()) {
		t.Fatalf("kept guidelines %+v %v %v", kept, have, err)
	}
	s := rep.String()
	if len(rep.DefinitionConflicts) != 2 || !strings.Contains(s, "label PERSON: changed on both sides; kept this project's") ||
		!strings.Contains(s, "guidelines: changed on both sides") {
		t.Fatalf("report %s", s)
	}
	// Merged both ways, the two copies agree and a merge changes nothing.
	mustMerge(t, p.ali, p.leadPath)
	if l, _ := labelByName(t, p.ali, "PERSON"); l.Color != "#00000b" {
		t.Fatalf("ali's PERSON %s", l.Color)
	}
	if g, _ := p.ali.Guidelines(); g.Text != "lead's" {
		t.Fatalf("ali's guidelines %q", g.Text)
	}
	rep = mustMerge(t, p.lead, p.aliPath)
	if len(rep.DefinitionConflicts)+len(rep.LabelsChanged)+len(rep.LabelsAdded) != 0 {
		t.Fatalf("merge again: %s", rep)
	}
}

// A label deleted on one side stays deleted when the other side did not
// change it, and travels on; a deleted label that incoming spans use
// stays, and the report says so.
func TestMergeDeletions(t *testing.T) {
	p := newDefPair(t)
	ok(t, p.lead.AddLabel(annotate.Label{Name: "EVENT"}))
	ok(t, p.lead.AddLabel(annotate.Label{Name: "PLACE"}))
	mustMerge(t, p.ali, p.leadPath)
	ok(t, p.lead.DeleteLabel("EVENT"))
	ok(t, p.lead.DeleteLabel("PLACE"))
	if _, err := p.ali.AddSpan("d1", "ali", sp(t, "أنقرة", "PLACE")); err != nil {
		t.Fatal(err)
	}
	rep := mustMerge(t, p.lead, p.aliPath)
	names := labelNames(t, p.lead)
	if slices.Contains(names, "EVENT") || !slices.Contains(names, "PLACE") {
		t.Fatalf("labels %v (%s)", names, rep)
	}
	if len(rep.LabelsAdded) != 0 || len(rep.KeptInUse) != 1 || !strings.Contains(rep.String(), "label PLACE (deleted here; used by 1 span once ali.db came in)") {
		t.Fatalf("report %s", rep)
	}
	wantWords(t, p.lead, "ali", "أنقرة/PLACE")
	// ali merges the lead: EVENT goes there too, PLACE stays.
	rep = mustMerge(t, p.ali, p.leadPath)
	if names := labelNames(t, p.ali); slices.Contains(names, "EVENT") || !slices.Contains(names, "PLACE") {
		t.Fatalf("ali's labels %v (%s)", names, rep)
	}
	if !slices.Equal(rep.LabelsRemoved, []string{"EVENT"}) {
		t.Fatalf("ali's report %s", rep)
	}
	// Merged again, nothing comes back.
	if rep := mustMerge(t, p.lead, p.aliPath); len(rep.LabelsAdded)+len(rep.KeptInUse)+len(rep.LabelsRemoved) != 0 {
		t.Fatalf("merge again %s", rep)
	}
	// ali deletes a label another annotator's spans use on the lead: it
	// stays there, and the report says why.
	if _, err := p.lead.AddSpan("d1", "sara", sp(t, "أمس", "ORGANIZATION")); err != nil {
		t.Fatal(err)
	}
	ok(t, p.ali.DeleteRelationType("SOURCE"))
	ok(t, p.ali.DeleteLabel("ORGANIZATION"))
	rep = mustMerge(t, p.lead, p.aliPath)
	if !slices.Contains(labelNames(t, p.lead), "ORGANIZATION") || !slices.Equal(rep.RelationTypesRemoved, []string{"SOURCE"}) ||
		!slices.Equal(rep.KeptInUse, []string{"label ORGANIZATION (deleted in ali.db; used by 1 span here)"}) {
		t.Fatalf("report %s", rep)
	}
	// Said once: merged again (either way), nothing more to say.
	mustMerge(t, p.ali, p.leadPath)
	for _, rep := range []*MergeReport{mustMerge(t, p.lead, p.aliPath), mustMerge(t, p.ali, p.leadPath)} {
		if len(rep.KeptInUse)+len(rep.LabelsRemoved)+len(rep.LabelsAdded)+len(rep.DefinitionConflicts) != 0 {
			t.Fatalf("merged again: %s", rep)
		}
	}
	// ali deleted it and no span of ali's uses it: it stays deleted there.
	if slices.Contains(labelNames(t, p.ali), "ORGANIZATION") {
		t.Fatal("the lead's merge brought ORGANIZATION back to ali")
	}
}

// A merge brings back, and reports, a label the lead deleted when the
// incoming spans need it, even where the lead's definition is the newer.
func TestMergeReportsLabelBroughtBack(t *testing.T) {
	p := newDefPair(t)
	if _, err := p.ali.AddSpan("d1", "ali", sp(t, "أنقرة", "CLAIM")); err != nil {
		t.Fatal(err)
	}
	ok(t, p.lead.DeleteRelationType("SOURCE"))
	ok(t, p.lead.DeleteRelationType("CUE"))
	ok(t, p.lead.DeleteLabel("CLAIM"))
	rep := mustMerge(t, p.lead, p.aliPath)
	if rep.Definition != "unchanged" || !strings.Contains(rep.String(), "kept: label CLAIM (deleted here; used by 1 span once ali.db came in)") {
		t.Fatalf("report %s", rep)
	}
	wantWords(t, p.lead, "ali", "أنقرة/CLAIM")
}

// A relation type's rename travels through a merge, and the stored
// relations follow it.
func TestMergeRelationTypeRename(t *testing.T) {
	p := newDefPair(t)
	claim, err := p.ali.AddSpan("d1", "ali", sp(t, "زار", "CLAIM"))
	ok(t, err)
	who, err := p.ali.AddSpan("d1", "ali", sp(t, "أيمن الصفدي", "PERSON"))
	ok(t, err)
	ok(t, p.ali.AddRelation(claim.ID, who.ID, "SOURCE"))
	ok(t, p.lead.RenameRelationType("SOURCE", "SAID_BY"))
	rep := mustMerge(t, p.ali, p.leadPath)
	types, err := p.ali.RelationTypes()
	ok(t, err)
	if types[0].Name != "SAID_BY" || len(types) != 2 || !slices.Equal(rep.RelationTypesChanged, []string{"SAID_BY"}) {
		t.Fatalf("ali's relation types %v (%s)", types, rep)
	}
	l, err := p.ali.Layer("d1", "ali")
	ok(t, err)
	if len(l.Relations) != 1 || l.Relations[0].Label != "SAID_BY" {
		t.Fatalf("ali's relations %+v", l.Relations)
	}
	rep = mustMerge(t, p.lead, p.aliPath)
	l, err = p.lead.Layer("d1", "ali")
	ok(t, err)
	if len(l.Relations) != 1 || l.Relations[0].Label != "SAID_BY" || len(rep.RelationTypesAdded) != 0 {
		t.Fatalf("the lead's relations %+v (%s)", l.Relations, rep)
	}
	if types, _ := p.lead.RelationTypes(); len(types) != 2 {
		t.Fatalf("the lead's relation types %v", types)
	}
}

// Two labels given the same hotkey on two sides: the later-changed keeps
// it, the other loses it, the report says so, and both can be edited.
func TestMergeHotkeyClash(t *testing.T) {
	p := newDefPair(t)
	ok(t, p.lead.AddLabel(annotate.Label{Name: "EVENT", Hotkey: "6"}))
	ok(t, p.ali.AddLabel(annotate.Label{Name: "MINISTER", Hotkey: "6"}))
	rep := mustMerge(t, p.lead, p.aliPath)
	ev, _ := labelByName(t, p.lead, "EVENT")
	mi, _ := labelByName(t, p.lead, "MINISTER")
	if ev.Hotkey != "" || mi.Hotkey != "6" || !strings.Contains(rep.String(), "hotkeys: EVENT lost hotkey 6 to MINISTER") {
		t.Fatalf("EVENT %q, MINISTER %q (%s)", ev.Hotkey, mi.Hotkey, rep)
	}
	ok(t, p.lead.EditLabel("EVENT", LabelEdit{Color: ptr("#123456")}))
	ok(t, p.lead.EditLabel("MINISTER", LabelEdit{Arabic: ptr("وزير")}))
	// ali takes the change: EVENT without a hotkey.
	rep = mustMerge(t, p.ali, p.leadPath)
	if ev, _ := labelByName(t, p.ali, "EVENT"); ev.Hotkey != "" || len(rep.HotkeysCleared) != 0 {
		t.Fatalf("ali's EVENT %+v (%s)", ev, rep)
	}
}
