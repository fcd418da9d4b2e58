package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"tawsim/internal/pgtest"
)

var binary string

// TestMain builds the binary, runs the tests on SQLite and again on
// PostgreSQL (pgtest), where newProject's databases are on the server; the
// second run uses the same binary.
func TestMain(m *testing.M) {
	if binary = os.Getenv("TAWSIM_E2E_BINARY"); binary != "" { // the PostgreSQL run
		os.Exit(pgtest.Run(m, nil))
	}
	dir, err := os.MkdirTemp("", "tawsim-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "tawsim")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := pgtest.Run(m, []string{"TAWSIM_E2E_BINARY=" + binary})
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs the built binary with a private config directory.
func run(t *testing.T, config string, args ...string) result {
	t.Helper()
	return runCmd(t, exec.Command(binary, args...), config)
}

// runCmd runs cmd (the built binary) with a private config directory and
// collects its output and exit status.
func runCmd(t *testing.T, cmd *exec.Cmd, config string) result {
	t.Helper()
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+config, "HOME="+config)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// mustRun is run for a command that has to succeed.
func mustRun(t *testing.T, config string, args ...string) result {
	t.Helper()
	r := run(t, config, args...)
	if r.code != 0 {
		t.Fatalf("tawsim %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// newProject gives a test a private config directory, a scratch directory
// and the path of a project database in it (created by the first import);
// in the PostgreSQL run, the DSN of an empty database instead.
func newProject(t *testing.T) (config, dir, db string) {
	dir = t.TempDir()
	return t.TempDir(), dir, pgtest.Project(t, dir, "p.db")
}

// newFileProject is newProject for a test of files: always SQLite.
func newFileProject(t *testing.T) (config, dir, db string) {
	dir = t.TempDir()
	return t.TempDir(), dir, filepath.Join(dir, "p.db")
}

type docRow struct {
	ID     string            `json:"id"`
	Title  string            `json:"title"`
	Length int               `json:"length"`
	Spans  map[string]int    `json:"spans"`
	Status map[string]string `json:"status"`
	Gold   struct {
		Status     string `json:"status"`
		OpenGroups int    `json:"open_groups"`
		GoldSpans  int    `json:"gold_spans"`
	} `json:"gold"`
}

func docsJSON(t *testing.T, config string, args ...string) []docRow {
	t.Helper()
	r := mustRun(t, config, append([]string{"docs", "--json"}, args...)...)
	var rows []docRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("docs --json: %v in %q", err, r.stdout)
	}
	return rows
}

func TestFirstRunHasSampleCorpus(t *testing.T) {
	config := t.TempDir()
	rows := docsJSON(t, config)
	if len(rows) != 5 {
		t.Fatalf("first run: %d documents, want the 5 samples", len(rows))
	}
	if rows[0].ID != "000_8e17720d02d992ee" || rows[0].Length != 2122 || !strings.Contains(rows[0].Title, "فيدان") {
		t.Fatalf("first sample = %+v", rows[0])
	}
	if _, err := os.Stat(filepath.Join(config, "tawsim", "default.db")); err != nil {
		t.Fatal("default database not in XDG_CONFIG_HOME/tawsim:", err)
	}
	// The second run does not add them again.
	if rows := docsJSON(t, config); len(rows) != 5 {
		t.Fatalf("second run: %d documents", len(rows))
	}
	// A database named with --db starts empty: after importing one file it
	// holds that document and none of the samples.
	dir := t.TempDir()
	db := filepath.Join(dir, "x.db")
	mustRun(t, config, "import", "--db", db, write(t, dir, "one.txt", []byte("نص واحد")))
	if rows := docsJSON(t, config, "--db", db); len(rows) != 1 || rows[0].ID != "one" {
		t.Fatalf("--db database holds %+v", rows)
	}
	// Any other command refuses a --db that does not exist (a typo would
	// otherwise look like an empty project).
	r := run(t, config, "export", "--db", filepath.Join(dir, "typo.db"), "--out", "-")
	if r.code != 1 || !strings.Contains(r.stderr, "no database at") {
		t.Fatalf("export from a missing --db: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); err == nil {
		t.Fatal("export created the mistyped database")
	}
}

func TestImportUsageErrorsAndBOMInJSONL(t *testing.T) {
	config, dir, db := newProject(t)
	a := write(t, dir, "a.txt", []byte("أ"))
	b := write(t, dir, "b.txt", []byte("ب"))
	if r := run(t, config, "import", "--db", db, "--id", "x", a, b); r.code != 2 {
		t.Fatalf("--id with two files: %+v", r)
	}
	if r := run(t, config, "import", "--db", db, "--format", "bogus", a); r.code != 2 || !strings.Contains(r.stderr, "bogus") {
		t.Fatalf("--format bogus: %+v", r)
	}
	// A JSONL file saved with a byte-order mark (as Notepad does).
	p := write(t, dir, "bom.jsonl", []byte("\uFEFF"+`{"id":"b1","text":"نص"}`+"\n"))
	if r := run(t, config, "import", "--db", db, p); r.code != 0 || !strings.Contains(r.stdout, "1 added") {
		t.Fatalf("JSONL with a BOM: %+v", r)
	}
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func exportLine(t *testing.T, config, db string, args ...string) []map[string]any {
	t.Helper()
	r := mustRun(t, config, append([]string{"export", "--db", db, "--format", "jsonl", "--out", "-"}, args...)...)
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestImportBadInput(t *testing.T) {
	config, dir, db := newProject(t)
	cases := []struct {
		name     string
		file     string
		data     string
		args     []string
		code     int
		contains []string // in stdout
	}{
		{"invalid UTF-8", "bad.txt", "سطر أول\nسطر \xff ثان\n", nil, 1, []string{"refused", "bad.txt:2", "invalid UTF-8", "0xff"}},
		{"empty file", "empty.txt", "", nil, 1, []string{"refused", "empty.txt", "empty"}},
		{"empty jsonl", "empty.jsonl", "\n\n", nil, 1, []string{"refused", "empty.jsonl", "empty"}},
		{"span out of range", "range.jsonl",
			`{"id":"ok1","text":"نص صحيح"}` + "\n" + `{"id":"r1","text":"قصير","spans":[{"start":2,"end":40,"label":"PERSON"}],"annotator":"a"}` + "\n",
			nil, 1, []string{"refused", "range.jsonl:2", `"r1"`, "span 0", "outside the text"}},
		{"span text mismatch", "mismatch.jsonl",
			`{"id":"m1","text":"زار والأردن","spans":[{"start":4,"end":11,"label":"STATE","text":"الأردن"}],"annotator":"a"}` + "\n",
			nil, 1, []string{"refused", "mismatch.jsonl:1", "span 0", "does not match"}},
		{"broken json", "broken.jsonl", `{"id":"b1","text":"x"}` + "\n" + `{"id": "b2", "text": ` + "\n", nil, 1, []string{"broken.jsonl:2", "not a JSON object"}},
		{"spans without annotator", "noann.jsonl", `{"id":"n1","text":"زار الأردن","spans":[{"start":4,"end":10,"label":"STATE"}]}` + "\n", nil, 1, []string{"noann.jsonl:1", "annotator"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, dir, c.file, []byte(c.data))
			r := run(t, config, append([]string{"import", "--db", db, p}, c.args...)...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d; %s %s", r.code, c.code, r.stdout, r.stderr)
			}
			for _, s := range c.contains {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("output lacks %q:\n%s", s, r.stdout)
				}
			}
		})
	}
	// Nothing of any refused file was stored.
	if rows := docsJSON(t, config, "--db", db); len(rows) != 0 {
		t.Fatalf("refused files left %d documents: %+v", len(rows), rows)
	}

	// BOM dropped, CRLF and CR turned into LF, nothing else touched.
	p := write(t, dir, "bom.txt", []byte("\uFEFFسطر\r\nثان\rثالث\u00a0 \n"))
	if r := run(t, config, "import", "--db", db, p); r.code != 0 || !strings.Contains(r.stdout, "1 added") {
		t.Fatalf("bom import: %+v", r)
	}
	lines := exportLine(t, config, db)
	if len(lines) != 1 || lines[0]["text"] != "سطر\nثان\nثالث\u00a0 \n" || lines[0]["id"] != "bom" {
		t.Fatalf("stored text: %+v", lines)
	}
	// Re-import of the same document is a no-op.
	if r := run(t, config, "import", "--db", db, p); r.code != 0 || !strings.Contains(r.stdout, "0 added, 1 skipped") {
		t.Fatalf("re-import: %+v", r)
	}
	// Same id, other text: refused naming the id, unless --replace.
	other := write(t, filepath.Join(dir, "other"), "bom.txt", []byte("نص آخر"))
	r := run(t, config, "import", "--db", db, other)
	if r.code != 1 || !strings.Contains(r.stdout, `document "bom" already exists with a different text`) {
		t.Fatalf("duplicate id: %+v", r)
	}
	if r := run(t, config, "import", "--db", db, "--replace", other); r.code != 0 || !strings.Contains(r.stdout, "1 replaced") {
		t.Fatalf("--replace: %+v", r)
	}
	if lines := exportLine(t, config, db); lines[0]["text"] != "نص آخر" {
		t.Fatalf("after replace: %v", lines[0]["text"])
	}

	// A 5 MB document.
	big := strings.Repeat("أكد وزير الخارجية التركي هاكان فيدان أن أنقرة ستواصل التعاون. ", 5<<20/110)
	p = write(t, dir, "big.txt", []byte(big))
	mustRun(t, config, "import", "--db", db, p)
	for _, row := range docsJSON(t, config, "--db", db) {
		if row.ID == "big" && row.Length != len([]rune(big)) {
			t.Fatalf("big document length %d, want %d", row.Length, len([]rune(big)))
		}
	}
}

func TestImportFolderRecursive(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	write(t, dir, "a/one.txt", []byte("الأول"))
	write(t, dir, "a/b/two.txt", []byte("الثاني"))
	write(t, dir, "a/.hidden.txt", []byte("مخفي"))
	write(t, dir, "a/notes.md", []byte("ignored"))
	db := pgtest.Project(t, dir, "p.db")
	r := run(t, config, "import", "--db", db, filepath.Join(dir, "a"))
	if r.code != 0 || !strings.Contains(r.stdout, "2 added") {
		t.Fatalf("folder import: %+v", r)
	}
	rows := docsJSON(t, config, "--db", db)
	if len(rows) != 2 || rows[0].ID != "one" || rows[1].ID != "two" {
		t.Fatalf("rows = %+v", rows)
	}
}

const roundTripJSONL = `{"id":"d1","text":"بحسب صحيفة Türkiye Gazetesi التركية، زار والأردن في 10 مارس 2025 (سانا) 😀.","title":"عنوان","meta":{"url":"https://example.org/a","n":1},"annotator":"amina","spans":[{"start":11,"end":27,"label":"CLAIM","text":"Türkiye Gazetesi"},{"start":42,"end":48,"label":"STATE","text":"الأردن"},{"start":41,"end":48,"label":"STATE"}],"relations":[{"head":0,"tail":1,"label":"SOURCE"}]}
{"id":"d2","text":"لا شيء هنا\nسطر ثان","annotator":"amina"}
`

func TestExportRoundTrip(t *testing.T) {
	config, dir := t.TempDir(), t.TempDir()
	in := write(t, dir, "in.jsonl", []byte(roundTripJSONL))
	db1, db2 := pgtest.Project(t, dir, "1.db"), pgtest.Project(t, dir, "2.db")
	mustRun(t, config, "import", "--db", db1, in)
	out1 := filepath.Join(dir, "out1.jsonl")
	mustRun(t, config, "export", "--db", db1, "--format", "jsonl", "--out", out1)
	mustRun(t, config, "import", "--db", db2, out1)
	out2 := filepath.Join(dir, "out2.jsonl")
	mustRun(t, config, "export", "--db", db2, "--annotator", "amina", "--out", out2)
	b1, _ := os.ReadFile(out1)
	b2, _ := os.ReadFile(out2)
	if !bytes.Equal(b1, b2) {
		t.Fatalf("round trip differs:\n%s\n%s", b1, b2)
	}
	// Every span carries text == document[start:end], in code points.
	var line struct {
		Text  string
		Spans []struct {
			Start, End int
			Label      string
			Text       string
		}
		Relations []struct{ Head, Tail int }
		Meta      map[string]any
	}
	first := strings.SplitN(string(b1), "\n", 2)[0]
	if err := json.Unmarshal([]byte(first), &line); err != nil {
		t.Fatal(err)
	}
	runes := []rune(line.Text)
	if len(line.Spans) != 3 || len(line.Relations) != 1 || line.Meta["url"] != "https://example.org/a" {
		t.Fatalf("exported line: %s", first)
	}
	for _, s := range line.Spans {
		if string(runes[s.Start:s.End]) != s.Text {
			t.Fatalf("span %+v text differs from the document", s)
		}
	}
	// Several annotators: the export asks which.
	write(t, dir, "b.jsonl", []byte(`{"id":"d2","text":"لا شيء هنا\nسطر ثان","annotator":"badr","spans":[{"start":0,"end":2,"label":"CLAIM"}]}`+"\n"))
	run(t, config, "import", "--db", db1, filepath.Join(dir, "b.jsonl"))
	r := run(t, config, "export", "--db", db1, "--out", "-")
	if r.code != 2 || !strings.Contains(r.stderr, "amina, badr") {
		t.Fatalf("ambiguous export: %+v", r)
	}
	// A failed export leaves no file.
	r = run(t, config, "export", "--db", db1, "--annotator", "nobody", "--out", filepath.Join(dir, "none.jsonl"))
	if _, err := os.Stat(filepath.Join(dir, "none.jsonl")); r.code == 0 || err == nil {
		t.Fatalf("export for an unknown annotator: %+v", r)
	}
}

func TestVersionAndHelp(t *testing.T) {
	config := t.TempDir()
	if r := run(t, config, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "tawsim ") {
		t.Fatalf("version: %+v", r)
	}
	for _, c := range []string{"import", "docs", "export"} {
		if r := run(t, config, c, "-h"); r.code != 0 || !strings.Contains(r.stdout, "--db") && !strings.Contains(r.stdout, "-db") {
			t.Fatalf("%s -h: %+v", c, r)
		}
	}
	if r := run(t, config, "frobnicate"); r.code != 2 {
		t.Fatalf("unknown command: %+v", r)
	}
}
