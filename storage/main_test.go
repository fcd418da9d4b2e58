package storage

import (
	"regexp"
	"strings"
	"testing"

	"tawsim/internal/pgtest"
)

// The suite runs on SQLite, then again on PostgreSQL (pgtest.Main), with
// every text of more than a few characters stored in parts, so that each
// way of reading documents reads those (the program's tests store them in
// rows: no text of theirs is a part long).
func TestMain(m *testing.M) {
	textPartBytes = 13
	pgtest.Main(m)
}

// sqliteDDL matches what the old schemas of the tests, written as SQLite
// stored them, spell differently on PostgreSQL.
var sqliteDDL = regexp.MustCompile(`integer PRIMARY KEY AUTOINCREMENT|\bdatetime\b|([(,] *)end\b`)

// oldSchemaFor is schema (SQLite) as PostgreSQL takes it, in the
// PostgreSQL run: the types GORM's PostgreSQL migrator creates, the
// reserved word end quoted.
func oldSchemaFor(schema string) string {
	if !pgtest.Postgres() {
		return schema
	}
	return sqliteDDL.ReplaceAllStringFunc(schema, func(m string) string {
		switch {
		case strings.HasPrefix(m, "integer"):
			return "bigserial PRIMARY KEY"
		case m == "datetime":
			return "timestamptz"
		}
		return strings.TrimSuffix(m, "end") + `"end"`
	})
}

// foreignKeysOn says whether the database enforces the references: a
// pragma of the connection on SQLite, always on PostgreSQL, where it
// checks that the spans' constraints exist.
func foreignKeysOn(t *testing.T, s *Store) bool {
	t.Helper()
	if pgtest.Postgres() {
		var n int
		s.db.Raw(`SELECT count(*) FROM information_schema.table_constraints WHERE table_schema = current_schema() AND table_name = 'spans' AND constraint_type = 'FOREIGN KEY'`).Scan(&n)
		return n == 3
	}
	var fk int
	s.db.Raw("PRAGMA foreign_keys").Scan(&fk)
	return fk == 1
}

// collect is f of each of xs, which a read returned with err (an error
// fails the test).
func collect[T any](t *testing.T, xs []T, err error, f func(T) string) []string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
