package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"tawsim/storage"
)

// commands are this package's commands (main adds render).
var commands = []*Command{Adjudicate, Agree, Assign, Docs, Export, Guidelines, Import, Labels, Progress, Score, Version}

type result struct {
	stdout, stderr string
	code           int
}

func run(args ...string) result {
	var out, errb bytes.Buffer
	code := Run(commands, args, strings.NewReader(""), &out, &errb)
	return result{out.String(), errb.String(), code}
}

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageListsTheCommandsInOrder(t *testing.T) {
	for _, args := range [][]string{nil, {"-h"}, {"--help"}, {"help"}} {
		r := run(args...)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%q: %+v", args, r)
		}
		at := -1
		for _, c := range commands {
			i := strings.Index(r.stdout, "\n  tawsim "+c.Name+" ")
			if i < 0 || i < at {
				t.Fatalf("%q: %s missing or out of order:\n%s", args, c.Name, r.stdout)
			}
			at = i
		}
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	r := run("frobnicate", "--db", "x.db")
	if r.code != 2 || r.stdout != "" || !strings.HasPrefix(r.stderr, `tawsim: unknown command "frobnicate"`) || !strings.Contains(r.stderr, "tawsim import ") {
		t.Fatalf("%+v", r)
	}
}

// -h prints the flags with two dashes, as the usage line writes them, with
// their argument names and non-zero defaults.
func TestHelpPrintsFlagsWithTwoDashes(t *testing.T) {
	r := run("export", "--out", "-", "-h")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%+v", r)
	}
	for _, want := range []string{
		"Usage: tawsim export --format F ",
		"\n  --db PATH\n    \tproject database PATH ",
		"\n  --format string\n    \toutput format: ",
		`(default "jsonl")`,
		"\n  --gold\n    \texport the gold layer",
		"\n  --seed int\n    \tseed of the split assignment\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("-h lacks %q:\n%s", want, r.stdout)
		}
	}
	if m := regexp.MustCompile(`(?m)^\s+-[a-z]`).FindString(r.stdout); m != "" {
		t.Errorf("a flag with one dash: %q", m)
	}
	// version has no --db.
	if r := run("version", "-h"); r.code != 0 || strings.Contains(r.stdout, "--db") {
		t.Fatalf("version -h: %+v", r)
	}
}

