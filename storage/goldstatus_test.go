package storage

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/internal/pgtest"
)

func goldStatusOf(t *testing.T, s *Store, id string) GoldState {
	t.Helper()
	all, err := s.GoldStatuses()
	if err != nil {
		t.Fatal(err)
	}
	return all[id]
}

// The adjudication status: todo, in progress on a decision by hand,
// finished only without open groups (unless forced), reopened by any later
// decision by hand; a pre-fill never changes a finished document.
func TestGoldStatusLifecycle(t *testing.T) {
	s := goldStore(t) // amina and badr agree on [42,48)
	p := PrefillSettings{Annotators: []string{"amina", "badr"}}
	if g := goldStatusOf(t, s, "d1"); g.Status != annotate.GoldTodo {
		t.Fatalf("new document: %+v", g)
	}
	// The agreed group is not accepted yet: open.
	var oge *OpenGroupsError
	if err := s.FinishGold([]string{"d1"}, "lead", false, p); !errors.As(err, &oge) || oge.Open["d1"] != 1 || !strings.Contains(err.Error(), "d1 (1)") {
		t.Fatalf("finish with an open group: %v", err)
	}
	if g := goldStatusOf(t, s, "d1"); g.Status != annotate.GoldTodo {
		t.Fatalf("refused finish changed the status: %+v", g)
	}
	sp, err := s.GoldAccept("d1", annotate.Span{Start: 42, End: 48, Label: "STATE"}, annotate.DecisionChosen, "lead", []string{"amina", "badr"})
	if err != nil {
		t.Fatal(err)
	}
	if g := goldStatusOf(t, s, "d1"); g.Status != annotate.GoldInProgress {
		t.Fatalf("after a decision: %+v", g)
	}
	if err := s.FinishGold([]string{"d1"}, "lead", false, p); err != nil {
		t.Fatal(err)
	}
	g := goldStatusOf(t, s, "d1")
	if g.Status != annotate.GoldFinished || g.FinishedBy != "lead" || g.FinishedAt.IsZero() {
		t.Fatalf("finished: %+v", g)
	}
	// A pre-fill leaves it alone.
	if n, m, err := s.GoldAutomatic("d1", nil, []int64{sp.ID}); err != nil || n+m != 0 {
		t.Fatalf("automatic on a finished document: %v %d %d", err, n, m)
	}
	// Any decision by hand reopens it.
	if err := s.GoldDelete(sp.ID); err != nil {
		t.Fatal(err)
	}
	if g := goldStatusOf(t, s, "d1"); g.Status != annotate.GoldInProgress || g.FinishedBy != "" {
		t.Fatalf("after a decision on a finished document: %+v", g)
	}
	// Forced, with the group open again; reopening is always possible.
	if err := s.FinishGold([]string{"d1"}, "lead", true, p); err != nil {
		t.Fatal(err)
	}
	if err := s.ReopenGold([]string{"d1"}); err != nil {
		t.Fatal(err)
	}
	if g := goldStatusOf(t, s, "d1"); g.Status != annotate.GoldInProgress {
		t.Fatalf("reopened: %+v", g)
	}
	if err := s.FinishGold([]string{"nope"}, "lead", true, p); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("unknown document: %v", err)
	}
	// A replaced text reopens a finished document.
	s.FinishGold([]string{"d1"}, "lead", true, p)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText + " ملحق"}}}, ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if g := goldStatusOf(t, s, "d1"); g.Status != annotate.GoldInProgress {
		t.Fatalf("after a replaced text: %+v", g)
	}
}

