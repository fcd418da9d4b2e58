package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// Relation types live in the project (table relation_types): a new project
// and one migrated from schema version 4 or older get
// annotate.DefaultRelationTypes. Every relation written (import, the app,
// adjudication) must obey them: its label names a type and its ends carry
// labels the type allows. A layer never holds two equal relations (same
// head, tail and label: the unique index ux_rel).

// ErrRelationRule is returned (wrapped, with the reason) for a relation
// whose label or ends break the project's relation types.
var ErrRelationRule = errors.New("relation refused")

// ErrDuplicateRelation is returned when the layer already holds the
// relation.
var ErrDuplicateRelation = errors.New("the layer already has this relation")

// RelationTypes returns the project's relation types with the labels their
// ends allow, in the project's order.
func (s *Store) RelationTypes() ([]annotate.RelationType, error) { return relationTypesOf(s.db) }

func relationTypesOf(db *gorm.DB) ([]annotate.RelationType, error) {
	var rows []relationType
	if err := db.Order("sort_order, name").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]annotate.RelationType, len(rows))
	for i, r := range rows {
		out[i].Name = r.Name
		if err := json.Unmarshal([]byte(r.Heads), &out[i].Heads); err != nil {
			return nil, fmt.Errorf("relation type %s: heads: %w", r.Name, err)
		}
		if err := json.Unmarshal([]byte(r.Tails), &out[i].Tails); err != nil {
			return nil, fmt.Errorf("relation type %s: tails: %w", r.Name, err)
		}
	}
	return out, nil
}

// seedRelationTypes gives a project without relation types the defaults.
func seedRelationTypes(tx *gorm.DB) error {
	var n int64
	if err := tx.Model(&relationType{}).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	for i, t := range annotate.DefaultRelationTypes() {
		heads, _ := json.Marshal(t.Heads)
		tails, _ := json.Marshal(t.Tails)
		if err := tx.Create(&relationType{Name: t.Name, Heads: string(heads), Tails: string(tails), Order: i + 1, UID: newUID()}).Error; err != nil {
			return err
		}
	}
	return nil
}

// migrateCueLabel gives a project that has its label set (version 4 or
// older) the CUE label the relation type CUE needs — unless it has a CUE
// label already, or another label took CUE's hotkey 5: the project's own
// choice wins, and an import creates CUE when a file uses it.
func migrateCueLabel(tx *gorm.DB) error {
	if done, err := flag(tx, "labels_initialized"); err != nil || !done {
		return err
	}
	var cue annotate.Label
	for _, l := range annotate.DefaultLabels() {
		if l.Name == "CUE" {
			cue = l
		}
	}
	var n int64
	if err := tx.Model(&labelType{}).Where("name = ? OR hotkey = ?", cue.Name, cue.Hotkey).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	_, err := ensureLabel(tx, cue)
	return err
}

// checkRelation says why a relation labelled label from a span labelled
// head to one labelled tail breaks types (wrapping ErrRelationRule).
func checkRelation(types []annotate.RelationType, label, head, tail string) error {
	if err := annotate.CheckRelation(types, label, head, tail); err != nil {
		return fmt.Errorf("%w: %v", ErrRelationRule, err)
	}
	return nil
}

// AddRelation links two spans of the same annotator's layer on one
// document, if the project's relation types allow it (ErrRelationRule) and
// the layer does not have it yet (ErrDuplicateRelation). The gold layer is
// written through adjudication (GoldAcceptRelation).
func (s *Store) AddRelation(head, tail int64, label string) error {
	if label == "" {
		return errors.New("a relation needs a label")
	}
	if head == tail {
		return fmt.Errorf("%w: a relation joins two different spans", ErrRelationRule)
	}
	return s.write(func(tx *gorm.DB) error {
		h, t, err := relationEnds(tx, head, tail)
		if err != nil {
			return err
		}
		if h.DocumentID != t.DocumentID || h.AnnotatorID != t.AnnotatorID {
			return errors.New("a relation links two spans of one annotator on one document")
		}
		if err := notGold(tx, h.AnnotatorID); err != nil {
			return err
		}
		if err := checkStoredRelation(tx, label, h, t); err != nil {
			return err
		}
		if err := createRelation(tx, &relation{HeadID: uint(head), TailID: uint(tail), Label: label}); err != nil {
			return err
		}
		return touchLayers(tx, layerKey{h.DocumentID, h.AnnotatorID})
	})
}

// relationEnds loads the two spans a relation joins.
func relationEnds(tx *gorm.DB, head, tail int64) (h, t span, err error) {
	if err = tx.Take(&h, head).Error; err != nil {
		return h, t, fmt.Errorf("span %d: %w", head, err)
	}
	if err = tx.Take(&t, tail).Error; err != nil {
		return h, t, fmt.Errorf("span %d: %w", tail, err)
	}
	return h, t, nil
}

// checkStoredRelation checks a relation between two stored spans against
// the project's relation types.
func checkStoredRelation(tx *gorm.DB, label string, h, t span) error {
	types, names, err := relationRules(tx)
	if err != nil {
		return err
	}
	return checkRelation(types, label, names[h.LabelID], names[t.LabelID])
}

// relationRules reads the relation types and the label names by id, what
// checking stored spans' relations needs.
func relationRules(tx *gorm.DB) ([]annotate.RelationType, map[uint]string, error) {
	types, err := relationTypesOf(tx)
	if err != nil {
		return nil, nil, err
	}
	names, err := labelNamesOf(tx)
	return types, names, err
}

func createRelation(tx *gorm.DB, r *relation) error {
	err := tx.Create(r).Error
	if isUnique(err) {
		return ErrDuplicateRelation
	}
	return err
}
