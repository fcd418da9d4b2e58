package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wordText is the text of document i of a generated corpus: n words, in
// turn from words; each is told every word's index and offsets.
func wordText(words []string, i, n int, each func(j, start, end int)) string {
	var text strings.Builder
	pos := 0
	for j := range n {
		w := words[(i+j)%len(words)]
		if j > 0 {
			text.WriteByte(' ')
			pos++
		}
		text.WriteString(w)
		end := pos + len([]rune(w))
		each(j, pos, end)
		pos = end
	}
	return text.String()
}

// scoreFixture writes n gold documents (ids in no order, spans on every
// third word, SOURCE and CUE relations from each claim) as the gold
// layer's JSONL, and an extractor's predictions with every kind of error:
// labels and boundaries changed, spans dropped and added, relations
// dropped, turned and added.
func scoreFixture(t *testing.T, dir string, n int) (gold, pred string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(14, 7))
	words := strings.Fields("قال الصفدي إن الأردن يرفض الخطة وأضاف وزير الخارجية في العقبة أن تركيا ومصر ستتعاونان اليوم")
	labels := []string{"CLAIM", "PERSON", "STATE", "CUE", "ORGANIZATION"}
	type span struct {
		start, end int
		label      string
	}
	spanJSON := func(s span, gold bool) string {
		if gold {
			return fmt.Sprintf(`{"start":%d,"end":%d,"label":"%s","decision":"chosen","votes":["a"]}`, s.start, s.end, s.label)
		}
		return fmt.Sprintf(`{"start":%d,"end":%d,"label":"%s"}`, s.start, s.end, s.label)
	}
	var g, p strings.Builder
	for _, i := range rng.Perm(n) {
		var gs, ps []span
		var gr, pr []string
		predOf := map[int]int{}
		text := wordText(words, i, 40, func(j, start, end int) {
			if j%3 == 0 {
				s := span{start, end, labels[rng.IntN(len(labels))]}
				gs = append(gs, s)
				switch r := rng.IntN(10); {
				case r < 5:
					predOf[len(gs)-1] = len(ps)
					ps = append(ps, s)
				case r < 6:
					ps = append(ps, span{s.start, s.end, labels[rng.IntN(len(labels))]})
				case r < 8:
					ps = append(ps, span{s.start + 1, s.end, s.label})
				}
			} else if rng.IntN(25) == 0 {
				ps = append(ps, span{start, end, labels[rng.IntN(len(labels))]})
			}
		})
		for h := range gs {
			if gs[h].label != "CLAIM" {
				continue
			}
			for tl := h + 1; tl < len(gs) && tl < h+4; tl++ {
				label := map[string]string{"PERSON": "SOURCE", "STATE": "SOURCE", "ORGANIZATION": "SOURCE", "CUE": "CUE"}[gs[tl].label]
				if label == "" {
					continue
				}
				rel := fmt.Sprintf(`{"head":%d,"tail":%d,"label":"%s"}`, h, tl, label)
				gr = append(gr, rel)
				ph, okH := predOf[h]
				pt, okT := predOf[tl]
				if okH && okT && rng.IntN(4) > 0 {
					pr = append(pr, fmt.Sprintf(`{"head":%d,"tail":%d,"label":"%s"}`, ph, pt, label))
				}
			}
		}
		if len(ps) > 1 && rng.IntN(3) == 0 {
			pr = append(pr, `{"head":0,"tail":1,"label":"SOURCE"}`)
		}
		var gj, pj []string
		for _, s := range gs {
			gj = append(gj, spanJSON(s, true))
		}
		for _, s := range ps {
			pj = append(pj, spanJSON(s, false))
		}
		id := fmt.Sprintf("n%03d", i)
		fmt.Fprintf(&g, `{"id":"%s","text":"%s","annotator":"gold","spans":[%s],"relations":[%s]}`+"\n", id, text, strings.Join(gj, ","), strings.Join(gr, ","))
		fmt.Fprintf(&p, `{"id":"%s","text":"%s","spans":[%s],"relations":[%s]}`+"\n", id, text, strings.Join(pj, ","), strings.Join(pr, ","))
	}
	return write(t, dir, "gold.jsonl", []byte(g.String())), write(t, dir, "pred.jsonl", []byte(p.String()))
}

