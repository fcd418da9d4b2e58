package storage

import (
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// The gold layer is the annotator GoldLayer, of kind gold: Annotators never
// lists it. Its spans carry provenance (Votes, Decision, DecidedBy). A gold
// span whose decision is automatic was accepted by the pre-fill; every other
// gold span (chosen, edited, added, or imported without a decision) is a
// hand decision, which the pre-fill never changes. A rejection records that
// a candidate group has no gold span, by its extent [start, end).

// GoldRejection is a rejected candidate group: no gold span there.
type GoldRejection struct {
	Start, End int
	DecidedBy  string
}

func validDecision(d annotate.Decision) bool {
	switch d {
	case "", annotate.DecisionAutomatic, annotate.DecisionChosen, annotate.DecisionEdited, annotate.DecisionAdded:
		return true
	}
	return false
}

// goldSpanRow finds the gold span row with exactly sp's key, or nil.
func goldSpanRow(tx *gorm.DB, doc, gold, label uint, sp annotate.Span) (*span, error) {
	var row span
	err := tx.Where("document_id = ? AND annotator_id = ? AND start = ? AND end = ? AND label_id = ?", doc, gold, sp.Start, sp.End, label).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &row, nil
}

// goldPrep checks sp against the document and finds the ids it needs.
func goldPrep(tx *gorm.DB, docID string, sp *annotate.Span) (d *document, gold, label uint, err error) {
	if d, err = documentRow(tx, docID); err != nil {
		return nil, 0, 0, err
	}
	if err = annotate.CheckSpan([]rune(d.Text), sp); err != nil {
		return nil, 0, 0, err
	}
	if gold, err = ensureAnnotator(tx, GoldLayer); err != nil {
		return nil, 0, 0, err
	}
	if label, err = labelID(tx, sp.Label); err != nil {
		return nil, 0, 0, err
	}
	return d, gold, label, nil
}

// GoldAccept puts sp into the gold layer of document docID with its
// provenance: decision (chosen, edited or added; automatic is for
// GoldAutomatic), the adjudicator by, and votes, the annotators that had
// exactly this span. If the gold layer already has the span, its provenance
// is replaced. Rejections overlapping the span are removed: the group now
// has a gold span. It returns the stored span.
func (s *Store) GoldAccept(docID string, sp annotate.Span, decision annotate.Decision, by string, votes []string) (annotate.Span, error) {
	if decision == "" || decision == annotate.DecisionAutomatic || !validDecision(decision) {
		return sp, fmt.Errorf("GoldAccept: decision %q is not a hand decision (chosen, edited or added)", decision)
	}
	sp.ID, sp.Votes, sp.Decision, sp.DecidedBy = 0, sortedVotes(votes), decision, by
	err := s.db.Transaction(func(tx *gorm.DB) error {
		d, gold, label, err := goldPrep(tx, docID, &sp)
		if err != nil {
			return err
		}
		row, err := goldSpanRow(tx, d.ID, gold, label, sp)
		if err != nil {
			return err
		}
		prov := map[string]any{"votes": encodeVotes(sp.Votes), "decision": string(decision), "decided_by": by}
		if row != nil {
			if err := tx.Model(row).Updates(prov).Error; err != nil {
				return err
			}
		} else {
			row = &span{DocumentID: d.ID, AnnotatorID: gold, Start: sp.Start, End: sp.End, LabelID: label, Text: sp.Text,
				Votes: encodeVotes(sp.Votes), Decision: string(decision), DecidedBy: by}
			if err := tx.Create(row).Error; err != nil {
				return err
			}
		}
		sp.ID = int64(row.ID)
		return tx.Where("document_id = ? AND start < ? AND end > ?", d.ID, sp.End, sp.Start).Delete(&goldRejection{}).Error
	})
	return sp, err
}

// GoldEdit changes the boundaries or label of gold span id; it becomes a
// hand decision (normally edited) by by, with votes the annotators that had
// exactly the new span. Editing into a span the gold layer already has
// gives ErrDuplicateSpan.
func (s *Store) GoldEdit(id int64, sp annotate.Span, decision annotate.Decision, by string, votes []string) (annotate.Span, error) {
	if decision == "" || decision == annotate.DecisionAutomatic || !validDecision(decision) {
		return sp, fmt.Errorf("GoldEdit: decision %q is not a hand decision (chosen, edited or added)", decision)
	}
	sp.ID, sp.Text, sp.Votes, sp.Decision, sp.DecidedBy = id, "", sortedVotes(votes), decision, by
	err := s.db.Transaction(func(tx *gorm.DB) error {
		row, err := goldRow(tx, id)
		if err != nil {
			return err
		}
		var d document
		if err := tx.Select("id, text").Take(&d, row.DocumentID).Error; err != nil {
			return err
		}
		if err := annotate.CheckSpan([]rune(d.Text), &sp); err != nil {
			return err
		}
		label, err := labelID(tx, sp.Label)
		if err != nil {
			return err
		}
		err = tx.Model(row).Updates(map[string]any{"start": sp.Start, "end": sp.End, "label_id": label, "text": sp.Text,
			"votes": encodeVotes(sp.Votes), "decision": string(decision), "decided_by": by}).Error
		if isUnique(err) {
			return ErrDuplicateSpan
		}
		if err != nil {
			return err
		}
		return tx.Where("document_id = ? AND start < ? AND end > ?", d.ID, sp.End, sp.Start).Delete(&goldRejection{}).Error
	})
	return sp, err
}

// goldRow loads span id and checks that it is in the gold layer.
func goldRow(tx *gorm.DB, id int64) (*span, error) {
	var row span
	if err := tx.Take(&row, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fmt.Errorf("no span %d", id)
		}
		return nil, err
	}
	var a annotator
	if err := tx.Take(&a, row.AnnotatorID).Error; err != nil {
		return nil, err
	}
	if a.Kind != kindGold {
		return nil, fmt.Errorf("span %d is in %s's layer, not in the gold layer", id, a.Name)
	}
	return &row, nil
}

