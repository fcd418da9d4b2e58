package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// suggestProject imports two documents with amina's and badr's layers.
func suggestProject(t *testing.T) (config, dir, db string) {
	t.Helper()
	config, dir, db = newProject(t)
	lines := []string{
		`{"id":"d1","text":"زار الأردن وفد من سوريا","annotator":"amina","spans":[{"start":4,"end":10,"label":"STATE"}]}`,
		`{"id":"d2","text":"عاد الوفد إلى الأردن ثم للأردن","annotator":"amina","spans":[]}`,
		`{"id":"d1","text":"زار الأردن وفد من سوريا","annotator":"badr","spans":[{"start":4,"end":10,"label":"STATE"},{"start":18,"end":23,"label":"STATE"}]}`,
	}
	mustRun(t, config, "import", "--db", db, write(t, dir, "in.jsonl", []byte(strings.Join(lines, "\n")+"\n")))
	return config, dir, db
}

type suggestionRow struct {
	id                          string
	doc, start, end, label, org string
	text                        string
}

func listSuggestions(t *testing.T, config, db string, args ...string) []suggestionRow {
	t.Helper()
	out := mustRun(t, config, append([]string{"suggest", "--db", db, "--annotator", "amina", "--list"}, args...)...).stdout
	var rows []suggestionRow
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 7 {
			t.Fatalf("line %q: want 7 fields", l)
		}
		rows = append(rows, suggestionRow{f[0], f[1], f[2], f[3], f[4], f[5], f[6]})
	}
	return rows
}

// layerSpans is amina's exported spans as "doc start end label origin".
func layerSpans(t *testing.T, config, db string) []string {
	t.Helper()
	var out []string
	for _, rec := range exportLine(t, config, db, "--annotator", "amina") {
		spans, _ := rec["spans"].([]any)
		for _, s := range spans {
			sp := s.(map[string]any)
			origin, _ := sp["origin"].(string)
			out = append(out, fmt.Sprintf("%s %v %v %s %s", rec["id"], sp["start"], sp["end"], sp["label"], origin))
		}
	}
	return out
}

func TestSuggestGazetteerAcceptReject(t *testing.T) {
	config, dir, db := suggestProject(t)
	agree := func() string {
		r := mustRun(t, config, "agree", "--db", db, "--json", "--annotators", "amina,badr")
		var v any
		if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
			t.Fatal(err)
		}
		return r.stdout
	}
	agreeBefore, spansBefore := agree(), layerSpans(t, config, db)

	gaz := write(t, dir, "g.tsv", []byte("# names\nالأردن\tSTATE\nسوريا\tSTATE\n\n"))
	r := mustRun(t, config, "suggest", "--db", db, "--annotator", "amina", "--gazetteer", gaz)
	// d1: سوريا (الأردن is a span); d2: الأردن and لأردن.
	if !strings.HasPrefix(r.stdout, "3 suggestions added, 0 skipped") {
		t.Fatalf("gazetteer: %q", r.stdout)
	}
	rows := listSuggestions(t, config, db)
	want := []string{"d1 18 23 STATE gazetteer سوريا", "d2 14 20 STATE gazetteer الأردن", "d2 25 30 STATE gazetteer لأردن"}
	var got []string
	for _, s := range rows {
		got = append(got, strings.Join([]string{s.doc, s.start, s.end, s.label, s.org, s.text}, " "))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("list:\n%q\nwant\n%q", got, want)
	}
	if d2 := listSuggestions(t, config, db, "--doc", "d2"); len(d2) != 2 {
		t.Fatalf("--doc d2: %+v", d2)
	}
	// Not annotation: exports and agreement are as before.
	if got := layerSpans(t, config, db); fmt.Sprint(got) != fmt.Sprint(spansBefore) {
		t.Fatalf("export with suggestions: %q, before %q", got, spansBefore)
	}
	if agree() != agreeBefore {
		t.Fatal("agreement changed with suggestions")
	}

	// Accept سوريا: now a span of the layer with its origin; agreement
	// moves (badr has it too).
	mustRun(t, config, "suggest", "--db", db, "--annotator", "amina", "--accept", rows[0].id)
	if got := layerSpans(t, config, db); fmt.Sprint(got) != fmt.Sprint([]string{"d1 4 10 STATE ", "d1 18 23 STATE gazetteer"}) {
		t.Fatalf("export after accept: %q", got)
	}
	if agree() == agreeBefore {
		t.Fatal("agreement did not see the accepted span")
	}
	// Reject لأردن: a re-run does not suggest it again (the spans are not
	// candidates; لأردن and the pending الأردن are skipped).
	mustRun(t, config, "suggest", "--db", db, "--annotator", "amina", "--reject", rows[2].id)
	r = mustRun(t, config, "suggest", "--db", db, "--annotator", "amina", "--gazetteer", gaz)
	if !strings.HasPrefix(r.stdout, "0 suggestions added, 2 skipped") {
		t.Fatalf("re-run: %q", r.stdout)
	}
	if left := listSuggestions(t, config, db); len(left) != 1 || left[0].text != "الأردن" {
		t.Fatalf("left: %+v", left)
	}
	if r := run(t, config, "suggest", "--db", db, "--annotator", "amina", "--accept", rows[2].id); r.code == 0 || !strings.Contains(r.stderr, "no such suggestion") {
		t.Fatalf("accepting a rejected one: %+v", r)
	}
	// The origin goes through an export and an import into another project.
	out := write(t, dir, "amina.jsonl", []byte(mustRun(t, config, "export", "--db", db, "--annotator", "amina", "--format", "jsonl", "--out", "-").stdout))
	_, _, db2 := newProject(t)
	mustRun(t, config, "import", "--db", db2, out)
	if got := layerSpans(t, config, db2); fmt.Sprint(got) != fmt.Sprint([]string{"d1 4 10 STATE ", "d1 18 23 STATE gazetteer"}) {
		t.Fatalf("after a round trip: %q", got)
	}
	bad := write(t, dir, "bad.jsonl", []byte(`{"id":"d1","text":"زار الأردن وفد من سوريا","annotator":"amina","spans":[{"start":4,"end":10,"label":"STATE","origin":"guess"}]}`+"\n"))
	if r := run(t, config, "import", "--db", db2, bad); r.code == 0 || !strings.Contains(r.stdout+r.stderr, `unknown origin "guess"`) {
		t.Fatalf("an unknown origin: %+v", r)
	}
}