// checkErrorsFile compares the errors file a score wrote with the one
// checked in, which the build before errors were streamed wrote (set
// TAWSIM_UPDATE_GOLDEN=1 to write it anew).
func checkErrorsFile(t *testing.T, got, golden string) {
	t.Helper()
	data, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	golden = filepath.Join("testdata", "score-errors", golden)
	if os.Getenv("TAWSIM_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, want) {
		gl, wl := strings.Split(string(data), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs from %s at line %d of %d (want %d):\n%s\nwant\n%s", got, golden, i+1, len(gl), len(wl), gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d (%s)", got, len(gl), len(wl), golden)
	}
}

// The errors a score writes as it goes are byte for byte those it wrote
// when it held them all, sorted at the end: from files in no id order,
// from files read whole (a gold id twice), from the project's gold layer
// (read in the database's order; some documents not finished), and the
// relation fixture's.
func TestScoreErrorsFileAsBefore(t *testing.T) {
	config, dir, db := newProject(t)
	gold, pred := scoreFixture(t, dir, 30)
	out := func(name string) string { return filepath.Join(dir, name) }

	r := mustRun(t, config, "score", "--gold", gold, "--pred", pred, "--errors", out("files.jsonl"))
	checkErrorsFile(t, out("files.jsonl"), "files.jsonl")
	// The report counts what it wrote.
	data, _ := os.ReadFile(out("files.jsonl"))
	rels := strings.Count(string(data), `_relation","relation"`)
	spans := strings.Count(string(data), "\n") - rels
	if !strings.Contains(r.stdout, fmt.Sprintf("strict errors %d\n", spans)) || !strings.Contains(r.stdout, fmt.Sprintf("relation errors (strict) %d\n", rels)) || spans < 200 || rels < 20 {
		t.Fatalf("%d span and %d relation errors written; report:\n%s", spans, rels, r.stdout)
	}

	// A second layer of another annotator on each document: read whole.
	data, _ = os.ReadFile(gold)
	twice := write(t, dir, "twice.jsonl", append(data, strings.ReplaceAll(string(data), `"annotator":"gold"`, `"annotator":"other"`)...))
	mustRun(t, config, "score", "--gold", twice, "--gold-annotator", "gold", "--pred", pred, "--errors", out("whole.jsonl"))
	checkErrorsFile(t, out("whole.jsonl"), "files.jsonl")

	mustRun(t, config, "import", "--db", db, "--add-labels", gold)
	var ids []string
	for i := range 30 {
		if i%10 != 3 {
			ids = append(ids, fmt.Sprintf("n%03d", i))
		}
	}
	mustRun(t, config, "adjudicate", "--db", db, "--finish-docs", strings.Join(ids, ","))
	r = mustRun(t, config, "score", "--db", db, "--pred", pred, "--errors", out("db.jsonl"))
	if !strings.Contains(r.stderr, "3 predicted documents have no gold yet") {
		t.Fatalf("stderr: %s", r.stderr)
	}
	checkErrorsFile(t, out("db.jsonl"), "db.jsonl")

	// A score that fails after every document was scored (a prediction
	// for a document gold lacks) leaves the errors file as it was, and
	// no scratch file.
	data, _ = os.ReadFile(pred)
	extra := write(t, dir, "extra.jsonl", append(data, `{"id":"zz9","text":"غريب"}`+"\n"...))
	keep := write(t, dir, "keep.jsonl", []byte("old\n"))
	if r := run(t, config, "score", "--gold", gold, "--pred", extra, "--errors", keep); r.code != 1 || !strings.Contains(r.stderr, `"zz9" is not in the gold data`) {
		t.Fatalf("foreign prediction: %+v", r)
	}
	if data, _ := os.ReadFile(keep); string(data) != "old\n" {
		t.Fatalf("errors file after a failed score: %.200q", data)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}

	a, b := writeRelationFiles(t, dir)
	mustRun(t, config, "score", "--gold", a, "--pred", b, "--errors", out("relations.jsonl"))
	checkErrorsFile(t, out("relations.jsonl"), "relations.jsonl")
}