// GoldDelete removes gold span id. Its group is open again (unless another
// decision covers it), so a later pre-fill may accept an agreed span there;
// to keep a group empty for good, reject it (GoldReject).
func (s *Store) GoldDelete(id int64) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		if _, err := goldRow(tx, id); err != nil {
			return err
		}
		return tx.Delete(&span{}, id).Error
	})
}

// GoldReject records that the candidate group with extent [start, end) of
// document docID has no gold span, decided by by. Gold spans overlapping
// the extent are removed. Rejecting the same extent again updates by.
func (s *Store) GoldReject(docID string, start, end int, by string) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		d, err := documentRow(tx.Select("id, length"), docID)
		if err != nil {
			return err
		}
		if start < 0 || end > d.Length || start >= end {
			return fmt.Errorf("rejected group [%d,%d) is outside the text (length %d) or empty", start, end, d.Length)
		}
		if gold, err := annotatorID(tx, GoldLayer); err == nil {
			if err := tx.Where("document_id = ? AND annotator_id = ? AND start < ? AND end > ?", d.ID, gold, end, start).Delete(&span{}).Error; err != nil {
				return err
			}
		}
		var row goldRejection
		err = tx.Where("document_id = ? AND start = ? AND end = ?", d.ID, start, end).Take(&row).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return tx.Create(&goldRejection{DocumentID: d.ID, Start: start, End: end, DecidedBy: by}).Error
		}
		if err != nil {
			return err
		}
		return tx.Model(&row).Update("decided_by", by).Error
	})
}

// GoldReopen undoes every decision on [start, end) of document docID: the
// gold spans and rejections overlapping it are removed. It returns how many
// gold spans and rejections went.
func (s *Store) GoldReopen(docID string, start, end int) (spans, rejections int, err error) {
	err = s.db.Transaction(func(tx *gorm.DB) error {
		d, err := documentRow(tx.Select("id"), docID)
		if err != nil {
			return err
		}
		if gold, err := annotatorID(tx, GoldLayer); err == nil {
			r := tx.Where("document_id = ? AND annotator_id = ? AND start < ? AND end > ?", d.ID, gold, end, start).Delete(&span{})
			if r.Error != nil {
				return r.Error
			}
			spans = int(r.RowsAffected)
		}
		r := tx.Where("document_id = ? AND start < ? AND end > ?", d.ID, end, start).Delete(&goldRejection{})
		rejections = int(r.RowsAffected)
		return r.Error
	})
	return spans, rejections, err
}

// GoldRejections lists the rejected groups of document docID by start, end.
func (s *Store) GoldRejections(docID string) ([]GoldRejection, error) {
	d, err := documentRow(s.db.Select("id"), docID)
	if err != nil {
		return nil, err
	}
	var rows []goldRejection
	if err := s.db.Where("document_id = ?", d.ID).Order("start, end").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]GoldRejection, len(rows))
	for i, r := range rows {
		out[i] = GoldRejection{Start: r.Start, End: r.End, DecidedBy: r.DecidedBy}
	}
	return out, nil
}

// GoldAutomatic applies a pre-fill to document docID in one transaction:
// every span of add is put into the gold layer with decision automatic and
// its Votes (a span already there as automatic gets the new votes; one
// decided by hand is left untouched), and the gold spans with the ids in
// drop are removed if they are automatic (hand decisions are never
// removed). It returns how many spans were added and removed.
func (s *Store) GoldAutomatic(docID string, add []annotate.Span, drop []int64) (added, dropped int, err error) {
	err = s.db.Transaction(func(tx *gorm.DB) error {
		added, dropped = 0, 0
		d, err := documentRow(tx, docID)
		if err != nil {
			return err
		}
		text := []rune(d.Text)
		var gold uint
		if len(add) > 0 {
			if gold, err = ensureAnnotator(tx, GoldLayer); err != nil {
				return err
			}
		} else if gold, err = annotatorID(tx, GoldLayer); err != nil {
			return nil // no gold layer: nothing to drop
		}
		for _, id := range drop {
			r := tx.Where("id = ? AND document_id = ? AND annotator_id = ? AND decision = ?", id, d.ID, gold, string(annotate.DecisionAutomatic)).Delete(&span{})
			if r.Error != nil {
				return r.Error
			}
			dropped += int(r.RowsAffected)
		}
		for _, sp := range add {
			if err := annotate.CheckSpan(text, &sp); err != nil {
				return err
			}
			label, err := labelID(tx, sp.Label)
			if err != nil {
				return err
			}
			row, err := goldSpanRow(tx, d.ID, gold, label, sp)
			if err != nil {
				return err
			}
			votes := encodeVotes(sp.Votes)
			switch {
			case row == nil:
				if err := tx.Create(&span{DocumentID: d.ID, AnnotatorID: gold, Start: sp.Start, End: sp.End, LabelID: label, Text: sp.Text,
					Votes: votes, Decision: string(annotate.DecisionAutomatic)}).Error; err != nil {
					return err
				}
				added++
			case row.Decision == string(annotate.DecisionAutomatic) && row.Votes != votes:
				if err := tx.Model(row).Update("votes", votes).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	return added, dropped, err
}

func sortedVotes(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	v = slices.Clone(v)
	slices.Sort(v)
	return slices.Compact(v)
}
