package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"tawsim/internal/pgtest"
)

// Two annotators on "زار فيدان والأردن" (17 code points, spaces at 3 and 9:
// 15 units). Both mark فيدان PERSON [4,9); a marks الأردن STATE [11,17), b
// marks والأردن STATE [10,17). Units: زار O/O ×3, فيدان PERSON ×5, و O/STATE,
// الأردن STATE ×6. Observed 14/15. Marginals a: O 4, PERSON 5, STATE 6;
// b: O 3, PERSON 5, STATE 7. Expected (4·3+5·5+6·7)/15² = 79/225.
// kappa = (210−79)/(225−79) = 131/146. Strict: 1 match of 2 and 2 → P = R =
// F1 = 0.5; boundary the same; overlap: every span matched → 1.
//
// α_u (L = 17, R = 2): PERSON agrees, D_o = 0. STATE: δ² = 1² + 0², D_o =
// 2·1/(2·17²) = 1/289; D_e = (2/17)·[(7·6·13 + 6·5·11)/3 + 6²·(6 + 5) +
// 7²·(5 + 4)]/(2·17·33 − 42 − 30) = (2/17)·1129/1050, so α_u(STATE) =
// 18668/19193. PERSON (STATE is invisible there, so each side's gaps are 4
// and 8): D_e = (2/17)·(2·5·4·9/3 + 2·5²·(4 + 4))/(1122 − 40), so α_u =
// 1 − D_o/ΣD_e = 14740388/15024413; one document, so its mean is the same.
func TestAgreeOnFiles(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	a := write(t, dir, "a.jsonl", []byte(`{"id":"d","text":"زار فيدان والأردن","spans":[{"start":4,"end":9,"label":"PERSON"},{"start":11,"end":17,"label":"STATE"}]}`+"\n"))
	b := write(t, dir, "b.jsonl", []byte(`{"id":"d","text":"زار فيدان والأردن","annotator":"badr","spans":[{"start":4,"end":9,"label":"PERSON"},{"start":10,"end":17,"label":"STATE"}]}`+"\n"))
	r := mustRun(t, config, "agree", "--json", a, b)
	var rep struct {
		Unit       string
		Documents  int
		Units      int
		Annotators []string
		Pairs      []struct {
			A, B              string
			CohenKappa        float64 `json:"cohen_kappa"`
			ObservedAgreement float64 `json:"observed_agreement"`
			ExpectedAgreement float64 `json:"expected_agreement"`
			SpanF1            struct {
				Strict, Boundary struct {
					Matches              int
					Precision, Recall, F float64
				}
				Overlap struct{ Precision, Recall, F1 float64 }
			} `json:"span_f1"`
		}
		All struct {
			FleissKappa    float64            `json:"fleiss_kappa"`
			AlphaU         float64            `json:"alpha_u"`
			AlphaUPerLabel map[string]float64 `json:"alpha_u_per_label"`
			Merged         *int               `json:"alpha_u_merged_overlaps"`
			DocumentMean   float64            `json:"alpha_u_document_mean"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err, r.stdout)
	}
	near := func(got, want float64) bool { return math.Abs(got-want) < 1e-9 }
	p := rep.Pairs[0]
	if rep.Unit != "char" || rep.Documents != 1 || rep.Units != 15 || strings.Join(rep.Annotators, ",") != "a,badr" || p.A != "a" || p.B != "badr" {
		t.Fatalf("report head: %+v", rep)
	}
	if !near(p.CohenKappa, 131.0/146) || !near(p.ObservedAgreement, 14.0/15) || !near(p.ExpectedAgreement, 79.0/225) {
		t.Fatalf("kappa %v po %v pe %v", p.CohenKappa, p.ObservedAgreement, p.ExpectedAgreement)
	}
	if p.SpanF1.Strict.Matches != 1 || !near(p.SpanF1.Strict.Precision, 0.5) || !near(p.SpanF1.Overlap.Recall, 1) {
		t.Fatalf("span f1 %+v", p.SpanF1)
	}
	u := rep.All
	if !near(u.AlphaU, 14740388.0/15024413) || !near(u.AlphaUPerLabel["STATE"], 18668.0/19193) || !near(u.AlphaUPerLabel["PERSON"], 1) ||
		u.Merged == nil || *u.Merged != 0 || !near(u.DocumentMean, u.AlphaU) {
		t.Fatalf("alpha_u %+v", u)
	}
	// The text report reads as a table.
	r = run(t, config, "agree", a, b)
	if r.code != 0 || !strings.Contains(r.stdout, "0.897") {
		t.Fatalf("text report: %+v", r)
	}
	// A document missing from one file is an error naming it, unless
	// --allow-missing.
	c := write(t, dir, "c.jsonl", []byte(`{"id":"other","text":"نص"}`+"\n"))
	if r := run(t, config, "agree", a, c); r.code != 1 || !strings.Contains(r.stderr, `"d"`) {
		t.Fatalf("missing document: %+v", r)
	}
	// A document whose text differs is an error naming it.
	d := write(t, dir, "d.jsonl", []byte(`{"id":"d","text":"زار فيدان الأردن"}`+"\n"))
	if r := run(t, config, "agree", a, d); r.code != 1 || !strings.Contains(r.stderr, `document "d" has a different text`) {
		t.Fatalf("different text: %+v", r)
	}
	// From a project database.
	db := pgtest.Project(t, dir, "p.db")
	run(t, config, "import", "--db", db, "--annotator", "a", a)
	run(t, config, "import", "--db", db, "--annotator", "badr", b)
	r = run(t, config, "agree", "--json", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, `"annotators":["a","badr"]`) {
		t.Fatalf("--db: %+v", r)
	}
}

// Files read side by side (the same order) and held whole (another order)
// give the same report.
func TestAgreeOnFilesInAnyOrder(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	line := func(id, who string, s, e int, label string) string {
		return `{"id":"` + id + `","text":"زار فيدان والأردن","annotator":"` + who + `","spans":[{"start":` + itoa(s) + `,"end":` + itoa(e) + `,"label":"` + label + `"}]}` + "\n"
	}
	a := write(t, dir, "a.jsonl", []byte(line("d1", "a", 4, 9, "PER")+line("d2", "a", 11, 17, "LOC")+line("d3", "a", 0, 3, "PER")))
	same := write(t, dir, "b.jsonl", []byte(line("d1", "b", 4, 9, "PER")+line("d2", "b", 10, 17, "LOC")+line("d3", "b", 0, 3, "LOC")))
	other := write(t, dir, "b2/b.jsonl", []byte(line("d3", "b", 0, 3, "LOC")+line("d1", "b", 4, 9, "PER")+line("d2", "b", 10, 17, "LOC")))
	want := mustRun(t, config, "agree", "--json", "--details", a, same).stdout
	if got := mustRun(t, config, "agree", "--json", "--details", a, other).stdout; got != want {
		t.Fatalf("another order:\n%s\nthe same order:\n%s", got, want)
	}
	missing := write(t, dir, "c.jsonl", []byte(line("d1", "b", 4, 9, "PER")+line("d3", "b", 0, 3, "LOC")))
	missingOther := write(t, dir, "c2/c.jsonl", []byte(line("d3", "b", 0, 3, "LOC")+line("d1", "b", 4, 9, "PER")))
	want = mustRun(t, config, "agree", "--json", "--allow-missing", a, missing).stdout
	if !strings.Contains(want, `"excluded_documents":["d2"]`) {
		t.Fatalf("--allow-missing: %s", want)
	}
	if got := mustRun(t, config, "agree", "--json", "--allow-missing", a, missingOther).stdout; got != want {
		t.Fatalf("another order, a document missing:\n%s\nthe same order:\n%s", got, want)
	}
}
