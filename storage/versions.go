package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// layerVersion (schema version 6) keeps a layer's state that a conflict
// replaced, or that a restore replaced: nothing a merge or an import
// decides against is lost, and the user can restore it.
type layerVersion struct {
	ID          uint       `gorm:"primaryKey"`
	DocumentID  uint       `gorm:"not null;index:ix_layer_version,priority:1"`
	AnnotatorID uint       `gorm:"not null;index:ix_layer_version,priority:2"`
	Content     string     `gorm:"not null"` // layerContent as JSON
	Clock       string     `gorm:"not null;default:'{}'"`
	Revision    int64      `gorm:"not null;default:0"`
	ModifiedAt  *time.Time // of the kept state
	Reason      string     `gorm:"not null;default:''"`
	Document    *document  `gorm:"constraint:OnDelete:CASCADE"`
	Annotator   *annotator `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt   time.Time
}

// LayerVersion is a kept state of a layer.
type LayerVersion struct {
	ID        int64
	Doc       string
	Annotator string
	Revision  int64
	Modified  time.Time // of the kept state (zero if never changed)
	Created   time.Time // when it was kept
	Reason    string
	Layer     annotate.Layer // its spans, relations and status
}

// keepVersion stores st (a layer's state, of this project or not) as a
// version of layer key, and returns its id.
func keepVersion(tx *gorm.DB, key layerKey, row layerRow, content *layerContent, reason string) (int64, error) {
	b, err := json.Marshal(content)
	if err != nil {
		return 0, err
	}
	v := layerVersion{DocumentID: key.Doc, AnnotatorID: key.Annotator, Content: string(b), Clock: row.clock.encode(),
		Revision: row.clock.revision(), Reason: reason, CreatedAt: now()}
	if !row.modified.IsZero() {
		m := row.modified.UTC().Truncate(time.Microsecond)
		v.ModifiedAt = &m
	}
	if err := tx.Create(&v).Error; err != nil {
		return 0, err
	}
	return int64(v.ID), nil
}

// rowOf is the history part of a stored layer row.
func rowOf(r *docStatus) (layerRow, error) {
	c, err := decodeClock(r.Clock)
	if err != nil {
		return layerRow{}, err
	}
	out := layerRow{clock: c, seconds: r.Seconds}
	if r.ModifiedAt != nil {
		out.modified = r.ModifiedAt.UTC()
	}
	return out, nil
}

// LayerVersions lists the kept versions of an annotator's layer of a
// document, newest first; empty doc or annotator lists those of every
// document or annotator.
func (s *Store) LayerVersions(doc, annotatorName string) ([]LayerVersion, error) {
	q := s.db.Table("layer_versions AS v").
		Select("v.id, v.content, v.clock, v.reason, v.revision, v.modified_at, v.created_at, documents.ext_id AS doc, annotators.name AS annotator_name").
		Joins("JOIN documents ON documents.id = v.document_id").
		Joins("JOIN annotators ON annotators.id = v.annotator_id")
	if doc != "" {
		q = q.Where("documents.ext_id = ?", doc)
	}
	if annotatorName != "" {
		q = q.Where("annotators.name = ?", annotatorName)
	}
	var rows []struct {
		ID                     uint
		Content, Clock, Reason string
		Revision               int64
		ModifiedAt, CreatedAt  *time.Time
		Doc, AnnotatorName     string
	}
	if err := q.Order("v.id DESC").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]LayerVersion, len(rows))
	for i, r := range rows {
		lv := layerVersion{ID: r.ID, Content: r.Content, Clock: r.Clock, Reason: r.Reason, Revision: r.Revision, ModifiedAt: r.ModifiedAt}
		if r.CreatedAt != nil {
			lv.CreatedAt = *r.CreatedAt
		}
		v, err := lv.domain(r.Doc, r.AnnotatorName)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (v *layerVersion) domain(doc, ann string) (LayerVersion, error) {
	var c layerContent
	if err := json.Unmarshal([]byte(v.Content), &c); err != nil {
		return LayerVersion{}, fmt.Errorf("version %d: its content is not readable: %w", v.ID, err)
	}
	out := LayerVersion{ID: int64(v.ID), Doc: doc, Annotator: ann, Revision: v.Revision, Created: v.CreatedAt.UTC(), Reason: v.Reason,
		Layer: annotate.Layer{Annotator: ann, Spans: c.Spans, Relations: c.Relations, Status: c.Status, GoldStatus: c.GoldStatus, Revision: v.Revision}}
	if v.ModifiedAt != nil {
		out.Modified = v.ModifiedAt.UTC()
		out.Layer.Modified = out.Modified
	}
	return out, nil
}

// ErrNoVersion is the error of restoring a version that does not exist.
var ErrNoVersion = errors.New("no such layer version")

// RestoreVersion makes version id's content its layer's current state, as
// a new change of the layer; the state it replaces is kept as another
// version (its id is returned), so a restore loses nothing either.
func (s *Store) RestoreVersion(id int64) (kept int64, err error) {
	err = s.write(func(tx *gorm.DB) error {
		var v layerVersion
		if err := tx.Take(&v, id).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("%w: %d", ErrNoVersion, id)
		} else if err != nil {
			return err
		}
		var c layerContent
		if err := json.Unmarshal([]byte(v.Content), &c); err != nil {
			return fmt.Errorf("version %d: its content is not readable: %w", id, err)
		}
		key := layerKey{v.DocumentID, v.AnnotatorID}
		if err := lockLayers(tx, []layerKey{key}); err != nil {
			return err
		}
		gold, err := goldID(tx)
		if err != nil {
			return err
		}
		cur, err := readLayers(tx, []layerKey{key}, gold)
		if err != nil {
			return err
		}
		st := cur[key]
		row, err := rowOf(&st.row)
		if err != nil {
			return err
		}
		if kept, err = keepVersion(tx, key, row, &st.content, fmt.Sprintf("replaced by restoring version %d", id)); err != nil {
			return err
		}
		if err := ensureLabels(tx, c.Spans); err != nil {
			return err
		}
		replica, err := replicaID(tx)
		if err != nil {
			return err
		}
		row.clock, row.modified = row.clock.ticked(replica), now()
		return setLayers(tx, []layerWrite{{key: key, content: &c, row: row}}, gold)
	})
	return kept, err
}

// ensureLabels creates the labels spans name that the project lacks (a
// version kept before a label was deleted keeps its spans).
func ensureLabels(tx *gorm.DB, spans []annotate.Span) error {
	have, err := labelIDsOf(tx)
	if err != nil {
		return err
	}
	for _, sp := range spans {
		if _, ok := have[sp.Label]; ok {
			continue
		}
		id, err := ensureLabel(tx, annotate.Label{Name: sp.Label, Order: 100 + len(have)})
		if err != nil {
			return err
		}
		have[sp.Label] = id
		if err := bumpDefinition(tx); err != nil {
			return err
		}
	}
	return nil
}
