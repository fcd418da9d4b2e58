package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// teamProject is the scripted team project: three annotators (a, b, c)
// over 50 documents d00…d49. On every document all three marked [0,3)
// PERSON and a and b marked [5,8) STATE (agreed at 2 of 3); on the odd ones
// a also marked [10,14) PERSON where c marked [11,14): a group no two
// annotators agree on, open after a pre-fill with --min-agree 2.
func teamProject(t *testing.T) (config, dir, db string) {
	config, dir, db = newProject(t)
	const text = `"text":"abcdefghijklmnopqrstuvwxyz"`
	lines := map[string]*strings.Builder{"a": {}, "b": {}, "c": {}}
	for i := 0; i < 50; i++ {
		spans := map[string]string{
			"a": `{"start":0,"end":3,"label":"PERSON"},{"start":5,"end":8,"label":"STATE"}`,
			"b": `{"start":0,"end":3,"label":"PERSON"},{"start":5,"end":8,"label":"STATE"}`,
			"c": `{"start":0,"end":3,"label":"PERSON"}`,
		}
		if i%2 == 1 {
			spans["a"] += `,{"start":10,"end":14,"label":"PERSON"}`
			spans["c"] += `,{"start":11,"end":14,"label":"PERSON"}`
		}
		for who, b := range lines {
			fmt.Fprintf(b, `{"id":"d%02d",%s,"annotator":"%s","spans":[%s]}`+"\n", i, text, who, spans[who])
		}
	}
	for who, b := range lines {
		mustRun(t, config, "import", "--db", db, write(t, dir, who+".jsonl", []byte(b.String())))
	}
	return config, dir, db
}

func jsonLines(t *testing.T, data string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(data), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v in %q", err, l)
		}
		out = append(out, m)
	}
	return out
}

// Partial adjudication: the gold export holds exactly the finished
// documents (the others with their status on request), and scores count
// only them; with none finished, export and score refuse.
func TestGoldOnlyFromFinishedDocuments(t *testing.T) {
	config, dir, db := teamProject(t)
	mustRun(t, config, "adjudicate", "--db", db, "--min-agree", "2")
	out := filepath.Join(dir, "gold.jsonl")
	r := run(t, config, "export", "--db", db, "--gold", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "no document's adjudication is finished") || !strings.Contains(r.stderr, "of the 50 documents 50 are to do") {
		t.Fatalf("gold export with nothing finished: %+v", r)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a refused export wrote a file")
	}
	if r := run(t, config, "export", "--db", db, "--gold", "--split", "train=0.5,test=0.5", "--out", out); r.code != 1 {
		t.Fatalf("split gold export with nothing finished: %+v", r)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "gold*")); len(m) != 0 {
		t.Fatalf("a refused split export wrote %v", m)
	}

	// Finish the even documents up to d18 by hand, d01 (open) only when
	// forced; then reopen d18.
	var even []string
	for i := 0; i <= 18; i += 2 {
		even = append(even, fmt.Sprintf("d%02d", i))
	}
	r = mustRun(t, config, "adjudicate", "--db", db, "--finish-docs", strings.Join(even, ","), "--by", "lead")
	if !strings.Contains(r.stdout, "finished (by lead): d00, d02") {
		t.Fatalf("finish-docs: %s", r.stdout)
	}
	if r := run(t, config, "adjudicate", "--db", db, "--finish-docs", "d01"); r.code != 1 || !strings.Contains(r.stderr, "d01 (1)") || !strings.Contains(r.stderr, "--force") {
		t.Fatalf("finishing a document with an open group: %+v", r)
	}
	for _, args := range [][]string{{"--force"}, {"--finish-docs", "d00", "--reopen", "d02"}, {"--finish-docs", "d00", "--min-agree", "2"}} {
		if r := run(t, config, append([]string{"adjudicate", "--db", db}, args...)...); r.code != 2 {
			t.Fatalf("adjudicate %v: %+v", args, r)
		}
	}
	if r := run(t, config, "adjudicate", "--db", db, "--finish-docs", "nope"); r.code != 1 || !strings.Contains(r.stderr, `no document "nope"`) {
		t.Fatalf("finishing an unknown document: %+v", r)
	}
	mustRun(t, config, "adjudicate", "--db", db, "--finish-docs", "d01", "--force")
	mustRun(t, config, "adjudicate", "--db", db, "--reopen", "d18")
	finished := append(even[:9:9], "d01")
	sort.Strings(finished)

	r = mustRun(t, config, "export", "--db", db, "--gold", "--out", out)
	if !strings.Contains(r.stderr, "exported 10 documents") || !strings.Contains(r.stderr, "40 documents left out, their adjudication not finished (39 to do, 1 in progress)") {
		t.Fatalf("gold export report: %s", r.stderr)
	}
	data, _ := os.ReadFile(out)
	var ids []string
	for _, l := range jsonLines(t, string(data)) {
		ids = append(ids, l["id"].(string))
		if _, ok := l["gold_status"]; ok {
			t.Fatalf("finished-only export carries gold_status: %v", l)
		}
	}
	if strings.Join(ids, ",") != strings.Join(finished, ",") {
		t.Fatalf("gold export holds %v, want %v", ids, finished)
	}

	r = mustRun(t, config, "export", "--db", db, "--gold", "--include-unfinished", "--out", "-")
	lines := jsonLines(t, r.stdout)
	if len(lines) != 50 {
		t.Fatalf("--include-unfinished wrote %d documents", len(lines))
	}
	for _, l := range lines {
		id := l["id"].(string)
		want := "todo"
		switch {
		case id == "d18":
			want = "in_progress"
		case sort.SearchStrings(finished, id) < len(finished) && finished[sort.SearchStrings(finished, id)] == id:
			want = "finished"
		}
		if l["gold_status"] != want {
			t.Errorf("%s: gold_status %v, want %s", id, l["gold_status"], want)
		}
	}
	if r := run(t, config, "export", "--db", db, "--annotator", "a", "--include-unfinished", "--out", "-"); r.code != 2 {
		t.Fatalf("--include-unfinished without the gold layer: %+v", r)
	}

	// Score annotator a as if it were an extractor: only the 10 finished
	// documents count; on d01 its [10,14) is spurious (that group has no
	// gold: it was finished open).
	r = mustRun(t, config, "score", "--json", "--db", db, "--pred", filepath.Join(dir, "a.jsonl"))
	var rep struct {
		Documents int `json:"documents"`
		LeftOut   int `json:"left_out"`
		Micro     map[string]struct{ Cor, Spu, Mis int }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if st := rep.Micro["strict"]; rep.Documents != 10 || rep.LeftOut != 40 || st.Cor != 20 || st.Spu != 1 || st.Mis != 0 {
		t.Fatalf("score: %s", r.stdout)
	}
	if !strings.Contains(r.stderr, "40 predicted documents have no gold yet and were left out") {
		t.Fatalf("score stderr: %s", r.stderr)
	}
	r = mustRun(t, config, "score", "--db", db, "--pred", filepath.Join(dir, "a.jsonl"))
	if !strings.Contains(r.stdout, "finished documents 10   left out (adjudication not finished) 40") {
		t.Fatalf("score text: %s", r.stdout)
	}
}