// Import, list and export a project on a temporary database, with flags
// before and after the arguments.
func TestImportDocsExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	in := `{"id":"d1","text":"زار فيدان عمّان","annotator":"amina","spans":[{"start":4,"end":9,"label":"EVENT","text":"فيدان"}]}` + "\n" +
		`{"id":"d2","text":"لا شيء هنا","annotator":"amina"}` + "\n"
	p := write(t, dir, "in.jsonl", in)
	// EVENT is not a label of a new project: refused, naming it.
	if r := run("import", "--db", db, p); r.code != 1 || !strings.Contains(r.stdout, p+`:1: label not in the project's label set: "EVENT" (1 span, first at line 1) (use --add-labels to add it)`) {
		t.Fatalf("import of an unknown label: %+v", r)
	}
	r := run("import", p, "--db", db, "--add-labels") // flags after the argument
	if r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	for _, want := range []string{
		"imported " + p + ": 2 added, 0 skipped, 1 spans added, new labels EVENT\n",
		"1 file: 1 imported, 0 refused.\nDocuments: 2 added, 0 skipped (already there with the same text), 0 replaced.\nSpans: 1 added, 0 already there.\nNew labels: EVENT.\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import output lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run("docs", "--db", db, "--json")
	var docs []storage.DocInfo
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &docs) != nil {
		t.Fatalf("docs: %+v", r)
	}
	if len(docs) != 2 || docs[0].ID != "d1" || docs[0].Spans["amina"] != 1 || docs[1].ID != "d2" || len(docs[1].Spans) != 0 {
		t.Fatalf("docs %+v", docs)
	}
	out := filepath.Join(dir, "out.jsonl")
	r = run("export", "--db", db, "--out", out) // the only annotator, jsonl by default
	if r.code != 0 || !strings.Contains(r.stderr, `exported 2 documents, 1 spans (layer "amina") to `+out) {
		t.Fatalf("export: %+v", r)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var first struct {
		ID        string
		Annotator string
		Spans     []struct {
			Start, End  int
			Label, Text string
		}
	}
	if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &first) != nil {
		t.Fatalf("exported:\n%s", b)
	}
	if first.ID != "d1" || first.Annotator != "amina" || len(first.Spans) != 1 || first.Spans[0].Label != "EVENT" || first.Spans[0].Text != "فيدان" || first.Spans[0].Start != 4 {
		t.Fatalf("first line %+v", first)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o644 {
		t.Errorf("export mode %v", fi.Mode())
	}
	// The same file again: skipped, nothing added.
	if r := run("import", "--db", db, p); r.code != 0 || !strings.Contains(r.stdout, "Documents: 0 added, 2 skipped") || !strings.Contains(r.stdout, "Spans: 0 added, 1 already there.") {
		t.Fatalf("re-import: %+v", r)
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	a := write(t, dir, "a.txt", "نص أول")
	if r := run("import", "--db", db, a); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"unknown flag", []string{"docs", "--db", db, "--frob"}, 2, "", "flag provided but not defined: -frob"},
		{"no arguments taken", []string{"docs", "--db", db, "extra"}, 2, "", `tawsim docs: usage: unexpected argument "extra"`},
		{"import without paths", []string{"import", "--db", db}, 2, "", "name at least one file or folder"},
		{"--id with a folder of two", []string{"import", "--db", db, "--id", "x", filepath.Join(dir, "two")}, 2, "", "tawsim import: usage: --id: a document id names one document, but 2 files were given"},
		{"missing --db", []string{"docs", "--db", filepath.Join(dir, "typo.db")}, 1, "", "no database at " + filepath.Join(dir, "typo.db")},
		{"other text, same id", []string{"import", "--db", db, write(t, filepath.Join(dir, "o"), "a.txt", "نص آخر")}, 1,
			`document "a" already exists with a different text (use --replace to replace it)`, ""},
		{"spans without annotator", []string{"import", "--db", db, write(t, dir, "n.jsonl", `{"id":"n","text":"زار الأردن","spans":[{"start":4,"end":10,"label":"STATE"}]}`+"\n")}, 1,
			`n.jsonl:1: document "n" has spans but no annotator: give --annotator NAME or an "annotator" field`, ""},
		{"agree with one annotator", []string{"agree", "--db", db}, 2, "", "two or more annotators"},
		{"agree naming one annotator", []string{"agree", "--db", db, "--annotators", "amina"}, 2, "", "--annotators amina: agreement needs two or more annotators"},
		{"score without gold", []string{"score", "--pred", a}, 2, "", "exactly one of --gold FILE or --db PATH"},
		{"version", []string{"version"}, 0, "tawsim " + ProgramVersion + " (database schema", ""},
	}
	write(t, dir, "two/1.txt", "واحد")
	write(t, dir, "two/2.txt", "اثنان")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(c.args...)
			if r.code != c.code || !strings.Contains(r.stdout, c.stdout) || !strings.Contains(r.stderr, c.stderr) {
				t.Fatalf("exit %d, want %d with %q / %q; got\nstdout: %s\nstderr: %s", r.code, c.code, c.stdout, c.stderr, r.stdout, r.stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); err == nil {
		t.Error("a mistyped --db was created")
	}
}

// "--" ends the flags: what follows is an argument even if it looks like one.
func TestDoubleDashEndsTheFlags(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	p := write(t, dir, "-odd.txt", "نص")
	old, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(old)
	if r := run("import", "--db", db, "--", "-odd.txt"); r.code != 0 || !strings.Contains(r.stdout, "imported -odd.txt: 1 added") {
		t.Fatalf("%s: %+v", p, r)
	}
}
