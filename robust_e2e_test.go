package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	config, dir, db := newFileProject(t)
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	return runCmd(t, cmd, config)
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
	config, dir, db := newFileProject(t)
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

func TestImportRefusesWhatWouldBreakAnExport(t *testing.T) {
	config, dir, db := newProject(t)
	long := strings.Repeat("L", 201)
	for name, body := range map[string]string{
		"space.jsonl":     `{"id":"a","text":"نص هنا","annotator":"x","spans":[{"start":0,"end":2,"label":"A B"}]}`,
		"newline.jsonl":   `{"id":"a","text":"نص هنا","annotator":"x","spans":[{"start":0,"end":2,"label":"A\nC"}]}`,
		"long.jsonl":      `{"id":"a","text":"نص هنا","annotator":"x","spans":[{"start":0,"end":2,"label":"` + long + `"}]}`,
		"surrogate.jsonl": `{"id":"a","text":"x \ud800 y"}`,
		"nul.jsonl":       `{"id":"a\u0000b","text":"نص"}`,
		"hf.jsonl":        `{"id":"h","tokens":["نص",""],"ner_tags":["O","O"]}`,
		"only.conll":      "-DOCSTART- -X- O O\n\n",
		"spacy.jsonl":     `{"text":"نص هنا","tokens":[{"text":"نص","start":0,"end":2,"id":0,"ws":true},{"text":"هنا","start":3,"end":6,"id":1,"ws":false}],"spans":[{"start":0,"end":2,"token_start":1,"token_end":1,"label":"X"}],"meta":{"id":"s"}}`,
	} {
		p := write(t, dir, name, []byte(body+"\n"))
		r := run(t, config, "import", "--db", db, "--annotator", "x", p)
		if r.code != 1 || !strings.Contains(r.stdout, "refused  "+p+":1") {
			t.Errorf("%s: %+v", name, r)
		}
	}
	if rows := docsJSON(t, config, "--db", db); len(rows) != 0 {
		t.Fatalf("stored %+v", rows)
	}
}

func TestImportLimitsALine(t *testing.T) {
	config, dir, db := newProject(t)
	start := time.Now()
	r := run(t, config, "import", "--db", db, "--format", "jsonl", "--max-mb", "4", "/dev/zero")
	if r.code != 1 || !strings.Contains(r.stdout, "/dev/zero:1: a line longer than 4 MB") {
		t.Fatalf("import /dev/zero: %+v", r)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
	big := write(t, dir, "big.jsonl", []byte(`{"id":"a","text":"`+strings.Repeat("ن", 1<<20)+`"}`+"\n"))
	if r := run(t, config, "import", "--db", db, "--max-mb", "1", big); r.code != 1 || !strings.Contains(r.stdout, "--max-mb") {
		t.Fatalf("a 2 MB line with --max-mb 1: %+v", r)
	}
	mustRun(t, config, "import", "--db", db, "--max-mb", "3", big)
}

func TestImportOddFiles(t *testing.T) {
	config, dir, db := newProject(t)
	in := filepath.Join(dir, "in")
	os.MkdirAll(filepath.Join(in, "sub"), 0o755)
	write(t, in, "a.txt", []byte("نص أ"))
	write(t, filepath.Join(in, "sub"), "b.txt", []byte("نص ب"))
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.jsonl"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runWithin(t, "the import hangs on a FIFO in a folder", config, "import", "--db", db, in)
	if r.code != 0 || !strings.Contains(r.stderr, "pipe.jsonl: skipped, a named pipe") || !strings.Contains(r.stdout, "2 imported") {
		t.Fatalf("folder with a FIFO: %+v", r)
	}
	// A symbolic link to a folder imports like the folder.
	link := filepath.Join(dir, "link")
	os.Symlink(in, link)
	if r := mustRun(t, config, "import", "--db", db, link); !strings.Contains(r.stdout, "imported "+filepath.Join(link, "a.txt")) {
		t.Fatalf("link to a folder: %+v", r)
	}
	// A named pipe is read once, its format detected from that read.
	fifo := filepath.Join(dir, "named")
	syscall.Mkfifo(fifo, 0o644)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			f.WriteString(`{"id":"p","text":"من أنبوب"}` + "\n")
			f.Close()
		}
	}()
	r = runWithin(t, "the import hangs on a named pipe", config, "import", "--db", db, fifo)
	if r.code != 0 || !strings.Contains(r.stdout, "1 added") {
		t.Fatalf("named pipe: %+v", r)
	}
}

// runWithin is run, failing with hang when the command takes over 20 s.
func runWithin(t *testing.T, hang, config string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	r := runCmd(t, cmd, config)
	if !timer.Stop() {
		t.Fatal(hang)
	}
	return r
}

func TestImportUnreadableSubfolder(t *testing.T) {
	config, dir, db := newFileProject(t)
	in := filepath.Join(dir, "in")
	os.MkdirAll(filepath.Join(in, "locked"), 0o755)
	write(t, in, "a.txt", []byte("نص أ"))
	write(t, filepath.Join(in, "locked"), "b.txt", []byte("نص ب"))
	openToAll(t, dir, config)
	os.Chmod(dir, 0o777) // the project database is created by the user
	os.Chmod(filepath.Join(in, "locked"), 0o000)
	defer os.Chmod(filepath.Join(in, "locked"), 0o755)
	r := runAsUser(t, config, "import", "--db", db, in)
	if r.code != 1 || !strings.Contains(r.stdout, "locked: cannot read this folder") || !strings.Contains(r.stdout, "1 imported, 1 refused") {
		t.Fatalf("unreadable subfolder: %+v", r)
	}
}

