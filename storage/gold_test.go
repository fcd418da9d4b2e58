package storage

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"tawsim/annotate"
)

// In sampleText: [0,4) بحسب, [42,48) الأردن, [41,48) والأردن.

func goldStore(t *testing.T) *Store {
	t.Helper()
	s, _ := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"amina", "badr"} {
		if _, err := s.AddSpan("d1", a, annotate.Span{Start: 42, End: 48, Label: "STATE"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestGoldLayerIsNotAnAnnotator(t *testing.T) {
	s := goldStore(t)
	got, err := s.GoldAccept("d1", annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionChosen, "lead", []string{"badr", "amina"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Text != "الأردن" || !reflect.DeepEqual(got.Votes, []string{"amina", "badr"}) || got.Decision != annotate.DecisionChosen || got.DecidedBy != "lead" {
		t.Fatalf("accepted %+v", got)
	}
	names, _ := s.Annotators()
	if !reflect.DeepEqual(names, []string{"amina", "badr"}) {
		t.Fatalf("Annotators() = %v", names)
	}
	var kind string
	s.db.Raw("SELECT kind FROM annotators WHERE name = 'gold'").Scan(&kind)
	if kind != kindGold {
		t.Fatalf("gold annotator kind = %q", kind)
	}
	l, err := s.Layer("d1", GoldLayer)
	if err != nil || len(l.Spans) != 1 {
		t.Fatalf("gold layer %v %+v", err, l)
	}
	if sp := l.Spans[0]; !reflect.DeepEqual(sp.Votes, []string{"amina", "badr"}) || sp.Decision != annotate.DecisionChosen || sp.DecidedBy != "lead" {
		t.Fatalf("gold span read back %+v", sp)
	}
	// Human layers carry no provenance.
	if h, _ := s.Spans("d1", "amina"); h[0].Votes != nil || h[0].Decision != "" {
		t.Fatalf("human span %+v", h[0])
	}
	// EachRecord gives the same provenance.
	var recs []annotate.Record
	if err := s.EachRecord(GoldLayer, false, func(r *annotate.Record) error { recs = append(recs, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Layers[0].Annotator != "gold" || !reflect.DeepEqual(recs[0].Layers[0].Spans, l.Spans) {
		t.Fatalf("EachRecord gold = %+v", recs)
	}
	// Automatic is not a hand decision; ids of human spans are refused.
	if _, err := s.GoldAccept("d1", annotate.Span{Start: 0, End: 4, Label: "PERSON"}, annotate.DecisionAutomatic, "x", nil); err == nil {
		t.Fatal("GoldAccept took an automatic decision")
	}
	h, _ := s.Spans("d1", "amina")
	if err := s.GoldDelete(h[0].ID); err == nil || !strings.Contains(err.Error(), "not in the gold layer") {
		t.Fatalf("GoldDelete of a human span: %v", err)
	}
}

func TestEachRecordGoldWithoutGoldLayer(t *testing.T) {
	s := goldStore(t)
	n := 0
	err := s.EachRecord(GoldLayer, false, func(r *annotate.Record) error {
		n++
		if len(r.Layers) != 1 || r.Layers[0].Annotator != "gold" || len(r.Layers[0].Spans) != 0 {
			t.Fatalf("record %+v", r)
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("EachRecord(gold) on a project without gold: %v, %d records", err, n)
	}
}

func TestGoldEditRejectReopen(t *testing.T) {
	s := goldStore(t)
	sp, _ := s.GoldAccept("d1", annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionChosen, "lead", []string{"amina"})
	e, err := s.GoldEdit(sp.ID, annotate.Span{Start: 41, End: 48, Label: "STATE"}, annotate.DecisionEdited, "lead", nil)
	if err != nil || e.Text != "والأردن" || e.Decision != annotate.DecisionEdited {
		t.Fatalf("edit: %v %+v", err, e)
	}
	l, _ := s.Layer("d1", GoldLayer)
	if len(l.Spans) != 1 || l.Spans[0].Start != 41 || l.Spans[0].Votes != nil || l.Spans[0].Decision != annotate.DecisionEdited {
		t.Fatalf("after edit %+v", l.Spans)
	}
	// Reject the group [41,48): the gold span there goes, the rejection stays.
	if err := s.GoldReject("d1", 41, 48, "lead"); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Layer("d1", GoldLayer); len(l.Spans) != 0 {
		t.Fatalf("gold after reject %+v", l.Spans)
	}
	rej, err := s.GoldRejections("d1")
	if err != nil || !reflect.DeepEqual(rej, []GoldRejection{{41, 48, "lead"}}) {
		t.Fatalf("rejections %v %+v", err, rej)
	}
	if err := s.GoldReject("d1", 40, 500, "lead"); err == nil {
		t.Fatal("rejected a group outside the text")
	}
	// Accepting a span in the rejected group removes the rejection.
	if _, err := s.GoldAccept("d1", annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionChosen, "lead", []string{"amina", "badr"}); err != nil {
		t.Fatal(err)
	}
	if rej, _ := s.GoldRejections("d1"); len(rej) != 0 {
		t.Fatalf("rejection kept after accept: %+v", rej)
	}
	s.GoldReject("d1", 0, 4, "lead")
	n, m, err := s.GoldReopen("d1", 0, 48)
	if err != nil || n != 1 || m != 1 {
		t.Fatalf("reopen: %v %d spans %d rejections", err, n, m)
	}
	// Deleting.
	a, _ := s.GoldAccept("d1", annotate.Span{Start: 0, End: 4, Label: "PERSON"}, annotate.DecisionAdded, "lead", nil)
	if err := s.GoldDelete(a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.GoldDelete(a.ID); err == nil {
		t.Fatal("deleted twice")
	}
}

func TestGoldAutomaticNeverTouchesHandDecisions(t *testing.T) {
	s := goldStore(t)
	hand, _ := s.GoldAccept("d1", annotate.Span{Start: 0, End: 4, Label: "PERSON"}, annotate.DecisionAdded, "lead", nil)
	add := []annotate.Span{
		{Start: 42, End: 48, Label: "STATE", Votes: []string{"badr", "amina"}},
		{Start: 0, End: 4, Label: "PERSON", Votes: []string{"amina"}}, // there by hand: left alone
	}
	n, d, err := s.GoldAutomatic("d1", add, []int64{hand.ID})
	if err != nil || n != 1 || d != 0 {
		t.Fatalf("automatic: %v added %d dropped %d", err, n, d)
	}
	l, _ := s.Layer("d1", GoldLayer)
	want := []annotate.Span{
		{ID: hand.ID, Start: 0, End: 4, Label: "PERSON", Text: "بحسب", Decision: annotate.DecisionAdded, DecidedBy: "lead"},
		{ID: l.Spans[1].ID, Start: 42, End: 48, Label: "STATE", Text: "الأردن", Votes: []string{"amina", "badr"}, Decision: annotate.DecisionAutomatic},
	}
	if !reflect.DeepEqual(l.Spans, want) {
		t.Fatalf("gold = %+v\nwant %+v", l.Spans, want)
	}
	// Again: nothing new; new votes are recorded; then drop the automatic one.
	n, d, _ = s.GoldAutomatic("d1", []annotate.Span{{Start: 42, End: 48, Label: "STATE", Votes: []string{"amina"}}}, nil)
	if n != 0 || d != 0 {
		t.Fatalf("second run added %d dropped %d", n, d)
	}
	if l, _ := s.Layer("d1", GoldLayer); !reflect.DeepEqual(l.Spans[1].Votes, []string{"amina"}) {
		t.Fatalf("votes not updated: %+v", l.Spans[1])
	}
	if _, d, _ = s.GoldAutomatic("d1", nil, []int64{l.Spans[1].ID}); d != 1 {
		t.Fatalf("dropped %d", d)
	}
}

func TestGoldImportKeepsProvenance(t *testing.T) {
	s := goldStore(t)
	rec := annotate.Record{Doc: annotate.Document{ID: "d1", Text: sampleText}, Layers: []annotate.Layer{{Annotator: "gold", Spans: []annotate.Span{
		{Start: 42, End: 48, Label: "STATE", Votes: []string{"badr", "amina"}, Decision: annotate.DecisionAutomatic},
		{Start: 0, End: 4, Label: "PERSON", Decision: annotate.DecisionAdded, DecidedBy: "lead"},
	}}, {Annotator: "amina", Spans: []annotate.Span{{Start: 0, End: 4, Label: "PERSON", Votes: []string{"x"}, Decision: annotate.DecisionChosen}}}}}
	if _, err := s.Import([]annotate.Record{rec}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	l, _ := s.Layer("d1", GoldLayer)
	if len(l.Spans) != 2 || l.Spans[0].Decision != annotate.DecisionAdded || l.Spans[0].DecidedBy != "lead" ||
		!reflect.DeepEqual(l.Spans[1].Votes, []string{"amina", "badr"}) || l.Spans[1].Decision != annotate.DecisionAutomatic {
		t.Fatalf("imported gold %+v", l.Spans)
	}
	if h, _ := s.Spans("d1", "amina"); len(h) != 2 || h[0].Decision != "" || h[0].Votes != nil {
		t.Fatalf("human layer took provenance: %+v", h)
	}
	bad := annotate.Record{Doc: rec.Doc, Layers: []annotate.Layer{{Annotator: "gold", Spans: []annotate.Span{{Start: 0, End: 4, Label: "STATE", Decision: "maybe"}}}}}
	if _, err := s.Import([]annotate.Record{bad}, ImportOptions{}); err == nil || !strings.Contains(err.Error(), "maybe") {
		t.Fatalf("unknown decision: %v", err)
	}
}

func TestGoldDuplicateEdit(t *testing.T) {
	s := goldStore(t)
	a, _ := s.GoldAccept("d1", annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionChosen, "lead", nil)
	b, _ := s.GoldAccept("d1", annotate.Span{Start: 41, End: 48, Label: "STATE"}, annotate.DecisionAdded, "lead", nil)
	if _, err := s.GoldEdit(b.ID, annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionEdited, "lead", nil); !errors.Is(err, ErrDuplicateSpan) {
		t.Fatalf("edit onto %d: %v", a.ID, err)
	}
}

// v2Schema is version 2 as GORM created it (gold provenance columns, no
// rejections table), with a gold span whose annotator an older import
// created as a human.
const v2Schema = oldTables + `
CREATE TABLE spans (id integer PRIMARY KEY AUTOINCREMENT, document_id integer NOT NULL, annotator_id integer NOT NULL, start integer NOT NULL, end integer NOT NULL, label_id integer NOT NULL, text text NOT NULL,
  votes text NOT NULL DEFAULT '', decision text NOT NULL DEFAULT '', decided_by text NOT NULL DEFAULT '', created_at datetime, updated_at datetime,
  CONSTRAINT fk_spans_document FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE,
  CONSTRAINT fk_spans_annotator FOREIGN KEY (annotator_id) REFERENCES annotators(id) ON DELETE CASCADE,
  CONSTRAINT fk_spans_label FOREIGN KEY (label_id) REFERENCES label_types(id) ON DELETE RESTRICT);
CREATE UNIQUE INDEX ux_span ON spans(document_id, annotator_id, start, end, label_id);
CREATE INDEX idx_spans_label_id ON spans(label_id);
CREATE TABLE relations (id integer PRIMARY KEY AUTOINCREMENT, head_id integer NOT NULL, tail_id integer NOT NULL, label text NOT NULL, created_at datetime,
  CONSTRAINT fk_relations_head FOREIGN KEY (head_id) REFERENCES spans(id) ON DELETE CASCADE,
  CONSTRAINT fk_relations_tail FOREIGN KEY (tail_id) REFERENCES spans(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX ux_rel ON relations(head_id, tail_id, label);
CREATE TABLE doc_statuses (document_id integer, annotator_id integer, status text NOT NULL DEFAULT 'todo', seconds real NOT NULL DEFAULT 0, updated_at datetime, PRIMARY KEY (document_id, annotator_id),
  CONSTRAINT fk_doc_statuses_document FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE,
  CONSTRAINT fk_doc_statuses_annotator FOREIGN KEY (annotator_id) REFERENCES annotators(id) ON DELETE CASCADE);
INSERT INTO tawsim_meta VALUES ('schema_version', '2');
INSERT INTO documents (ext_id, text, length, sha256) VALUES ('old', 'قديم جدا', 8, 'x');
INSERT INTO annotators (name) VALUES ('amina');
INSERT INTO annotators (name) VALUES ('gold');
INSERT INTO label_types (name) VALUES ('PERSON');
INSERT INTO spans (document_id, annotator_id, start, end, label_id, text) VALUES (1, 1, 0, 4, 1, 'قديم');
INSERT INTO spans (document_id, annotator_id, start, end, label_id, text, votes, decision, decided_by) VALUES (1, 2, 0, 4, 1, 'قديم', '["amina"]', 'chosen', 'lead');
INSERT INTO relations (head_id, tail_id, label) VALUES (1, 1, 'SELF');
INSERT INTO doc_statuses (document_id, annotator_id, status, seconds) VALUES (1, 1, 'done', 12.5);
`

func TestMigrationFromV2(t *testing.T) {
	s := openOld(t, v2Schema)
	if v, _ := s.Version(); v != SchemaVersion {
		t.Fatalf("version after migration = %d", v)
	}
	if !s.db.Migrator().HasTable(&goldRejection{}) {
		t.Fatal("gold_rejections not created")
	}
	l, err := s.Layer("old", "amina")
	if err != nil || len(l.Spans) != 1 || len(l.Relations) != 1 {
		t.Fatalf("human layer after migration: %v %+v", err, l)
	}
	g, _ := s.Layer("old", GoldLayer)
	if len(g.Spans) != 1 || g.Spans[0].Decision != annotate.DecisionChosen || !reflect.DeepEqual(g.Spans[0].Votes, []string{"amina"}) || g.Spans[0].DecidedBy != "lead" {
		t.Fatalf("gold after migration: %+v", g.Spans)
	}
	if names, _ := s.Annotators(); !reflect.DeepEqual(names, []string{"amina"}) {
		t.Fatalf("annotators after migration: %v (gold must become kind gold)", names)
	}
	if st, spent, _ := s.Status("old", "amina"); st != annotate.StatusDone || spent.Seconds() != 12.5 {
		t.Fatalf("status after migration: %v %v", st, spent)
	}
	if err := s.GoldReject("old", 5, 8, "lead"); err != nil {
		t.Fatal(err)
	}
	if !foreignKeysOn(t, s) {
		t.Fatal("foreign keys left off")
	}
}

// A hand gold span may cover two groups (here the adjudicator merged
// amina's «Türkiye» and badr's «Gazetesi» into one organisation): it is the
// decision of both, so rejecting or reopening one of them leaves it, and
// the gold span of an unrelated group too. Reopening both removes it.
func TestGoldRejectKeepsNeighbourGroupSpan(t *testing.T) {
	s := goldStore(t)
	for who, sp := range map[string]annotate.Span{"amina": {Start: 11, End: 18, Label: "ORGANIZATION"}, "badr": {Start: 19, End: 27, Label: "ORGANIZATION"}} {
		if _, err := s.AddSpan("d1", who, sp); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.GoldAccept("d1", annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionChosen, "lead", []string{"amina", "badr"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GoldAccept("d1", annotate.Span{Start: 11, End: 27, Label: "ORGANIZATION"}, annotate.DecisionEdited, "lead", nil); err != nil {
		t.Fatal(err)
	}
	spans := func() string {
		l, err := s.Layer("d1", GoldLayer)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, sp := range l.Spans {
			out = append(out, sp.Text)
		}
		return strings.Join(out, "|")
	}
	const both = "Türkiye Gazetesi|الأردن"
	if err := s.GoldReject("d1", 19, 27, "lead"); err != nil {
		t.Fatal(err)
	}
	if got := spans(); got != both {
		t.Fatalf("after rejecting [19,27): gold %s, want %s", got, both)
	}
	if n, _, err := s.GoldReopen("d1", 11, 18); err != nil || n != 0 {
		t.Fatalf("reopen [11,18): %v, %d spans removed", err, n)
	}
	if got := spans(); got != both {
		t.Fatalf("after reopening [11,18): gold %s, want %s", got, both)
	}
	if n, _, err := s.GoldReopen("d1", 11, 27); err != nil || n != 1 {
		t.Fatalf("reopen [11,27): %v, %d spans removed", err, n)
	}
	if got := spans(); got != "الأردن" {
		t.Fatalf("after reopening both groups: gold %s", got)
	}
}
