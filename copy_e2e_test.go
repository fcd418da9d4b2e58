package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"tawsim/export"
	"tawsim/internal/pgtest"
)

// projectState is what the commands show of a project: every layer (two
// annotators' and the gold one) exported in every format, the documents,
// progress, labels, guidelines (and those a merge kept) and kept versions.
func projectState(t *testing.T, config, dir, db string) string {
	t.Helper()
	var b strings.Builder
	for _, who := range []string{"amina", "badr", "gold"} {
		for _, f := range export.Names() {
			out := filepath.Join(t.TempDir(), f)
			mustRun(t, config, "export", "--db", db, "--annotator", who, "--format", f, "--out", out)
			fmt.Fprintf(&b, "== export %s %s\n%s", who, f, readAll(t, out))
		}
	}
	for _, args := range [][]string{{"docs", "--json"}, {"progress", "--json"}, {"labels", "--json"}, {"guidelines"}, {"guidelines", "--kept"}, {"versions", "--json"}} {
		fmt.Fprintf(&b, "== %s\n%s", strings.Join(args, " "), mustRun(t, config, append(args, "--db", db)...).stdout)
	}
	return b.String()
}

// fillProject gives db two annotators' layers, gold (one document
// finished), a renamed and a deleted label, assignments, guidelines and a
// kept version: a project with something in every table.
func fillProject(t *testing.T, config, dir, db string) {
	t.Helper()
	mustRun(t, config, "import", "--db", db, write(t, dir, "in.jsonl", []byte(formatsJSONL)))
	mustRun(t, config, "import", "--db", db, write(t, dir, "badr.jsonl", []byte(strings.ReplaceAll(strings.SplitN(formatsJSONL, "\n", 2)[0], "amina", "badr")+"\n")))
	mustRun(t, config, "adjudicate", "--db", db, "--min-agree", "2")
	mustRun(t, config, "adjudicate", "--db", db, "--finish-docs", "d1", "--force")
	mustRun(t, config, "labels", "--db", db, "add", "EVENT", "--hotkey", "6")
	mustRun(t, config, "labels", "--db", db, "delete", "EVENT")
	mustRun(t, config, "labels", "--db", db, "rename", "STATE", "COUNTRY")
	mustRun(t, config, "assign", "--db", db, "--annotators", "amina,badr", "--per-document", "1", "--seed", "3")
	mustRun(t, config, "guidelines", "--db", db, "--set", write(t, dir, "g.md", []byte("# الإرشادات\n**دولة**\n")))
	// A layer changed elsewhere, later: a conflict, the local layer kept
	// as a version.
	var line map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(formatsJSONL, "\n", 2)[0]), &line); err != nil {
		t.Fatal(err)
	}
	line["spans"] = []map[string]any{{"start": 20, "end": 31, "label": "PERSON"}}
	line["revision"], line["clock"], line["modified"] = 1, map[string]int{"elsewhere": 1}, time.Now().UTC().Add(time.Hour).Format(time.RFC3339)
	conflict, _ := json.Marshal(line)
	if r := mustRun(t, config, "import", "--db", db, write(t, dir, "c.jsonl", append(conflict, '\n'))); !strings.Contains(r.stdout, "1 conflict") {
		t.Fatalf("no conflict: %s", r.stdout)
	}
}

// The same files imported into a file and onto the server give the same
// exports in every format, the same listings and the same agree and score
// figures (PostgreSQL run).
func TestSameWorkSameOutputsOnBothBackends(t *testing.T) {
	if !pgtest.Postgres() {
		t.Skip("a file and a server project side by side: in the PostgreSQL run")
	}
	config, dir, _ := newFileProject(t)
	file, server := filepath.Join(dir, "p.db"), pgtest.Project(t, dir, "p.db")
	fillProject(t, config, dir, file)
	fillProject(t, config, dir, server)
	// Two projects made apart differ only in when things happened and in
	// their replica ids (inside the clocks).
	volatile := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z|"clock":\{[^}]*\}`)
	same := func(db string) string { return volatile.ReplaceAllString(projectState(t, config, dir, db), "…") }
	if a, b := same(file), same(server); a != b {
		t.Fatalf("the server project differs:\n%s\nthe file's:\n%s", b, a)
	}
	pred := write(t, dir, "pred.jsonl", []byte(formatsJSONL))
	for _, args := range [][]string{{"agree", "--json"}, {"score", "--json", "--pred", pred}} {
		a := mustRun(t, config, append(args, "--db", file)...).stdout
		if b := mustRun(t, config, append(args, "--db", server)...).stdout; a != b || len(a) < 100 {
			t.Fatalf("%s differs:\n%s\nthe file's:\n%s", args[0], b, a)
		}
	}
}

// tawsim copy moves a project exactly: a file onto the server (in the
// PostgreSQL run, else to another file) and back to a file, every export
// and listing byte-identical at each step; the destination works on
// (a new document, a new layer). A destination holding a project is
// refused. The DSN's password never shows.
func TestCopyMovesTheProjectExactly(t *testing.T) {
	config, dir, _ := newFileProject(t)
	src := filepath.Join(dir, "src.db")
	fillProject(t, config, dir, src)
	want := projectState(t, config, dir, src)
	if !strings.Contains(want, `"kept"`) || !strings.Contains(want, "COUNTRY") || !strings.Contains(want, `"clock"`) {
		t.Fatalf("the source lacks what the test copies:\n%s", want)
	}

	mid := pgtest.Project(t, dir, "mid.db")
	if pgtest.Postgres() {
		mid += "&password=s3cret" // the throwaway server trusts its socket: the password is only carried
	}
	out := mustRun(t, config, "copy", "--db", src, "--to", mid).stdout
	if !strings.Contains(out, "3 documents, 3 layers, 11 spans") {
		t.Errorf("copy report: %s", out)
	}
	if got := projectState(t, config, dir, mid); got != want {
		t.Fatalf("the copy differs:\n%s\nthe source:\n%s", got, want)
	}
	back := filepath.Join(dir, "back.db")
	out += mustRun(t, config, "copy", "--db", mid, "--to", back).stdout
	if got := projectState(t, config, dir, back); got != want {
		t.Fatalf("the copy of the copy differs:\n%s\nthe source:\n%s", got, want)
	}
	r := run(t, config, "copy", "--db", back, "--to", mid)
	out += r.stderr
	if r.code != 1 || !strings.Contains(r.stderr, "holds a project with 3 documents") {
		t.Fatalf("a copy onto a project: %+v", r)
	}
	if r := run(t, config, "copy", "--db", src); r.code != 2 || !strings.Contains(r.stderr, "--to") {
		t.Fatalf("copy without --to: %+v", r)
	}
	for _, db := range []string{mid, back} {
		mustRun(t, config, "import", "--db", db, write(t, dir, "d4.jsonl", []byte(`{"id":"d4","text":"نص رابع","annotator":"dalia","spans":[{"start":0,"end":2,"label":"PERSON"}]}`+"\n")))
		if got := exportLayer(t, config, db, "dalia"); !strings.Contains(got, `"d4"`) {
			t.Fatalf("%s after the copy: %s", db, got)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Fatalf("the password shows:\n%s", out)
	}
}
