package app

import (
	"fmt"
	"fyne.io/fyne/v2/lang"
	"slices"
	"time"

	"tawsim/annotate"
	"tawsim/storage"
)

// The main window's documents: the list, opening one, the spans shown.

func (u *UI) reloadDocs() error {
	r, err := u.readDocs()
	if err != nil {
		return err
	}
	u.showDocs(r)
	return nil
}

// docsRead is what the document list shows, as read from the store.
type docsRead struct {
	all []storage.DocInfo
	filterData
}

// readDocs reads the list.
func (u *UI) readDocs() (docsRead, error) {
	return readDocs(u.store, u.annotator, u.filt.labelChosen())
}

// readDocs reads the list for annotator, with label chosen in the filter
// (or ""): only the store, so it may run off the UI goroutine.
func readDocs(st *storage.Store, annotator, label string) (docsRead, error) {
	all, err := st.Documents()
	if err != nil {
		return docsRead{}, err
	}
	fd, err := readFilters(st, annotator, label)
	return docsRead{all, fd}, err
}

// showDocs puts the list read on screen.
func (u *UI) showDocs(r docsRead) {
	u.filt.all, u.filt.loading = r.all, false
	u.labelChoices()
	u.filt.filterData = r.filterData
	// The open document keeps its place even when others were added
	// before it.
	u.applyFilters()
}

// openFirstLater opens the document the annotator starts on and reads the
// list in the background, delivered through do: on a large project the
// window shows its first text at once, not after the whole list. Until the
// list comes it holds only the open document.
func (u *UI) openFirstLater(do func(func())) error {
	id, err := u.store.FirstToDo(u.annotator)
	if err != nil || id == "" {
		return err
	}
	info, err := u.store.DocumentInfo(id)
	if err != nil {
		return err
	}
	u.filt.all = []storage.DocInfo{info}
	u.openID(id)
	u.filt.loading = true
	u.updateProgress()
	st, annotator, label := u.store, u.annotator, u.filt.labelChosen()
	u.filt.searching.Add(1)
	go func() {
		defer u.filt.searching.Done()
		r, err := readDocs(st, annotator, label)
		do(func() {
			switch {
			case !u.filt.loading: // reloaded meanwhile
			case err != nil:
				u.filt.loading = false
				u.fail(err)
			default:
				// What changed on the open document meanwhile stays.
				for i := range r.all {
					if r.all[i].ID == info.ID {
						r.all[i] = info
					}
				}
				u.showDocs(r)
			}
		})
	}()
	return nil
}

// updateProgress counts this annotator's done documents, among those
// assigned to them when there are any, and says above the list how many
// are assigned and shown.
func (u *UI) updateProgress() {
	if u.progress == nil {
		return
	}
	f := &u.filt
	done, of := 0, 0
	for _, d := range f.all {
		if len(f.mine) == 0 || f.mine[d.ID] {
			of++
			if d.Status[u.annotator] == annotate.StatusDone {
				done++
			}
		}
	}
	u.progress.SetText(fmt.Sprintf(lang.L("%d / %d done"), done, of))
	head := lang.L("Documents")
	if f.loading {
		head += lang.L(" · loading the list…")
	}
	if len(f.mine) > 0 {
		head += fmt.Sprintf(lang.L(" · %d yours"), len(f.mine))
	}
	if len(u.docs) != len(f.all) {
		head += fmt.Sprintf(lang.L(" · %d of %d shown"), len(u.docs), len(f.all))
	}
	head += f.searchSummary()
	if f.head != nil {
		f.head.SetText(head)
	}
}

// Open shows document i of the list.
func (u *UI) Open(i int) {
	if i >= 0 && i < len(u.docs) {
		u.openID(u.docs[i].ID)
	}
}

