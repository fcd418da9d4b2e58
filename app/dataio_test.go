package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/encoding/charmap"

	"tawsim/annotate"
	"tawsim/export"
	"tawsim/project"
	"tawsim/storage"
)

func TestImportDialogAddsDocuments(t *testing.T) {
	u, w, _ := newTestUI(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "news.jsonl")
	data := `{"id":"imp-1","text":"زار وزير الخارجية التركي هاكان فيدان عمّان أمس.","annotator":"omar","spans":[{"start":25,"end":36,"label":"PERSON","text":"هاكان فيدان"}]}
{"id":"imp-2","text":"قالت الأمم المتحدة إن المساعدات وصلت.","annotator":"omar","spans":[{"start":5,"end":18,"label":"ORGANIZATION"}]}
`
	if err := os.WriteFile(good, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "broken.jsonl")
	if err := os.WriteFile(bad, []byte(`{"id":"x","text":"abc","spans":[{"start":1,"end":9,"label":"PERSON"}]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := showImport(u)
	d.paths.SetText(good + "\n" + bad)
	test.Tap(d.run)
	d.wait()
	found := 0
	for _, doc := range u.docs {
		if strings.HasPrefix(doc.ID, "imp-") {
			found++
			if doc.Spans["omar"] != 1 {
				t.Errorf("%s has %d spans by omar", doc.ID, doc.Spans["omar"])
			}
		}
	}
	if found != 2 || len(u.docs) != 7 {
		t.Fatalf("after import: %d imported documents, %d in all", found, len(u.docs))
	}
	sum := d.summary.Text
	for _, want := range []string{"2 files: 1 imported, 1 refused", "2 added", "broken.jsonl:1"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if d.bar.Value != 0.5 { // broken.jsonl was refused: one of two paths came in
		t.Errorf("progress %v", d.bar.Value)
	}
	if u.doc == nil || u.docs[u.cur].ID != u.doc.ID {
		t.Errorf("open document lost its row after the import")
	}
	capture(t, w, "import.png")
}

func TestExportDialogWithSplits(t *testing.T) {
	u, w, st := newTestUI(t)
	// Spans by amina on every sample document: the first word of each.
	for _, info := range u.docs {
		doc, err := st.Document(info.ID)
		if err != nil {
			t.Fatal(err)
		}
		r := []rune(doc.Text)
		end := 0
		for end < len(r) && r[end] != ' ' {
			end++
		}
		if _, err := st.AddSpan(info.ID, "amina", annotate.Span{Start: 0, End: end, Label: "PERSON"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.AddSpan(info.ID, "amina", annotate.Span{Start: end + 1, End: end + 4, Label: "STATE"}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	d := showExport(u)
	d.format.SetSelected("jsonl")
	d.layer.SetSelected("amina")
	d.splits.SetText("train=0.6,dev=0.2,test=0.2")
	d.seed.SetText("7")
	d.dest.SetText(filepath.Join(dir, "out.jsonl"))
	test.Tap(d.run)
	d.wait()
	capture(t, w, "export.png")
	splits, _ := export.ParseSplits("train=0.6,dev=0.2,test=0.2")
	f, _ := export.Lookup("jsonl")
	seen := map[string]bool{}
	for _, name := range []string{"train", "dev", "test"} {
		path := filepath.Join(dir, "out-"+name+".jsonl")
		recs, _, err := f.Read(path)
		if err != nil {
			t.Fatalf("%s: %v (summary: %s)", path, err, d.summary.Text)
		}
		for _, rec := range recs {
			if got := export.SplitOf(rec.Doc.ID, 7, splits); got != name {
				t.Errorf("%s is in %s, SplitOf says %s", rec.Doc.ID, name, got)
			}
			seen[rec.Doc.ID] = true
			text := []rune(rec.Doc.Text)
			n := 0
			for _, l := range rec.Layers {
				for _, sp := range l.Spans {
					n++
					if string(text[sp.Start:sp.End]) != sp.Text {
						t.Errorf("%s [%d,%d) text %q, document has %q", rec.Doc.ID, sp.Start, sp.End, sp.Text, string(text[sp.Start:sp.End]))
					}
				}
			}
			if n != 2 {
				t.Errorf("%s has %d spans", rec.Doc.ID, n)
			}
		}
	}
	if len(seen) != 5 {
		t.Fatalf("exported %d of 5 documents; summary:\n%s", len(seen), d.summary.Text)
	}
	if !strings.Contains(d.summary.Text, "In all: 5 documents, 10 spans") {
		t.Errorf("summary:\n%s", d.summary.Text)
	}
	// A bad split is refused before anything is written.
	d.splits.SetText("train=0.7,test=0.2")
	test.Tap(d.run)
	d.wait()
	if !strings.Contains(d.summary.Text, "sum to") {
		t.Errorf("bad split summary: %s", d.summary.Text)
	}
}

func TestExportProjectConllDropsOverlaps(t *testing.T) {
	u, _, st := newTestUI(t)
	id := u.docs[0].ID
	for _, sp := range []annotate.Span{{Start: 0, End: 10, Label: "CLAIM"}, {Start: 2, End: 6, Label: "PERSON"}} {
		if _, err := st.AddSpan(id, "amina", sp); err != nil {
			t.Fatal(err)
		}
	}
	dest := filepath.Join(t.TempDir(), "out.conll")
	outs, err := project.ExportProject(st, project.ExportJob{Format: "conll", Layer: "amina", Dest: dest, Scheme: "bioes"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := exportSummary("conll", outs, nil)
	if outs[0].Stats.Documents != 5 || !strings.Contains(sum, "Dropped 1 span") {
		t.Fatalf("stats %+v\n%s", outs[0].Stats, sum)
	}
}

// A gold export writes the finished documents and says how many it left
// out; "Include unfinished documents" writes them all, each with its
// status; with none finished it writes nothing and says why.
func TestExportDialogGoldFinishedOnly(t *testing.T) {
	u, _, st := newTestUI(t)
	for _, info := range u.docs[:3] {
		addWord(t, st, info.ID, "amina", "في", 0, 0, "STATE")
		if _, err := st.GoldAccept(info.ID, annotate.Span{Start: 0, End: 2, Label: "PERSON"}, annotate.DecisionAdded, "lead", nil); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	d := showExport(u)
	d.format.SetSelected("jsonl")
	d.layer.SetSelected("amina")
	if !d.unfinished.Disabled() {
		t.Error("the checkbox is for the gold layer only")
	}
	d.layer.SetSelected(storage.GoldLayer)
	if d.unfinished.Disabled() || d.unfinished.Checked {
		t.Fatal("gold: the checkbox should be there, unticked")
	}
	// None finished: an error, no file.
	none := filepath.Join(dir, "none.jsonl")
	d.dest.SetText(none)
	test.Tap(d.run)
	d.wait()
	if _, err := os.Stat(none); err == nil || !strings.Contains(d.summary.Text, "no document's adjudication is finished") || !strings.Contains(d.summary.Text, "3 in progress") {
		t.Fatalf("with none finished: file written? %v; summary:\n%s", err, d.summary.Text)
	}
	if err := st.FinishGold([]string{u.docs[0].ID}, "lead", true, storage.PrefillSettings{}); err != nil {
		t.Fatal(err)
	}
	f, _ := export.Lookup("jsonl")
	finished := filepath.Join(dir, "finished.jsonl")
	d.dest.SetText(finished)
	test.Tap(d.run)
	d.wait()
	recs, _, err := f.Read(finished)
	if err != nil || len(recs) != 1 || recs[0].Doc.ID != u.docs[0].ID {
		t.Fatalf("finished only: %d records, %v\n%s", len(recs), err, d.summary.Text)
	}
	if !strings.Contains(d.summary.Text, "1 document, 1 span; 4 documents left out, their adjudication not finished (2 to do, 2 in progress)") {
		t.Errorf("summary:\n%s", d.summary.Text)
	}
	all := filepath.Join(dir, "all.jsonl")
	d.dest.SetText(all)
	d.unfinished.SetChecked(true)
	test.Tap(d.run)
	d.wait()
	data, err := os.ReadFile(all)
	if err != nil || strings.Count(string(data), "\n") != 5 || strings.Count(string(data), `"gold_status":"in_progress"`) != 2 || strings.Contains(d.summary.Text, "left out") {
		t.Fatalf("with the unfinished: %v\n%s\nsummary:\n%s", err, data, d.summary.Text)
	}
}

// importTypos imports, through the Import dialog, one file whose spans
// have labels the project lacks (MINISTER, PERSN).
func importTypos(t *testing.T, u *UI) *importDialog {
	t.Helper()
	p := filepath.Join(t.TempDir(), "typo.jsonl")
	data := `{"id":"t1","text":"قال الوزير هاكان فيدان","annotator":"omar","spans":[{"start":4,"end":10,"label":"MINISTER"},{"start":11,"end":22,"label":"PERSN"}]}` + "\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	d := showImport(u)
	d.paths.SetText(p)
	test.Tap(d.run)
	d.wait()
	return d
}

func TestImportDialogAsksToAddUnknownLabels(t *testing.T) {
	u, w, st := newTestUI(t)
	d := importTypos(t, u)
	if d.ask == nil || !strings.Contains(d.summary.Text, `"MINISTER" (1 span, first at line 1)`) {
		t.Fatalf("no question; summary:\n%s", d.summary.Text)
	}
	q, _ := findObject(overlay(t, w), func(l *widget.Label) bool {
		return strings.Contains(l.Text, "Add labels MINISTER, PERSN to the project")
	})
	if q == nil {
		t.Fatal("the question does not name the labels")
	}
	capture(t, w, "import-unknown-labels.png")
	tapButton(t, overlay(t, w), "Add labels")
	d.wait()
	if sp, err := st.Spans("t1", "omar"); err != nil || len(sp) != 2 {
		t.Fatalf("spans %v %v", sp, err)
	}
	if !strings.HasPrefix(d.summary.Text, "1 file: 1 imported") || !strings.Contains(d.summary.Text, "New labels: MINISTER, PERSN.") || !paletteHas(u, "PERSN") {
		t.Fatalf("summary:\n%s", d.summary.Text)
	}
}

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
	for _, step := range []struct{ enc, want, hint string }{
		{"utf-8", p + ":1: invalid UTF-8", "Encoding in the Import dialog"},
		{"windows-1256", "1 file: 1 imported", "Spans: 1 added"},
	} {
		d.encoding.SetSelected(step.enc)
		test.Tap(d.run)
		d.wait()
		if sum := d.summary.Text; !strings.Contains(sum, step.want) || !strings.Contains(sum, step.hint) {
			t.Fatalf("summary as %s:\n%s", step.enc, sum)
		}
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

// With "Set each layer…" an import makes the layers it names exactly the
// file's: a span the file no longer has goes.
func TestImportDialogReplacesLayers(t *testing.T) {
	u, _, st := newTestUI(t)
	dir := t.TempDir()
	both := filepath.Join(dir, "both.jsonl")
	one := filepath.Join(dir, "one.jsonl")
	line := `{"id":"r1","text":"قالت الأمم المتحدة إن المساعدات وصلت.","annotator":"omar","spans":[%s]}` + "\n"
	state := `{"start":5,"end":18,"label":"ORGANIZATION"}`
	os.WriteFile(both, []byte(fmt.Sprintf(line, state+`,{"start":22,"end":31,"label":"CLAIM"}`)), 0o644)
	os.WriteFile(one, []byte(fmt.Sprintf(line, state)), 0o644)
	for i, p := range []string{both, one} {
		d := showImport(u)
		d.paths.SetText(p)
		d.layers.SetChecked(i == 1)
		test.Tap(d.run)
		d.wait()
	}
	if sp, err := st.Spans("r1", "omar"); err != nil || len(sp) != 1 || sp[0].Label != "ORGANIZATION" {
		t.Fatalf("after replacing the layer: %v %v", sp, err)
	}
}

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

// drawnRTL tells whether b is drawn by the bidi layout (not a stock
// label) with something on it.
func drawnRTL(t *testing.T, b *BidiText) bool {
	t.Helper()
	objs := test.WidgetRenderer(b).Objects()
	if len(objs) != 1 || objs[0] != b.img || b.img.Image == nil {
		return false
	}
	img := b.img.Image
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0 {
				return true
			}
		}
	}
	return false
}

// In Arabic the import summary, the add-labels question and the agreement
// and evaluation status lines are Arabic, drawn bidi-correct, the data in
// them isolated; captures: import-arabic.png, import-labels-arabic.png,
// agreement-arabic.png, evaluate-arabic.png.
func TestArabicSummariesBidi(t *testing.T) {
	inArabic(t)
	u, w, _ := newTestUI(t)
	d := importTypos(t, u)
	if !strings.Contains(d.summary.Text, "مرفوضة") || !drawnRTL(t, d.summary) {
		t.Errorf("summary not Arabic or not drawn bidi:\n%s", d.summary.Text)
	}
	q, _ := findObject(overlay(t, w), func(b *BidiText) bool { return strings.Contains(b.Text, "ويُعاد استيراد الملف؟") })
	if q == nil || !strings.Contains(q.Text, isolate("MINISTER, PERSN")) || !drawnRTL(t, q) {
		t.Fatal("the question is not a whole Arabic sentence for one file, drawn bidi")
	}
	capture(t, w, "import-labels-arabic.png")
	d.ask.Hide()
	capture(t, w, "import-arabic.png")

	_, _, s := twoAnnotatorsScreen(t)
	s.worked.SetChecked(true)
	s.compute()
	s.wait()
	if !strings.Contains(s.status.Text, "لم يعمل عليها كل المعلِّقين المختارين") || !drawnRTL(t, s.status) {
		t.Errorf("agreement status %q", s.status.Text)
	}
	// The test canvas does not lay parents out again when a text's height
	// changes, as a real window does: a resize does.
	sz := s.win.Canvas().Size()
	s.win.Resize(sz.AddWidthHeight(1, 0))
	s.win.Resize(sz)
	capture(t, s.win, "agreement-arabic.png")

	e := openEvaluate(u)
	if !drawnRTL(t, e.status) {
		t.Errorf("evaluate status %q not drawn bidi", e.status.Text)
	}
	capture(t, e.win, "evaluate-arabic.png")
}
