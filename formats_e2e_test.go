package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/internal/pgtest"
)

// Nested spans, a clitic split, diacritics, tatweel, digits, Latin, an emoji
// (two UTF-16 units), an empty document and one without spans.
const formatsJSONL = `{"id":"d1","text":"قال وزيرُ الخارجية هاكان فيدان 😀 إن والأردن وتركيـا ستتعاونان مع Reuters في 2025.","title":"عنوان","annotator":"amina","spans":[{"start":20,"end":31,"label":"PERSON"},{"start":26,"end":31,"label":"PERSON"},{"start":41,"end":47,"label":"STATE"},{"start":49,"end":54,"label":"STATE"},{"start":67,"end":74,"label":"ORGANIZATION"}]}
{"id":"d2","text":"لا كيانات هنا.","annotator":"amina"}
{"id":"d3","text":"","annotator":"amina"}
`

func TestEveryFormatRoundTripsThroughTheBinary(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	in := write(t, dir, "in.jsonl", []byte(formatsJSONL))
	db := pgtest.Project(t, dir, "p.db")
	mustRun(t, config, "import", "--db", db, in)
	for _, f := range []string{"jsonl", "doccano", "labelstudio", "spacy", "hf", "conll", "brat"} {
		t.Run(f, func(t *testing.T) {
			out1 := filepath.Join(dir, f+"-1")
			out2 := filepath.Join(dir, f+"-2")
			mustRun(t, config, "export", "--db", db, "--format", f, "--out", out1)
			db2 := pgtest.Project(t, dir, f+".db")
			mustRun(t, config, "import", "--db", db2, "--format", f, "--annotator", "amina", out1)
			mustRun(t, config, "export", "--db", db2, "--format", f, "--out", out2)
			a, b := readAll(t, out1), readAll(t, out2)
			if a != b {
				t.Fatalf("export → import → export differs:\n%s\n---\n%s", a, b)
			}
		})
	}
}

// readAll reads a file, or every file of a folder in name order.
func readAll(t *testing.T, path string) string {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !info.IsDir() {
		b, _ := os.ReadFile(path)
		return string(b)
	}
	var sb strings.Builder
	filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(path, p)
			sb.WriteString("== " + rel + "\n")
			sb.Write(b)
		}
		return nil
	})
	return sb.String()
}

func TestExportSplitsAndOnlyDone(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	var lines bytes.Buffer
	for i := 0; i < 40; i++ {
		json.NewEncoder(&lines).Encode(map[string]any{"id": "doc" + string(rune('A'+i)), "text": "نص رقم " + string(rune('A'+i)), "annotator": "amina",
			"spans": []map[string]any{{"start": 0, "end": 2, "label": "CLAIM"}}})
	}
	db := pgtest.Project(t, dir, "p.db")
	run(t, config, "import", "--db", db, write(t, dir, "in.jsonl", lines.Bytes()))
	out := filepath.Join(dir, "set.jsonl")
	r := mustRun(t, config, "export", "--db", db, "--split", "train=0.5,dev=0.25,test=0.25", "--seed", "7", "--out", out)
	seen := map[string]string{}
	for _, s := range []string{"train", "dev", "test"} {
		b, err := os.ReadFile(filepath.Join(dir, "set-"+s+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var m struct{ ID string }
			json.Unmarshal([]byte(l), &m)
			if prev, dup := seen[m.ID]; dup {
				t.Fatalf("%s in %s and %s", m.ID, prev, s)
			}
			seen[m.ID] = s
		}
	}
	if len(seen) != 40 {
		t.Fatalf("%d documents across splits", len(seen))
	}
	// Adding documents moves none of the others.
	run(t, config, "import", "--db", db, write(t, dir, "more.jsonl", []byte(`{"id":"zz","text":"جديد"}`+"\n")))
	run(t, config, "export", "--db", db, "--split", "train=0.5,dev=0.25,test=0.25", "--seed", "7", "--out", out)
	for _, s := range []string{"train", "dev", "test"} {
		b, _ := os.ReadFile(filepath.Join(dir, "set-"+s+".jsonl"))
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var m struct{ ID string }
			json.Unmarshal([]byte(l), &m)
			if prev, ok := seen[m.ID]; ok && prev != s {
				t.Fatalf("%s moved from %s to %s", m.ID, prev, s)
			}
		}
	}
	// --only-done: nothing is done yet.
	r = run(t, config, "export", "--db", db, "--only-done", "--out", "-")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "" {
		t.Fatalf("only-done: %+v", r)
	}
	// Bad split specs are usage errors.
	if r := run(t, config, "export", "--db", db, "--split", "train=0.5,dev=0.2", "--out", out); r.code != 2 {
		t.Fatalf("bad split: %+v", r)
	}
}

// The exports count as the ecosystems' readers do (formatsJSONL: the
// ORGANIZATION span after 😀 is at code points 67..74, UTF-16 units 68..75).
func TestExportsCountAsTheirEcosystems(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	db := pgtest.Project(t, dir, "p.db")
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
