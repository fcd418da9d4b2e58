package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tawsim/project"
)

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
	dir := t.TempDir()
	p := filepath.Join(dir, "typo.jsonl")
	data := `{"id":"t1","text":"قال الوزير هاكان فيدان","annotator":"omar","spans":[{"start":4,"end":10,"label":"MINISTER"}]}` + "\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	d := showImport(u)
	d.paths.SetText(p)
	test.Tap(d.run)
	d.wait()
	if !strings.Contains(d.summary.Text, "مرفوضة") || !drawnRTL(t, d.summary) {
		t.Errorf("summary not Arabic or not drawn bidi:\n%s", d.summary.Text)
	}
	q, _ := findObject(overlay(t, w), func(b *BidiText) bool { return strings.Contains(b.Text, "ويُعاد استيراد الملف؟") })
	if q == nil || !strings.Contains(q.Text, isolate("MINISTER")) || !drawnRTL(t, q) {
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
	e.win.Resize(fyne.NewSize(900, 500))
	if !drawnRTL(t, e.status) {
		t.Errorf("evaluate status %q not drawn bidi", e.status.Text)
	}
	capture(t, e.win, "evaluate-arabic.png")
}