// errorFiles writes n gold documents with a span on each of their 300
// words and the predictions for them: none (300 errors a document), or
// with predicted a span on every word, every third labelled as in gold.
func errorFiles(t *testing.T, dir string, n int, predicted bool) (gold, pred string) {
	t.Helper()
	words := strings.Fields("قال وزير الخارجية إن الأردن وتركيا ستتعاونان في العقبة اليوم")
	create := func(name string) (*os.File, *bufio.Writer) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return f, bufio.NewWriter(f)
	}
	gf, g := create("gold.jsonl")
	pf, p := create("pred.jsonl")
	for i := range n {
		var spans, preds []string
		text := wordText(words, i, 300, func(j, start, end int) {
			spans = append(spans, fmt.Sprintf(`{"start":%d,"end":%d,"label":"L%d"}`, start, end, j%3))
			if predicted {
				preds = append(preds, fmt.Sprintf(`{"start":%d,"end":%d,"label":"L%d"}`, start, end, j%2))
			}
		})
		fmt.Fprintf(g, `{"id":"e%05d","text":"%s","spans":[%s]}`+"\n", i, text, strings.Join(spans, ","))
		fmt.Fprintf(p, `{"id":"e%05d","text":"%s","spans":[%s]}`+"\n", i, text, strings.Join(preds, ","))
	}
	for _, w := range []*bufio.Writer{g, p} {
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	gf.Close()
	pf.Close()
	return gf.Name(), pf.Name()
}

// score holds no error, with --errors (written as each document is
// scored) or without: on 2,000 documents with 600,000 errors it peaked at
// 198 MB when it held them all, streamed at 58–65 MB, the binary's own
// 35 MB included.
func TestScoreErrorsStayBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100 MB of generated files")
	}
	config, dir := t.TempDir(), t.TempDir()
	gold, pred := errorFiles(t, dir, 2000, false)
	errs := filepath.Join(dir, "errors.jsonl")
	const bound = 90 << 20
	for _, args := range [][]string{
		{"score", "--gold", gold, "--pred", pred, "--errors", errs},
		{"score", "--gold", gold, "--pred", pred},
	} {
		what := "without --errors"
		if len(args) > 5 {
			what = "with --errors"
		}
		peak := peakOf(t, config, args...)
		t.Logf("score %s: peak %d MB", what, peak>>20)
		if peak > bound {
			t.Errorf("score %s peaked at %d MB, over %d MB", what, peak>>20, bound>>20)
		}
	}
	fi, err := os.Stat(errs)
	if err != nil || fi.Size() < 50<<20 {
		t.Fatalf("errors file: %v, %v", fi, err)
	}
	f, _ := os.Open(errs)
	defer f.Close()
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); lines++ {
	}
	if lines != 600000 {
		t.Errorf("%d errors written, want 600,000", lines)
	}
}

// The predictions are held packed (offsets and label, 12 bytes a span),
// their texts cut from the gold documents when scored: 1,800,000 predicted
// spans over 6,000 documents peaked at 428 MB held as spans, 101 MB packed.
func TestScorePredictionsHeldPacked(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 150 MB of generated files")
	}
	config, dir := t.TempDir(), t.TempDir()
	gold, pred := errorFiles(t, dir, 6000, true)
	peak := peakOf(t, config, "score", "--gold", gold, "--pred", pred)
	t.Logf("score of 1,800,000 predicted spans: peak %d MB", peak>>20)
	if bound := int64(200 << 20); peak > bound {
		t.Errorf("score peaked at %d MB, over %d MB", peak>>20, bound>>20)
	}
}
