package main

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func encoded(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tawsim import --encoding converts Windows-1256, ISO-8859-6 and UTF-16
// files; the spans' offsets count over the converted text, so the export
// after the import has each span's text equal to document[start:end].
// Without the option the file is refused, naming file, line and option.
func TestImportLegacyEncodingsThroughTheBinary(t *testing.T) {
	config, dir, db := newProject(t)
	const text = "قال وزير الخارجية في واشنطن إن المحادثات مع بغداد مستمرة"
	line := `{"id":"%s","text":"` + text + `","annotator":"amina","spans":[{"start":21,"end":27,"label":"LOC"},{"start":44,"end":49,"label":"LOC"}]}` + "\r\n"
	w1256 := write(t, dir, "w1256.jsonl", encoded(t, charmap.Windows1256, strings.ReplaceAll(line, "%s", "w1256")))
	iso := write(t, dir, "iso.jsonl", encoded(t, charmap.ISO8859_6, strings.ReplaceAll(line, "%s", "iso")))
	u16 := write(t, dir, "u16.txt", encoded(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "سطر أول\r\nفي واشنطن\r\n"))

	r := run(t, config, "import", "--db", db, "--add-labels", w1256)
	if r.code == 0 || !strings.Contains(r.stdout+r.stderr, w1256+":1: invalid UTF-8 byte") || !strings.Contains(r.stdout+r.stderr, "--encoding windows-1256") {
		t.Fatalf("a Windows-1256 file read as UTF-8: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, config, "import", "--db", db, "--encoding", "koi8-r", w1256); r.code != 2 || !strings.Contains(r.stderr, "utf-16") {
		t.Fatalf("unknown encoding: exit %d %s", r.code, r.stderr)
	}
	mustRun(t, config, "import", "--db", db, "--add-labels", "--encoding", "windows-1256", w1256)
	mustRun(t, config, "import", "--db", db, "--encoding", "iso-8859-6", iso)
	mustRun(t, config, "import", "--db", db, "--encoding", "utf-16", u16)

	lengths := map[string]int{}
	for _, d := range docsJSON(t, config, "--db", db) {
		lengths[d.ID] = d.Length
	}
	if want := len([]rune(text)); lengths["w1256"] != want || lengths["iso"] != want || lengths["u16"] != len([]rune("سطر أول\nفي واشنطن\n")) {
		t.Fatalf("lengths %v (the BOM dropped, CRLF → LF)", lengths)
	}
	out := mustRun(t, config, "export", "--db", db, "--annotator", "amina", "--out", "-").stdout
	seen := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec struct {
			ID    string
			Text  string
			Spans []struct {
				Start, End int
				Text       string
			}
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		if rec.ID == "u16" {
			continue
		}
		if rec.Text != text || len(rec.Spans) != 2 {
			t.Fatalf("%s: %q with %d spans", rec.ID, rec.Text, len(rec.Spans))
		}
		for i, sp := range rec.Spans {
			if got := string([]rune(rec.Text)[sp.Start:sp.End]); got != sp.Text || got != []string{"واشنطن", "بغداد"}[i] {
				t.Errorf("%s: span %d..%d text %q, document[start:end] %q", rec.ID, sp.Start, sp.End, sp.Text, got)
			}
		}
		seen++
	}
	if seen != 2 {
		t.Fatalf("exported %d legacy documents:\n%s", seen, out)
	}
}
