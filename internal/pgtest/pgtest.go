// Package pgtest runs a package's tests on SQLite and again on
// PostgreSQL, and gives each test a fresh PostgreSQL database. The server
// is named by TAWSIM_TEST_PG (a DSN of a role that may create databases);
// scripts/pg-test.sh starts a throwaway one for make test, which also sets
// TAWSIM_TEST_PG_REQUIRED so that a missing server fails instead of
// skipping.
package pgtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

const (
	serverEnv   = "TAWSIM_TEST_PG"
	requiredEnv = "TAWSIM_TEST_PG_REQUIRED"
	backendEnv  = "TAWSIM_TEST_BACKEND" // "postgres" in the second run
)

// Postgres says whether this run of the tests is the PostgreSQL one.
func Postgres() bool { return os.Getenv(backendEnv) == "postgres" }

// Main is os.Exit(Run(m)), the whole TestMain of a package.
func Main(m *testing.M) { os.Exit(Run(m, nil)) }

// Run runs the tests (m.Run) on SQLite, then runs the test binary again,
// with the same flags and env added to its environment, as the PostgreSQL
// run, and returns the worse exit status. Without a server the second run
// is skipped with a message, or fails when the server is required (make
// test).
func Run(m *testing.M, env []string) int {
	code := m.Run()
	if Postgres() {
		dropDatabase()
		return code
	}
	if os.Getenv(serverEnv) == "" {
		if os.Getenv(requiredEnv) != "" {
			fmt.Fprintf(os.Stderr, "FAIL: the PostgreSQL run needs a server: %s is unset (scripts/pg-test.sh sets it)\n", serverEnv)
			return 1
		}
		fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL run skipped: %s is unset (make test starts a server and sets it)\n", serverEnv)
		return code
	}
	fmt.Fprintln(os.Stderr, "pgtest: the same tests on PostgreSQL")
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = append(append(os.Environ(), backendEnv+"=postgres"), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if code == 0 {
			code = 1
		}
		if _, ok := err.(*exec.ExitError); !ok {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

var (
	serial   atomic.Int64
	dbOnce   sync.Once
	dbName   string // this process's database, made on first use
	dbErr    error
	serverDB = func() (*sql.DB, error) { return sql.Open("pgx", os.Getenv(serverEnv)) }
)

// database makes this process's database: an ICU locale whose order is not
// byte order, so that the tests see the store sort as SQLite does
// whatever the database's collation.
func database() (string, error) {
	dbOnce.Do(func() {
		admin, err := serverDB()
		if err != nil {
			dbErr = err
			return
		}
		defer admin.Close()
		dbName = fmt.Sprintf("tawsim_test_%d", os.Getpid())
		_, dbErr = admin.Exec(`CREATE DATABASE ` + dbName + ` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`)
	})
	return dbName, dbErr
}

func dropDatabase() {
	if dbName == "" {
		return
	}
	if admin, err := serverDB(); err == nil {
		admin.Exec(`DROP DATABASE IF EXISTS ` + dbName + ` WITH (FORCE)`)
		admin.Close()
	}
}

// Database gives the test an empty place for a project on the server — a
// schema of its own in this process's database (making a schema is much
// quicker than making a database), dropped when the test ends — and
// returns its DSN.
func Database(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(serverEnv)
	if base == "" {
		tb.Fatalf("%s is unset: no PostgreSQL server to test on", serverEnv)
	}
	name, err := database()
	if err != nil {
		tb.Fatalf("creating the test database: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	schema := fmt.Sprintf("t%d", serial.Add(1))
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("creating test schema %s: %v", schema, err)
	}
	dsn := u.String()
	tb.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Project is where a test keeps a new project: a fresh database in the
// PostgreSQL run, else the file name in dir.
func Project(tb testing.TB, dir, name string) string {
	if Postgres() {
		return Database(tb)
	}
	return filepath.Join(dir, name)
}
