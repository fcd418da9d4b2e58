package storage

import (
	"slices"
	"time"

	"gorm.io/gorm"

	"tawsim/annotate"
	"tawsim/annotate/assign"
)

// assignment (schema version 6) says that an annotator is to annotate a
// document; Overlap marks the documents of the share given to everyone.
// Assignments are part of the project definition.
type assignment struct {
	DocumentID  uint       `gorm:"primaryKey"`
	AnnotatorID uint       `gorm:"primaryKey;index"`
	Overlap     bool       `gorm:"not null;default:false"`
	Document    *document  `gorm:"constraint:OnDelete:CASCADE"`
	Annotator   *annotator `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt   time.Time
}

// Assign puts plan in place in one transaction: each document it names
// gets exactly the annotators it lists (none: no longer assigned); the
// other documents keep theirs. Annotators are created as needed; a missing
// document or the gold layer refuses the whole plan.
func (s *Store) Assign(plan []assign.Assignment) error {
	ids := make([]string, len(plan))
	for i, as := range plan {
		ids[i] = as.Doc
		for _, a := range as.Annotators {
			if err := checkHumanName(a); err != nil {
				return err
			}
		}
	}
	return s.write(func(tx *gorm.DB) error {
		docIDs, err := docRowIDs(tx, ids)
		if err != nil {
			return err
		}
		annIDs := map[string]uint{}
		var rows []assignment
		for i, as := range plan {
			for _, a := range as.Annotators {
				id, ok := annIDs[a]
				if !ok {
					if id, err = ensureAnnotator(tx, a); err != nil {
						return err
					}
					annIDs[a] = id
				}
				rows = append(rows, assignment{DocumentID: docIDs[i], AnnotatorID: id, Overlap: as.Overlap})
			}
		}
		for part := range slices.Chunk(docIDs, adjBatch) {
			if err := tx.Where("document_id IN ?", part).Delete(&assignment{}).Error; err != nil {
				return err
			}
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(rows, 200).Error; err != nil {
				return err
			}
		}
		return bumpDefinition(tx) // the plan is part of the definition
	})
}

// Assignments is the plan in place, by document id: the documents with at
// least one annotator assigned, their annotators by name.
func (s *Store) Assignments() ([]assign.Assignment, error) {
	var rows []struct {
		ExtID   string
		Name    string
		Overlap bool
	}
	err := s.db.Table("assignments").Select("documents.ext_id, annotators.name, assignments.overlap").
		Joins("JOIN documents ON documents.id = assignments.document_id").
		Joins("JOIN annotators ON annotators.id = assignments.annotator_id").
		Order("documents.ext_id, annotators.name").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var out []assign.Assignment
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Doc != r.ExtID {
			out = append(out, assign.Assignment{Doc: r.ExtID, Overlap: r.Overlap})
		}
		last := &out[len(out)-1]
		last.Annotators = append(last.Annotators, r.Name)
	}
	return out, nil
}

// AssignedTo lists the documents assigned to annotator name, by id.
func (s *Store) AssignedTo(name string) ([]string, error) {
	var ids []string
	err := s.db.Table("assignments").
		Joins("JOIN documents ON documents.id = assignments.document_id").
		Joins("JOIN annotators ON annotators.id = assignments.annotator_id").
		Where("annotators.name = ?", name).Order("documents.ext_id").Pluck("documents.ext_id", &ids).Error
	return ids, err
}

// LayerActivity is where one annotator's layer of a document stands.
type LayerActivity struct {
	Doc, Annotator string
	Status         annotate.Status
	Spent          time.Duration
	// Last is the layer's last change (its modified time, which merges
	// carry from the laptop where it was made), or else the last time
	// recorded on the row, such as time spent.
	Last time.Time
}

// Activity lists every human annotator's layer that has a row: a status,
// time spent or a change (since schema 6 every layer with spans has one).
func (s *Store) Activity() ([]LayerActivity, error) {
	var rows []struct {
		ExtID, Name, Status string
		Seconds             float64
		ModifiedAt          *time.Time
		UpdatedAt           time.Time
	}
	err := s.db.Table("doc_statuses").
		Select("documents.ext_id, annotators.name, doc_statuses.status, doc_statuses.seconds, doc_statuses.modified_at, doc_statuses.updated_at").
		Joins("JOIN documents ON documents.id = doc_statuses.document_id").
		Joins("JOIN annotators ON annotators.id = doc_statuses.annotator_id").
		Where("annotators.kind = ?", kindHuman).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]LayerActivity, len(rows))
	for i, r := range rows {
		out[i] = LayerActivity{Doc: r.ExtID, Annotator: r.Name, Status: annotate.Status(r.Status),
			Spent: time.Duration(r.Seconds * float64(time.Second)), Last: r.UpdatedAt}
		if r.ModifiedAt != nil {
			out[i].Last = *r.ModifiedAt
		}
	}
	return out, nil
}
