package storage

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/annotate/assign"
	"tawsim/internal/pgtest"
)

func openAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := OpenProject(path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// copyProject copies s to a new file at path, as a copy kept on a USB
// stick: the file itself (VACUUM INTO), or in the PostgreSQL run a file
// made by merging all of s into a new project.
func copyProject(t *testing.T, s *Store, path string) {
	t.Helper()
	if !pgtest.Postgres() {
		if err := s.db.Exec("VACUUM INTO ?", path).Error; err != nil {
			t.Fatal(err)
		}
		return
	}
	c := openAt(t, path)
	if _, err := c.MergeFrom(s, MergeOptions{CopyDefinition: true}); err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func mustMerge(t *testing.T, s *Store, path string) *MergeReport {
	t.Helper()
	rep, err := s.MergeFile(path, MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The loop: hand-out to a laptop, work there (deletions and moves), merge
// back: the lead has exactly the laptop's layer; merging again or merging
// an older copy changes nothing; a layer changed on both sides keeps the
// newer and keeps the other as a version.
func TestHandOutAndMerge(t *testing.T) {
	dir := t.TempDir()
	leadPath := pgtest.Project(t, dir, "lead.db") // on the server in the PostgreSQL run; laptops stay files
	lead := openAt(t, leadPath)
	recs := []annotate.Record{
		{Doc: annotate.Document{ID: "d1", Text: newestText}, Layers: []annotate.Layer{
			{Annotator: "amal", Spans: []annotate.Span{sp(t, "أيمن الصفدي", "PERSON"), sp(t, "أنقرة", "STATE")}},
			{Annotator: "badr", Spans: []annotate.Span{sp(t, "أنقرة", "STATE")}}}},
		{Doc: annotate.Document{ID: "d2", Text: "نص ثان"}},
	}
	if _, err := lead.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := lead.GoldAccept("d1", sp(t, "أنقرة", "STATE"), annotate.DecisionChosen, "lead", []string{"amal", "badr"}); err != nil {
		t.Fatal(err)
	}
	laptopPath := filepath.Join(dir, "amal.db")
	rep, err := lead.HandOut(laptopPath, HandOutOptions{Annotator: "amal"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.DocumentsAdded) != 2 {
		t.Fatalf("hand-out %+v", rep)
	}
	if _, err := lead.HandOut(laptopPath, HandOutOptions{Annotator: "amal"}); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("overwrote the hand-out: %v", err)
	}
	laptop := openAt(t, laptopPath)
	if names, _ := laptop.Annotators(); !slices.Equal(names, []string{"amal"}) {
		t.Fatalf("the hand-out has annotators %v", names)
	}
	if g, _ := laptop.Spans("d1", GoldLayer); len(g) != 0 {
		t.Fatal("the hand-out has gold spans")
	}
	labelsLead, _ := lead.Labels()
	labelsLaptop, _ := laptop.Labels()
	if !slices.Equal(labelsLead, labelsLaptop) {
		t.Fatalf("labels %v vs %v", labelsLaptop, labelsLead)
	}
	r1, _ := laptop.ReplicaID()
	r2, _ := lead.ReplicaID()
	if r1 == r2 || r1 == "" {
		t.Fatal("the hand-out shares the lead's replica id")
	}
	wantWords(t, laptop, "amal", "أيمن الصفدي/PERSON", "أنقرة/STATE")

	// On the laptop: delete أنقرة, move the person, a span on d2.
	l, _ := laptop.Layer("d1", "amal")
	if err := laptop.DeleteSpan(l.Spans[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.UpdateSpan(l.Spans[0].ID, sp(t, "الصفدي", "PERSON")); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.AddSpan("d2", "amal", annotate.Span{Start: 0, End: 2, Label: "CLAIM"}); err != nil {
		t.Fatal(err)
	}
	older := filepath.Join(dir, "amal-old.db")
	if err := laptop.db.Exec("VACUUM INTO ?", older).Error; err != nil { // a copy kept on a USB stick
		t.Fatal(err)
	}
	if _, err := laptop.AddSpan("d1", "amal", sp(t, "وزير الخارجية", "PERSON")); err != nil {
		t.Fatal(err)
	}
	rep = mustMerge(t, lead, laptopPath)
	if rep.LayersReplaced != 2 || len(rep.Conflicts) != 0 || len(rep.DocumentsAdded) != 0 {
		t.Fatalf("merge %+v", rep)
	}
	wantWords(t, lead, "amal", "وزير الخارجية/PERSON", "الصفدي/PERSON")
	wantWords(t, lead, "badr", "أنقرة/STATE")
	if g, _ := lead.Spans("d1", GoldLayer); len(g) != 1 {
		t.Fatal("the merge touched the gold layer")
	}
	mine, _ := lead.LayerRevision("d1", "amal")
	theirs, _ := laptop.LayerRevision("d1", "amal")
	if mine != theirs {
		t.Fatalf("revision %+v, the laptop's %+v", mine, theirs)
	}
	// Again, and an older copy: nothing.
	for _, p := range []string{laptopPath, older} {
		if rep := mustMerge(t, lead, p); rep.LayersReplaced != 0 || len(rep.Conflicts) != 0 {
			t.Fatalf("merge of %s again: %+v", p, rep)
		}
	}
	wantWords(t, lead, "amal", "وزير الخارجية/PERSON", "الصفدي/PERSON")

	// The lead renames a label and adds a document; the laptop merges the
	// lead: it gets both, its own layers stay, and no other annotator.
	if err := lead.RenameLabel("STATE", "COUNTRY"); err != nil {
		t.Fatal(err)
	}
	if _, err := lead.Import([]annotate.Record{{Doc: annotate.Document{ID: "d3", Text: "نص ثالث"}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// Both sides change d1 of amal: the laptop later.
	if _, err := lead.AddSpan("d1", "amal", sp(t, "أنقرة", "COUNTRY")); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.AddSpan("d1", "amal", sp(t, "الأردني", "STATE")); err != nil {
		t.Fatal(err)
	}
	lead.Close()
	rep = mustMerge(t, laptop, leadPath)
	if !slices.Equal(rep.DocumentsAdded, []string{"d3"}) || !strings.HasPrefix(rep.Definition, "taken") || len(rep.Conflicts) != 1 || rep.Conflicts[0].KeptIncoming {
		t.Fatalf("laptop merging the lead: %+v", rep)
	}
	if names, _ := laptop.Annotators(); !slices.Equal(names, []string{"amal"}) {
		// the lead's file has every layer, but a hand-out takes only its
		// annotator's, at every merge: no one anchors on another
		t.Fatalf("annotators %v", names)
	}
	if b, _ := laptop.Spans("d1", "badr"); len(b) != 0 {
		t.Fatalf("the laptop got badr's spans from the lead: %v", b)
	}
	wantWords(t, laptop, "amal", "وزير الخارجية/PERSON", "الأردني/COUNTRY", "الصفدي/PERSON")
	vs, _ := laptop.LayerVersions("d1", "amal")
	if len(vs) != 1 || vs[0].ID != rep.Conflicts[0].Version {
		t.Fatalf("versions %+v", vs)
	}
	// And back: the lead takes the laptop's merged layer, no new conflict.
	lead = openAt(t, leadPath)
	laptop.Close()
	rep = mustMerge(t, lead, laptopPath)
	if rep.LayersReplaced != 1 || len(rep.Conflicts) != 0 {
		t.Fatalf("lead merging the merged laptop: %+v", rep)
	}
	wantWords(t, lead, "amal", "وزير الخارجية/PERSON", "الأردني/COUNTRY", "الصفدي/PERSON")
}

// A project is not merged into itself, a file or a DSN (the PostgreSQL
// run); nor handed out to a DSN.
func TestMergeRefusesItself(t *testing.T) {
	s, path := tempStore(t)
	if _, err := s.MergeFile(path, MergeOptions{}); err == nil || !strings.Contains(err.Error(), "is this project") {
		t.Fatalf("merged into itself: %v", err)
	}
	if _, err := s.HandOut("postgres://u:pw@host/db", HandOutOptions{Annotator: "amal"}); err == nil || !strings.Contains(err.Error(), "name a file") || strings.Contains(err.Error(), "pw") {
		t.Fatalf("hand-out to a DSN: %v", err)
	}
}

// A document with the same id and another text stops the merge, which
// then changes nothing.
func TestMergeRefusesOtherText(t *testing.T) {
	dir := t.TempDir()
	aPath, bPath := pgtest.Project(t, dir, "a.db"), pgtest.Project(t, dir, "b.db")
	a, b := openAt(t, aPath), openAt(t, bPath)
	a.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: "نص"}}}, ImportOptions{})
	b.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: "نص آخر"}}, {Doc: annotate.Document{ID: "d2", Text: "x"}}}, ImportOptions{})
	b.Close()
	_, err := a.MergeFile(bPath, MergeOptions{})
	if err == nil || !strings.Contains(err.Error(), `"d1"`) {
		t.Fatalf("merge: %v", err)
	}
	if docs, _ := a.Documents(); len(docs) != 1 {
		t.Fatalf("a refused merge left %d documents", len(docs))
	}
}

// The gold layer is merged by the same rule, with its adjudication status
// and rejections; a second merge changes nothing.
func TestMergeGoldLayer(t *testing.T) {
	dir := t.TempDir()
	leadPath := pgtest.Project(t, dir, "lead.db")
	lead := openAt(t, leadPath)
	rec := annotate.Record{Doc: annotate.Document{ID: "d1", Text: newestText},
		Layers: []annotate.Layer{{Annotator: "amal", Spans: []annotate.Span{sp(t, "أنقرة", "STATE")}}}}
	if _, err := lead.Import([]annotate.Record{rec}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	copyProject(t, lead, copyPath)
	if _, err := lead.GoldAccept("d1", sp(t, "أنقرة", "STATE"), annotate.DecisionChosen, "lead", []string{"amal"}); err != nil {
		t.Fatal(err)
	}
	a := sp(t, "الأردني", "STATE")
	if err := lead.GoldReject("d1", a.Start, a.End, "lead"); err != nil {
		t.Fatal(err)
	}
	if err := lead.FinishGold([]string{"d1"}, "lead", true, PrefillSettings{}); err != nil {
		t.Fatal(err)
	}
	other := openAt(t, copyPath)
	for i := range 2 {
		rep, err := other.MergeFile(leadPath, MergeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Conflicts) != 0 || rep.LayersReplaced != 1-i {
			t.Fatalf("merge %d: %+v", i, rep)
		}
	}
	wantWords(t, other, GoldLayer, "أنقرة/STATE")
	g, _ := other.Spans("d1", GoldLayer)
	if g[0].Decision != annotate.DecisionChosen || g[0].DecidedBy != "lead" {
		t.Fatalf("gold provenance %+v", g[0])
	}
	st, _ := other.GoldStatuses()
	if st["d1"].Status != annotate.GoldFinished || st["d1"].FinishedBy != "lead" {
		t.Fatalf("gold status %+v", st["d1"])
	}
	if rej, _ := other.GoldRejections("d1"); len(rej) != 1 || rej[0].Start != a.Start {
		t.Fatalf("rejections %+v", rej)
	}
}

// The guidelines and the assignments travel with the definition: a
// hand-out takes them (only its annotator's assignments), a newer
// definition brings changes either way, and nothing of the other
// annotators' assignments is lost.
func TestDefinitionPartsTravel(t *testing.T) {
	dir := t.TempDir()
	leadPath := pgtest.Project(t, dir, "lead.db")
	lead := openAt(t, leadPath)
	recs := []annotate.Record{{Doc: annotate.Document{ID: "d1", Text: "نص أول"}}, {Doc: annotate.Document{ID: "d2", Text: "نص ثان"}}}
	if _, err := lead.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(lead.SetGuidelines(Guidelines{Text: "# الدليل\nعلّم الأشخاص.", Format: GuidelinesMarkdown}))
	must(lead.Assign([]assign.Assignment{{Doc: "d1", Annotators: []string{"amal"}}, {Doc: "d2", Annotators: []string{"badr"}}}))
	docs, err := lead.AssignedDocs("amal")
	if err != nil || !slices.Equal(docs, []string{"d1"}) {
		t.Fatalf("amal's documents %v, %v", docs, err)
	}
	laptopPath := filepath.Join(dir, "amal.db")
	if _, err := lead.HandOut(laptopPath, HandOutOptions{Annotator: "amal", Docs: docs}); err != nil {
		t.Fatal(err)
	}
	laptop := openAt(t, laptopPath)
	// assigned words the plan as "doc:annotators ..." (an error reads
	// as itself, failing the comparison).
	assigned := func(s *Store) string {
		plan, err := s.Assignments()
		if err != nil {
			return err.Error()
		}
		var out []string
		for _, a := range plan {
			out = append(out, a.Doc+":"+strings.Join(a.Annotators, ","))
		}
		return strings.Join(out, " ")
	}
	if g, _ := laptop.Guidelines(); g.Text != "# الدليل\nعلّم الأشخاص." {
		t.Fatalf("the hand-out's guidelines %q", g.Text)
	}
	if got := assigned(laptop); got != "d1:amal" {
		t.Fatalf("the hand-out's assignments %q", got)
	}

	// The lead gives amal d2 as well and rewrites the guidelines.
	must(lead.Assign([]assign.Assignment{{Doc: "d2", Annotators: []string{"amal", "badr"}}}))
	must(lead.SetGuidelines(Guidelines{Text: "v2", Format: GuidelinesText}))
	mustMerge(t, laptop, leadPath)
	if g, _ := laptop.Guidelines(); g.Text != "v2" || g.Format != GuidelinesText {
		t.Fatalf("the laptop's guidelines after merging the lead %+v", g)
	}
	if got := assigned(laptop); got != "d1:amal d2:amal" {
		t.Fatalf("the laptop's assignments after merging the lead %q", got)
	}

	// The laptop's edit comes back; badr's assignment stays.
	must(laptop.SetGuidelines(Guidelines{Text: "v3", Format: GuidelinesMarkdown}))
	mustMerge(t, lead, laptopPath)
	if g, _ := lead.Guidelines(); g.Text != "v3" {
		t.Fatalf("the lead's guidelines after merging the laptop %+v", g)
	}
	if got := assigned(lead); got != "d1:amal d2:amal,badr" {
		t.Fatalf("the lead's assignments after merging the laptop %q", got)
	}
}

// A project file copied by hand (a second laptop, a backup put to work)
// becomes a copy of its own the first time it is opened for writing, so
// the two copies' changes are two histories: merging both into the lead
// reports a conflict and keeps both sides, instead of taking one copy's
// changes for a later state of the other's.
func TestCopiedFileIsAReplicaOfItsOwn(t *testing.T) {
	dir := t.TempDir()
	lead := openAt(t, filepath.Join(dir, "lead.db"))
	if _, err := lead.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: newestText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(dir, "ali.db")
	if _, err := lead.HandOut(a, HandOutOptions{Annotator: "ali"}); err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(dir, "ali-copy.db")
	data, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, data, 0o644); err != nil {
		t.Fatal(err)
	}
	one, two := openAt(t, a), openAt(t, b)
	r1, _ := one.ReplicaID()
	r2, _ := two.ReplicaID()
	if r1 == r2 {
		t.Fatalf("the copy kept the replica id %s", r1)
	}
	if _, err := one.AddSpan("d1", "ali", sp(t, "أيمن الصفدي", "PERSON")); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"أنقرة", "الأردني"} { // the copy changes more, later
		if _, err := two.AddSpan("d1", "ali", sp(t, w, "STATE")); err != nil {
			t.Fatal(err)
		}
	}
	one.Close()
	two.Close()
	mustMerge(t, lead, a)
	rep := mustMerge(t, lead, b)
	if len(rep.Conflicts) != 1 || !rep.Conflicts[0].KeptIncoming {
		t.Fatalf("merging the copy after the original: %+v", rep)
	}
	wantWords(t, lead, "ali", "الأردني/STATE", "أنقرة/STATE")
	vs, _ := lead.LayerVersions("d1", "ali")
	if len(vs) != 1 || len(vs[0].Layer.Spans) != 1 || vs[0].Layer.Spans[0].Label != "PERSON" {
		t.Fatalf("the original's side is not kept: %+v", vs)
	}
}

