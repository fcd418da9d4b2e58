package main

import (
	"strings"
	"testing"

	"tawsim/internal/pgtest"
)

// TestAdjudicateEndToEnd: three annotators, automatic pre-fill with
// --min-agree 2 and with the default (all), the gold layer exported with
// its provenance, and the export → import → export round trip.
func TestAdjudicateEndToEnd(t *testing.T) {
	config, dir, db := newProject(t)
	const text = `"text":"abcdefghijklmnopqrstuvwxyz"`
	files := map[string]string{
		// [0,3) all three; [5,8) a and b; [10,14) a, b against c's [11,14).
		"a": `{"id":"d1",` + text + `,"spans":[{"start":0,"end":3,"label":"PERSON"},{"start":5,"end":8,"label":"STATE"},{"start":10,"end":14,"label":"PERSON"}]}`,
		"b": `{"id":"d1",` + text + `,"spans":[{"start":0,"end":3,"label":"PERSON"},{"start":5,"end":8,"label":"STATE"},{"start":10,"end":14,"label":"PERSON"}]}`,
		"c": `{"id":"d1",` + text + `,"spans":[{"start":0,"end":3,"label":"PERSON"},{"start":11,"end":14,"label":"PERSON"}]}`,
	}
	// Whole lines of the report.
	r := adjudicateTwo(t, config, dir, db, files,
		"annotators: a, b, c; automatic when 2 of 3 agree exactly\n",
		"d1: 3 accepted, 0 removed; groups: 1 open, 2 automatic, 0 decided, 0 rejected\n",
		"  accepted PERSON [0,3) «abc» (a, b, c)\n",
		"  accepted STATE [5,8) «fgh» (a, b)\n",
		"  accepted PERSON [10,14) «klmn» (a, b)\n",
		"  open [10,14): PERSON [10,14) «klmn» (a, b) | PERSON [11,14) «lmn» (c)\n",
		"total: 3 accepted, 0 removed; groups: 1 open, 2 automatic, 0 decided, 0 rejected; 0/1 documents fully adjudicated\n",
	)
	// The default (all three) drops the spans that only two had.
	r = run(t, config, "adjudicate", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "d1: 0 accepted, 2 removed; groups: 2 open, 1 automatic") {
		t.Fatalf("adjudicate (all): %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, config, "adjudicate", "--db", db, "--min-agree", "4"); r.code != 2 {
		t.Fatalf("--min-agree 4 of 3: exit %d", r.code)
	}
	if r := run(t, config, "adjudicate", "--db", db, "--annotators", "a,zed"); r.code != 2 || !strings.Contains(r.stderr, "zed") {
		t.Fatalf("unknown annotator: exit %d %s", r.code, r.stderr)
	}
	// Only a and b: everything they marked is agreed.
	r = run(t, config, "adjudicate", "--db", db, "--annotators", "a,b", "--finish")
	if r.code != 0 || !strings.Contains(r.stdout, "d1: 2 accepted, 0 removed; groups: 0 open, 3 automatic") || !strings.Contains(r.stdout, "1/1 documents fully adjudicated") {
		t.Fatalf("adjudicate a,b: %s", r.stdout)
	}
	out := mustRun(t, config, "export", "--db", db, "--gold", "--out", "-")
	want := `"annotator":"gold","spans":[{"start":0,"end":3,"label":"PERSON","text":"abc","votes":["a","b"],"decision":"automatic"},` +
		`{"start":5,"end":8,"label":"STATE","text":"fgh","votes":["a","b"],"decision":"automatic"},` +
		`{"start":10,"end":14,"label":"PERSON","text":"klmn","votes":["a","b"],"decision":"automatic"}]`
	if !strings.Contains(out.stdout, want) {
		t.Fatalf("gold export:\n%s\nwant %s", out.stdout, want)
	}
	// Round trip: import the gold export into a fresh database, export again.
	gold := write(t, dir, "gold.jsonl", []byte(out.stdout))
	db2 := pgtest.Project(t, dir, "q.db")
	mustRun(t, config, "import", "--db", db2, gold)
	// The status does not travel with the file: finish it again (forced:
	// the new project has no annotators, so no group is agreed).
	mustRun(t, config, "adjudicate", "--db", db2, "--finish-docs", "d1", "--force")
	again := run(t, config, "export", "--db", db2, "--annotator", "gold", "--out", "-")
	if again.code != 0 || again.stdout != out.stdout {
		t.Fatalf("round trip differs:\n%s\n%s", out.stdout, again.stdout)
	}
	if rows := docsJSON(t, config, "--db", db2); len(rows) != 1 || rows[0].Spans["gold"] != 3 {
		t.Fatalf("docs after gold import: %+v", rows)
	}
}

// A decision made by hand — here a gold layer imported with its provenance,
// as a lead's adjudicated file is — survives `tawsim adjudicate`: the agreed
// span [0,3) that overlaps it is not added beside it, and the hand span is
// not removed although no annotator has it.
func TestAdjudicateKeepsHandDecisions(t *testing.T) {
	config, dir, db := newProject(t)
	const text = `"text":"abcdefghijklmnopqrstuvwxyz"`
	for _, who := range []string{"a", "b"} {
		p := write(t, dir, who+".jsonl", []byte(`{"id":"d1",`+text+`,"annotator":"`+who+`","spans":[{"start":0,"end":3,"label":"PERSON"},{"start":5,"end":8,"label":"STATE"}]}`+"\n"))
		mustRun(t, config, "import", "--db", db, p)
	}
	gold := write(t, dir, "gold.jsonl", []byte(`{"id":"d1",`+text+`,"annotator":"gold","spans":[{"start":0,"end":4,"label":"ORGANIZATION","votes":[],"decision":"edited","decided_by":"lead"}]}`+"\n"))
	mustRun(t, config, "import", "--db", db, gold)
	for i := 0; i < 2; i++ { // and again: nothing changes
		if r := run(t, config, "adjudicate", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "1 decided") {
			t.Fatalf("adjudicate run %d: %+v", i, r)
		}
	}
	// The imported decision put the document in progress.
	if rows := docsJSON(t, config, "--db", db); rows[0].Gold.Status != "in_progress" {
		t.Fatalf("gold status after importing a decision: %+v", rows[0].Gold)
	}
	out := run(t, config, "export", "--db", db, "--gold", "--include-unfinished", "--out", "-")
	want := `"spans":[{"start":0,"end":4,"label":"ORGANIZATION","text":"abcd","votes":[],"decision":"edited","decided_by":"lead"},` +
		`{"start":5,"end":8,"label":"STATE","text":"fgh","votes":["a","b"],"decision":"automatic"}]`
	if out.code != 0 || !strings.Contains(out.stdout, want) {
		t.Fatalf("gold after adjudicate:\n%s\nwant %s", out.stdout, want)
	}
}

// TestAdjudicateReportsRelations: the pre-fill names the relations it
// accepted, and a document nobody marked anything in is not counted as
// adjudicated.
func TestAdjudicateReportsRelations(t *testing.T) {
	config, dir, db := newProject(t)
	const doc = `{"id":"d1","text":"قال فيدان إن التعاون مستمر",`
	line := doc + `"spans":[{"start":0,"end":3,"label":"CUE"},{"start":4,"end":9,"label":"PERSON"},{"start":13,"end":26,"label":"CLAIM"}],` +
		`"relations":[{"head":2,"tail":1,"label":"SOURCE"},{"head":2,"tail":0,"label":"CUE"}]}`
	empty := `{"id":"d2","text":"نص لم يعلّم فيه أحد"}`
	adjudicateTwo(t, config, dir, db, map[string]string{"a": line + "\n" + empty, "b": line + "\n" + empty},
		"  accepted relation SOURCE «التعاون مستمر» → «فيدان» (a, b)",
		"  accepted relation CUE «التعاون مستمر» → «قال» (a, b)",
		"1/2 documents fully adjudicated",
		"1 documents have nothing the annotators marked: no gold there yet",
		"relations: 2 accepted",
	)
}

// adjudicateTwo imports files as layers (importLayers), pre-fills the
// gold layer where two annotators agree and checks that the report has
// each of wants.
func adjudicateTwo(t *testing.T, config, dir, db string, files map[string]string, wants ...string) result {
	t.Helper()
	importLayers(t, config, dir, db, files)
	r := mustRun(t, config, "adjudicate", "--db", db, "--min-agree", "2")
	for _, want := range wants {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("adjudicate output lacks %q:\n%s", want, r.stdout)
		}
	}
	return r
}

// importLayers imports each file's JSONL lines as the layer of its
// annotator.
func importLayers(t *testing.T, config, dir, db string, files map[string]string) {
	t.Helper()
	for who, lines := range files {
		p := write(t, dir, who+".jsonl", []byte(lines+"\n"))
		mustRun(t, config, "import", "--db", db, "--annotator", who, p)
	}
}
