package project

import (
	"slices"
	"sync"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/storage"
)

// AdjudicationSettings are the annotators and threshold adjudication uses:
// those of the project's last pre-fill, or, when it was never pre-filled,
// the annotators who count by default (Annotators), all of them agreeing.
func AdjudicationSettings(st *storage.Store) (storage.PrefillSettings, error) {
	p, ok, err := st.LastPrefillSettings()
	if err != nil || ok && len(p.Annotators) > 0 {
		return p, err
	}
	names, err := Annotators(st)
	return storage.PrefillSettings{Annotators: names}, err
}

// PrefillOptions steer Prefill.
type PrefillOptions struct {
	Settings storage.PrefillSettings // annotators and threshold (recorded for the app)
	Finish   bool                    // finish every document left without an open group
	By       string                  // who finishes
}

// PrefillDoc is what a pre-fill did to one document.
type PrefillDoc struct {
	ID          string
	Status      annotate.GoldStatus // before the pre-fill
	Added       []annotate.Span     // accepted now, not in the gold layer before
	Relations   []adjudicate.Rel    // relations accepted now (both ends gold, agreed)
	Dropped     int                 // automatic spans removed
	Counts      adjudicate.Counts   // the groups after the pre-fill, by state
	Open        []adjudicate.Group  // those still needing a person (Pending)
	NowFinished bool                // finished by this pre-fill
}

// Prefill accepts, in every document not finished, the agreed candidates
// into the gold layer as automatic, and the agreed relations whose ends
// are then both gold (adjudicate.PrefillRelations), drops the automatic spans that no
// longer qualify and never touches a decision by hand (see
// adjudicate.Prefill and storage.Automatic), all in one transaction. With
// opts.Finish, the documents it leaves without an open group are finished.
// It records the settings, and returns what it did per document, in id
// order. progress, if set, is called with the documents planned.
func Prefill(st *storage.Store, opts PrefillOptions, progress func(done, total int)) ([]PrefillDoc, error) {
	p := opts.Settings
	if err := st.SavePrefillSettings(p); err != nil {
		return nil, err
	}
	// Finish only where enough annotators worked to agree at all: a
	// document no one read has no open group, and no gold either.
	var worked map[string]bool
	if opts.Finish {
		infos, err := st.Documents()
		if err != nil {
			return nil, err
		}
		need := adjudicate.Threshold(p.MinAgree, len(p.Annotators))
		worked = make(map[string]bool, len(infos))
		for _, d := range infos {
			n := 0
			for _, a := range p.Annotators {
				if Worked(d, a) {
					n++
				}
			}
			worked[d.ID] = n >= need && need > 0
		}
	}
	total := 0
	if progress != nil {
		var err error
		if total, err = st.DocumentCount(); err != nil {
			return nil, err
		}
	}
	var out []PrefillDoc
	var mu sync.Mutex // plan runs on several goroutines
	planned := 0
	err := st.Prefill(p.Annotators, opts.By, func(i int, d *adjudicate.Doc, g storage.GoldState) (storage.PrefillChange, error) {
		r := PrefillDoc{ID: d.ID, Status: g.Status}
		var c storage.PrefillChange
		groups := adjudicate.Groups(*d, p.MinAgree)
		if g.Status != annotate.GoldFinished {
			plan := adjudicate.Prefill(groups)
			c.Add, c.Drop = plan.Add, plan.Drop
			e := storage.Automatic(d.Gold, plan.Add, plan.Drop)
			r.Added, r.Dropped = e.Added, len(e.Dropped)
			after := *d
			after.Gold = e.Gold
			groups = adjudicate.Groups(after, p.MinAgree)
			c.AddRelations = adjudicate.PrefillRelations(after, p.MinAgree)
			r.Relations = c.AddRelations
		}
		r.Counts = adjudicate.Count(groups)
		for _, g := range groups {
			if g.Pending() {
				r.Open = append(r.Open, g)
			}
		}
		c.Finish = opts.Finish && len(r.Open) == 0 && g.Status != annotate.GoldFinished && worked[d.ID]
		r.NowFinished = c.Finish
		mu.Lock()
		defer mu.Unlock()
		for len(out) <= i {
			out = append(out, PrefillDoc{})
		}
		out[i] = r
		if planned++; progress != nil && (planned%64 == 0 || planned == total) {
			progress(planned, total)
		}
		return c, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OpenGroups fills Gold.OpenGroups of docs (as Documents lists them) under
// the project's adjudication settings, reading every document's layers in
// a few queries per batch.
func OpenGroups(st *storage.Store, docs []storage.DocInfo) error {
	p, err := AdjudicationSettings(st)
	if err != nil {
		return err
	}
	idx := make(map[string]int, len(docs))
	for i, d := range docs {
		idx[d.ID] = i
	}
	return st.EachAdjudicationDoc(p.Annotators, nil, false, func(d *adjudicate.Doc, _ storage.GoldState) error {
		if i, ok := idx[d.ID]; ok {
			docs[i].Gold.OpenGroups = storage.OpenGroups(d, p)
		}
		return nil
	})
}

// FinishGold declares the adjudication of documents ids finished by by,
// refused (a *storage.OpenGroupsError) while one of them has an open group
// under the project's adjudication settings, unless force.
func FinishGold(st *storage.Store, ids []string, by string, force bool) error {
	p, err := AdjudicationSettings(st)
	if err != nil {
		return err
	}
	return st.FinishGold(slices.Compact(slices.Sorted(slices.Values(ids))), by, force, p)
}
