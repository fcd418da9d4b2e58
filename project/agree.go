package project

import (
	"tawsim/annotate"
	"tawsim/annotate/agree"
	"tawsim/storage"
)

// AgreementSelection says which documents an agreement covers. By default
// every document of the project: each annotator is taken to have labelled
// every unit, a document without spans being all "O".
type AgreementSelection struct {
	OnlyDone   bool // only documents every annotator marked done
	OnlyWorked bool // only documents every annotator worked on (see Worked)
}

// AgreementDocs gathers the layers of the named annotators for the
// documents sel keeps, in document-id order, and the ids it left out. The
// command line and the app both compute agreement from it, so they report
// the same figures for the same project.
func AgreementDocs(st *storage.Store, names []string, sel AgreementSelection) (docs []agree.Doc, excluded []string, err error) {
	infos, err := st.Documents()
	if err != nil {
		return nil, nil, err
	}
	keep := map[string]bool{}
	for _, d := range infos {
		ok := true
		for _, a := range names {
			if sel.OnlyDone && d.Status[a] != annotate.StatusDone || sel.OnlyWorked && !Worked(d, a) {
				ok = false
			}
		}
		if ok {
			keep[d.ID] = true
		} else {
			excluded = append(excluded, d.ID)
		}
	}
	byID := map[string]*agree.Doc{}
	var order []string
	for _, a := range names {
		err := st.EachRecord(a, false, func(rec *annotate.Record) error {
			if !keep[rec.Doc.ID] {
				return nil
			}
			d := byID[rec.Doc.ID]
			if d == nil {
				d = &agree.Doc{ID: rec.Doc.ID, Text: rec.Doc.Text, Layers: map[string][]annotate.Span{}, Relations: map[string][]annotate.Relation{}}
				byID[rec.Doc.ID] = d
				order = append(order, rec.Doc.ID)
			}
			d.Layers[a] = rec.Layers[0].Spans
			if rels := rec.Layers[0].Relations; len(rels) > 0 {
				d.Relations[a] = rels
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	docs = make([]agree.Doc, len(order))
	for i, id := range order {
		docs[i] = *byID[id]
	}
	return docs, excluded, nil
}
