package app

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"tawsim/annotate/assign"
	"tawsim/project"
	"tawsim/storage"
)

// BenchmarkProgress10k: the progress board and one step in the filtered,
// assigned-first document list of a 10,000-document project of three
// annotators with a plan.
func BenchmarkProgress10k(b *testing.B) {
	st := teamProject(b, 10000)
	if _, err := project.Assign(st, assign.Options{Annotators: []string{"a", "b", "c"}, PerDoc: 2, Overlap: 0.1}); err != nil {
		b.Fatal(err)
	}
	u := uiOn(b, st, "a")
	b.Run("board", func(b *testing.B) {
		for b.Loop() {
			if _, err := project.ProgressOf(st); err != nil {
				b.Fatal(err)
			}
		}
	})
	u.filt.sort.SetSelected(sortByTitle)
	b.Run("filter", func(b *testing.B) {
		for b.Loop() {
			u.applyFilters()
		}
	})
	b.Run("step", func(b *testing.B) {
		for b.Loop() {
			u.step(+1)
		}
	})
}

// uiOn opens the annotation window on st as annotator.
func uiOn(tb testing.TB, st *storage.Store, annotator string) *UI {
	tb.Helper()
	a := test.NewTempApp(tb)
	a.Preferences().SetString(prefAnnotator, annotator)
	w := test.NewWindow(nil)
	tb.Cleanup(w.Close)
	u, err := NewUI(a, w, st, testFonts)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}
