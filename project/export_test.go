package project

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"tawsim/annotate"
	"tawsim/internal/pgtest"
	"tawsim/storage"
)

func testProject(t *testing.T, n int) *storage.Store {
	t.Helper()
	st, err := storage.OpenEmpty(pgtest.Project(t, t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []annotate.Record
	for i := 0; i < n; i++ {
		recs = append(recs, annotate.Record{
			Doc:    annotate.Document{ID: fmt.Sprintf("d%04d", i), Text: "زار فيدان عمّان"},
			Layers: []annotate.Layer{{Annotator: "amina", Spans: []annotate.Span{{Start: 4, End: 9, Label: "PERSON"}}}},
		})
	}
	if _, err := st.Import(recs, storage.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return st
}

// If reading the store fails half-way (here: the store is closed after the
// first batch), the export fails and what was at the destination stays:
// an earlier export file, or a folder with the user's other files.
func TestFailedExportLeavesDestinationAlone(t *testing.T) {
	for _, c := range []struct{ format, dest string }{{"jsonl", "out.jsonl"}, {"hf", "outdir"}, {"brat", "bratdir"}} {
		t.Run(c.format, func(t *testing.T) {
			st := testProject(t, 600)
			dir := t.TempDir()
			dest := filepath.Join(dir, c.dest)
			keep := dest
			if c.format != "jsonl" {
				os.Mkdir(dest, 0o755)
				keep = filepath.Join(dest, "notes.txt")
			}
			if err := os.WriteFile(keep, []byte("precious"), 0o644); err != nil {
				t.Fatal(err)
			}
			closed := false
			_, err := ExportProject(st, ExportJob{Format: c.format, Layer: "amina", Dest: dest}, func(done, total int) {
				if done >= 16 && !closed {
					closed = true
					st.Close()
				}
			})
			if err == nil {
				t.Fatal("the export did not report the failure")
			}
			if b, rerr := os.ReadFile(keep); rerr != nil || string(b) != "precious" {
				t.Fatalf("%s after the failed export: %q, %v", keep, b, rerr)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if e.Name() != c.dest {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

func TestExportFilesAreReadable(t *testing.T) {
	st := testProject(t, 3)
	defer st.Close()
	dest := filepath.Join(t.TempDir(), "out.jsonl")
	if _, err := ExportProject(st, ExportJob{Format: "jsonl", Layer: "amina", Dest: dest}, nil); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dest)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
