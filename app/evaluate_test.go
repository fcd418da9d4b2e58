package app

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

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
	path := filepath.Join(t.TempDir(), "pred.jsonl")
	if err := os.WriteFile(path, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	s := openEvaluate(u)
	s.win.Resize(fyne.NewSize(1280, 860))
	s.path.SetText(path)
	s.load()
	s.wait()
	if s.rep == nil {
		t.Fatalf("no report: %s", s.status.Text)
	}
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

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}

func span(a, b int, label string) string {
	return `{"start":` + itoa(a) + `,"end":` + itoa(b) + `,"label":"` + label + `"}`
}

func itoa(n int) string { return strconv.Itoa(n) }
