package app

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// The search box over the document list keeps the documents that contain
// its query, with their matches counted.
func TestDocumentSearchBox(t *testing.T) {
	first, last := "000_8e17720d02d992ee", "004_21e8618f54c2b0bc"
	u, w, _ := newTestUI(t)
	f := &u.filt
	search := func(q string) {
		t.Helper()
		f.query.SetText("")
		test.Type(f.query, q) // a search per key typed: the last one wins
		f.searching.Wait()
	}
	// الأردن twice in the first article (once as والأردن), five times in
	// the last; الأردني and الأردنية are other words.
	search("الاردن")
	if got := shownIDs(u); !reflect.DeepEqual(got, []string{first, last}) {
		t.Fatalf("documents with الاردن: %v", got)
	}
	if !reflect.DeepEqual(f.hits, map[string]int{first: 2, last: 5}) {
		t.Fatalf("matches per document: %v", f.hits)
	}
	if h := f.head.Text; !strings.Contains(h, "2 of 5 shown") || !strings.Contains(h, "7 found in 2") {
		t.Fatalf("list head: %q", h)
	}
	// Each row says how many matches its document has.
	if _, ok := findObject(u.docList, func(l *widget.Label) bool { return l.Text == "5×" }); !ok {
		t.Fatal("no row says 5×")
	}
	capture(t, w, "docsearch.png")
	// A name of two words; then a query found nowhere keeps only the open
	// document; an empty box shows them all again.
	search("أيمن الصفدي")
	if !reflect.DeepEqual(f.hits, map[string]int{first: 1}) {
		t.Fatalf("أيمن الصفدي: %v", f.hits)
	}
	search("كلمةلاتوجد")
	if got := shownIDs(u); !reflect.DeepEqual(got, []string{first}) || len(f.hits) != 0 {
		t.Fatalf("a query found nowhere: %v, hits %v", got, f.hits)
	}
	search("")
	if got := shownIDs(u); len(got) != 5 || f.hits != nil || strings.Contains(f.head.Text, "found") {
		t.Fatalf("empty box: %v, %q", got, f.head.Text)
	}
}