// Prefill applies every document's plan in one transaction, finishes
// what it is asked to, and leaves finished documents and hand decisions
// as they are.
func TestPrefillAll(t *testing.T) {
	s := goldStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d2", Text: sampleText}}, {Doc: annotate.Document{ID: "d3", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"d2", "d3"} {
		for _, a := range []string{"amina", "badr"} {
			if _, err := s.AddSpan(d, a, annotate.Span{Start: 0, End: 4, Label: "PERSON"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	hand, _ := s.GoldAccept("d2", annotate.Span{Start: 0, End: 10, Label: "PERSON"}, annotate.DecisionEdited, "lead", nil)
	p := PrefillSettings{Annotators: []string{"amina", "badr"}}
	s.FinishGold([]string{"d3"}, "lead", true, p)
	seen := make([]string, 3)
	err := s.Prefill(p.Annotators, "bot", func(i int, d *adjudicate.Doc, g GoldState) (PrefillChange, error) {
		seen[i] = d.ID + ":" + string(g.Status)
		plan := adjudicate.Prefill(adjudicate.Groups(*d, 0))
		return PrefillChange{Add: plan.Add, Drop: plan.Drop, Finish: d.ID == "d1"}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(seen, " "); got != "d1:todo d2:in_progress d3:finished" {
		t.Fatalf("planned %s", got)
	}
	for id, want := range map[string]string{"d1": "الأردن/automatic", "d2": "بحسب صحيفة/edited", "d3": ""} {
		l, _ := s.Layer(id, GoldLayer)
		var got []string
		for _, sp := range l.Spans {
			got = append(got, sp.Text+"/"+string(sp.Decision))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s gold: %v, want %s", id, got, want)
		}
	}
	if l, _ := s.Layer("d2", GoldLayer); len(l.Spans) != 1 || l.Spans[0].ID != hand.ID {
		t.Errorf("hand decision changed: %+v", l.Spans)
	}
	all, _ := s.GoldStatuses()
	if all["d1"].Status != annotate.GoldFinished || all["d1"].FinishedBy != "bot" || all["d2"].Status != annotate.GoldInProgress || all["d3"].FinishedBy != "lead" {
		t.Fatalf("statuses after prefill: %+v", all)
	}
}

// v3Schema adds to version 2 the rejections table, with a document decided
// by hand (d-hand), one pre-filled only (d-auto), one with a rejection
// (d-rej), one the gold layer had a status on as if it were an annotator
// (d-done), and one untouched (d-new).
const v3Schema = `
CREATE TABLE gold_rejections (id integer PRIMARY KEY AUTOINCREMENT, document_id integer NOT NULL, start integer NOT NULL, end integer NOT NULL, decided_by text NOT NULL DEFAULT '', created_at datetime,
  CONSTRAINT fk_gold_rejections_document FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE);
CREATE UNIQUE INDEX ux_gold_rejection ON gold_rejections(document_id, start, end);
UPDATE tawsim_meta SET value = '3' WHERE key = 'schema_version';
UPDATE annotators SET kind = 'gold' WHERE name = 'gold';
INSERT INTO documents (ext_id, text, length, sha256) VALUES ('d-auto', 'قديم جدا', 8, 'y'), ('d-rej', 'قديم جدا', 8, 'z'), ('d-done', 'قديم جدا', 8, 'w'), ('d-new', 'قديم جدا', 8, 'v');
UPDATE documents SET ext_id = 'd-hand' WHERE ext_id = 'old';
INSERT INTO spans (document_id, annotator_id, start, end, label_id, text, votes, decision) VALUES (2, 2, 0, 4, 1, 'قديم', '["amina"]', 'automatic');
INSERT INTO gold_rejections (document_id, start, end, decided_by) VALUES (3, 0, 4, 'lead');
INSERT INTO doc_statuses (document_id, annotator_id, status, seconds, updated_at) VALUES (4, 2, 'done', 0, '2025-01-02 03:04:05');
`

func TestMigrationFromV3(t *testing.T) {
	s := openOld(t, v2Schema+v3Schema)
	if v, _ := s.Version(); v != SchemaVersion {
		t.Fatalf("version after migration = %d", v)
	}
	all, err := s.GoldStatuses()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]annotate.GoldStatus{"d-hand": annotate.GoldInProgress, "d-auto": annotate.GoldTodo, "d-rej": annotate.GoldInProgress,
		"d-done": annotate.GoldFinished, "d-new": annotate.GoldTodo}
	for id, st := range want {
		if all[id].Status != st {
			t.Errorf("%s: status %q after migration, want %q", id, all[id].Status, st)
		}
	}
	if all["d-done"].FinishedAt.IsZero() {
		t.Error("the finished document lost its date")
	}
	docs, _ := s.Documents()
	for _, d := range docs {
		if _, ok := d.Status[GoldLayer]; ok {
			t.Errorf("%s still has a gold annotator status: %+v", d.ID, d.Status)
		}
		if d.Gold.Status != want[d.ID] {
			t.Errorf("%s: Documents says %q", d.ID, d.Gold.Status)
		}
	}
	if st, spent, _ := s.Status("d-hand", "amina"); st != annotate.StatusDone || spent.Seconds() != 12.5 {
		t.Fatalf("annotator status after migration: %v %v", st, spent)
	}
}

// openOld writes schema (an older version's tables and rows) into a new
// SQLite file and opens it, which migrates it.
func openOld(t *testing.T, schema string) *Store {
	t.Helper()
	path, driver := pgtest.Project(t, t.TempDir(), "old.db"), "sqlite"
	if pgtest.Postgres() {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(oldSchemaFor(schema)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
