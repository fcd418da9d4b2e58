package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"tawsim/project"
)

// A file refused for what it holds (invalid UTF-8) is not read: alone it
// leaves the bar at 0, not 100 % beside its refusal; while the import
// runs the bar never reaches the end.
func TestImportRefusedFileIsNotRead(t *testing.T) {
	u, _, st := newTestUI(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "latin1.jsonl")
	if err := os.WriteFile(bad, []byte("{\"id\":\"l1\",\"text\":\"caf\xe9\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.jsonl")
	if err := os.WriteFile(good, []byte(`{"id":"g1","text":"نص"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		paths []string
		read  float64
	}{{[]string{bad}, 0}, {[]string{good, bad}, 0.5}, {[]string{bad, good}, 0.5}} {
		var top float64
		res, read := importEach(st, c.paths, project.ImportOptions{Annotator: "omar"}, func(n, total int) {
			top = max(top, float64(n)/float64(total))
		})
		if read != c.read || top >= 1 {
			t.Errorf("%v: read %v, the running progress reached %v (results %+v)", c.paths, read, top, res)
		}
	}
	d := showImport(u)
	d.paths.SetText(bad)
	test.Tap(d.run)
	d.wait()
	if d.bar.Value != 0 {
		t.Errorf("one refused file: the bar shows %v\n%s", d.bar.Value, d.summary.Text)
	}
}
