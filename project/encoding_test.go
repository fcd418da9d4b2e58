package project

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"tawsim/export"
)

// legacyEncoders write the test files: the bytes are made by the encoder,
// not typed in.
var legacyEncoders = map[string]encoding.Encoding{
	"windows-1256": charmap.Windows1256,
	"iso-8859-6":   charmap.ISO8859_6,
	"utf-16":       unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), // writes a BOM
	"utf-16le":     unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
	"utf-16be":     unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
}

func encodeAs(t *testing.T, name, s string) []byte {
	t.Helper()
	b, err := legacyEncoders[name].NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("%s cannot encode %q: %v", name, s, err)
	}
	return b
}

// writeBytes is writeFile for bytes, making the folder.
func writeBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, string(b))
}

// Every importable format reads a file in each legacy encoding: the text
// is the converted text (CRLF → LF, a leading BOM dropped) and the span's
// offsets count code points over it.
func TestImportConvertsLegacyEncodings(t *testing.T) {
	const text = "زار الوزير واشنطن أمس" // واشنطن is code points 11..17
	files := map[string]string{          // name → content (UTF-8, before encoding)
		"doc.txt":       "زار الوزير واشنطن\r\nأمس\r\n",
		"native.jsonl":  `{"id":"n1","text":"` + text + `","annotator":"amina","spans":[{"start":11,"end":17,"label":"LOC"}]}` + "\r\n",
		"doccano.jsonl": `{"text":"` + text + `","label":[[11,17,"LOC"]]}` + "\n",
		"tokens.conll":  "زار\tO\nالوزير\tO\nواشنطن\tB-LOC\nأمس\tO\n",
		"ls.json":       `[{"id":1,"data":{"text":"` + text + `"},"annotations":[{"completed_by":1,"result":[{"value":{"start":11,"end":17,"labels":["LOC"]},"from_name":"label","to_name":"text","type":"labels"}]}]}]`,
		"brat/b1.txt":   text,
		"brat/b1.ann":   "T1\tLOC 11 17\tواشنطن\n",
	}
	for enc := range legacyEncoders {
		dir := t.TempDir()
		for name, content := range files {
			if strings.HasPrefix(enc, "utf-16") && name == "doc.txt" && enc != "utf-16" {
				content = "\uFEFF" + content // utf-16le/be: a BOM read as text, dropped as stored text's rule says
			}
			writeBytes(t, filepath.Join(dir, name), encodeAs(t, enc, content))
		}
		for _, name := range []string{"doc.txt", "native.jsonl", "doccano.jsonl", "tokens.conll", "ls.json", "brat"} {
			path := filepath.Join(dir, name)
			if _, _, err := ReadFile(path, ImportOptions{}); err == nil && enc != "utf-16be" {
				// UTF-16BE Arabic has no byte that breaks UTF-8 in every
				// file; the others must be refused as they are.
				t.Errorf("%s %s: read as UTF-8 without an error", enc, name)
			}
			recs, _, err := ReadFile(path, ImportOptions{Encoding: enc})
			if err != nil {
				t.Fatalf("%s %s: %v", enc, name, err)
			}
			if len(recs) != 1 {
				t.Fatalf("%s %s: %d records", enc, name, len(recs))
			}
			doc := recs[0].Doc
			if name == "doc.txt" {
				if doc.Text != "زار الوزير واشنطن\nأمس\n" {
					t.Errorf("%s %s: text %q", enc, name, doc.Text)
				}
				continue
			}
			if doc.Text != text {
				t.Fatalf("%s %s: text %q, want %q", enc, name, doc.Text, text)
			}
			if len(recs[0].Layers) != 1 || len(recs[0].Layers[0].Spans) != 1 {
				t.Fatalf("%s %s: layers %+v", enc, name, recs[0].Layers)
			}
			sp := recs[0].Layers[0].Spans[0]
			if got := string([]rune(doc.Text)[sp.Start:sp.End]); got != "واشنطن" || sp.Label != "LOC" {
				t.Errorf("%s %s: span %d..%d %s covers %q", enc, name, sp.Start, sp.End, sp.Label, got)
			}
		}
	}
}

