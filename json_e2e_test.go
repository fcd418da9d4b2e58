package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/internal/pgtest"
)

// TestImportRefusesWhatEncodingJSONRefuses: native JSONL lines that
// encoding/json rejects (numbers such as +1, 01, .5 and nesting deeper than
// it allows) are refused with file:line, and nothing of the file is stored;
// before, they were stored verbatim and broke every later export.
func TestImportRefusesWhatEncodingJSONRefuses(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	cases := map[string]string{
		"plus":    `{"id":"p","text":"نص","meta":{"n":+1}}`,
		"zero":    `{"id":"z","text":"نص","meta":{"n":01}}`,
		"dot":     `{"id":"d","text":"نص","meta":{"n":.5}}`,
		"deep":    `{"id":"deep","text":"نص","meta":` + deep + `}`,
		"deeparr": `{"id":"deeparr","text":"نص","meta":{"a":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}}`,
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			config, dir := t.TempDir(), t.TempDir()
			db := pgtest.Project(t, dir, "p.db")
			file := filepath.Join(dir, name+".jsonl")
			good := `{"id":"ok","text":"نص سليم","meta":{"n":1.5e3}}`
			if err := os.WriteFile(file, []byte(good+"\n"+bad+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, config, "import", "--db", db, file)
			if r.code != 1 {
				t.Fatalf("import of %s: exit %d, want 1\n%s%s", name, r.code, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout+r.stderr, name+".jsonl:2") {
				t.Fatalf("the refusal names no file:line:\n%s%s", r.stdout, r.stderr)
			}
			if rows := docsJSON(t, config, "--db", db); len(rows) != 0 {
				t.Fatalf("a refused file left %d documents", len(rows))
			}
			// The good line alone imports, and its metadata exports as JSON.
			if err := os.WriteFile(file, []byte(good+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, config, "import", "--db", db, file); r.code != 0 {
				t.Fatalf("import of the good line: %d %s", r.code, r.stderr)
			}
			r = run(t, config, "export", "--db", db, "--format", "jsonl", "--out", "-")
			if r.code != 0 || !strings.Contains(r.stdout, `"n":1.5e3`) && !strings.Contains(r.stdout, `"n":1500`) {
				t.Fatalf("export after import: %d %q %s", r.code, r.stdout, r.stderr)
			}
		})
	}
}
