package app

import (
	_ "a.tawsim/localefix" // quiet Fyne's locale warning under LANG=C.UTF-8
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate/layout"
	"tawsim/storage"
)

var testFonts *layout.Fonts

func init() {
	var err error
	if testFonts, err = layout.DefaultFonts(); err != nil {
		panic(err)
	}
}

// newTestUI opens a UI on a fresh copy of the sample corpus with the
// annotator already chosen.
func newTestUI(t *testing.T) (*UI, fyne.Window, *storage.Store) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amina")
	st, err := storage.OpenEmpty(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Seed(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	u, err := NewUI(a, w, st, testFonts)
	if err != nil {
		t.Fatal(err)
	}
	w.Resize(fyne.NewSize(1280, 800))
	return u, w, st
}

func capture(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	img := w.Canvas().Capture()
	dir := os.Getenv("TAWSIM_CAPTURE_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestShellOpensFirstDocument(t *testing.T) {
	u, w, _ := newTestUI(t)
	if u.doc == nil || u.doc.ID != "000_8e17720d02d992ee" {
		t.Fatalf("open document = %+v", u.doc)
	}
	if got := len(u.docs); got != 5 {
		t.Fatalf("document list has %d rows", got)
	}
	if u.progress.Text != "0 / 5 done" {
		t.Fatalf("progress = %q", u.progress.Text)
	}
	capture(t, w, "shell.png")
}

func TestFirstRunAsksForTheAnnotatorName(t *testing.T) {
	a := test.NewTempApp(t)
	st, err := storage.OpenEmpty(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Seed(); err != nil {
		t.Fatal(err)
	}
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1280, 800))
	u, err := NewUI(a, w, st, testFonts)
	if err != nil {
		t.Fatal(err)
	}
	if u.annotator != "" || u.doc == nil {
		t.Fatalf("before the name: annotator %q, document %v", u.annotator, u.doc)
	}
	// Labelling waits for the name.
	u.view.Select(0, 4)
	test.Type(u.view, "1")
	if n, _ := st.Annotators(); len(n) != 0 {
		t.Fatalf("a span was stored without an annotator: %v", n)
	}
	capture(t, w, "first-run.png")
	// Type the name in the prompt and press Enter.
	entry, ok := w.Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("focus is on %T, not the name entry", w.Canvas().Focused())
	}
	test.Type(entry, "amina")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.annotator != "amina" || a.Preferences().String(prefAnnotator) != "amina" {
		t.Fatalf("annotator %q, preference %q", u.annotator, a.Preferences().String(prefAnnotator))
	}
	if names, _ := st.Annotators(); len(names) != 1 || names[0] != "amina" {
		t.Fatalf("store annotators %v", names)
	}
}

func TestSwitchAnnotator(t *testing.T) {
	u, w, st := newTestUI(t)
	v := u.view
	v.Select(0, 4)
	test.Type(v, "1")
	u.askAnnotator(false)
	entry := w.Canvas().Focused().(*widget.Entry)
	entry.SetText("badr")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.annotator != "badr" || len(u.view.Spans()) != 0 {
		t.Fatalf("after switching: %q with %d spans shown", u.annotator, len(u.view.Spans()))
	}
	v.Select(0, 4)
	test.Type(v, "2")
	a, _ := st.Spans(u.doc.ID, "amina")
	b, _ := st.Spans(u.doc.ID, "badr")
	if len(a) != 1 || a[0].Label != "PERSON" || len(b) != 1 || b[0].Label != "STATE" {
		t.Fatalf("layers: amina %+v, badr %+v", a, b)
	}
}

// The palette shows every label's Arabic name whole, the names as wide as
// the widest: "أداة الإسناد" (CUE) was cut to "أداة ا…" at any window size.
func TestPaletteShowsArabicNamesWhole(t *testing.T) {
	u, w, _ := newTestUI(t)
	w.Canvas().Refresh(u.palette)
	var x float32 = -1
	for _, row := range u.palette.Objects {
		tl, ok := findObject(row, func(*TextLine) bool { return true })
		if !ok {
			t.Fatal("a palette row without its Arabic name")
		}
		test.WidgetRenderer(tl).Refresh()
		if tl.Cut() {
			t.Errorf("%q is cut", tl.Text())
		}
		if b := row.(*fyne.Container).Objects[0]; x >= 0 && b.Size().Width != x {
			t.Errorf("the buttons do not line up: %g and %g wide", x, b.Size().Width)
		} else {
			x = b.Size().Width
		}
	}
}
