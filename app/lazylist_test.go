package app

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/storage"
)

// The window Run opens shows the annotator's first document before the
// document list is read; the list, read in the background, then fills in
// as NewUI's would be, and what was done on the open document meanwhile
// stays in its row.
func TestListComesAfterTheFirstText(t *testing.T) {
	st, err := storage.OpenEmpty(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Seed(); err != nil {
		t.Fatal(err)
	}
	all, err := st.Documents()
	if err != nil || len(all) < 3 {
		t.Fatal(len(all), err)
	}
	if err := st.SetStatus(all[0].ID, "amina", annotate.StatusDone); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amina")
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1280, 800))
	var queued []func()
	u, err := newUI(a, w, st, testFonts, func(f func()) { queued = append(queued, f) })
	if err != nil {
		t.Fatal(err)
	}
	if u.doc == nil || u.doc.ID != all[1].ID || u.view.Layout().Len() == 0 {
		t.Fatalf("open before the list: %v, want %s shown", u.doc, all[1].ID)
	}
	if len(u.docs) != 1 || u.cur != 0 || !strings.Contains(u.filt.head.Text, "loading") {
		t.Fatalf("before the list: %d rows, current %d, head %q", len(u.docs), u.cur, u.filt.head.Text)
	}
	// Labelling while the list is read.
	u.view.Select(0, 4)
	test.Type(u.view, "1")
	if len(u.spans) != 1 {
		t.Fatalf("%d spans after a label", len(u.spans))
	}
	u.filt.searching.Wait()
	if len(queued) != 1 {
		t.Fatalf("%d deliveries of the list", len(queued))
	}
	queued[0]()
	if len(u.docs) != len(all) || u.docs[u.cur].ID != all[1].ID || u.docList.Length() != len(all) {
		t.Fatalf("after the list: %d rows, current %d", len(u.docs), u.cur)
	}
	if d := u.docs[u.cur]; d.Spans["amina"] != 1 || d.Status["amina"] != annotate.StatusInProgress {
		t.Fatalf("the open document's row lost the label: %+v", d)
	}
	if strings.Contains(u.filt.head.Text, "loading") {
		t.Fatalf("head %q once the list is read", u.filt.head.Text)
	}
	// The same list as a window that reads it before it shows.
	sync, err := NewUI(a, test.NewWindow(nil), st, testFonts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sync.docs, u.docs) || sync.cur != u.cur {
		t.Fatalf("lazy list differs from NewUI's (current %d vs %d)", u.cur, sync.cur)
	}
}
