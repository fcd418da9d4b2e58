package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/storage"
)

// While the document list is read at start-up it holds only the first
// document: Ctrl+Enter says the list is loading rather than that all
// documents are done, and marks nothing; a document opened meanwhile (as
// undo opens the one its change was in) is not in the list, and labelling
// it, Ctrl+Enter and Document ▸ Reopen work on it without a row.
func TestWhileTheListLoads(t *testing.T) {
	bothLanguages(t, testWhileTheListLoads)
}

// lazyUI opens amina's window on st as Run does: the first document, the
// list read in the background and delivered through the queue returned.
func lazyUI(t *testing.T, st *storage.Store) (*UI, fyne.App, *[]func()) {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefAnnotator, "amina")
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	queue := new([]func())
	u, err := newUI(a, w, st, testFonts, func(f func()) { *queue = append(*queue, f) })
	if err != nil {
		t.Fatal(err)
	}
	return u, a, queue
}

func testWhileTheListLoads(t *testing.T) {
	st := seededStore(t)
	all, err := st.Documents()
	if err != nil || len(all) < 3 {
		t.Fatal(len(all), err)
	}
	u, _, queue := lazyUI(t, st)
	loading := lang.L("The document list is still loading")
	status := func(id string) annotate.Status {
		t.Helper()
		info, err := st.DocumentInfo(id)
		if err != nil {
			t.Fatal(err)
		}
		return info.Status["amina"]
	}
	first := u.doc.ID
	u.shortcut(scDone)
	if got := u.message.Text(); got != loading || status(first) == annotate.StatusDone {
		t.Fatalf("Ctrl+Enter while the list loads: %q, status %q", got, status(first))
	}

	if first == all[2].ID {
		t.Fatal("the first document open is the one to open later")
	}
	u.openID(all[2].ID)
	if u.cur >= 0 {
		t.Fatalf("%s has row %d of a list of %d", all[2].ID, u.cur, len(u.docs))
	}
	u.view.Select(0, 4)
	test.Type(u.view, "1")
	if len(u.spans) != 1 || status(all[2].ID) != annotate.StatusInProgress {
		t.Fatalf("labelling a document not listed: %d spans, status %q", len(u.spans), status(all[2].ID))
	}
	u.shortcut(scDone)
	if got := u.message.Text(); got != loading || status(all[2].ID) != annotate.StatusInProgress {
		t.Fatalf("Ctrl+Enter on a document not listed: %q, status %q", got, status(all[2].ID))
	}
	u.reopenDoc()
	if got := u.message.Text(); got != lang.L("This document is not marked done") {
		t.Fatalf("Reopen on a document not listed: %q", got)
	}

	u.filt.searching.Wait()
	(*queue)[0]()
	if u.cur < 0 || u.docs[u.cur].ID != all[2].ID {
		t.Fatalf("after the list: row %d", u.cur)
	}
	u.shortcut(scDone)
	if status(all[2].ID) != annotate.StatusDone || u.doc.ID == all[2].ID || !strings.Contains(u.message.Text(), all[2].ID) {
		t.Fatalf("Ctrl+Enter once the list is read: %s open, %q", u.doc.ID, u.message.Text())
	}
}
