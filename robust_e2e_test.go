package main

import (
	"bytes"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite"
)

// holdWriteLock takes the project's write lock from another connection, as
// a long import would, until the test ends or release is called.
func holdWriteLock(t *testing.T, db string) (release func()) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	conn.SetMaxOpenConns(1)
	if _, err := conn.Exec("BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec("INSERT INTO tawsim_meta (key, value) VALUES ('held', 'x') ON CONFLICT DO NOTHING"); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			conn.Exec("ROLLBACK")
			conn.Close()
		}
	}
	t.Cleanup(release)
	return release
}

func TestReadsDoNotWaitForAWriter(t *testing.T) {
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "a.txt", []byte("نص أول")))
	release := holdWriteLock(t, db)
	for _, args := range [][]string{{"docs"}, {"export", "--format", "jsonl", "--out", filepath.Join(dir, "out.jsonl")}, {"agree"}} {
		start := time.Now()
		r := run(t, config, append(args, "--db", db)...)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s during a held write lock took %v: %+v", args[0], d, r)
		}
		if args[0] != "agree" && r.code != 0 {
			t.Errorf("%s during a held write lock: %+v", args[0], r)
		}
		if strings.Contains(r.stderr, "locked") {
			t.Errorf("%s: %s", args[0], r.stderr)
		}
	}
	// A second writer waits for the first instead of failing.
	go func() { time.Sleep(1500 * time.Millisecond); release() }()
	start := time.Now()
	mustRun(t, config, "import", "--db", db, write(t, dir, "b.txt", []byte("نص ثان")))
	if time.Since(start) < time.Second {
		t.Fatal("the import did not wait for the writer holding the lock")
	}
	if rows := docsJSON(t, config, "--db", db); len(rows) != 2 {
		t.Fatalf("after the waiting import: %+v", rows)
	}
}

func TestOpenWhatIsNoProject(t *testing.T) {
	config, dir, _ := newProject(t)
	fifo := filepath.Join(dir, "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := write(t, dir, "empty.db", nil)
	for path, want := range map[string]string{dir: "is a folder", fifo: "named pipe", empty: "is an empty file"} {
		r := run(t, config, "docs", "--db", path)
		if r.code != 1 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "out of memory") {
			t.Errorf("docs --db %s: %+v, want %q", path, r, want)
		}
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Fatalf("a read command changed the empty file: %v %v", fi.Size(), err)
	}
}

// runAsUser runs the binary as an unprivileged user when the tests run as
// root, whom file permissions do not stop; otherwise as run does.
func runAsUser(t *testing.T, config string, args ...string) result {
	t.Helper()
	if os.Getuid() != 0 {
		return run(t, config, args...)
	}
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config, "HOME="+config)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// openToAll makes the binary and dirs reachable for runAsUser.
func openToAll(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range append(dirs, filepath.Dir(binary)) {
		for p := d; p != "/" && p != "."; p = filepath.Dir(p) {
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o005 != 0o005 {
				os.Chmod(p, fi.Mode().Perm()|0o005)
			}
		}
	}
}

func TestReadOnlyProject(t *testing.T) {
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "a.txt", []byte("نص")))
	openToAll(t, dir, config)
	os.Chmod(db, 0o444)
	for _, dirMode := range []os.FileMode{0o777, 0o555} { // the folder writable, then not
		os.Chmod(dir, dirMode)
		r := runAsUser(t, config, "docs", "--db", db)
		if r.code != 0 || !strings.Contains(r.stdout, "a\t") {
			t.Fatalf("docs on a read-only project (folder %o): %+v", dirMode, r)
		}
		r = runAsUser(t, config, "import", "--db", db, filepath.Join(dir, "a.txt"))
		if r.code != 1 || !strings.Contains(r.stderr, "read-only") {
			t.Fatalf("import into a read-only project: %+v", r)
		}
	}
	os.Chmod(dir, 0o755)
}
