package app

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	fynelayout "fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"tawsim/annotate"
	"tawsim/annotate/match"
	"tawsim/project"
	"tawsim/storage"
)

// The main window's document list shows the documents assigned to the
// annotator first, then the others, filtered by status, assignment and
// label, and to those containing the search box's query (by the rule of
// annotate/match), and sorted as chosen. u.docs is what it shows; the open document
// stays in it (while open) even when it no longer passes the filters, so
// that the current row and the next and previous ones are always those of
// the list on screen.

// The filters' and the sort's choices, in the interface language (set by
// translateChoices: code compares them with the selected option).
var (
	docsAnyStatus, docsMineTodo, docsMineWorking, docsMineDone, docsAllDone, docsNotAllDone string
	docsAll, docsAssignedMe, docsAnyLabel                                                   string
	sortByID, sortByTitle, sortByStatus                                                     string
)

// docFilters are the list's controls and what they need from the store.
type docFilters struct {
	status, scope, label, sort *widget.Select
	head                       *BidiLabel // "Documents", with how many are assigned and shown

	all     []storage.DocInfo // every document, by id
	loading bool              // all is being read (openFirstLater)
	filterData

	query     *widget.Entry  // the search box
	hits      map[string]int // with a query searched: document → its matches
	searchGen atomic.Int64   // the latest search: an older one's result is dropped
	searching sync.WaitGroup // the searches and list reads under way (tests wait for them)
	do        func(func())   // runs a search's result on the UI goroutine: fyne.Do (tests queue it)
}

// docControls builds the list's filters and sort, above it.
func (u *UI) docControls() fyne.CanvasObject {
	f := &u.filt
	changed := func(string) { u.reloadFilters() }
	f.status = widget.NewSelect([]string{docsAnyStatus, docsMineTodo, docsMineWorking, docsMineDone, docsAllDone, docsNotAllDone}, changed)
	f.scope = widget.NewSelect([]string{docsAll, docsAssignedMe}, changed)
	f.label = widget.NewSelect(nil, changed)
	f.sort = widget.NewSelect([]string{sortByID, sortByTitle, sortByStatus}, changed)
	for s, v := range map[*widget.Select]string{f.status: docsAnyStatus, f.scope: docsAll, f.label: docsAnyLabel, f.sort: sortByID} {
		s.Selected = v // no reload before the list exists
	}
	u.labelChoices()
	f.head = newBidiLabel(u.fonts, lang.L("Documents"), true)
	f.query = widget.NewEntry()
	f.query.SetPlaceHolder(lang.L("Search: الأردن finds والأردن, بالأردن, الاردن…"))
	f.query.OnChanged = func(string) { u.searchDocs() }
	// Inset as a stock label's text is: the heading's line starts at its edge.
	pad := theme.InnerPadding()
	head := container.New(fynelayout.NewCustomPaddedLayout(0, 0, pad, pad), f.head)
	return container.NewVBox(head, f.query, container.NewGridWithColumns(2, f.status, f.scope, f.label, f.sort))
}

// searchDocs lists the documents containing the search box's query (all
// of them when it has no word), with their matches counted, searched off
// the UI goroutine: a project of 10,000 documents takes a fifth of a
// second, and each key typed starts a search that makes the last ones
// moot.
func (u *UI) searchDocs() {
	f := &u.filt
	gen := f.searchGen.Add(1)
	m, err := match.Compile(f.query.Text)
	if err != nil { // no word in it
		f.hits = nil
		u.applyFilters()
		return
	}
	st := u.store
	f.searching.Add(1)
	go func() {
		defer f.searching.Done()
		hits := map[string]int{}
		err := project.Search(st, project.SearchQuery{Matcher: m}, func(h project.Hit) error {
			if f.searchGen.Load() != gen {
				return errMoot
			}
			hits[h.Doc]++
			return nil
		})
		do := f.do
		if do == nil {
			do = fyne.Do
		}
		do(func() {
			switch {
			case f.searchGen.Load() != gen:
			case err != nil:
				u.fail(err)
			default:
				f.hits = hits
				u.applyFilters()
			}
		})
	}()
}

// errMoot stops a search that a newer one replaces.
var errMoot = errors.New("a newer search replaces this one")

// searchSummary says how many matches the list shows, with a query.
func (f *docFilters) searchSummary() string {
	if f.hits == nil {
		return ""
	}
	n := 0
	for _, c := range f.hits {
		n += c
	}
	return fmt.Sprintf(lang.L(" · %d found in %d"), n, len(f.hits))
}

// labelChoices offers the project's labels in the label filter.
func (u *UI) labelChoices() {
	if u.filt.label == nil {
		return
	}
	opts := []string{docsAnyLabel}
	for _, l := range u.labels {
		opts = append(opts, l.Name)
	}
	u.filt.label.Options = opts
	if !slices.Contains(opts, u.filt.label.Selected) {
		u.filt.label.Selected = docsAnyLabel
	}
	u.filt.label.Refresh()
}

