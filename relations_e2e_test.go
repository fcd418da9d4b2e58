package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"tawsim/internal/pgtest"
)

// Relation files: "قال الصفدي إن الأردن يرفض الخطة" — قال [0,3) CUE,
// الصفدي [4,10) PERSON, الأردن [14,20) STATE, the claim [14,31). In both
// documents a says الصفدي (SOURCE) said (CUE) the claim. On d1 b takes
// الأردن for the source (the CUE relations match, the SOURCE ones do
// not); on d2 b has no cue. Summed: 2 matches of 4 (a) and 3 (b): P = 2/3,
// R = 1/2, F1 = 4/7, the same for boundary and overlap; per label CUE
// 1/2/1, SOURCE 1/2/2; 2 claims paired, 1 with the same source.
const relE2EText = "قال الصفدي إن الأردن يرفض الخطة"

func relLine(id, annotator string, spans, rels string) string {
	return `{"id":"` + id + `","text":"` + relE2EText + `","annotator":"` + annotator + `","spans":[` + spans + `],"relations":[` + rels + `]}` + "\n"
}

const (
	relClaim  = `{"start":14,"end":31,"label":"CLAIM"}`
	relSafadi = `{"start":4,"end":10,"label":"PERSON"}`
	relJordan = `{"start":14,"end":20,"label":"STATE"}`
	relCue    = `{"start":0,"end":3,"label":"CUE"}`
	relSaid   = `{"head":0,"tail":1,"label":"SOURCE"},{"head":0,"tail":2,"label":"CUE"}`
)

func writeRelationFiles(t *testing.T, dir string) (a, b string) {
	a = write(t, dir, "a.jsonl", []byte(
		relLine("d1", "a", relClaim+","+relSafadi+","+relCue, relSaid)+
			relLine("d2", "a", relClaim+","+relSafadi+","+relCue, relSaid)))
	b = write(t, dir, "b.jsonl", []byte(
		relLine("d1", "b", relClaim+","+relJordan+","+relCue, relSaid)+
			relLine("d2", "b", relSafadi+","+relClaim, `{"head":1,"tail":0,"label":"SOURCE"}`)))
	return a, b
}

type relMatchJSON struct {
	Matches, Reference, Candidate int
	Precision, Recall, F1         float64
}

type relPairJSON struct {
	A, B       string
	RelationF1 struct {
		Strict, Boundary relMatchJSON
		Overlap          struct {
			MatchedReference      int `json:"matched_reference"`
			MatchedCandidate      int `json:"matched_candidate"`
			Reference, Candidate  int
			Precision, Recall, F1 float64
		}
		PerLabel map[string]relMatchJSON `json:"per_label"`
	} `json:"relation_f1"`
	Attribution struct {
		ClaimsMatched int      `json:"claims_matched"`
		SameSource    int      `json:"same_source"`
		Agreement     *float64 `json:"agreement"`
	}
}

func checkRelPair(t *testing.T, out string) {
	t.Helper()
	var rep struct{ Pairs []relPairJSON }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err, out)
	}
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	p := rep.Pairs[0]
	f := p.RelationF1
	for _, m := range []relMatchJSON{f.Strict, f.Boundary} {
		if m.Matches != 2 || m.Reference != 4 || m.Candidate != 3 || !near(m.Precision, 2./3) || !near(m.Recall, .5) || !near(m.F1, 4./7) {
			t.Errorf("%s–%s strict/boundary %+v", p.A, p.B, m)
		}
	}
	if o := f.Overlap; o.MatchedReference != 2 || o.MatchedCandidate != 2 || o.Reference != 4 || o.Candidate != 3 || !near(o.F1, 4./7) {
		t.Errorf("overlap %+v", o)
	}
	want := map[string]relMatchJSON{"CUE": {1, 2, 1, 1, .5, 2. / 3}, "SOURCE": {1, 2, 2, .5, .5, .5}}
	for l, w := range want {
		g := f.PerLabel[l]
		if g.Matches != w.Matches || g.Reference != w.Reference || g.Candidate != w.Candidate || !near(g.F1, w.F1) {
			t.Errorf("per label %s: %+v, want %+v", l, g, w)
		}
	}
	if len(f.PerLabel) != 2 {
		t.Errorf("per label %+v", f.PerLabel)
	}
	if at := p.Attribution; at.ClaimsMatched != 2 || at.SameSource != 1 || at.Agreement == nil || !near(*at.Agreement, .5) {
		t.Errorf("attribution %+v", at)
	}
}

func TestAgreeRelations(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	a, b := writeRelationFiles(t, dir)
	checkRelPair(t, mustRun(t, config, "agree", "--json", a, b).stdout)
	r := mustRun(t, config, "agree", a, b)
	for _, want := range []string{"claims paired", "0.571", "SOURCE", "0.500 (1/2/2)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, r.stdout)
		}
	}
	// The project's layers carry their relations to agreement too.
	db := pgtest.Project(t, dir, "p.db")
	mustRun(t, config, "import", "--db", db, "--annotator", "a", a)
	mustRun(t, config, "import", "--db", db, "--annotator", "b", b)
	checkRelPair(t, mustRun(t, config, "agree", "--json", "--db", db).stdout)
}

