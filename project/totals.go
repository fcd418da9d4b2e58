package project

import (
	"fmt"
	"strings"
)

// ImportTotals sums up an import over its files.
type ImportTotals struct {
	Files, Refused               int
	Added, Skipped, Replaced     int // documents
	Spans, SpansPresent, Dropped int // Dropped: spans whose text went with a replaced document
	Relations                    int
	NewLabels                    []string // in the order the files created them
}

// SumImport adds up the results of Import.
func SumImport(res []FileResult) ImportTotals {
	t := ImportTotals{}
	seen := map[string]bool{}
	for _, r := range res {
		if r.Skipped {
			continue
		}
		t.Files++
		if r.Err != nil {
			t.Refused++
			continue
		}
		ir := r.Result
		t.Added += len(ir.Added)
		t.Skipped += len(ir.Skipped)
		t.Replaced += len(ir.Replaced)
		t.Spans += ir.Spans
		t.SpansPresent += ir.SpansPresent
		t.Dropped += ir.SpansDropped
		t.Relations += ir.Relations
		for _, l := range ir.NewLabels {
			if !seen[l] {
				seen[l] = true
				t.NewLabels = append(t.NewLabels, l)
			}
		}
	}
	return t
}

// String words the totals as `tawsim import` and the app's Import dialog
// both print them: one line each for files, documents, spans and, when
// there are any, relations and new labels.
func (t ImportTotals) String() string {
	var b strings.Builder
	files := "files"
	if t.Files == 1 {
		files = "file"
	}
	fmt.Fprintf(&b, "%d %s: %d imported, %d refused.\n", t.Files, files, t.Files-t.Refused, t.Refused)
	fmt.Fprintf(&b, "Documents: %d added, %d skipped (already there with the same text), %d replaced.\n", t.Added, t.Skipped, t.Replaced)
	fmt.Fprintf(&b, "Spans: %d added, %d already there", t.Spans, t.SpansPresent)
	if t.Dropped > 0 {
		fmt.Fprintf(&b, ", %d dropped (their text changed with a replaced document)", t.Dropped)
	}
	b.WriteString(".")
	if t.Relations > 0 {
		fmt.Fprintf(&b, "\nRelations: %d added.", t.Relations)
	}
	if len(t.NewLabels) > 0 {
		fmt.Fprintf(&b, "\nNew labels: %s.", strings.Join(t.NewLabels, ", "))
	}
	return b.String()
}

// Refusal says why the file was refused, naming the file once: readers'
// errors name file and line already, others get the file put in front.
func (r FileResult) Refusal() string {
	msg := r.Err.Error()
	if !strings.Contains(msg, r.File) {
		msg = r.File + ": " + msg
	}
	return msg
}
