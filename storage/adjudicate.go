package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

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

// PrefillSettings are the annotators and threshold of the project's last
// automatic pre-fill. A later pre-fill with other settings would undo its
// work (an automatic span accepted at 2 of 3 is dropped at 3 of 3), so the
// app's adjudication screen reuses them.
type PrefillSettings struct {
	Annotators []string `json:"annotators"`
	MinAgree   int      `json:"min_agree"` // 0: all of them
}

// SavePrefillSettings records the settings of a pre-fill.
func (s *Store) SavePrefillSettings(p PrefillSettings) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.db.Transaction(func(tx *gorm.DB) error {
		return tx.Save(&metaRow{Key: "prefill", Value: string(b)}).Error
	})
}

// LastPrefillSettings returns the recorded settings; ok is false when the
// project was never pre-filled.
func (s *Store) LastPrefillSettings() (p PrefillSettings, ok bool, err error) {
	var row metaRow
	err = s.db.Where("key = ?", "prefill").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return p, false, nil
	}
	if err != nil {
		return p, false, err
	}
	if err := json.Unmarshal([]byte(row.Value), &p); err != nil {
		return p, false, fmt.Errorf("recorded pre-fill settings: %w", err)
	}
	return p, true, nil
}
