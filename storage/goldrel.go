package storage

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
)

// Gold relations join two spans of the gold layer and carry provenance as
// gold spans do. A relation rejected by hand is recorded by its strict key
// (gold_relation_rejections): the pre-fill never accepts it.

// ErrNoRelation is returned for a relation that is not (or no longer)
// stored.
var ErrNoRelation = errors.New("no such relation")

// GoldRelation is a relation to accept into the gold layer: its ends, the
// label, and the annotators that drew exactly it (Votes). An end not in the
// gold layer yet is accepted with the votes and decision it carries (an end
// without a decision gets the relation's); one already there stays as it is.
type GoldRelation struct {
	Head, Tail annotate.Span
	Label      string
	Votes      []string
	Decision   annotate.Decision
}

// GoldAcceptRelation puts r into the gold layer of document docID as a
// decision (chosen, edited or added) by by, with both its ends, in one
// transaction: accepting a relation whose ends are not gold accepts them
// too. The project's relation types must allow it (ErrRelationRule). A
// relation the gold layer has already gets the new provenance, and a
// rejection of it is removed. It returns the ends as stored.
func (s *Store) GoldAcceptRelation(docID string, r GoldRelation, by string) (head, tail annotate.Span, err error) {
	if r.Decision == "" || r.Decision == annotate.DecisionAutomatic || !validDecision(r.Decision) {
		return r.Head, r.Tail, fmt.Errorf("GoldAcceptRelation: decision %q is not a hand decision (chosen, edited or added)", r.Decision)
	}
	ends := [2]annotate.Span{r.Head, r.Tail}
	for i := range ends {
		sp := &ends[i]
		sp.ID, sp.Votes, sp.DecidedBy = 0, sortedVotes(sp.Votes), by
		if sp.Decision == "" {
			sp.Decision = r.Decision
		}
		if sp.Decision == annotate.DecisionAutomatic || !validDecision(sp.Decision) {
			return r.Head, r.Tail, fmt.Errorf("GoldAcceptRelation: end %s [%d,%d): decision %q is not a hand decision", sp.Label, sp.Start, sp.End, sp.Decision)
		}
	}
	if ends[0].Start == ends[1].Start && ends[0].End == ends[1].End && ends[0].Label == ends[1].Label {
		return r.Head, r.Tail, fmt.Errorf("%w: a relation joins two different spans", ErrRelationRule)
	}
	err = s.write(func(tx *gorm.DB) error {
		types, err := relationTypesOf(tx)
		if err != nil {
			return err
		}
		if err := checkRelation(types, r.Label, ends[0].Label, ends[1].Label); err != nil {
			return err
		}
		var d *document
		for i := range ends {
			if d, err = goldAcceptTx(tx, docID, &ends[i], false); err != nil {
				return err
			}
		}
		row := relation{HeadID: uint(ends[0].ID), TailID: uint(ends[1].ID), Label: r.Label,
			Prov: provenanceOf(sortedVotes(r.Votes), r.Decision, by)}
		q := tx.Where("head_id = ? AND tail_id = ? AND label = ?", row.HeadID, row.TailID, row.Label).
			Assign(map[string]any{"votes": row.Prov.Votes, "decision": row.Prov.Decision, "decided_by": by}).FirstOrCreate(&row)
		if q.Error != nil {
			return q.Error
		}
		key := adjudicate.Rel{Head: ends[0], Tail: ends[1], Label: r.Label}.Key()
		if err := rejectionWhere(tx, d.ID, key).Delete(&goldRelationRejection{}).Error; err != nil {
			return err
		}
		return reopenRow(tx, d.ID)
	})
	return ends[0], ends[1], err
}

// GoldRejectRelation records that the relation with strict key k is not
// gold in document docID, decided by by; the gold layer's relation with
// that key, if any, is removed (its ends stay). Rejecting again updates by.
func (s *Store) GoldRejectRelation(docID string, k adjudicate.RelKey, by string) error {
	return s.write(func(tx *gorm.DB) error {
		d, err := documentRow(tx.Select("id"), docID)
		if err != nil {
			return err
		}
		if _, err := deleteGoldRelation(tx, d.ID, k); err != nil {
			return err
		}
		row := goldRelationRejection{DocumentID: d.ID, HeadStart: k.HeadStart, HeadEnd: k.HeadEnd, HeadLabel: k.HeadLabel,
			TailStart: k.TailStart, TailEnd: k.TailEnd, TailLabel: k.TailLabel, Label: k.Label}
		if err := rejectionWhere(tx, d.ID, k).Assign(map[string]any{"decided_by": by}).FirstOrCreate(&row).Error; err != nil {
			return err
		}
		return reopenRow(tx, d.ID)
	})
}

// GoldDeleteRelation undoes every decision on the relation with strict key
// k in document docID: the gold relation and its rejection are removed
// (ErrNoRelation if there was neither), so a later pre-fill may accept it.
func (s *Store) GoldDeleteRelation(docID string, k adjudicate.RelKey) error {
	return s.write(func(tx *gorm.DB) error {
		d, err := documentRow(tx.Select("id"), docID)
		if err != nil {
			return err
		}
		n, err := deleteGoldRelation(tx, d.ID, k)
		if err != nil {
			return err
		}
		q := rejectionWhere(tx, d.ID, k).Delete(&goldRelationRejection{})
		if q.Error != nil {
			return q.Error
		}
		if n+q.RowsAffected == 0 {
			return fmt.Errorf("%w: %s in document %q", ErrNoRelation, k.Label, docID)
		}
		return reopenRow(tx, d.ID)
	})
}

func rejectionWhere(tx *gorm.DB, doc uint, k adjudicate.RelKey) *gorm.DB {
	return tx.Where("document_id = ? AND head_start = ? AND head_end = ? AND head_label = ? AND tail_start = ? AND tail_end = ? AND tail_label = ? AND label = ?",
		doc, k.HeadStart, k.HeadEnd, k.HeadLabel, k.TailStart, k.TailEnd, k.TailLabel, k.Label)
}

// deleteGoldRelation removes the gold layer's relation with key k from
// document doc and says how many went (0 or 1).
func deleteGoldRelation(tx *gorm.DB, doc uint, k adjudicate.RelKey) (int64, error) {
	q := tx.Exec(`DELETE FROM relations WHERE id IN (SELECT r.id FROM relations r
		JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id
		JOIN annotators a ON a.id = h.annotator_id AND a.kind = ?
		JOIN label_types hl ON hl.id = h.label_id JOIN label_types tl ON tl.id = t.label_id
		WHERE h.document_id = ? AND h.start = ? AND h.end = ? AND hl.name = ? AND t.start = ? AND t.end = ? AND tl.name = ? AND r.label = ?)`,
		kindGold, doc, k.HeadStart, k.HeadEnd, k.HeadLabel, k.TailStart, k.TailEnd, k.TailLabel, k.Label)
	return q.RowsAffected, q.Error
}

func (r goldRelationRejection) key() adjudicate.RelKey {
	return adjudicate.RelKey{HeadStart: r.HeadStart, HeadEnd: r.HeadEnd, HeadLabel: r.HeadLabel,
		TailStart: r.TailStart, TailEnd: r.TailEnd, TailLabel: r.TailLabel, Label: r.Label}
}
