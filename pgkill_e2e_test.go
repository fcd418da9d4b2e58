package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tawsim/internal/pgtest"
)

// bigImport writes a JSONL file of n documents, each with two spans of
// annotator a, big enough for an import to take a while.
func bigImport(t *testing.T, dir string, n int) string {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "big.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	text := strings.Repeat("قال وزير الخارجية إن الأردن وتركيا ستتعاونان. ", 40)
	for i := range n {
		fmt.Fprintf(w, `{"id":"big%05d","text":"%s","annotator":"a","spans":[{"start":0,"end":3,"label":"PERSON"},{"start":4,"end":8,"label":"PERSON"}]}`+"\n", i, text)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return f.Name()
}

// A writer killed (SIGKILL) mid-transaction on the server loses nothing
// acknowledged and leaves nothing of its own (PostgreSQL run): an import
// is killed once its transaction has written rows; the server kept
// running (a connection opened before still answers), the documents and
// layers imported before are there as they were, none of the killed
// import's, and the project opens and imports again, the whole file too.
func TestKilledWriterOnTheServer(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("a writer killed on the server: the PostgreSQL run (TestMergeKilledLeavesLeadAsItWas kills one on a file)")
	}
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "one.jsonl", []byte(layerLine("d1", "amal", "أنقرة/STATE")+"\n"+layerLine("d2", "amal", "الحكومة التركية/ORGANIZATION")+"\n")))
	before := exportLayer(t, config, db, "amal")
	big := bigImport(t, dir, 6000)
	watch, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Close()
	watch.SetMaxOpenConns(1) // one connection kept across the kill
	var self int
	if err := watch.QueryRow("SELECT pg_backend_pid()").Scan(&self); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(binary, "import", "--db", db, big)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config, "HOME="+config)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Mid-transaction: the import's transaction has written (it has a
	// transaction id) and goes on writing for a while.
	var writer int
	for writer == 0 {
		select {
		case <-done:
			t.Fatal("the import finished before it could be killed: make it bigger")
		default:
		}
		err := watch.QueryRow(`SELECT coalesce(max(pid), 0) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> $1 AND backend_xid IS NOT NULL`, self).Scan(&writer)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Kill()
	<-done
	if code := cmd.ProcessState.ExitCode(); code != -1 {
		t.Fatalf("the import exited (%d) instead of being killed mid-way: make it bigger", code)
	}
	// The server ends the killed client's transaction when its socket
	// closes; the connection opened before still answers.
	for gone := false; !gone; time.Sleep(10 * time.Millisecond) {
		if err := watch.QueryRow(`SELECT count(*) = 0 FROM pg_stat_activity WHERE pid = $1`, writer).Scan(&gone); err != nil {
			t.Fatalf("the server stopped answering after the kill: %v", err)
		}
	}
	if got := docsJSON(t, config, "--db", db); len(got) != 2 {
		t.Fatalf("after the killed import: %d documents, want the 2 imported before", len(got))
	}
	if got := exportLayer(t, config, db, "amal"); got != before {
		t.Fatalf("amal's layer changed:\n%s\nwas:\n%s", got, before)
	}
	mustRun(t, config, "import", "--db", db, write(t, dir, "three.jsonl", []byte(layerLine("d3", "badr", "عمان/STATE")+"\n")))
	mustRun(t, config, "import", "--db", db, big)
	if got := docsJSON(t, config, "--db", db); len(got) != 6003 {
		t.Fatalf("after importing again: %d documents, want 6003", len(got))
	}
	// amal's layer of d1 and d2 as it was (the export lists the new
	// documents too, with nothing of amal's).
	got := exportLayer(t, config, db, "amal")
	for _, id := range []string{"d1", "d2"} {
		if lineOf(t, got, id) != lineOf(t, before, id) {
			t.Fatalf("amal's layer of %s changed after importing again:\n%s\nwas:\n%s", id, lineOf(t, got, id), lineOf(t, before, id))
		}
	}
}

// lineOf is the line of a native JSONL export that is document id's.
func lineOf(t *testing.T, export, id string) string {
	t.Helper()
	for _, l := range strings.SplitAfter(export, "\n") {
		if strings.HasPrefix(l, `{"id":"`+id+`"`) {
			return l
		}
	}
	t.Fatalf("no document %s in the export", id)
	return ""
}
