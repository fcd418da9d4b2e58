package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tawsim/annotate"
	"tawsim/storage"
)

type progressJSON struct {
	Annotators []struct {
		Annotator    string  `json:"annotator"`
		Assigned     int     `json:"assigned"`
		AssignedDone int     `json:"assigned_done"`
		InProgress   int     `json:"in_progress"`
		Done         int     `json:"done"`
		Spans        int     `json:"spans"`
		Seconds      float64 `json:"seconds"`
		LastActivity *string `json:"last_activity"`
	} `json:"annotators"`
	Documents []struct {
		ID       string   `json:"id"`
		Assigned []string `json:"assigned"`
		Overlap  bool     `json:"overlap"`
		Done     []string `json:"done"`
		AllDone  bool     `json:"all_done"`
	} `json:"documents"`
}

func progressOf(t *testing.T, config, db string) progressJSON {
	t.Helper()
	var p progressJSON
	r := mustRun(t, config, "progress", "--json", "--db", db)
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatalf("progress --json: %v in %q", err, r.stdout)
	}
	return p
}

// tawsim assign balances the documents, gives the overlap share to
// everyone and makes the same plan for the same seed; tawsim progress
// shows it with the work done.
func TestAssignAndProgress(t *testing.T) {
	config, dir, db := newProject(t)
	const text = `"text":"زار فيدان عمّان اليوم"`
	var jsonl strings.Builder
	for i := range 20 {
		fmt.Fprintf(&jsonl, `{"id":"d%02d",%s}`+"\n", i, text)
	}
	mustRun(t, config, "import", "--db", db, write(t, dir, "docs.jsonl", []byte(jsonl.String())))

	args := []string{"assign", "--db", db, "--annotators", "amina,badr,chadi", "--per-document", "2", "--overlap", "0.2", "--seed", "5"}
	r := mustRun(t, config, args...)
	if !strings.Contains(r.stdout, "Assigned to amina, badr, chadi: 20 documents, 4 of them to everyone (for agreement) and each other to 2 (seed 5).") {
		t.Fatalf("summary:\n%s", r.stdout)
	}
	// 4 × 3 + 16 × 2 = 44 assignments: 14 or 15 each, 4 of them overlap.
	rows := regexp.MustCompile(`(?m)^(amina|badr|chadi) +(\d+) +(\d+)$`).FindAllStringSubmatch(r.stdout, -1)
	total := 0
	for _, row := range rows {
		n, _ := strconv.Atoi(row[2])
		if n < 14 || n > 15 || row[3] != "4" {
			t.Errorf("unbalanced: %q", row[0])
		}
		total += n
	}
	if len(rows) != 3 || total != 44 {
		t.Fatalf("per-annotator lines %q", rows)
	}
	plan := progressOf(t, config, db)
	if again := mustRun(t, config, args...); again.stdout != r.stdout {
		t.Fatalf("the same seed gave another plan:\n%s\n%s", r.stdout, again.stdout)
	}
	if p := progressOf(t, config, db); fmt.Sprint(p.Documents) != fmt.Sprint(plan.Documents) {
		t.Fatal("the same seed stored another plan")
	}
	shared := 0
	for _, d := range plan.Documents {
		if d.Overlap {
			shared++
		}
		if want := map[bool]int{true: 3, false: 2}[d.Overlap]; len(d.Assigned) != want {
			t.Errorf("%s: assigned %v", d.ID, d.Assigned)
		}
	}
	if shared != 4 {
		t.Fatalf("%d overlap documents", shared)
	}

	// amina labels one of hers and marks it done; her span on another
	// makes that one in progress.
	var mine []string
	for _, d := range plan.Documents {
		for _, a := range d.Assigned {
			if a == "amina" {
				mine = append(mine, d.ID)
			}
		}
	}
	spans := fmt.Sprintf(`{"id":"%s",%s,"spans":[{"start":4,"end":9,"label":"PERSON"}]}`+"\n"+`{"id":"%s",%s,"spans":[{"start":10,"end":15,"label":"PERSON"}]}`, mine[0], text, mine[1], text)
	mustRun(t, config, "import", "--db", db, "--annotator", "amina", write(t, dir, "amina.jsonl", []byte(spans)))
	st, err := storage.OpenWith(db, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetStatus(mine[0], "amina", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	st.Close()
	p := progressOf(t, config, db)
	a := p.Annotators[0]
	if a.Annotator != "amina" || a.Assigned != len(mine) || a.AssignedDone != 1 || a.Done != 1 || a.InProgress != 1 || a.Spans != 2 || a.LastActivity == nil {
		t.Fatalf("amina on the board: %+v", a)
	}
	for _, d := range p.Documents {
		if d.ID == mine[0] && (len(d.Done) != 1 || d.Done[0] != "amina" || d.AllDone) {
			t.Fatalf("%s: %+v", d.ID, d)
		}
	}
	board := mustRun(t, config, "progress", "--db", db).stdout
	if !regexp.MustCompile(`(?m)^amina +\d+ \(1 done\) +1 +1 +2 +0s +\d{4}-\d\d-\d\d \d\d:\d\d$`).MatchString(board) ||
		!regexp.MustCompile(`(?m)^`+mine[0]+` +.*amina.* +amina +no$`).MatchString(board) {
		t.Fatalf("progress text:\n%s", board)
	}

	// A plan for two documents leaves the others as they were.
	r = mustRun(t, config, "assign", "--db", db, "--annotators", "dalia", "--docs", "d00,d01")
	if !strings.Contains(r.stdout, "Assigned to dalia: 2 documents, 0 of them to everyone (for agreement) and each other to 1 (seed 1).") {
		t.Fatalf("--docs summary:\n%s", r.stdout)
	}
	after := progressOf(t, config, db)
	for i, d := range after.Documents {
		want := fmt.Sprint(plan.Documents[i].Assigned)
		if d.ID == "d00" || d.ID == "d01" {
			want = "[dalia]"
		}
		if fmt.Sprint(d.Assigned) != want {
			t.Errorf("%s assigned %v, want %s", d.ID, d.Assigned, want)
		}
	}

	// dalia's laptop gets exactly her two documents and her assignments.
	laptop := filepath.Join(dir, "dalia.db")
	mustRun(t, config, "handout", "--db", db, "--annotator", "dalia", "--assigned", "--out", laptop)
	got := progressOf(t, config, laptop)
	if len(got.Documents) != 2 || got.Documents[0].ID != "d00" || got.Documents[1].ID != "d01" ||
		fmt.Sprint(got.Documents[0].Assigned, got.Documents[1].Assigned) != "[dalia] [dalia]" {
		t.Fatalf("dalia's hand-out: %+v", got.Documents)
	}
}

func TestAssignRefusals(t *testing.T) {
	config, dir, db := newProject(t)
	mustRun(t, config, "import", "--db", db, write(t, dir, "one.txt", []byte("نص واحد")))
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--annotators", "a,b", "--per-document", "3"}, 2, "annotators per document is 3 but only 2 annotators are named"},
		{[]string{"--annotators", "a,b", "--per-document", "0"}, 2, "at least 1"},
		{[]string{"--annotators", "a,b", "--overlap", "1.2"}, 2, "overlap 1.2 is outside [0, 1]"},
		{[]string{"--annotators", "a,a"}, 2, `annotator "a" is named twice`},
		{[]string{"--annotators", "a,gold"}, 2, `"gold" is the gold layer`},
		{[]string{"--per-document", "2"}, 2, "--per-document makes a plan: give --annotators too"},
		{[]string{"--annotators", "a", "--docs", "one,nope"}, 1, `no document "nope"`},
	} {
		r := run(t, config, append([]string{"assign", "--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("assign %v: exit %d, stderr %q; want exit %d saying %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	if r := mustRun(t, config, "assign", "--db", db); !strings.Contains(r.stdout, "assigns 0 documents") {
		t.Errorf("nothing assigned after refusals:\n%s", r.stdout)
	}
}
