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
// command line and the app both compute agreement from the same documents
// (Agreement streams them), so they report the same figures for the same
// project.
func AgreementDocs(st *storage.Store, names []string, sel AgreementSelection) (docs []agree.Doc, excluded []string, err error) {
	infos, err := st.Documents()
	if err != nil {
		return nil, nil, err
	}
	keep, excluded := selectDocs(infos, names, sel)
	err = eachAgreementDoc(st, names, keep, func(d agree.Doc) error {
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return docs, excluded, nil
}

// Agreement computes the agreement of AgreementDocs a batch of documents
// at a time: memory holds one batch of texts and spans and the report's
// entry of each document, at any project size.
func Agreement(st *storage.Store, names []string, sel AgreementSelection, opts agree.Options) (*agree.Report, []string, error) {
	infos, err := st.Documents()
	if err != nil {
		return nil, nil, err
	}
	keep, excluded := selectDocs(infos, names, sel)
	byDoc, err := st.LabelsByDocument(names)
	if err != nil {
		return nil, nil, err
	}
	var labels []string
	seen := map[string]bool{}
	for id, ls := range byDoc {
		for _, l := range ls {
			if keep[id] && !seen[l] {
				seen[l] = true
				labels = append(labels, l)
			}
		}
	}
	t, err := agree.NewTally(names, labels, opts)
	if err != nil {
		return nil, nil, err
	}
	const batch = 256
	var docs []agree.Doc
	err = eachAgreementDoc(st, names, keep, func(d agree.Doc) error {
		if docs = append(docs, d); len(docs) < batch {
			return nil
		}
		err := t.Add(docs)
		docs = docs[:0]
		return err
	})
	if err == nil {
		err = t.Add(docs)
	}
	if err != nil {
		return nil, nil, err
	}
	return t.Report(), excluded, nil
}

// selectDocs splits the documents into those sel keeps and the others.
func selectDocs(infos []storage.DocInfo, names []string, sel AgreementSelection) (keep map[string]bool, excluded []string) {
	keep = map[string]bool{}
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
	return keep, excluded
}

// eachAgreementDoc calls fn with each document of keep, in document-id
// order. The texts and layers are read in batches, each text once for all
// annotators.
func eachAgreementDoc(st *storage.Store, names []string, keep map[string]bool, fn func(agree.Doc) error) error {
	return st.EachLayers(names, func(rec *annotate.Record) error {
		if !keep[rec.Doc.ID] {
			return nil
		}
		d := agree.Doc{ID: rec.Doc.ID, Text: rec.Doc.Text, Layers: map[string][]annotate.Span{}, Relations: map[string][]annotate.Relation{}}
		for i, a := range names {
			d.Layers[a] = rec.Layers[i].Spans
			if rels := rec.Layers[i].Relations; len(rels) > 0 {
				d.Relations[a] = rels
			}
		}
		return fn(d)
	})
}