func TestExportFailuresLeaveNothing(t *testing.T) {
	config, dir, db := newProject(t)
	var lines []string
	for i := range 40 {
		lines = append(lines, `{"id":"d`+strings.Repeat("x", i)+`","text":"نص"}`)
	}
	mustRun(t, config, "import", "--db", db, write(t, dir, "in.jsonl", []byte(strings.Join(lines, "\n"))))
	out := filepath.Join(dir, "out.jsonl")
	os.Mkdir(filepath.Join(dir, "out-test.jsonl"), 0o755) // the last split cannot be written
	r := run(t, config, "export", "--db", db, "--split", "train=0.5,test=0.5", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "out-test.jsonl is a folder") {
		t.Fatalf("split export into a folder: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "out-train.jsonl")); err == nil {
		t.Fatal("the train split stayed behind the failed test split")
	}
	r = run(t, config, "export", "--db", db, "--out", filepath.Join(dir, "missing", "o.jsonl"))
	if r.code != 1 || !strings.Contains(r.stderr, "folder "+filepath.Join(dir, "missing")+" does not exist") {
		t.Fatalf("--out into a missing folder: %+v", r)
	}
	if r := run(t, config, "export", "--db", db, "--out", dir); r.code != 1 || !strings.Contains(r.stderr, dir+" is a folder") {
		t.Fatalf("--out naming a folder: %+v", r)
	}
	// A temporary file a killed export left is cleaned by the next export.
	stale := filepath.Join(dir, ".tawsim-out.jsonl.999.tmp")
	os.WriteFile(stale, []byte("{"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	mustRun(t, config, "export", "--db", db, "--out", out)
	if _, err := os.Stat(stale); err == nil {
		t.Fatal("the stale temporary file is still there")
	}
}

// bigJSONL writes n documents of about size bytes each, streamed (the
// memory test reads the child's peak, which a big parent would inflate).
func bigJSONL(t *testing.T, dir string, n, size int) string {
	t.Helper()
	text := strings.Repeat("قال وزير الخارجية إن الأردن وتركيا ستتعاونان. ", size/80+1)
	path := filepath.Join(dir, "big.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, `{"id":"d%06d","text":"%s","annotator":"a","spans":[{"start":0,"end":3,"label":"PERSON"}]}`+"\n", i, text)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestImportKilledIsAllOrNothing(t *testing.T) {
	config, dir, _ := newProject(t)
	in := bigJSONL(t, dir, 3000, 4000)
	for i := range 10 {
		db := filepath.Join(dir, "k"+itoa(i)+".db")
		cmd := exec.Command(binary, "import", "--db", db, in)
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.IntN(1200)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		if _, err := os.Stat(db); err != nil {
			continue // killed before the file was made
		}
		conn, err := sql.Open("sqlite", "file:"+db)
		if err != nil {
			t.Fatal(err)
		}
		var check string
		var docs int
		if err := conn.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Fatalf("run %d: integrity_check %q %v", i, check, err)
		}
		if err := conn.QueryRow("SELECT count(*) FROM documents").Scan(&docs); err != nil && !strings.Contains(err.Error(), "no such table") {
			t.Fatal(err)
		}
		conn.Close()
		if docs != 0 && docs != 3000 {
			t.Fatalf("run %d: %d of 3000 documents stored", i, docs)
		}
	}
}

// An import holds within three times its file (the binary's own 39 MB
// included), as many documents or as one document of 100 MB. A single
// 60 MB line peaked at 230 MB (3.7×) with its text in one column, which
// the SQLite driver and SQLite copy whole; in parts, at 167 MB (2.7×).
func TestImportMemoryWithinThreeTimesTheFile(t *testing.T) {
	if testing.Short() {
		t.Skip("imports two 100 MB files")
	}
	config, dir, _ := newProject(t)
	many := bigJSONL(t, dir, 5000, 20000)
	manyDir := filepath.Join(dir, "many")
	os.Mkdir(manyDir, 0o755)
	if err := os.Rename(many, filepath.Join(manyDir, "many.jsonl")); err != nil {
		t.Fatal(err)
	}
	one, _ := oneLineJSONL(t, dir, 100<<20)
	for _, in := range []string{filepath.Join(manyDir, "many.jsonl"), one} {
		fi, _ := os.Stat(in)
		db := filepath.Join(dir, filepath.Base(in)+".db")
		peak := peakOf(t, config, "import", "--max-mb", "128", "--db", db, in)
		t.Logf("import of %s, %d MB: peak %d MB", filepath.Base(in), fi.Size()>>20, peak>>20)
		if peak > 3*fi.Size() {
			t.Errorf("import of %s, %d MB, peaked at %d MB, over 3×", filepath.Base(in), fi.Size()>>20, peak>>20)
		}
		os.Remove(in)
	}
}
