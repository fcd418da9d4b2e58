package storage

import (
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
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
	err := tx.Where(`document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ?`, doc, gold, sp.Start, sp.End, label).Take(&row).Error
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
	err := s.write(func(tx *gorm.DB) error {
		d, err := goldAcceptTx(tx, docID, &sp, true)
		if err != nil {
			return err
		}
		return reopenRow(tx, d.ID)
	})
	return sp, err
}

// goldAcceptTx puts sp, with the provenance it carries, into the gold
// layer of docID and removes the rejections it overlaps. A span the layer
// has already gets sp's provenance with replace, and is left as it is
// (sp takes its provenance) without. It sets sp.ID.
func goldAcceptTx(tx *gorm.DB, docID string, sp *annotate.Span, replace bool) (*document, error) {
	d, gold, label, err := goldPrep(tx, docID, sp)
	if err != nil {
		return nil, err
	}
	row, err := goldSpanRow(tx, d.ID, gold, label, *sp)
	if err != nil {
		return nil, err
	}
	switch {
	case row != nil && !replace:
		sp.Votes, sp.Decision, sp.DecidedBy = row.Prov.domain()
	case row != nil:
		prov := map[string]any{"votes": encodeVotes(sp.Votes), "decision": string(sp.Decision), "decided_by": sp.DecidedBy}
		if err := tx.Model(row).Updates(prov).Error; err != nil {
			return nil, err
		}
	default:
		row = &span{DocumentID: d.ID, AnnotatorID: gold, Start: sp.Start, End: sp.End, LabelID: label, Text: sp.Text,
			Prov: provenanceOf(sp.Votes, sp.Decision, sp.DecidedBy)}
		if err := tx.Create(row).Error; err != nil {
			return nil, err
		}
	}
	sp.ID = int64(row.ID)
	if err := tx.Where(`document_id = ? AND start < ? AND "end" > ?`, d.ID, sp.End, sp.Start).Delete(&goldRejection{}).Error; err != nil {
		return nil, err
	}
	return d, nil
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
	err := s.write(func(tx *gorm.DB) error {
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
		if err := tx.Where(`document_id = ? AND start < ? AND "end" > ?`, d.ID, sp.End, sp.Start).Delete(&goldRejection{}).Error; err != nil {
			return err
		}
		return reopenRow(tx, d.ID)
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
	return s.write(func(tx *gorm.DB) error {
		row, err := goldRow(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Delete(&span{}, id).Error; err != nil {
			return err
		}
		return reopenRow(tx, row.DocumentID)
	})
}

// GoldReject records that the candidate group with extent [start, end) of
// document docID has no gold span, decided by by. The gold spans of the
// group are removed (see removeGoldIn). Rejecting the same extent again
// updates by.
func (s *Store) GoldReject(docID string, start, end int, by string) error {
	return s.write(func(tx *gorm.DB) error {
		d, err := documentRow(tx.Select("id, length"), docID)
		if err != nil {
			return err
		}
		if start < 0 || end > d.Length || start >= end {
			return fmt.Errorf("rejected group [%d,%d) is outside the text (length %d) or empty", start, end, d.Length)
		}
		if _, err := removeGoldIn(tx, docID, d.ID, start, end); err != nil {
			return err
		}
		if err := reopenRow(tx, d.ID); err != nil {
			return err
		}
		var row goldRejection
		err = tx.Where(`document_id = ? AND start = ? AND "end" = ?`, d.ID, start, end).Take(&row).Error
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
// rejections overlapping it and its gold spans (see removeGoldIn) are
// removed. It returns how many gold spans and rejections went.
func (s *Store) GoldReopen(docID string, start, end int) (spans, rejections int, err error) {
	err = s.write(func(tx *gorm.DB) error {
		d, err := documentRow(tx.Select("id"), docID)
		if err != nil {
			return err
		}
		if spans, err = removeGoldIn(tx, docID, d.ID, start, end); err != nil {
			return err
		}
		r := tx.Where(`document_id = ? AND start < ? AND "end" > ?`, d.ID, end, start).Delete(&goldRejection{})
		if rejections = int(r.RowsAffected); r.Error != nil {
			return r.Error
		}
		return reopenRow(tx, d.ID)
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
	if err := s.db.Where("document_id = ?", d.ID).Order(`start, "end"`).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]GoldRejection, len(rows))
	for i, r := range rows {
		out[i] = GoldRejection{Start: r.Start, End: r.End, DecidedBy: r.DecidedBy}
	}
	return out, nil
}

func sortedVotes(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	v = slices.Clone(v)
	slices.Sort(v)
	return slices.Compact(v)
}

// removeGoldIn removes the gold spans of document doc (ext id docID, row id
// id) that overlap [start, end) and no other group: a hand span that also
// covers a neighbouring group is that group's decision too, and stays
// (delete it to undo it). The groups are those of the recorded pre-fill
// settings, or of every annotator with a span there when none are recorded.
func removeGoldIn(tx *gorm.DB, docID string, id uint, start, end int) (int, error) {
	p, ok, err := prefillSettings(tx)
	if err != nil {
		return 0, err
	}
	if !ok || len(p.Annotators) == 0 {
		p = PrefillSettings{}
		if err := tx.Table("spans").Distinct("annotators.name").Joins("JOIN annotators ON annotators.id = spans.annotator_id").
			Where("spans.document_id = ? AND annotators.kind = ?", id, kindHuman).Order("annotators.name").Pluck("annotators.name", &p.Annotators).Error; err != nil {
			return 0, err
		}
	}
	var drop []int64
	err = eachAdjudication(tx, p.Annotators, []string{docID}, false, func(d *adjudicate.Doc, _ GoldState) error {
		groups := adjudicate.Groups(*d, p.MinAgree)
		for _, sp := range d.Gold {
			if sp.Start >= end || start >= sp.End {
				continue
			}
			elsewhere := false
			for _, g := range groups {
				if (g.Start >= end || start >= g.End) && sp.Start < g.End && g.Start < sp.End {
					elsewhere = true
				}
			}
			if !elsewhere {
				drop = append(drop, sp.ID)
			}
		}
		return nil
	})
	if err != nil || len(drop) == 0 {
		return 0, err
	}
	r := tx.Delete(&span{}, drop)
	return int(r.RowsAffected), r.Error
}