// Bytes an encoding leaves undefined are refused with the file and line,
// not stored as U+FFFD; so is a lone UTF-16 surrogate, also past the
// first buffer of a streamed file.
func TestImportRefusesWhatTheEncodingCannotRead(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("سطر طويل من النص العربي\n", 6000)  // > 64 KB: several reads
	iso := append(encodeAs(t, "iso-8859-6", long+"سطر"), 0xA1) // 0xA1 is unassigned in ISO-8859-6
	surrogate := append(encodeAs(t, "utf-16le", "{\"id\":\"a\",\"text\":\"ب\"}\n{\"id\":\"b\",\"text\":\"ت"), 0x00, 0xD8)
	surrogate = append(surrogate, encodeAs(t, "utf-16le", "\"}\n")...)
	for _, c := range []struct {
		name, enc string
		data      []byte
		want      string
	}{
		{"iso.txt", "iso-8859-6", iso, ":6001: bytes that are not iso-8859-6 text"},
		{"iso.jsonl", "iso-8859-6", append(encodeAs(t, "iso-8859-6", "{\"id\":\"a\",\"text\":\"ب\"}\n{\"text\":\""), 0xFF), ":2: bytes that are not iso-8859-6 text"},
		{"lone.jsonl", "utf-16le", surrogate, ":2: bytes that are not utf-16le text"},
	} {
		path := filepath.Join(dir, c.name)
		writeBytes(t, path, c.data)
		_, _, err := ReadFile(path, ImportOptions{Encoding: c.enc})
		if err == nil || !strings.HasPrefix(err.Error(), path+c.want) {
			t.Errorf("%s: %v, want %s%s", c.name, err, path, c.want)
		}
	}
	if _, _, err := ReadFile(filepath.Join(dir, "iso.txt"), ImportOptions{Encoding: "latin-9"}); err == nil || !strings.Contains(err.Error(), "windows-1256") {
		t.Errorf("unknown encoding: %v", err)
	}
}

// Without --encoding, a Windows-1256 file is refused naming file, line and
// the option; a UTF-16 one (a BOM first) is told to use utf-16.
func TestInvalidUTF8SuggestsTheEncoding(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"w.txt":   {append([]byte("سطر أول\n"), encodeAs(t, "windows-1256", "سطر ثان")...), ":2: invalid UTF-8 byte 0xd3 at byte offset 14; if the file is in a legacy encoding, import it with --encoding windows-1256"},
		"w.jsonl": {append([]byte("{\"id\":\"a\",\"text\":\"ب\"}\n"), encodeAs(t, "windows-1256", `{"id":"b","text":"ت"}`)...), ":2: invalid UTF-8 byte 0xca"},
		"u.txt":   {encodeAs(t, "utf-16", "سطر"), ":1: invalid UTF-8 byte 0xff at byte offset 0; the file starts with a UTF-16 byte-order mark: import it with --encoding utf-16"},
	} {
		path := filepath.Join(dir, name)
		writeBytes(t, path, c.data)
		_, _, err := ReadFile(path, ImportOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), path+c.want) || !strings.Contains(err.Error(), "--encoding") {
			t.Errorf("%s: %v, want %s%s", name, err, path, c.want)
		}
	}
}

// The check for U+FFFD holds when the converted text arrives a byte at a
// time (a replacement character split across reads), and counts lines.
func TestEncodingReaderByteByByte(t *testing.T) {
	enc, err := export.LookupEncoding("ISO-8859-6")
	if err != nil {
		t.Fatal(err)
	}
	good, err := charmap.ISO8859_6.NewEncoder().Bytes([]byte("سطر\nآخر\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tail := range [][]byte{nil, {0xA1}} {
		data := append(bytes.Clone(good), tail...)
		out, err := io.ReadAll(iotest.OneByteReader(enc.Reader(iotest.OneByteReader(bytes.NewReader(data)), "f.txt")))
		switch {
		case tail == nil && (err != nil || string(out) != "سطر\nآخر\n"):
			t.Errorf("valid: %q, %v", out, err)
		case tail != nil && (err == nil || !strings.HasPrefix(err.Error(), "f.txt:3: bytes that are not iso-8859-6 text")):
			t.Errorf("0xA1 on line 3: %v", err)
		}
	}
	if _, err := export.LookupEncoding("ebcdic"); err == nil || !strings.Contains(err.Error(), "windows-1256") {
		t.Errorf("unknown encoding: %v", err)
	}
	if e, _ := export.LookupEncoding(""); !e.UTF8() {
		t.Error(`"" is not UTF-8`)
	}
}

// An hf file's labels.json is in the encoding of its data: with
// --encoding both are converted, so Arabic tag names come through; without
// it a Windows-1256 labels.json is refused, naming it.
func TestHFLabelsFileInTheDataEncoding(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "train.jsonl")
	writeBytes(t, data, encodeAs(t, "windows-1256", `{"id":"d1","tokens":["قال","هاكان","فيدان"],"ner_tags":[0,1,2]}`+"\n"))
	labels := filepath.Join(dir, "labels.json")
	writeBytes(t, labels, encodeAs(t, "windows-1256", `["O","B-شخص","I-شخص"]`))
	recs, _, err := ReadFile(data, ImportOptions{Format: "hf", Encoding: "windows-1256"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || len(recs[0].Layers) != 1 || len(recs[0].Layers[0].Spans) != 1 {
		t.Fatalf("records %+v", recs)
	}
	doc, sp := recs[0].Doc, recs[0].Layers[0].Spans[0]
	if got := string([]rune(doc.Text)[sp.Start:sp.End]); got != "هاكان فيدان" || sp.Label != "شخص" {
		t.Errorf("span %d..%d %q covers %q in %q", sp.Start, sp.End, sp.Label, got, doc.Text)
	}
	if _, _, err := ReadFile(data, ImportOptions{Format: "hf"}); err == nil || !strings.HasPrefix(err.Error(), data) && !strings.HasPrefix(err.Error(), labels) {
		t.Errorf("read as UTF-8: %v", err)
	}
}
