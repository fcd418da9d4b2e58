package main

import (
	"encoding/json"
	"strings"
	"testing"

	"tawsim/cli"
)

func labelsJSON(t *testing.T, config, db string) map[string]cli.LabelRow {
	t.Helper()
	var rows []cli.LabelRow
	r := mustRun(t, config, "labels", "--db", db, "--json")
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("labels --json: %v\n%s", err, r.stdout)
	}
	out := map[string]cli.LabelRow{}
	for _, l := range rows {
		out[l.Name] = l
	}
	return out
}

// A file with a typo of a label is refused naming file, line, label and
// count; --add-labels adds it; then the label set is edited from the
// command line and every span survives.
func TestLabelsCommandsKeepEverySpan(t *testing.T) {
	config, dir, db := newProject(t)
	in := write(t, dir, "in.jsonl", []byte(
		`{"id":"d1","text":"زار فيدان عمّان","annotator":"amina","spans":[{"start":4,"end":9,"label":"PERSON"},{"start":10,"end":15,"label":"STATE"}]}`+"\n"+
			`{"id":"d2","text":"قال فيدان","annotator":"amina","spans":[{"start":4,"end":9,"label":"PERSN"}]}`+"\n"))
	r := run(t, config, "import", "--db", db, in)
	if r.code != 1 || !strings.Contains(r.stdout, in+`:2: label not in the project's label set: "PERSN" (1 span, first at line 2) (use --add-labels to add it)`) {
		t.Fatalf("import of a typo: %+v", r)
	}
	r = mustRun(t, config, "import", "--db", db, "--add-labels", in)
	if !strings.Contains(r.stdout, "New labels: PERSN.") {
		t.Fatalf("summary lacks the new label:\n%s", r.stdout)
	}
	ls := labelsJSON(t, config, db)
	if ls["PERSN"].Spans != 1 || ls["PERSN"].Hotkey != "" || ls["PERSON"].Spans != 1 || ls["PERSON"].Hotkey != "1" || ls["STATE"].Arabic != "دولة" {
		t.Fatalf("labels %+v", ls)
	}
	if r := run(t, config, "labels", "--db", db, "delete", "PERSN"); r.code != 1 || !strings.Contains(r.stderr, "1 span in 1 document carry it") {
		t.Fatalf("delete of a label in use: %+v", r)
	}
	r = mustRun(t, config, "labels", "--db", db, "merge", "PERSN", "PERSON")
	if !strings.Contains(r.stdout, "1 spans relabelled") {
		t.Fatalf("merge: %s", r.stdout)
	}
	mustRun(t, config, "labels", "--db", db, "rename", "STATE", "COUNTRY")
	mustRun(t, config, "labels", "--db", db, "set", "COUNTRY", "--color", "#102030", "--arabic", "بلد", "--hotkey", "")
	mustRun(t, config, "labels", "--db", db, "add", "EVENT", "--hotkey", "2", "--color", "#aabbcc")
	if r := run(t, config, "labels", "--db", db, "add", "TIME", "--hotkey", "2"); r.code != 1 || !strings.Contains(r.stderr, "hotkey 2 is label EVENT's already") {
		t.Fatalf("a hotkey twice: %+v", r)
	}
	if r := run(t, config, "labels", "--db", db, "rename", "COUNTRY"); r.code != 2 {
		t.Fatalf("rename with one name: %+v", r)
	}
	ls = labelsJSON(t, config, db)
	if _, ok := ls["PERSN"]; ok || ls["PERSON"].Spans != 2 || ls["PERSON"].Documents != 2 {
		t.Fatalf("after the merge %+v", ls)
	}
	if c := ls["COUNTRY"]; c.Spans != 1 || c.Color != "#102030" || c.Arabic != "بلد" || c.Hotkey != "" || ls["EVENT"].Hotkey != "2" {
		t.Fatalf("after rename, set and add %+v", ls)
	}
	docs := docsJSON(t, config, "--db", db)
	if docs[0].Spans["amina"]+docs[1].Spans["amina"] != 3 {
		t.Fatalf("spans after the edits %+v", docs)
	}
	mustRun(t, config, "labels", "--db", db, "delete", "EVENT")
	if text := mustRun(t, config, "labels", "--db", db).stdout; !strings.Contains(text, "COUNTRY") || strings.Contains(text, "EVENT") || !strings.Contains(text, "relation SOURCE: CLAIM → PERSON|ORGANIZATION|COUNTRY") {
		t.Fatalf("labels listing:\n%s", text)
	}
}

func TestGuidelinesCommand(t *testing.T) {
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "a.txt", []byte("نص")))
	if r := mustRun(t, config, "guidelines", "--db", db); r.stdout != "" || !strings.Contains(r.stderr, "no guidelines") {
		t.Fatalf("no guidelines: %+v", r)
	}
	g := "# التعليمات\r\n\r\nضع **شخص** على أسماء الناس.\r\n"
	mustRun(t, config, "guidelines", "--db", db, "--set", write(t, dir, "g.md", []byte(g)))
	if r := mustRun(t, config, "guidelines", "--db", db); r.stdout != strings.ReplaceAll(g, "\r\n", "\n") {
		t.Fatalf("guidelines %q", r.stdout)
	}
	if r := run(t, config, "guidelines", "--db", db, "--set", "g.md", "--format", "html"); r.code != 2 {
		t.Fatalf("a bad format: %+v", r)
	}
}
