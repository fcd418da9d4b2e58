package app

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"tawsim/annotate"
	"tawsim/annotate/score"
	"tawsim/storage"
)

func TestEvaluateScreenStepsThroughErrors(t *testing.T) {
	u, _, st := newTestUI(t)
	id := u.docs[0].ID
	// Gold: four spans.
	addWord(t, st, id, "gold", "هاكان فيدان", 0, 0, "PERSON")
	addWord(t, st, id, "gold", "تركيا", 0, 0, "STATE")
	addWord(t, st, id, "gold", "الأردن", 0, 0, "STATE")
	addWord(t, st, id, "gold", "أيمن الصفدي", 0, 0, "PERSON")
	// Only documents whose adjudication is finished are scored.
	if err := st.FinishGold([]string{id}, "lead", true, storage.PrefillSettings{}); err != nil {
		t.Fatal(err)
	}
	doc, _ := st.Document(id)
	at := func(word string, from int) (int, int) {
		s := findIn(t, doc.Text, word, 0)
		return s + from, s + len([]rune(word))
	}
	// Predictions: one correct, one wrong label, one wrong boundary, one
	// spurious (أنقرة, first in the text); the gold أيمن الصفدي is missed.
	a1, b1 := at("هاكان فيدان", 0)
	a2, b2 := at("تركيا", 0)
	a3, b3 := at("والأردن", 0)
	a4, b4 := at("أنقرة", 0)
	line := `{"id":` + quote(id) + `,"text":` + quote(doc.Text) + `,"annotator":"model","spans":[` +
		span(a1, b1, "PERSON") + "," + span(a2, b2, "ORGANIZATION") + "," + span(a3, b3, "STATE") + "," + span(a4, b4, "STATE") + "]}\n"
	s := evaluateLine(t, u, line, 860)
	if c := s.rep.Micro.Strict; c.Cor != 1 || c.Inc != 2 || c.Mis != 1 || c.Spu != 1 {
		t.Fatalf("strict counts %+v", c)
	}
	if !strings.Contains(s.status.Text, "F1 0.250; 4 errors") {
		t.Errorf("status %q", s.status.Text)
	}
	// The other four documents' adjudication is not finished.
	if rep := s.rep; rep.Documents != 1 || !strings.Contains(s.status.Text, "documents 1 (adjudication finished), left out 4 (not finished)") {
		t.Errorf("%d documents scored; status %q", rep.Documents, s.status.Text)
	}
	texts := strings.Join(textsIn(s.tables), "|")
	for _, w := range []string{"micro", "strict", "ORGANIZATION", "macro", "0.250", "0.500"} {
		if !strings.Contains(texts, w) {
			t.Errorf("tables lack %q", w)
		}
	}
	capture(t, s.win, "evaluate-scores.png")

	// Step through the errors with Ctrl+PgDn from the gold view.
	if len(s.rep.Errors) != 4 || s.cur != 0 {
		t.Fatalf("%d errors, at %d", len(s.rep.Errors), s.cur)
	}
	kinds := []string{}
	for i := 0; i < 4; i++ {
		e := s.rep.Errors[s.cur]
		kinds = append(kinds, e.Kind)
		g, p := e.Gold, e.Pred
		if g != nil {
			if a, b := s.gold.Selection(); a != g.Start || b != g.End {
				t.Errorf("error %d: gold view selects [%d,%d), want %+v", i, a, b, g)
			}
		}
		if p != nil {
			if a, b := s.pred.Selection(); a != p.Start || b != p.End {
				t.Errorf("error %d: prediction view selects [%d,%d), want %+v", i, a, b, p)
			}
		}
		if !strings.HasPrefix(s.errHead.Text, "Error "+string(rune('1'+i))+" of 4") {
			t.Errorf("head %q", s.errHead.Text)
		}
		if i == 1 {
			capture(t, s.win, "evaluate-error.png")
		}
		s.gold.TypedShortcut(scNextItem)
	}
	if s.cur != 3 {
		t.Fatalf("stepping past the end moved to %d", s.cur)
	}
	want := []string{score.KindSpurious, score.KindLabel, score.KindBoundary, score.KindMissing}
	if strings.Join(kinds, ",") != strings.Join(want, ",") {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	s.pred.TypedShortcut(scPrevItem)
	if s.cur != 2 {
		t.Fatalf("previous went to %d", s.cur)
	}
}

// evaluateLine opens Review ▸ Evaluate… (1280 wide, height high) and scores
// a prediction file holding line.
func evaluateLine(t *testing.T, u *UI, line string, height float32) *evaluateScreen {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pred.jsonl")
	if err := os.WriteFile(path, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	s := openEvaluate(u)
	s.win.Resize(fyne.NewSize(1280, height))
	s.path.SetText(path)
	s.load()
	s.wait()
	if s.rep == nil {
		t.Fatalf("no report: %s", s.status.Text)
	}
	return s
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}

func span(a, b int, label string) string {
	return `{"start":` + itoa(a) + `,"end":` + itoa(b) + `,"label":"` + label + `"}`
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestEvaluateScreenScoresRelations(t *testing.T) {
	u, _, st := newTestUI(t)
	id := u.docs[0].ID
	doc, _ := st.Document(id)
	at := func(word, label string) annotate.Span {
		s := findIn(t, doc.Text, word, 0)
		return annotate.Span{Start: s, End: s + len([]rune(word)), Label: label, Text: word}
	}
	claim, media, cue, turkey := at("العاصمة أنقرة تشهد", "CLAIM"), at("وسائل إعلام تركية", "ORGANIZATION"), at("أفادت", "CUE"), at("تركيا", "STATE")
	// Gold: the claim with its source and its cue.
	for _, r := range []storage.GoldRelation{{Head: claim, Tail: media, Label: "SOURCE"}, {Head: claim, Tail: cue, Label: "CUE"}} {
		r.Decision = annotate.DecisionAdded
		if _, _, err := st.GoldAcceptRelation(id, r, "lead"); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.FinishGold([]string{id}, "lead", true, storage.PrefillSettings{}); err != nil {
		t.Fatal(err)
	}
	// Predictions: the source right, no cue, and a second (spurious)
	// source, تركيا.
	var spans []string
	for _, sp := range []annotate.Span{claim, media, cue, turkey} {
		spans = append(spans, span(sp.Start, sp.End, sp.Label))
	}
	line := `{"id":` + quote(id) + `,"text":` + quote(doc.Text) + `,"annotator":"model","spans":[` + strings.Join(spans, ",") +
		`],"relations":[{"head":0,"tail":1,"label":"SOURCE"},{"head":0,"tail":3,"label":"SOURCE"}]}` + "\n"
	s := evaluateLine(t, u, line, 800)
	if c := s.rep.Relations.Strict; c.Cor != 1 || c.Mis != 1 || c.Spu != 1 || c.Possible != 2 || c.Actual != 2 {
		t.Fatalf("relation counts %+v", c)
	}
	if !strings.Contains(s.status.Text, "Relations: 2 gold, 2 predicted; strict P 0.500 R 0.500 F1 0.500; 2 errors.") {
		t.Errorf("status %q", s.status.Text)
	}
	texts := strings.Join(textsIn(s.tables), "|")
	for _, w := range []string{"Relations: 2 gold, 2 predicted", "boundary", "Per relation label, strict", "SOURCE", "CUE", "POS", "ACT"} {
		if !strings.Contains(texts, w) {
			t.Errorf("tables lack %q: %s", w, texts)
		}
	}
	s.tabScr.Refresh()
	s.tabScr.ScrollToBottom()
	capture(t, s.win, "evaluate-relation-scores.png")

	// The span errors (one spurious STATE) come first, then the relations:
	// the missed cue, the spurious source.
	n := len(s.rep.Errors)
	if s.errors() != n+2 {
		t.Fatalf("%d errors, %d span errors", s.errors(), n)
	}
	for s.cur < n {
		s.gold.TypedShortcut(scNextItem)
	}
	if !strings.HasPrefix(s.errHead.Text, "Error "+itoa(n+1)+" of "+itoa(n+2)+": missing relation CUE") {
		t.Fatalf("head %q", s.errHead.Text)
	}
	if f := s.gold.rel.focus; f < 0 || s.gold.rel.arcs[f].Label != "CUE" || s.pred.rel.focus != -1 || len(s.pred.rel.arcs) != 2 {
		t.Fatalf("focus gold %d, pred %d", f, s.pred.rel.focus)
	}
	if a, b := s.pred.Selection(); a != claim.Start || b != claim.End {
		t.Fatalf("prediction view selects [%d,%d)", a, b)
	}
	s.gold.TypedShortcut(scNextItem)
	if !strings.Contains(s.errHead.Text, "spurious relation SOURCE") || s.gold.rel.focus != -1 {
		t.Fatalf("head %q, gold focus %d", s.errHead.Text, s.gold.rel.focus)
	}
	if f := s.pred.rel.focus; f < 0 || s.pred.rel.arcs[f].Tail.Text != "تركيا" {
		t.Fatalf("prediction focus %d", f)
	}
	s.tabs.SelectIndex(1)
	capture(t, s.win, "evaluate-relation-error.png")
}
