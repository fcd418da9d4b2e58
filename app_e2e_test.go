package main

import (
	"bytes"
	"database/sql"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// `tawsim --db FILE` opens the store before any window: what is no
// project fails with the reason on stderr and exit 1, and nothing opens
// (so it can be tested without a display).
func TestAppRefusesWhatIsNoProject(t *testing.T) {
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "a.txt", []byte("نص أول")))
	newer := filepath.Join(dir, "newer.db")
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "newer.db", data)
	conn, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec("UPDATE tawsim_meta SET value = '99' WHERE key = 'schema_version'"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	fifo := filepath.Join(dir, "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	notes := write(t, dir, "notes.db", []byte("these are notes, not a project database\n"))
	for path, want := range map[string]string{
		dir:                          "is a folder",
		fifo:                         "named pipe",
		notes:                        "not a database",
		newer:                        "newer version of Tawsim",
		filepath.Join(notes, "x.db"): "not a directory",
	} {
		var before []byte
		if path != fifo { // reading a FIFO waits for a writer
			before, _ = os.ReadFile(path)
		}
		r := run(t, config, "--db", path)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "tawsim: ") || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("tawsim --db %s: %+v, want exit 1 and %q", path, r, want)
		}
		if path == fifo {
			continue
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("tawsim --db %s changed the file", path)
		}
	}
}

func TestAppUsageErrors(t *testing.T) {
	config, dir, _ := newProject(t)
	db := filepath.Join(dir, "p.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--db"}, "flag needs an argument"},
		{[]string{"--bogus"}, "flag provided but not defined"},
		{[]string{"--db", db, "extra"}, `unexpected argument "extra"`},
		{[]string{"--db", ""}, "--db needs a file name"},
	} {
		r := run(t, config, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "Usage: tawsim [--db FILE]") {
			t.Errorf("tawsim %q: %+v, want exit 2 and %q", c.args, r, c.want)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a usage error created the project")
	}
	if r := mustRun(t, config, "-h"); !strings.Contains(r.stdout, "tawsim [--db FILE]     open the annotation app") {
		t.Fatalf("tawsim -h does not show --db FILE:\n%s", r.stdout)
	}
}

func TestAppArguments(t *testing.T) {
	for args, want := range map[string]bool{"": true, "--db p.db": true, "-db p.db": true, "--db=p.db": true,
		"--bogus": true, "import --db p.db": false, "-h": false, "--help": false, "help": false, "docs": false} {
		if got := opensApp(strings.Fields(args)); got != want {
			t.Errorf("opensApp(%q) = %v", args, got)
		}
	}
	var stderr bytes.Buffer
	for args, want := range map[string]string{"": "", "--db p.db": "p.db", "-db=a/b.db": "a/b.db"} {
		if db, err := appArgs(strings.Fields(args), &stderr); err != nil || db != want {
			t.Errorf("appArgs(%q) = %q, %v; want %q", args, db, err, want)
		}
	}
	if _, err := appArgs([]string{"--db", "p.db", "-h"}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h after --db: %v", err)
	}
	for _, args := range []string{"--db", "--db p.db q.db", "--x"} {
		if _, err := appArgs(strings.Fields(args), &stderr); err == nil {
			t.Errorf("appArgs(%q) accepted", args)
		}
	}
}