// openID shows document id; the list keeps it.
func (u *UI) openID(id string) {
	u.leaveDoc()
	doc, err := u.store.Document(id)
	if err != nil {
		u.fail(err)
		return
	}
	left := u.cur
	u.doc, u.opened = doc, time.Now()
	u.placeOpen(left)
	u.view.SetText(doc.Text)
	u.docTitle.SetText(doc.Title)
	u.reloadSpans()
	scrollToTop(u.view, u.scroll)
	// What to do next, for who is new to it.
	u.say(fmt.Sprintf(lang.L("%s — %d characters"), isolate(doc.ID), u.view.Layout().Len()) + " · " + lang.L("select words, then a label's key; F1 lists every key"))
	u.findAgain() // while the find bar is open
	u.win.Canvas().Focus(u.view)
}

// placeOpen selects the open document in the list after row left was
// left. The list is filtered again only when that one drops out of it (it
// stayed while open) or its status may move it: on 50,000 documents that
// takes 20 ms.
func (u *UI) placeOpen(left int) {
	f := &u.filt
	j := -1
	if left >= 0 && left < len(u.docs) && u.passes(u.docs[left]) && (f.sort == nil || f.sort.Selected != sortByStatus) {
		j = slices.IndexFunc(u.docs, func(d storage.DocInfo) bool { return d.ID == u.doc.ID })
	}
	if j < 0 {
		u.applyFilters()
		return
	}
	u.cur = j
	u.docList.Select(j) // and scrolls to it
}

// leaveDoc records the time spent on the open document.
func (u *UI) leaveDoc() {
	if u.doc != nil && u.annotator != "" && !u.store.ReadOnly() {
		if spent := time.Since(u.opened); spent > time.Second {
			if err := u.store.AddTime(u.doc.ID, u.annotator, spent); err != nil {
				u.fail(err)
			}
		}
	}
}

// Close records the time spent; call it when the window closes.
func (u *UI) Close() { u.leaveDoc(); u.doc = nil }

func (u *UI) reloadSpans() {
	u.endLink()
	u.relFocus = -1
	if u.doc == nil || u.annotator == "" {
		u.setLayer(annotate.Layer{})
	} else {
		layer, err := u.store.Layer(u.doc.ID, u.annotator)
		if err != nil {
			u.fail(err)
			return
		}
		u.setLayer(layer)
	}
	u.loadSuggestions()
	u.showSpans()
}

// replaceSpan updates the shown layer after a committed change without
// reading it back: old (if any, by id) leaves, changed (if any) comes in at
// its place in reading order. The store returned changed as it stored it.
func (u *UI) replaceSpan(old, changed *annotate.Span) {
	if old != nil {
		u.endLink() // its head or a candidate may be what changed
		for i := range u.spans {
			if u.spans[i].ID == old.ID {
				u.spans = append(u.spans[:i], u.spans[i+1:]...)
				if changed == nil {
					u.dropRelationsOf(old.ID)
				}
				break
			}
		}
	}
	if changed != nil {
		u.spans = insertSpan(u.spans, *changed)
	}
	u.showSpans()
	if u.doc != nil {
		u.layerChanged(u.doc.ID)
	}
}

// insertSpan inserts sp into spans, kept in reading order.
func insertSpan(spans []annotate.Span, sp annotate.Span) []annotate.Span {
	i, _ := slices.BinarySearchFunc(spans, sp, annotate.CompareSpans)
	return slices.Insert(spans, i, sp)
}

// showSpans puts u.spans on screen: view, span list, palette counts and
// the document's row.
func (u *UI) showSpans() {
	u.view.SetSpans(u.spans, u.colors)
	u.showRelations()
	u.showSuggestions()
	u.spanList.UnselectAll()
	u.sizeSpanRows()
	u.spanList.Refresh()
	u.rebuildPalette()
	if u.doc != nil {
		u.filt.noteSpans(u.doc.ID, u.spans)
	}
	if u.cur >= 0 && u.cur < len(u.docs) {
		u.docs[u.cur].Spans[u.annotator] = len(u.spans)
		u.docList.RefreshItem(u.cur)
	}
}

func (u *UI) step(d int) {
	if j := u.cur + d; j >= 0 && j < len(u.docs) {
		u.Open(j)
	}
}
