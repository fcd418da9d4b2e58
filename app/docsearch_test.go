package app

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"
)

// The search box over the document list keeps the documents that contain
// its query, with their matches counted.
func TestDocumentSearchBox(t *testing.T) {
	first, last := "000_8e17720d02d992ee", "004_21e8618f54c2b0bc"
	u, w, _ := newTestUI(t)
	f := &u.filt
	// The test driver's fyne.Do would run a result on the search's
	// goroutine: here the test's goroutine runs them, as the app's would.
	results := make(chan func(), 16)
	f.do = func(fn func()) { results <- fn }
	search := func(qs ...string) {
		t.Helper()
		for _, q := range qs {
			f.query.SetText(q)
		}
		f.searching.Wait()
		var fns []func()
		for len(results) > 0 {
			fns = append(fns, <-results)
		}
		for _, fn := range slices.Backward(fns) { // an older search ending last changes nothing
			fn()
		}
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
	search("الصفدي", "أيمن الصفدي") // the newest search wins
	if !reflect.DeepEqual(f.hits, map[string]int{first: 1}) || strings.Contains(u.message.text, "⚠") {
		t.Fatalf("أيمن الصفدي: %v, %q", f.hits, u.message.text)
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
