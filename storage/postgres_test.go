package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"tawsim/annotate"
	"tawsim/internal/pgtest"
)

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://amina:s3cret@db.example:5432/tawsim?sslmode=require": "postgres://amina:xxxxx@db.example:5432/tawsim?sslmode=require",
		"postgresql://amina@db/tawsim?password=s3cret":                   "postgresql://amina@db/tawsim?password=xxxxx",
		"postgres://amina@db/tawsim":                                     "postgres://amina@db/tawsim",
		"/home/amina/p.db":                                               "/home/amina/p.db",
	} {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

// A server that cannot be reached (nothing listens on the socket) gives an
// error naming the DSN without its password.
func TestPostgresErrorHidesThePassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://amina:s3cret@/tawsim?host=" + url.QueryEscape(t.TempDir()) + "&sslmode=disable",
		"postgres://amina@/tawsim?password=s3cret&host=" + url.QueryEscape(t.TempDir()) + "&sslmode=disable",
	} {
		_, err := Open(dsn)
		if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "xxxxx") {
			t.Fatalf("err = %v", err)
		}
	}
}

// Code points order documents, labels and annotators on both backends,
// whatever the PostgreSQL database's collation (the tests' one is an ICU
// locale that would put "a" before "B" and "é" before "z").
func TestCodePointOrder(t *testing.T) {
	s, _ := tempStore(t)
	ids := []string{"z", "é", "a", "B"}
	for _, id := range ids {
		if _, err := s.Import([]annotate.Record{{Doc: annotate.Document{ID: id, Text: "نص"}}}, ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := s.EnsureAnnotator(id); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := s.Documents()
	got := collect(t, docs, err, func(d DocInfo) string { return d.ID })
	want := []string{"B", "a", "z", "é"}
	if names, _ := s.Annotators(); !reflect.DeepEqual(got, want) || !reflect.DeepEqual(names, want) {
		t.Fatalf("documents %q, annotators %q, want %q", got, names, want)
	}
}

// Several processes opening a new or old project at once (here stores with
// connections of their own) migrate it once: every open succeeds and the
// project has its default labels once.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	path := pgtest.Project(t, t.TempDir(), "p.db")
	const n = 6
	var wg sync.WaitGroup
	stores, errs := make([]*Store, n), make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = OpenEmpty(path)
		}()
	}
	wg.Wait()
	for _, s := range stores {
		if s != nil {
			defer s.Close()
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	labels, _ := stores[n-1].Labels()
	if v, _ := stores[0].Version(); v != SchemaVersion || len(labels) != 5 {
		t.Fatalf("version %d, labels %+v", v, labels)
	}
}

// A database without a project is refused unless the command creates one,
// as an empty file is; a read-only open refuses writes.
func TestPostgresNotProjectAndReadOnly(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("PostgreSQL only (the SQLite run tests files in app/readonly_test.go and the CLI)")
	}
	dsn := pgtest.Database(t)
	if _, err := OpenWith(dsn, Options{}); !errors.Is(err, ErrNotProject) {
		t.Fatalf("empty database: %v", err)
	}
	s, err := OpenEmpty(dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := OpenWith(dsn, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.EnsureAnnotator("amina"); !errors.Is(err, ErrReadOnly) || !ro.ReadOnly() {
		t.Fatalf("write on a read-only open: %v", err)
	}
	// The server refuses it too, below the store's own check.
	if err := ro.db.Exec("INSERT INTO annotators (name, kind) VALUES ('x', 'human')").Error; err == nil {
		t.Fatal("the read-only connection wrote")
	}
}

// A role granted SELECT only opens the project read-only, as a file the
// user may not write does.
func TestPostgresReadOnlyRole(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("PostgreSQL only (TestReadOnlyProject in robust_e2e_test.go tests files)")
	}
	dsn := pgtest.Database(t)
	s, err := OpenEmpty(dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	u, _ := url.Parse(dsn)
	schema := u.Query().Get("search_path")
	role := fmt.Sprintf("viewer_%d_%s", os.Getpid(), schema)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	for _, q := range []string{
		"CREATE ROLE " + role + " LOGIN",
		"GRANT USAGE ON SCHEMA " + schema + " TO " + role,
		"GRANT SELECT ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
		"GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role,
	} {
		if _, err := admin.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	t.Cleanup(func() {
		admin.Exec("DROP OWNED BY " + role)
		admin.Exec("DROP ROLE " + role)
	})
	u.User = url.User(role)
	v, err := Open(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if _, err := v.DataVersion(); err != nil || !v.ReadOnly() {
		t.Fatalf("read-only %v, data version: %v", v.ReadOnly(), err)
	}
	if labels, err := v.Labels(); err != nil || len(labels) != 5 {
		t.Fatalf("labels %v %v", labels, err)
	}
	if err := v.EnsureAnnotator("amina"); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write with a read-only role: %v", err)
	}
}
