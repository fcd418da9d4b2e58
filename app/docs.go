package app

import (
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2/lang"

	"tawsim/annotate"
)

// The main window's documents: the list, opening one, the spans shown.

func (u *UI) reloadDocs() error {
	docs, err := u.store.Documents()
	if err != nil {
		return err
	}
	u.filt.all = docs
	u.labelChoices()
	if err := u.loadFilters(); err != nil {
		return err
	}
	// The open document keeps its place even when others were added
	// before it.
	u.applyFilters()
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
	u.progress.SetText(fmt.Sprintf("%d / %d done", done, of))
	head := "Documents"
	if len(f.mine) > 0 {
		head += fmt.Sprintf(" · %d yours", len(f.mine))
	}
	if len(u.docs) != len(f.all) {
		head += fmt.Sprintf(" · %d of %d shown", len(u.docs), len(f.all))
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

// openID shows document id; the list, filtered again, keeps it.
func (u *UI) openID(id string) {
	u.leaveDoc()
	doc, err := u.store.Document(id)
	if err != nil {
		u.fail(err)
		return
	}
	u.doc, u.opened = doc, time.Now()
	u.applyFilters()
	u.view.SetText(doc.Text)
	u.docTitle.SetText(doc.Title)
	u.reloadSpans()
	scrollToTop(u.view, u.scroll)
	// What to do next, for who is new to it.
	u.say(fmt.Sprintf("%s — %d characters", doc.ID, u.view.Layout().Len()) + " · " + lang.L("select words, then a label's key; F1 lists every key"))
	u.findAgain() // while the find bar is open
	u.win.Canvas().Focus(u.view)
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
		i, _ := slices.BinarySearchFunc(u.spans, *changed, annotate.CompareSpans)
		u.spans = append(u.spans, annotate.Span{})
		copy(u.spans[i+1:], u.spans[i:])
		u.spans[i] = *changed
	}
	u.showSpans()
	if u.doc != nil {
		u.layerChanged(u.doc.ID)
	}
}

// showSpans puts u.spans on screen: view, span list, palette counts and
// the document's row.
func (u *UI) showSpans() {
	u.view.SetSpans(u.spans, u.colors)
	u.showRelations()
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
