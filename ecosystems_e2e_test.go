package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The exports count as the ecosystems' readers do (formatsJSONL: the
// ORGANIZATION span after 😀 is at code points 67..74, UTF-16 units 68..75).
func TestExportsCountAsTheirEcosystems(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	db := filepath.Join(dir, "p.db")
	mustRun(t, config, "import", "--db", db, write(t, dir, "in.jsonl", []byte(formatsJSONL)))
	export := func(args ...string) string {
		out := filepath.Join(dir, strings.Join(args, "_"))
		mustRun(t, config, append([]string{"export", "--db", db, "--out", out}, args...)...)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if out := export("--format", "labelstudio"); !strings.Contains(out, `"start":67,"end":74,"text":"uters ف"`) {
		t.Errorf("labelstudio: not code points:\n%s", out)
	}
	if out := export("--format", "doccano"); !strings.Contains(out, `[67,74,"ORGANIZATION"]`) {
		t.Errorf("doccano: not code points:\n%s", out)
	}
	if out := export("--format", "doccano", "--offsets", "utf16"); !strings.Contains(out, `[68,75,"ORGANIZATION"]`) || !strings.Contains(out, `[20,31,"PERSON"]`) {
		t.Errorf("doccano --offsets utf16:\n%s", out)
	}
	if r := run(t, config, "export", "--db", db, "--format", "labelstudio", "--offsets", "utf16", "--out", "-"); r.code != 2 || !strings.Contains(r.stderr, "--offsets") {
		t.Errorf("labelstudio --offsets utf16: exit %d %s", r.code, r.stderr)
	}
	out := export("--format", "conll")
	ids, err := os.ReadFile(filepath.Join(dir, "--format_conll.ids"))
	if err != nil || string(ids) != "d1\nd2\nd3\n" || strings.Count(out, "-DOCSTART- -X- O O\n\n") != 3 || strings.Contains(out, "-DOCSTART- d") {
		t.Errorf("conll: %v %q\n%s", err, ids, out)
	}
}
