package project

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/storage"
)

func TestSumImportAndItsWording(t *testing.T) {
	res := []FileResult{
		{File: "a.jsonl", Result: &storage.ImportResult{Added: []string{"1", "2"}, Spans: 3, NewLabels: []string{"EVENT"}}},
		{File: "b.jsonl", Result: &storage.ImportResult{Skipped: []string{"1"}, Replaced: []string{"3"}, SpansPresent: 2, SpansDropped: 1, Relations: 4, NewLabels: []string{"EVENT", "LAW"}}},
		{File: "c.txt", Err: errors.New("the file is empty")},
	}
	sum := SumImport(res)
	want := ImportTotals{Files: 3, Refused: 1, Added: 2, Skipped: 1, Replaced: 1, Spans: 3, SpansPresent: 2, Dropped: 1, Relations: 4, NewLabels: []string{"EVENT", "LAW"}}
	if sum.String() != want.String() || sum.Files != 3 || sum.Refused != 1 || len(sum.NewLabels) != 2 {
		t.Fatalf("totals %+v, want %+v", sum, want)
	}
	text := "3 files: 2 imported, 1 refused.\n" +
		"Documents: 2 added, 1 skipped (already there with the same text), 1 replaced.\n" +
		"Spans: 3 added, 2 already there, 1 dropped (their text changed with a replaced document).\n" +
		"Relations: 4 added.\n" +
		"New labels: EVENT, LAW."
	if sum.String() != text {
		t.Fatalf("wording:\n%s\nwant\n%s", sum, text)
	}
	if got := SumImport(res[:1]).String(); !strings.HasPrefix(got, "1 file: 1 imported, 0 refused.\n") || strings.Contains(got, "Relations") {
		t.Fatalf("one file: %s", got)
	}
	// A refusal names its file once.
	if got := res[2].Refusal(); got != "c.txt: the file is empty" {
		t.Fatalf("refusal %q", got)
	}
	if got := (FileResult{File: "x.jsonl", Err: errors.New("x.jsonl:2: not a JSON object")}).Refusal(); got != "x.jsonl:2: not a JSON object" {
		t.Fatalf("refusal %q", got)
	}
}

// The storage errors an import refuses a file with stay recognisable, for
// the command line and the app to add how to lift them.
func TestImportRefusalsWrapTheirCause(t *testing.T) {
	st := testProject(t, 1)
	defer st.Close()
	dir := t.TempDir()
	p := filepath.Join(dir, "d0000.txt")
	writeFile(t, p, "نص آخر")
	r := ImportFile(st, p, ImportOptions{})
	if !errors.Is(r.Err, storage.ErrTextDiffers) || strings.Contains(r.Err.Error(), "--") {
		t.Fatalf("other text: %v", r.Err)
	}
	q := filepath.Join(dir, "n.jsonl")
	writeFile(t, q, `{"id":"n","text":"زار الأردن","spans":[{"start":4,"end":10,"label":"STATE"}]}`+"\n")
	if r := ImportFile(st, q, ImportOptions{}); !errors.Is(r.Err, storage.ErrNoAnnotator) || strings.Contains(r.Err.Error(), "--") {
		t.Fatalf("no annotator: %v", r.Err)
	}
	if _, err := Import(st, []string{p, q}, ImportOptions{ID: "x"}, nil); !errors.Is(err, ErrOneID) || strings.Contains(err.Error(), "--") {
		t.Fatalf("id for two files: %v", err)
	}
}
