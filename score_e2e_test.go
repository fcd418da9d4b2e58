package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// score against the project's gold layer: documents whose adjudication is
// not finished are left out (and said so); the others are scored as with
// files.
func TestScoreAgainstProjectGold(t *testing.T) {
	config, dir, db := newProject(t)
	gold := write(t, dir, "gold.jsonl", []byte(
		`{"id":"d1","text":"زار فيدان والأردن","annotator":"gold","spans":[{"start":4,"end":9,"label":"PERSON","decision":"chosen","votes":["a"]},{"start":11,"end":17,"label":"STATE","decision":"chosen","votes":["a"]}]}`+"\n"+
			`{"id":"d2","text":"نص بلا ذهب"}`+"\n"))
	mustRun(t, config, "import", "--db", db, gold)
	// Only documents whose adjudication is finished are scored.
	if r := run(t, config, "score", "--db", db, "--pred", gold); r.code != 1 || !strings.Contains(r.stderr, "no document's adjudication is finished") {
		t.Fatalf("score with nothing finished: %+v", r)
	}
	mustRun(t, config, "adjudicate", "--db", db, "--finish-docs", "d1")
	// One exact match, one boundary error (والأردن), and a prediction on d2.
	pred := write(t, dir, "pred.jsonl", []byte(
		`{"id":"d1","text":"زار فيدان والأردن","spans":[{"start":4,"end":9,"label":"PERSON"},{"start":10,"end":17,"label":"STATE"}]}`+"\n"+
			`{"id":"d2","text":"نص بلا ذهب","spans":[{"start":0,"end":2,"label":"CLAIM"}]}`+"\n"))
	r := mustRun(t, config, "score", "--json", "--db", db, "--pred", pred)
	if !strings.Contains(r.stderr, "1 predicted documents have no gold yet and were left out: d2") {
		t.Fatalf("stderr: %q", r.stderr)
	}
	var rep struct {
		Documents int
		LeftOut   int `json:"left_out"`
		Micro     map[string]struct {
			Cor, Inc, Par, Mis, Spu int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	st, pa := rep.Micro["strict"], rep.Micro["partial"]
	if rep.Documents != 1 || rep.LeftOut != 1 || st.Cor != 1 || st.Inc != 1 || st.Spu != 0 || pa.Par != 1 {
		t.Fatalf("report: %s", r.stdout)
	}
	// Predictions for another corpus are refused.
	other := write(t, dir, "other.jsonl", []byte(`{"id":"x9","text":"غريب"}`+"\n"))
	if r := run(t, config, "score", "--db", db, "--pred", other); r.code != 1 || !strings.Contains(r.stderr, "not in this project") {
		t.Fatalf("foreign predictions: %+v", r)
	}
}