// filterData is what the filters need from the store.
type filterData struct {
	assigned map[string][]string // document → its annotators
	mine     map[string]bool     // documents assigned to u.annotator
	labelled map[string]bool     // with the label filter on: documents where u.annotator (not anyone else) used it
}

// loadFilters reads what the filters need.
func (u *UI) loadFilters() error {
	fd, err := readFilters(u.store, u.annotator, u.filt.labelChosen())
	if err == nil {
		u.filt.filterData = fd
	}
	return err
}

// labelChosen is the label the label filter asks for, "" for any.
func (f *docFilters) labelChosen() string {
	if f.label == nil || f.label.Selected == docsAnyLabel {
		return ""
	}
	return f.label.Selected
}

// readFilters reads the plan in place and, with a label chosen, where
// annotator used it: only the store, so it may run off the UI goroutine.
func readFilters(st *storage.Store, annotator, label string) (filterData, error) {
	var fd filterData
	var err error
	if fd.assigned, _, err = project.AssignedByDoc(st); err != nil {
		return fd, err
	}
	fd.mine = map[string]bool{}
	for doc, names := range fd.assigned {
		if slices.Contains(names, annotator) {
			fd.mine[doc] = true
		}
	}
	if label != "" {
		byDoc, err := st.LabelsByDocument([]string{annotator})
		if err != nil {
			return fd, err
		}
		fd.labelled = map[string]bool{}
		for doc, labels := range byDoc {
			if slices.Contains(labels, label) {
				fd.labelled[doc] = true
			}
		}
	}
	return fd, nil
}

// noteSpans keeps the label filter in step with this annotator's spans of
// the open document, which change without loadFilters: a document where
// the annotator just used the label stays listed once left, one where they
// just removed its last span of it drops out.
func (f *docFilters) noteSpans(doc string, spans []annotate.Span) {
	if f.labelled != nil {
		f.labelled[doc] = slices.ContainsFunc(spans, func(s annotate.Span) bool { return s.Label == f.label.Selected })
	}
}

// reloadFilters applies a changed control.
func (u *UI) reloadFilters() {
	if err := u.loadFilters(); err != nil {
		u.fail(err)
	}
	u.applyFilters()
}

// passes says whether document d passes the filters.
func (u *UI) passes(d storage.DocInfo) bool {
	f := &u.filt
	if f.status == nil {
		return true
	}
	mine := d.Status[u.annotator]
	switch f.status.Selected {
	case docsMineTodo:
		if mine != "" && mine != annotate.StatusTodo {
			return false
		}
	case docsMineWorking:
		if mine != annotate.StatusInProgress {
			return false
		}
	case docsMineDone:
		if mine != annotate.StatusDone {
			return false
		}
	case docsAllDone, docsNotAllDone:
		if project.AllDone(d, f.assigned[d.ID]) != (f.status.Selected == docsAllDone) {
			return false
		}
	}
	if f.scope.Selected == docsAssignedMe && !f.mine[d.ID] {
		return false
	}
	if f.hits != nil && f.hits[d.ID] == 0 {
		return false
	}
	return f.labelled == nil || f.labelled[d.ID]
}

// statusRank orders by status: what is under way, then what is to do,
// then what is done.
func statusRank(s annotate.Status) int {
	switch s {
	case annotate.StatusInProgress:
		return 0
	case annotate.StatusDone:
		return 2
	}
	return 1
}

// applyFilters puts the shown documents in u.docs: assigned to this
// annotator first, then in the chosen order; the open document is kept.
func (u *UI) applyFilters() {
	f := &u.filt
	open := ""
	if u.doc != nil {
		open = u.doc.ID
	}
	by := sortByID
	if f.sort != nil {
		by = f.sort.Selected
	}
	// Sort keys computed once per document (10,000 of them: this runs on
	// every open); ties keep the id order of f.all.
	type key struct {
		theirs, rank int // theirs: 0 assigned to me, 1 not
		title        string
		at           int
	}
	keys := make([]key, 0, len(f.all))
	for i, d := range f.all {
		if d.ID != open && !u.passes(d) {
			continue
		}
		k := key{at: i}
		if !f.mine[d.ID] {
			k.theirs = 1
		}
		switch by {
		case sortByTitle:
			k.title = d.Title
		case sortByStatus:
			k.rank = statusRank(d.Status[u.annotator])
		}
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.theirs, b.theirs), cmp.Compare(a.rank, b.rank), cmp.Compare(a.title, b.title), cmp.Compare(a.at, b.at))
	})
	shown := make([]storage.DocInfo, len(keys))
	for i, k := range keys {
		shown[i] = f.all[k.at]
	}
	u.docs = shown
	u.cur = slices.IndexFunc(shown, func(d storage.DocInfo) bool { return d.ID == open })
	if u.docList != nil {
		u.docList.Refresh()
		if u.cur >= 0 {
			u.docList.Select(u.cur)
			u.docList.ScrollTo(u.cur)
		} else {
			u.docList.UnselectAll()
		}
	}
	u.updateProgress()
}
