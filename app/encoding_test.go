package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"golang.org/x/text/encoding/charmap"
)

// The Import dialog's Encoding choice reaches the import: a Windows-1256
// file is refused as UTF-8 (the summary names the choice) and imported
// with windows-1256 chosen, its span over the converted text.
func TestImportDialogEncoding(t *testing.T) {
	u, w, st := newTestUI(t)
	line := `{"id":"enc-1","text":"زار وزير الخارجية التركي هاكان فيدان عمّان أمس.","annotator":"omar","spans":[{"start":25,"end":36,"label":"PERSON"}]}` + "\r\n"
	b, err := charmap.Windows1256.NewEncoder().Bytes([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "w1256.jsonl")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	d := showImport(u)
	d.paths.SetText(p)
	if d.encoding.Selected != "utf-8" {
		t.Fatalf("default encoding %q", d.encoding.Selected)
	}
	test.Tap(d.run)
	d.wait()
	if !strings.Contains(d.summary.Text, p+":1: invalid UTF-8") || !strings.Contains(d.summary.Text, "Encoding in the Import dialog") {
		t.Fatalf("summary as UTF-8:\n%s", d.summary.Text)
	}
	d.encoding.SetSelected("windows-1256")
	test.Tap(d.run)
	d.wait()
	if !strings.HasPrefix(d.summary.Text, "1 file: 1 imported") {
		t.Fatalf("summary as windows-1256:\n%s", d.summary.Text)
	}
	doc, err := st.Document("enc-1")
	if err != nil {
		t.Fatal(err)
	}
	spans, err := st.Spans("enc-1", "omar")
	if err != nil || len(spans) != 1 {
		t.Fatalf("spans %v %v", spans, err)
	}
	if got := string([]rune(doc.Text)[spans[0].Start:spans[0].End]); got != "هاكان فيدان" {
		t.Errorf("span covers %q in %q", got, doc.Text)
	}
	capture(t, w, "import-encoding.png")
}