// adjudicate --min-agree 2 --finish finishes exactly the documents it
// leaves without an open group, and leaves them alone afterwards.
func TestAdjudicateFinish(t *testing.T) {
	config, _, db := teamProject(t)
	r := mustRun(t, config, "adjudicate", "--db", db, "--min-agree", "2", "--finish")
	if !strings.Contains(r.stdout, "finished now: 25 documents") || !strings.Contains(r.stdout, "25/50 documents fully adjudicated") {
		t.Fatalf("adjudicate --finish:\n%s", r.stdout)
	}
	n := 0
	for _, d := range docsJSON(t, config, "--db", db) {
		switch {
		case d.Gold.Status == "finished" && d.Gold.OpenGroups != 0:
			t.Errorf("%s finished with %d open groups", d.ID, d.Gold.OpenGroups)
		case d.Gold.Status != "finished" && d.Gold.OpenGroups < 1:
			t.Errorf("%s not finished (%s) without an open group", d.ID, d.Gold.Status)
		}
		if d.Gold.Status == "finished" {
			n++
			if d.Gold.GoldSpans != 2 {
				t.Errorf("%s: %d gold spans", d.ID, d.Gold.GoldSpans)
			}
		}
	}
	if n != 25 {
		t.Fatalf("%d documents finished, want 25", n)
	}
	r = mustRun(t, config, "adjudicate", "--db", db, "--min-agree", "2", "--finish")
	if !strings.Contains(r.stdout, "d00: finished, left as it is") || !strings.Contains(r.stdout, "25 documents were finished before and left as they are") || !strings.Contains(r.stdout, "finished now: 0 documents") {
		t.Fatalf("second adjudicate --finish:\n%s", r.stdout)
	}
	r = mustRun(t, config, "docs", "--db", db)
	if !strings.Contains(r.stdout, "gold: finished, 0 open groups, 2 spans") || !strings.Contains(r.stdout, "gold: todo, 1 open groups, 2 spans") {
		t.Fatalf("docs text:\n%s", r.stdout)
	}
}

// A gold export that includes unfinished documents carries each one's
// status: imported into a fresh project, nothing becomes finished that was
// not, and the export of that project is the same file.
func TestGoldUnfinishedRoundTrip(t *testing.T) {
	config, dir, db := teamProject(t)
	mustRun(t, config, "adjudicate", "--db", db, "--min-agree", "2")
	mustRun(t, config, "adjudicate", "--db", db, "--finish-docs", "d00", "--by", "lead")
	g1 := filepath.Join(dir, "g1.jsonl")
	mustRun(t, config, "export", "--db", db, "--gold", "--include-unfinished", "--out", g1)
	q := filepath.Join(dir, "q.db")
	mustRun(t, config, "import", "--db", q, g1)
	for _, d := range docsJSON(t, config, "--db", q) {
		if want := map[bool]string{true: "finished", false: "todo"}[d.ID == "d00"]; d.Gold.Status != want {
			t.Errorf("%s: gold %s after the import, want %s", d.ID, d.Gold.Status, want)
		}
	}
	g2 := filepath.Join(dir, "g2.jsonl")
	mustRun(t, config, "export", "--db", q, "--gold", "--include-unfinished", "--out", g2)
	a, _ := os.ReadFile(g1)
	b, _ := os.ReadFile(g2)
	if !bytes.Equal(a, b) {
		al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
		for i := range min(len(al), len(bl)) {
			if al[i] != bl[i] {
				t.Fatalf("the round trip changed line %d:\n%s\n%s", i+1, al[i], bl[i])
			}
		}
		t.Fatalf("the round trip changed the number of lines: %d, %d", len(al), len(bl))
	}
	r := mustRun(t, config, "export", "--db", q, "--gold", "--out", "-")
	if n := len(jsonLines(t, r.stdout)); n != 1 {
		t.Fatalf("the finished-only export of the imported project has %d documents, want 1", n)
	}
}