// Time spent on a document without any other change reaches the lead: a
// merge takes the larger time, with or without a row there, and leaves
// the layers' clocks alone.
func TestMergeBringsTimeAlone(t *testing.T) {
	dir := t.TempDir()
	lead := openAt(t, filepath.Join(dir, "lead.db"))
	recs := []annotate.Record{{Doc: annotate.Document{ID: "d1", Text: newestText}}, {Doc: annotate.Document{ID: "d2", Text: "نص ثان"}}}
	if _, err := lead.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	laptopPath := filepath.Join(dir, "amal.db")
	if _, err := lead.HandOut(laptopPath, HandOutOptions{Annotator: "amal"}); err != nil {
		t.Fatal(err)
	}
	laptop := openAt(t, laptopPath)
	for _, d := range []string{"d1", "d2"} {
		if err := laptop.AddTime(d, "amal", 90*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := lead.AddTime("d2", "amal", 30*time.Second); err != nil { // the lead's own is less
		t.Fatal(err)
	}
	for range 2 { // again: the max, not a sum
		mustMerge(t, lead, laptopPath)
		for _, d := range []string{"d1", "d2"} {
			if _, spent, _ := lead.Status(d, "amal"); spent != 90*time.Second {
				t.Fatalf("%s: %v spent at the lead, want 90s", d, spent)
			}
			if r, _ := lead.LayerRevision(d, "amal"); r.Revision != 0 || !r.Modified.IsZero() {
				t.Fatalf("%s: time alone changed the layer: %+v", d, r)
			}
		}
	}
	if err := lead.AddTime("d1", "amal", time.Minute); err != nil {
		t.Fatal(err)
	}
	mustMerge(t, lead, laptopPath)
	if _, spent, _ := lead.Status("d1", "amal"); spent != 150*time.Second {
		t.Fatalf("d1: %v at the lead after a merge of less, want 150s", spent)
	}
}

// A gold layer changed on both sides: the newer wins with its rejections,
// the other is kept as a version with its rejections too, and restoring it
// brings them back.
func TestGoldConflictKeepsRejections(t *testing.T) {
	dir := t.TempDir()
	lead := openAt(t, filepath.Join(dir, "lead.db"))
	rec := annotate.Record{Doc: annotate.Document{ID: "d1", Text: newestText},
		Layers: []annotate.Layer{{Annotator: "amal", Spans: []annotate.Span{sp(t, "أنقرة", "STATE"), sp(t, "الأردني", "STATE")}}}}
	if _, err := lead.Import([]annotate.Record{rec}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := lead.db.Exec("VACUUM INTO ?", copyPath).Error; err != nil {
		t.Fatal(err)
	}
	other := openAt(t, copyPath)
	if err := other.db.Save(&metaRow{Key: metaReplica, Value: "another-copy"}).Error; err != nil {
		t.Fatal(err)
	}
	a := sp(t, "الأردني", "STATE")
	if err := lead.GoldReject("d1", a.Start, a.End, "lead"); err != nil {
		t.Fatal(err)
	}
	b := sp(t, "أنقرة", "STATE")
	key := adjudicate.RelKey{HeadStart: b.Start, HeadEnd: b.End, HeadLabel: "STATE", TailStart: a.Start, TailEnd: a.End, TailLabel: "STATE", Label: "SOURCE"}
	if err := lead.GoldRejectRelation("d1", key, "lead"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond) // the copy's change is the later
	if _, err := other.GoldAccept("d1", b, annotate.DecisionChosen, "deputy", []string{"amal"}); err != nil {
		t.Fatal(err)
	}
	relRejections := func() int64 {
		var n int64
		if err := lead.db.Model(&goldRelationRejection{}).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	rep := mustMerge(t, lead, copyPath)
	if len(rep.Conflicts) != 1 || !rep.Conflicts[0].KeptIncoming {
		t.Fatalf("merge %+v", rep)
	}
	wantWords(t, lead, GoldLayer, "أنقرة/STATE")
	if rej, _ := lead.GoldRejections("d1"); len(rej) != 0 || relRejections() != 0 {
		t.Fatalf("the incoming gold layer came with rejections %+v and %d of relations", rej, relRejections())
	}
	if _, err := lead.RestoreVersion(rep.Conflicts[0].Version); err != nil {
		t.Fatal(err)
	}
	wantWords(t, lead, GoldLayer)
	if rej, _ := lead.GoldRejections("d1"); len(rej) != 1 || rej[0].Start != a.Start || rej[0].DecidedBy != "lead" || relRejections() != 1 {
		t.Fatalf("restored rejections %+v and %d of relations", rej, relRejections())
	}
	// The state the restore replaced (the incoming gold) is a version too,
	// without rejections: restoring it takes them away again.
	vs, _ := lead.LayerVersions("d1", GoldLayer)
	if _, err := lead.RestoreVersion(vs[0].ID); err != nil {
		t.Fatal(err)
	}
	if rej, _ := lead.GoldRejections("d1"); len(rej) != 0 || relRejections() != 0 {
		t.Fatalf("rejections %+v and %d of relations after restoring the incoming", rej, relRejections())
	}
}

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

// richProject makes a project file with something in every table: two
// annotators' layers with relations, status and time, gold spans, a
// rejection of each kind and a finished document, a suggestion and a
// rejected one, a kept version, a
// deleted label (a tombstone), a renamed relation type, guidelines and
// assignments.
func richProject(t *testing.T, path string) {
	t.Helper()
	s := openAt(t, path)
	recs := []annotate.Record{
		{Doc: annotate.Document{ID: "d1", Title: "أولى", Text: newestText},
			Layers: []annotate.Layer{{Annotator: "amal", Spans: []annotate.Span{sp(t, "أنقرة", "STATE"), sp(t, "الأردني", "STATE")}},
				{Annotator: "badr", Spans: []annotate.Span{sp(t, "أيمن الصفدي", "PERSON")}}}},
		{Doc: annotate.Document{ID: "d2", Text: "نص ثان"}},
	}
	if _, err := s.Import(recs, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	keepByConflict(t, s, sp(t, "زار", "CLAIM"), sp(t, "أنقرة", "STATE"), sp(t, "وزير", "PERSON"))
	spans, err := s.Spans("d1", "amal")
	ok(t, err)
	ok(t, s.AddRelation(spans[0].ID, spans[1].ID, "SOURCE")) // زار → أنقرة
	ok(t, s.SetStatus("d1", "badr", annotate.StatusDone))
	ok(t, s.AddTime("d1", "amal", 1500*time.Millisecond))
	b, a := sp(t, "أنقرة", "STATE"), sp(t, "الأردني", "STATE")
	if _, err := s.GoldAccept("d1", b, annotate.DecisionChosen, "lead", []string{"amal"}); err != nil {
		t.Fatal(err)
	}
	ok(t, s.GoldReject("d1", a.Start, a.End, "lead"))
	ok(t, s.GoldRejectRelation("d1", adjudicate.RelKey{HeadStart: b.Start, HeadEnd: b.End, HeadLabel: "STATE", TailStart: a.Start, TailEnd: a.End, TailLabel: "STATE", Label: "SOURCE"}, "lead"))
	ok(t, s.FinishGold([]string{"d1"}, "lead", true, PrefillSettings{}))
	ok(t, s.AddLabel(annotate.Label{Name: "EVENT", Arabic: "حدث"}))
	ok(t, s.DeleteLabel("EVENT"))
	ok(t, s.RenameRelationType("SOURCE", "SAID_BY"))
	ok(t, s.SetGuidelines(Guidelines{Format: GuidelinesMarkdown, Text: "# الإرشادات\n**دولة**"}))
	ok(t, s.Assign([]assign.Assignment{{Doc: "d1", Annotators: []string{"amal", "badr"}, Overlap: true}, {Doc: "d2", Annotators: []string{"amal"}}}))
	suggest := func(x annotate.Span, o annotate.Origin) annotate.Suggestion {
		return annotate.Suggestion{Doc: "d1", Start: x.Start, End: x.End, Label: x.Label, Origin: o}
	}
	_, _, err = s.AddSuggestions("badr", []annotate.Suggestion{suggest(b, annotate.OriginModel), suggest(a, annotate.OriginGazetteer)})
	ok(t, err)
	sugs, err := s.Suggestions("d1", "badr")
	ok(t, err)
	ok(t, s.RejectSuggestion(sugs[1].ID))
	ok(t, s.Close())
}
