package rendercmd

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/cli"
)

// The PNG is written whole and readable by all, like every other output
// (it was 0600 when render had an atomic-write copy of its own).
func TestRenderWritesAReadablePNG(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	in := filepath.Join(dir, "in.jsonl")
	line := `{"id":"d1","text":"زار فيدان عمّان","annotator":"amina","spans":[{"start":4,"end":9,"label":"PERSON"}]}` + "\n"
	if err := os.WriteFile(in, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	cmds := []*cli.Command{cli.Import, Render}
	var out, errb bytes.Buffer
	if code := cli.Run(cmds, []string{"import", "--db", db, in}, nil, &out, &errb); code != 0 {
		t.Fatalf("import: %d %s %s", code, out.String(), errb.String())
	}
	dest := filepath.Join(dir, "d1.png")
	errb.Reset()
	if code := cli.Run(cmds, []string{"render", "--db", db, "--doc", "d1", "--width", "400", "--out", dest}, nil, &out, &errb); code != 0 {
		t.Fatalf("render: %d %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), `rendered d1 (1 spans of "amina") to `+dest) {
		t.Errorf("stderr %q", errb.String())
	}
	f, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil || img.Bounds().Dx() != 400 {
		t.Fatalf("png: %v %v", err, img)
	}
	if fi, _ := f.Stat(); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	// A usage error writes nothing.
	if code := cli.Run(cmds, []string{"render", "--db", db, "--doc", "d1", "--width", "50", "--out", filepath.Join(dir, "x.png")}, nil, &out, &errb); code != 2 {
		t.Fatalf("--width 50: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.png")); err == nil {
		t.Error("a refused render left a file")
	}
}
