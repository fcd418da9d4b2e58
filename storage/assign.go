package storage

import (
	"fmt"
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
		return nil
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
	Last           time.Time // the last change of its status, time or spans
}

// Activity lists every human annotator's layer with a status row or spans.
func (s *Store) Activity() ([]LayerActivity, error) {
	var rows []struct {
		ExtID, Name, Status string
		Seconds             float64
		UpdatedAt           time.Time
	}
	err := s.db.Table("doc_statuses").Select("documents.ext_id, annotators.name, doc_statuses.status, doc_statuses.seconds, doc_statuses.updated_at").
		Joins("JOIN documents ON documents.id = doc_statuses.document_id").
		Joins("JOIN annotators ON annotators.id = doc_statuses.annotator_id").
		Where("annotators.kind = ?", kindHuman).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var spans []struct {
		ExtID, Name string
		Last        string // an aggregate: SQLite gives the stored text
	}
	err = s.db.Table("spans").Select("documents.ext_id, annotators.name, max(spans.updated_at) AS last").
		Joins("JOIN documents ON documents.id = spans.document_id").
		Joins("JOIN annotators ON annotators.id = spans.annotator_id").
		Where("annotators.kind = ?", kindHuman).Group("spans.document_id, spans.annotator_id").Scan(&spans).Error
	if err != nil {
		return nil, err
	}
	type key struct{ doc, name string }
	at := map[key]int{}
	out := make([]LayerActivity, len(rows))
	for i, r := range rows {
		out[i] = LayerActivity{Doc: r.ExtID, Annotator: r.Name, Status: annotate.Status(r.Status),
			Spent: time.Duration(r.Seconds * float64(time.Second)), Last: r.UpdatedAt}
		at[key{r.ExtID, r.Name}] = i
	}
	for _, sp := range spans {
		last, err := parseStoredTime(sp.Last)
		if err != nil {
			return nil, err
		}
		i, ok := at[key{sp.ExtID, sp.Name}]
		if !ok {
			out = append(out, LayerActivity{Doc: sp.ExtID, Annotator: sp.Name, Status: annotate.StatusTodo})
			i = len(out) - 1
		}
		if last.After(out[i].Last) {
			out[i].Last = last
		}
	}
	return out, nil
}

// parseStoredTime reads a time as the SQLite driver stores it (an
// aggregate such as max() returns it as text).
func parseStoredTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q in the spans table", s)
}
