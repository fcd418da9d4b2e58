package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite"
	"gorm.io/gorm"

	"tawsim/annotate"
	"tawsim/internal/pgtest"
)

func tempStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := pgtest.Project(t, t.TempDir(), "p.db")
	s, err := OpenEmpty(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

const sampleText = "بحسب صحيفة Türkiye Gazetesi التركية، زار والأردن في 10 مارس 2025 (سانا)."

func TestCreateReopenKeepsData(t *testing.T) {
	s, path := tempStore(t)
	res, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	if err != nil || len(res.Added) != 1 {
		t.Fatalf("import: %v %+v", err, res)
	}
	sp, err := s.AddSpan("d1", "amina", annotate.Span{Start: 42, End: 48, Label: "STATE"})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Text != "الأردن" || sp.ID == 0 {
		t.Fatalf("span = %+v", sp)
	}
	if err := s.SetStatus("d1", "amina", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	spans, err := s2.Spans("d1", "amina")
	if err != nil || len(spans) != 1 || spans[0].Text != "الأردن" || spans[0].Start != 42 {
		t.Fatalf("after reopen: %v %+v", err, spans)
	}
	st, _, err := s2.Status("d1", "amina")
	if err != nil || st != annotate.StatusDone {
		t.Fatalf("status = %v %v", st, err)
	}
	docs, err := s2.Documents()
	if err != nil || len(docs) != 1 || docs[0].Spans["amina"] != 1 || docs[0].Length != len([]rune(sampleText)) {
		t.Fatalf("docs = %+v %v", docs, err)
	}
	labels, _ := s2.Labels()
	if len(labels) != 5 || labels[0].Name != "PERSON" || labels[0].Arabic != "شخص" || labels[3].Hotkey != "4" || labels[4].Name != "CUE" || labels[4].Hotkey != "5" {
		t.Fatalf("labels = %+v", labels)
	}
}

func TestPragmas(t *testing.T) {
	s, _ := tempStore(t)
	if pgtest.Postgres() {
		// PostgreSQL's counterpart: references enforced, and text in
		// byte order whatever the database's collation.
		var coll string
		s.db.Raw(`SELECT collation_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'documents' AND column_name = 'ext_id'`).Scan(&coll)
		if !foreignKeysOn(t, s) || coll != "C" {
			t.Fatalf("foreign keys %v, documents.ext_id collation %q", foreignKeysOn(t, s), coll)
		}
		return
	}
	var mode string
	s.db.Raw("PRAGMA journal_mode").Scan(&mode)
	var fk, timeout int
	s.db.Raw("PRAGMA foreign_keys").Scan(&fk)
	s.db.Raw("PRAGMA busy_timeout").Scan(&timeout)
	if mode != "wal" || fk != 1 || timeout < 1000 {
		t.Fatalf("journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, timeout)
	}
}

func TestConstraints(t *testing.T) {
	s, _ := tempStore(t)
	if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	sp := annotate.Span{Start: 0, End: 4, Label: "PERSON"}
	if _, err := s.AddSpan("d1", "a", sp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan("d1", "a", sp); !errors.Is(err, ErrDuplicateSpan) {
		t.Fatalf("duplicate span: %v", err)
	}
	// Another annotator may have the same span; another label is another span.
	if _, err := s.AddSpan("d1", "b", sp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddSpan("d1", "a", annotate.Span{Start: 0, End: 4, Label: "STATE"}); err != nil {
		t.Fatal(err)
	}
	// One document per external id, enforced by the schema itself.
	err := s.db.Create(&document{ExtID: "d1", Text: "x", Length: 1, SHA256: annotate.TextHash("x")}).Error
	if !isUnique(err) {
		t.Fatalf("second document d1: %v", err)
	}
	// Foreign keys: a span cannot point at a missing document.
	err = s.db.Create(&span{DocumentID: 999, AnnotatorID: 1, LabelID: 1, Start: 0, End: 1, Text: "x"}).Error
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") && pgCode(err) != "23503" {
		t.Fatalf("dangling span: %v", err)
	}
	// Unknown label, bad offsets, wrong text are refused.
	for _, bad := range []annotate.Span{
		{Start: 0, End: 4, Label: "NOPE"},
		{Start: 5, End: 500, Label: "PERSON"},
		{Start: 0, End: 4, Label: "PERSON", Text: "غلط"},
	} {
		if _, err := s.AddSpan("d1", "c", bad); err == nil {
			t.Fatalf("accepted %+v", bad)
		}
	}
	if _, err := s.AddSpan("nodoc", "a", sp); err == nil || !strings.Contains(err.Error(), "nodoc") {
		t.Fatalf("span on missing doc: %v", err)
	}
}

func TestUpdateDeleteSpanAndRelations(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	a, _ := s.AddSpan("d1", "a", annotate.Span{Start: 41, End: 48, Label: "STATE"})
	b, _ := s.AddSpan("d1", "a", annotate.Span{Start: 0, End: 4, Label: "CLAIM"})
	if err := s.AddRelation(b.ID, a.ID, "SOURCE"); err != nil {
		t.Fatal(err)
	}
	u, err := s.UpdateSpan(a.ID, annotate.Span{Start: 42, End: 48, Label: "STATE"})
	if err != nil || u.Text != "الأردن" {
		t.Fatalf("update: %v %+v", err, u)
	}
	l, _ := s.Layer("d1", "a")
	if len(l.Spans) != 2 || len(l.Relations) != 1 || l.Spans[l.Relations[0].Head].Label != "CLAIM" || l.Spans[l.Relations[0].Tail].Text != "الأردن" {
		t.Fatalf("layer = %+v", l)
	}
	if err := s.DeleteSpan(a.ID); err != nil {
		t.Fatal(err)
	}
	l, _ = s.Layer("d1", "a")
	if len(l.Spans) != 1 || len(l.Relations) != 0 {
		t.Fatalf("after delete: %+v", l)
	}
	if err := s.DeleteSpan(a.ID); err == nil {
		t.Fatal("deleting twice gave no error")
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, path := tempStore(t)
	s.db.Exec("UPDATE tawsim_meta SET value = '99' WHERE key = 'schema_version'")
	s.Close()
	_, err := Open(path)
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "99") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v", err)
	}
}

// oldTables are the tables versions 1 and 2 share, as SQLite stored them.
const oldTables = `
CREATE TABLE tawsim_meta (key text, value text NOT NULL, PRIMARY KEY (key));
CREATE TABLE documents (id integer PRIMARY KEY AUTOINCREMENT, ext_id text NOT NULL, title text NOT NULL DEFAULT '', source text NOT NULL DEFAULT '', text text NOT NULL, length integer NOT NULL, sha256 text NOT NULL, meta text NOT NULL DEFAULT '', created_at datetime);
CREATE UNIQUE INDEX idx_documents_ext_id ON documents(ext_id);
CREATE TABLE annotators (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, kind text NOT NULL DEFAULT 'human', created_at datetime);
CREATE UNIQUE INDEX idx_annotators_name ON annotators(name);
CREATE TABLE label_types (id integer PRIMARY KEY AUTOINCREMENT, name text NOT NULL, arabic text NOT NULL DEFAULT '', color text NOT NULL DEFAULT '', hotkey text NOT NULL DEFAULT '', sort_order integer NOT NULL DEFAULT 0);
CREATE UNIQUE INDEX idx_label_types_name ON label_types(name);
`

// v1Schema is the schema of version 1 (before gold provenance), as SQLite
// stored it, so that opening such a file exercises the migration.
const v1Schema = oldTables + `
CREATE TABLE spans (id integer PRIMARY KEY AUTOINCREMENT, document_id integer NOT NULL, annotator_id integer NOT NULL, start integer NOT NULL, end integer NOT NULL, label_id integer NOT NULL, text text NOT NULL, created_at datetime, updated_at datetime,
  CONSTRAINT fk_spans_document FOREIGN KEY (document_id) REFERENCES documents(id) ON DELETE CASCADE,
  CONSTRAINT fk_spans_annotator FOREIGN KEY (annotator_id) REFERENCES annotators(id) ON DELETE CASCADE,
  CONSTRAINT fk_spans_label FOREIGN KEY (label_id) REFERENCES label_types(id) ON DELETE RESTRICT);
CREATE UNIQUE INDEX ux_span ON spans(document_id, annotator_id, start, end, label_id);
INSERT INTO tawsim_meta VALUES ('schema_version', '1');
INSERT INTO documents (ext_id, text, length, sha256) VALUES ('old', 'قديم', 4, 'x');
INSERT INTO annotators (name) VALUES ('amina');
INSERT INTO label_types (name) VALUES ('PERSON');
INSERT INTO spans (document_id, annotator_id, start, end, label_id, text) VALUES (1, 1, 0, 4, 1, 'قديم');
`

func TestMigrationOnOpen(t *testing.T) {
	s := openOld(t, v1Schema)
	if v, _ := s.Version(); v != SchemaVersion {
		t.Fatalf("version after migration = %d", v)
	}
	for _, col := range []string{"votes", "decision", "decided_by"} {
		if !s.db.Migrator().HasColumn(&span{}, col) {
			t.Fatalf("column %s not added", col)
		}
	}
	if !foreignKeysOn(t, s) {
		t.Fatal("foreign keys left off after the migration")
	}
	if !s.db.Migrator().HasTable(&relation{}) || !s.db.Migrator().HasTable(&docStatus{}) {
		t.Fatal("tables not created")
	}
	spans, err := s.Spans("old", "amina")
	if err != nil || len(spans) != 1 || spans[0].Text != "قديم" {
		t.Fatalf("old data after migration: %v %+v", err, spans)
	}
}

func TestDeleteDocumentCascades(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	s.AddSpan("d1", "a", annotate.Span{Start: 0, End: 4, Label: "PERSON"})
	s.SetStatus("d1", "a", annotate.StatusDone)
	if err := s.db.Exec("DELETE FROM documents").Error; err != nil {
		t.Fatal(err)
	}
	var n int64
	s.db.Model(&span{}).Count(&n)
	var m int64
	s.db.Model(&docStatus{}).Count(&m)
	if n != 0 || m != 0 {
		t.Fatalf("left %d spans, %d statuses", n, m)
	}
}

func TestGoldLayerIsNotAnAnnotatorLayer(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	if _, err := s.AddSpan("d1", GoldLayer, annotate.Span{Start: 0, End: 4, Label: "PERSON"}); !errors.Is(err, ErrGoldLayer) {
		t.Fatalf("AddSpan to gold: %v", err)
	}
	if err := s.EnsureAnnotator(GoldLayer); !errors.Is(err, ErrGoldLayer) {
		t.Fatalf("EnsureAnnotator(gold): %v", err)
	}
	g, err := s.GoldAccept("d1", annotate.Span{Start: 0, End: 4, Label: "PERSON"}, annotate.DecisionAdded, "lead", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateSpan(g.ID, annotate.Span{Start: 0, End: 4, Label: "STATE"}); !errors.Is(err, ErrGoldLayer) {
		t.Fatalf("UpdateSpan on gold: %v", err)
	}
	if err := s.DeleteSpan(g.ID); !errors.Is(err, ErrGoldLayer) {
		t.Fatalf("DeleteSpan on gold: %v", err)
	}
}

func TestReplaceReopensDoneDocuments(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	s.AddSpan("d1", "a", annotate.Span{Start: 0, End: 4, Label: "PERSON"})
	s.SetStatus("d1", "a", annotate.StatusDone)
	if err := s.GoldReject("d1", 0, 4, "lead"); err != nil {
		t.Fatal(err)
	}
	res, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: "بحسب نص آخر"}}}, ImportOptions{Replace: true})
	if err != nil || len(res.Replaced) != 1 || res.SpansDropped != 0 {
		t.Fatalf("replace: %+v %v", res, err)
	}
	if st, _, _ := s.Status("d1", "a"); st != annotate.StatusInProgress {
		t.Fatalf("status after replace = %v", st)
	}
	if r, _ := s.GoldRejections("d1"); len(r) != 0 {
		t.Fatalf("rejections after replace: %+v", r)
	}
	// The span whose text is unchanged at its offsets ("بحسب") stays.
	if sp, _ := s.Spans("d1", "a"); len(sp) != 1 || sp[0].Text != "بحسب" {
		t.Fatalf("spans after replace: %+v", sp)
	}
}

