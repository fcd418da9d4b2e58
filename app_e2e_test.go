package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newerCopy copies project db to path as if a newer Tawsim had written it.
func newerCopy(t *testing.T, db, path string) string {
	t.Helper()
	data, err := os.ReadFile(db)
	if err == nil {
		err = os.WriteFile(path, data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("UPDATE tawsim_meta SET value = '99' WHERE key = 'schema_version'"); err != nil {
		t.Fatal(err)
	}
	return path
}

// `tawsim --db FILE` opens the store before any window: what is no
// project fails with the reason on stderr and exit 1, and nothing opens
// (so it can be tested without a display).
func TestAppRefusesWhatIsNoProject(t *testing.T) {
	config, dir, db := newFileProject(t) // files that are no project
	mustRun(t, config, "import", "--db", db, write(t, dir, "a.txt", []byte("نص أول")))
	newer := newerCopy(t, db, filepath.Join(dir, "newer.db"))
	notes := write(t, dir, "notes.db", []byte("these are notes, not a project database\n"))
	for path, want := range map[string]string{
		dir:                          "is a folder",
		notes:                        "not a database",
		newer:                        "newer version of Tawsim",
		filepath.Join(notes, "x.db"): "not a directory",
	} {
		before, _ := os.ReadFile(path)
		r := run(t, config, "--db", path)
		if r.code != 1 || !strings.HasPrefix(r.stderr, "tawsim: ") || !strings.Contains(r.stderr, want) || r.stdout != "" {
			t.Errorf("tawsim --db %s: %+v, want exit 1 and %q", path, r, want)
		}
		if after, _ := os.ReadFile(path); string(before) != string(after) {
			t.Errorf("tawsim --db %s changed the file", path)
		}
	}
}

// A server that refuses is reported before any window, without the
// password of the DSN.
func TestAppRefusesAServerWithoutShowingThePassword(t *testing.T) {
	config, _, _ := newFileProject(t)
	r := run(t, config, "--db", "postgres://amina:s3cret@127.0.0.1:1/team?sslmode=disable&connect_timeout=5")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "tawsim: open postgres://amina:xxxxx@127.0.0.1:1/team") || strings.Contains(r.stderr, "s3cret") {
		t.Fatalf("%+v", r)
	}
}

// Without a display the app says so (after the project opened, so the
// refusals above come first), where the window system would panic.
func TestAppWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	config, _, db := newFileProject(t)
	r := run(t, config, "--db", db)
	if r.code != 1 || r.stderr != "tawsim: no display to open the app on (neither DISPLAY nor WAYLAND_DISPLAY is set); the commands work without one: tawsim -h lists them\n" {
		t.Fatalf("%+v", r)
	}
}

func TestAppUsageErrors(t *testing.T) {
	config, _, db := newFileProject(t)
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
