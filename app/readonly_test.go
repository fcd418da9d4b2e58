package app

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"tawsim/storage"
)

// hasLabel says whether a label under o starts with prefix.
func hasLabel(o fyne.CanvasObject, prefix string) bool {
	switch o := o.(type) {
	case *widget.Label:
		return strings.HasPrefix(o.Text, prefix)
	case *fyne.Container:
		for _, c := range o.Objects {
			if hasLabel(c, prefix) {
				return true
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(o).Objects() {
			if hasLabel(c, prefix) {
				return true
			}
		}
	}
	return false
}

func TestReadOnlyProjectShowsBannerAndRefusesEdits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	st, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Seed(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, ro := range []bool{false, true} {
		st, err := storage.OpenWith(path, storage.Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		a := test.NewTempApp(t)
		a.Preferences().SetString(prefAnnotator, "amina")
		w := test.NewWindow(nil)
		u, err := NewUI(a, w, st, testFonts)
		if err != nil {
			t.Fatal(err)
		}
		if got := hasLabel(u.Content(), "Read-only project"); got != ro {
			t.Fatalf("read-only %v: banner shown %v", ro, got)
		}
		before := len(u.spans)
		u.view.Select(0, 3)
		u.label(u.labels[0].Name)
		if ro && u.message.text != readOnlyNote {
			t.Fatalf("an edit of a read-only project says %q", u.message.text)
		}
		if !ro && u.message.text == readOnlyNote {
			t.Fatal("a writable project says it is read-only")
		}
		if n := len(u.spans) - before; (n == 0) != ro {
			t.Fatalf("read-only %v: %d spans after labelling", ro, n)
		}
		w.Close()
		st.Close()
	}
}