// score with relations: a is gold, b the prediction. Strict: COR 2, MIS 2,
// SPU 1; boundary the same; the errors file lists the two missed and the
// spurious relation with both ends' text.
func TestScoreRelationsE2E(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	a, b := writeRelationFiles(t, dir)
	errs := filepath.Join(dir, "errors.jsonl")
	r := mustRun(t, config, "score", "--json", "--gold", a, "--pred", b, "--errors", errs)
	type counts struct {
		Cor, Mis, Spu, Possible, Actual int
		Precision, Recall, F1           float64
	}
	var rep struct {
		Relations struct {
			Strict, Boundary counts
			PerLabel         map[string]counts `json:"per_label"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	want := counts{Cor: 2, Mis: 2, Spu: 1, Possible: 4, Actual: 3, Precision: 2. / 3, Recall: .5, F1: 4. / 7}
	near := func(x, y counts) bool {
		return x.Cor == y.Cor && x.Mis == y.Mis && x.Spu == y.Spu && x.Possible == y.Possible && x.Actual == y.Actual &&
			math.Abs(x.Precision-y.Precision) < 1e-9 && math.Abs(x.Recall-y.Recall) < 1e-9 && math.Abs(x.F1-y.F1) < 1e-9
	}
	if !near(rep.Relations.Strict, want) || !near(rep.Relations.Boundary, want) {
		t.Errorf("relations %+v", rep.Relations)
	}
	if c := rep.Relations.PerLabel["CUE"]; !near(c, counts{Cor: 1, Mis: 1, Possible: 2, Actual: 1, Precision: 1, Recall: .5, F1: 2. / 3}) {
		t.Errorf("CUE %+v", c)
	}
	data, err := os.ReadFile(errs)
	if err != nil {
		t.Fatal(err)
	}
	type end struct {
		Start, End  int
		Label, Text string
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e struct {
			Document, Kind, Relation string
			Head, Tail               *end
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err, line)
		}
		if e.Head != nil {
			got = append(got, e.Document+" "+e.Kind+" "+e.Relation+" "+e.Head.Text+" → "+e.Tail.Text+"/"+e.Tail.Label)
		}
	}
	wantErrs := []string{
		"d1 missing_relation SOURCE الأردن يرفض الخطة → الصفدي/PERSON",
		"d1 spurious_relation SOURCE الأردن يرفض الخطة → الأردن/STATE",
		"d2 missing_relation CUE الأردن يرفض الخطة → قال/CUE",
	}
	if !reflect.DeepEqual(got, wantErrs) {
		t.Errorf("relation errors\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantErrs, "\n"))
	}
	if r := mustRun(t, config, "score", "--gold", a, "--pred", b); !strings.Contains(r.stdout, "relations") || !strings.Contains(r.stdout, "relation errors (strict) 3") {
		t.Errorf("text report:\n%s", r.stdout)
	}
}

// Relations travel through every format that holds them, byte-exact over
// export → import → export through the binary; CoNLL and HF say how many
// they dropped.
func TestRelationsRoundTripEveryFormat(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	a, _ := writeRelationFiles(t, dir)
	db := pgtest.Project(t, dir, "p.db")
	mustRun(t, config, "import", "--db", db, a)
	for _, f := range []string{"jsonl", "doccano", "labelstudio", "spacy", "brat"} {
		t.Run(f, func(t *testing.T) {
			out1, out2 := filepath.Join(dir, f+"-rel-1"), filepath.Join(dir, f+"-rel-2")
			if r := mustRun(t, config, "export", "--db", db, "--format", f, "--doccano-relations", "--out", out1); !strings.Contains(r.stderr, ", 4 relations (layer") {
				t.Errorf("the %s export does not count its relations: %s", f, r.stderr)
			}
			db2 := pgtest.Project(t, dir, f+"-rel.db")
			mustRun(t, config, "import", "--db", db2, "--format", f, "--annotator", "a", out1)
			mustRun(t, config, "export", "--db", db2, "--format", f, "--doccano-relations", "--out", out2)
			x, y := readAll(t, out1), readAll(t, out2)
			if x != y {
				t.Fatalf("export → import → export differs:\n%s\n---\n%s", x, y)
			}
			if strings.Count(x, "SOURCE") < 2 || strings.Count(x, "CUE") < 4 {
				t.Fatalf("relations missing from the %s export:\n%s", f, x)
			}
		})
	}
	for _, f := range []string{"conll", "hf"} {
		r := mustRun(t, config, "export", "--db", db, "--format", f, "--out", filepath.Join(dir, f+"-rel"))
		if !strings.Contains(r.stdout+r.stderr, "4 relations dropped") {
			t.Errorf("%s export does not report the dropped relations: %+v", f, r)
		}
	}
}