func TestSuggestBadGazetteer(t *testing.T) {
	config, dir, db := suggestProject(t)
	for content, want := range map[string]string{
		"الأردن\tSTATE\nسوريا STATE\n": "bad.tsv:2: no tab",
		"الأردن\tCOUNTRY\n":            `bad.tsv:1: no label "COUNTRY"`,
		"الأردن\t\n":                   "bad.tsv:1: no label after the tab",
		"...\tSTATE\n":                 "bad.tsv:1: name",
	} {
		r := run(t, config, "suggest", "--db", db, "--annotator", "amina", "--gazetteer", write(t, dir, "bad.tsv", []byte(content)))
		if r.code == 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", content, r.code, r.stderr, want)
		}
	}
	if rows := listSuggestions(t, config, db); len(rows) != 0 {
		t.Fatalf("a refused file suggested %+v", rows)
	}
	if r := run(t, config, "suggest", "--db", db, "--annotator", "amina"); r.code != 2 {
		t.Fatalf("no source: exit %d", r.code)
	}
}

func TestSuggestPropagatePredAndLayer(t *testing.T) {
	config, dir, db := suggestProject(t)
	// The layer's الأردن propagates to d2's two forms.
	r := mustRun(t, config, "suggest", "--db", db, "--annotator", "amina", "--propagate")
	if !strings.HasPrefix(r.stdout, "2 suggestions added") {
		t.Fatalf("propagate: %q", r.stdout)
	}
	// badr's layer: الأردن is a span of amina's (skipped), سوريا is new.
	r = mustRun(t, config, "suggest", "--db", db, "--annotator", "amina", "--from-layer", "badr")
	if !strings.HasPrefix(r.stdout, "1 suggestions added, 1 skipped") {
		t.Fatalf("from-layer: %q", r.stdout)
	}
	// Predictions in an importable format: one new, one already suggested.
	pred := write(t, dir, "pred.jsonl", []byte(`{"id":"d2","text":"عاد الوفد إلى الأردن ثم للأردن","spans":[{"start":0,"end":3,"label":"CLAIM"},{"start":14,"end":20,"label":"STATE"}]}`+"\n"))
	r = mustRun(t, config, "suggest", "--db", db, "--annotator", "amina", "--pred", pred, "--pred-format", "jsonl")
	if !strings.HasPrefix(r.stdout, "1 suggestions added, 1 skipped") {
		t.Fatalf("pred: %q", r.stdout)
	}
	origins := map[string]int{}
	for _, s := range listSuggestions(t, config, db) {
		origins[s.org]++
	}
	if origins["propagated"] != 2 || origins["model"] != 2 || len(origins) != 2 {
		t.Fatalf("origins: %v", origins)
	}
	// Predictions for a document the project lacks are refused.
	bad := write(t, dir, "bad.jsonl", []byte(`{"id":"nope","text":"الأردن","spans":[{"start":0,"end":6,"label":"STATE"}]}`+"\n"))
	if r := run(t, config, "suggest", "--db", db, "--annotator", "amina", "--pred", bad); r.code == 0 || !strings.Contains(r.stderr, `no document "nope"`) {
		t.Fatalf("unknown document: %+v", r)
	}
}