// While a long write transaction (an import) is open, reading — opening a
// document in the app — does not wait for it.
func TestReadsDoNotWaitForAnImport(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	inTx, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- s.db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Create(&document{ExtID: "d2", Text: "نص", Length: 2, SHA256: annotate.TextHash("نص")}).Error; err != nil {
				return err
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	<-inTx
	read := make(chan error)
	go func() {
		d, err := s.Document("d1")
		if err == nil && d.Text != sampleText {
			err = errors.New("wrong text")
		}
		read <- err
	}()
	select {
	case err := <-read:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		close(release)
		t.Fatal("reading waited for the open write transaction")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Document("d2"); err != nil {
		t.Fatal("the transaction's document:", err)
	}
}

// Two writers at once (the app labelling during an import) take turns:
// neither fails with "database is locked".
func TestConcurrentWritersWait(t *testing.T) {
	s, _ := tempStore(t)
	s.Import([]annotate.Record{{Doc: annotate.Document{ID: "d1", Text: sampleText}}}, ImportOptions{})
	inTx, done := make(chan struct{}), make(chan error)
	go func() {
		done <- s.db.Transaction(func(tx *gorm.DB) error {
			var d document
			if err := tx.Take(&d, "ext_id = ?", "d1").Error; err != nil { // read, then write
				return err
			}
			close(inTx)
			time.Sleep(300 * time.Millisecond)
			return tx.Create(&document{ExtID: "d2", Text: "نص", Length: 2, SHA256: annotate.TextHash("نص")}).Error
		})
	}()
	<-inTx
	if _, err := s.AddSpan("d1", "a", annotate.Span{Start: 0, End: 4, Label: "PERSON"}); err != nil {
		t.Fatalf("a label while another transaction writes: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the other transaction: %v", err)
	}
}

// A short file that is not a database is refused, not taken for a new
// project and written over.
func TestShortFileIsNotAProject(t *testing.T) {
	for _, content := range []string{"x", "notes\n", "SQLite format 2\x00 and more bytes"} {
		path := filepath.Join(t.TempDir(), "notes.db")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, create := range []bool{false, true} {
			s, err := OpenWith(path, Options{Create: create})
			if err == nil {
				s.Close()
				t.Fatalf("%q (create %v) opened as a project", content, create)
			}
			if !errors.Is(err, ErrNotProject) || !strings.Contains(err.Error(), "not a database") {
				t.Fatalf("%q: %v", content, err)
			}
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Fatalf("the file was changed to %q", got)
		}
	}
}
