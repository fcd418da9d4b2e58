package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type searchHit struct {
	Doc       string `json:"doc"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"`
	Label     string `json:"label"`
	Annotator string `json:"annotator"`
}

func searchJSON(t *testing.T, config string, args ...string) (hits []searchHit) {
	t.Helper()
	out := mustRun(t, config, append([]string{"search", "--json"}, args...)...).stdout
	if err := json.Unmarshal([]byte(out), &hits); err != nil {
		t.Fatalf("search --json: %v in %q", err, out)
	}
	return hits
}

func TestSearchSampleCorpus(t *testing.T) {
	config := t.TempDir() // the default project: the five sample articles
	// الأردن twice in the first article (once as والأردن), five times in
	// the last (once as والأردن.); الأردني and الأردنية are other words.
	r := mustRun(t, config, "search", "الاردن")
	texts := map[string][]rune{}
	for _, rec := range exportLine(t, config, filepath.Join(config, "tawsim", "default.db")) {
		texts[rec["id"].(string)] = []rune(rec["text"].(string))
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	perDoc := map[string]int{}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			t.Fatalf("line %q: want doc, start, end, text", l)
		}
		s, _ := strconv.Atoi(f[1])
		e, _ := strconv.Atoi(f[2])
		if got := string(texts[f[0]][s:e]); got != f[3] || got != "الأردن" {
			t.Fatalf("line %q: the document has %q there", l, got)
		}
		perDoc[f[0]]++
	}
	if perDoc["000_8e17720d02d992ee"] != 2 || perDoc["004_21e8618f54c2b0bc"] != 5 || len(perDoc) != 2 {
		t.Fatalf("matches per document: %v", perDoc)
	}
	// A name of two words, unquoted on the command line; JSON.
	hits := searchJSON(t, config, "أيمن", "الصفدي")
	if len(hits) != 1 || hits[0].Text != "أيمن الصفدي" || string(texts[hits[0].Doc][hits[0].Start:hits[0].End]) != hits[0].Text {
		t.Fatalf("أيمن الصفدي: %+v", hits)
	}
	if hits := searchJSON(t, config, "كلمةلاتوجد"); len(hits) != 0 {
		t.Fatalf("no match: %+v", hits)
	}
	for _, args := range [][]string{{"search"}, {"search", "،"}, {"search", "--annotator", "amina", "x"}, {"search", "--label", "NOPE", "x"}} {
		if r := run(t, config, args...); r.code != 2 {
			t.Fatalf("%v: exit %d, want a usage error: %+v", args, r.code, r)
		}
	}
}

func TestSearchByLabel(t *testing.T) {
	config, dir, db := newProject(t)
	text := "التقى أيمن\nالصفدي بالصفدي الآخر في الأردن"
	amina := `{"id":"d1","text":` + strconv.Quote(text) + `,"annotator":"amina","spans":[{"start":6,"end":17,"label":"PERSON"},{"start":19,"end":25,"label":"PERSON"},{"start":35,"end":41,"label":"STATE"}]}` + "\n"
	omar := `{"id":"d1","text":` + strconv.Quote(text) + `,"annotator":"omar","spans":[{"start":11,"end":17,"label":"PERSON"}]}` + "\n"
	mustRun(t, config, "import", "--db", db, write(t, dir, "a.jsonl", []byte(amina)), write(t, dir, "o.jsonl", []byte(omar)))
	// The spans whose whole text matches, in every layer: not أيمن الصفدي.
	hits := searchJSON(t, config, "--db", db, "--label", "PERSON", "الصفدي")
	if len(hits) != 2 || hits[0] != (searchHit{"d1", 19, 25, "الصفدي", "PERSON", "amina"}) || hits[1] != (searchHit{"d1", 11, 17, "الصفدي", "PERSON", "omar"}) {
		t.Fatalf("PERSON الصفدي: %+v", hits)
	}
	hits = searchJSON(t, config, "--db", db, "--label", "PERSON", "--annotator", "amina", "أيمن الصفدي")
	if len(hits) != 1 || hits[0].Text != "أيمن\nالصفدي" || hits[0].Start != 6 {
		t.Fatalf("amina's PERSON أيمن الصفدي: %+v", hits)
	}
	if hits := searchJSON(t, config, "--db", db, "--label", "STATE", "الأردن"); len(hits) != 1 {
		t.Fatalf("STATE الأردن: %+v", hits)
	}
	r := mustRun(t, config, "search", "--db", db, "--label", "PERSON")
	if want := "d1\t6\t17\tPERSON\tamina\tأيمن الصفدي\nd1\t19\t25\tPERSON\tamina\tالصفدي\nd1\t11\t17\tPERSON\tomar\tالصفدي\n"; r.stdout != want {
		t.Fatalf("every PERSON span:\n%s\nwant\n%s", r.stdout, want)
	}
	if r := run(t, config, "search", "--db", db, "--label", "PERSON", "--annotator", "nobody", "x"); r.code != 2 || !strings.Contains(r.stderr, "amina") {
		t.Fatalf("unknown annotator: %+v", r)
	}
}
