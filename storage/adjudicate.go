package storage

import (
	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
)

// AdjudicationDoc loads what adjudicating document docID needs: its text,
// the layers of the given annotators, the gold layer (with provenance) and
// the rejected groups.
func (s *Store) AdjudicationDoc(docID string, annotators []string) (adjudicate.Doc, error) {
	d := adjudicate.Doc{ID: docID, Annotators: annotators, Layers: map[string][]annotate.Span{}}
	doc, err := s.Document(docID)
	if err != nil {
		return d, err
	}
	d.Text = doc.Text
	for _, a := range annotators {
		if d.Layers[a], err = s.Spans(docID, a); err != nil {
			return d, err
		}
	}
	if d.Gold, err = s.Spans(docID, GoldLayer); err != nil {
		return d, err
	}
	rej, err := s.GoldRejections(docID)
	if err != nil {
		return d, err
	}
	for _, r := range rej {
		d.Rejected = append(d.Rejected, adjudicate.Range{Start: r.Start, End: r.End, By: r.DecidedBy})
	}
	return d, nil
}

// AnnotatorsWithSpans lists, by name, the human annotators who have at
// least one span in the project.
func (s *Store) AnnotatorsWithSpans() ([]string, error) {
	var names []string
	err := s.db.Model(&annotator{}).Where("kind = ? AND id IN (SELECT DISTINCT annotator_id FROM spans)", kindHuman).
		Order("name").Pluck("name", &names).Error
	return names, err
}
