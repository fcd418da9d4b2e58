package storage

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// A layer is what one annotator (or the gold layer) made of one document:
// its spans, its relations and its status of the document. Its row is the
// doc_statuses row of (document, annotator), which since schema 6 carries
// the layer's revision: a clock advanced by every change, its total as a
// number for people, and the time of the last change. Merges and
// revision-carrying imports compare clocks to take the newer layer.

// layerKey names a layer by row ids.
type layerKey struct{ Doc, Annotator uint }

// touchLayers records one change of each layer in keys (duplicates count
// once) by this project copy, creating the layer's row if it has none.
// Every transaction that changes a layer's spans, relations or status
// calls it.
func touchLayers(tx *gorm.DB, keys ...layerKey) error {
	if len(keys) == 0 {
		return nil
	}
	replica, err := replicaID(tx)
	if err != nil {
		return err
	}
	seen := make(map[layerKey]bool, len(keys))
	uniq := keys[:0:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, k)
		}
	}
	when := now()
	const chunk = 400
	for len(uniq) > 0 {
		n := min(chunk, len(uniq))
		if err := touchChunk(tx, uniq[:n], replica, when); err != nil {
			return err
		}
		uniq = uniq[n:]
	}
	return nil
}

func touchChunk(tx *gorm.DB, keys []layerKey, replica string, when time.Time) error {
	if err := lockLayers(tx, keys); err != nil {
		return err
	}
	docs := make([]uint, len(keys))
	for i, k := range keys {
		docs[i] = k.Doc
	}
	var have []docStatus
	if err := tx.Select("document_id, annotator_id, clock").Where("document_id IN ?", docs).Find(&have).Error; err != nil {
		return err
	}
	clocks := make(map[layerKey]string, len(have))
	for _, r := range have {
		clocks[layerKey{r.DocumentID, r.AnnotatorID}] = r.Clock
	}
	rows := make([]docStatus, len(keys))
	for i, k := range keys {
		c, err := decodeClock(clocks[k])
		if err != nil {
			return err
		}
		c = c.ticked(replica)
		rows[i] = docStatus{DocumentID: k.Doc, AnnotatorID: k.Annotator, Status: "todo",
			Revision: c.revision(), ModifiedAt: &when, Clock: c.encode(), UpdatedAt: when}
	}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "document_id"}, {Name: "annotator_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"revision", "modified_at", "clock", "updated_at"}),
	}).Create(&rows).Error
}

// touchSpanLayers touches the layers of the spans with the given ids (for
// a change that names spans, not layers).
func touchSpanLayers(tx *gorm.DB, spanIDs ...uint) error {
	var keys []layerKey
	if err := tx.Model(&span{}).Select("DISTINCT document_id AS doc, annotator_id AS annotator").
		Where("id IN ?", spanIDs).Scan(&keys).Error; err != nil {
		return err
	}
	return touchLayers(tx, keys...)
}

// LayerRevision is where a layer's history stands.
type LayerRevision struct {
	Revision int64
	Modified time.Time // zero for a layer never changed
}

// LayerRevision reads the revision of an annotator's layer of a document
// (zero values for a layer never changed).
func (s *Store) LayerRevision(docID, annotatorName string) (LayerRevision, error) {
	row, err := layerStatusRow(s.db, docID, annotatorName, "doc_statuses.revision, doc_statuses.modified_at")
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return LayerRevision{}, nil
	}
	if err != nil {
		return LayerRevision{}, err
	}
	r := LayerRevision{Revision: row.Revision}
	if row.ModifiedAt != nil {
		r.Modified = row.ModifiedAt.UTC()
	}
	return r, nil
}

// The definition's clock (labels, relation types, guidelines,
// assignments) lives in tawsim_meta.
const (
	metaDefinitionClock    = "definition_clock"
	metaDefinitionModified = "definition_modified"
)

// bumpDefinition records one change of the project's definition by this
// copy. Every transaction that changes a label, a relation type, the
// guidelines or the assignments calls it.
func bumpDefinition(tx *gorm.DB) error {
	replica, err := replicaID(tx)
	if err != nil {
		return err
	}
	c, _, err := changingDefinition(tx)
	if err != nil {
		return err
	}
	c = c.ticked(replica)
	if err := tx.Save(&metaRow{Key: metaDefinitionClock, Value: c.encode()}).Error; err != nil {
		return err
	}
	return tx.Save(&metaRow{Key: metaDefinitionModified, Value: now().Format(time.RFC3339Nano)}).Error
}

// definitionClock reads the definition's clock and the time of its last
// change (zero if never changed).
func definitionClock(db *gorm.DB) (clock, time.Time, error) {
	var rows []metaRow
	if err := db.Where("key IN ?", []string{metaDefinitionClock, metaDefinitionModified}).Find(&rows).Error; err != nil {
		return nil, time.Time{}, err
	}
	c, when := clock{}, time.Time{}
	for _, r := range rows {
		var err error
		switch r.Key {
		case metaDefinitionClock:
			c, err = decodeClock(r.Value)
		case metaDefinitionModified:
			when, err = time.Parse(time.RFC3339Nano, r.Value)
		}
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("the definition's revision: %w", err)
		}
	}
	return c, when, nil
}

// changingDefinition is definitionClock of a transaction about to change
// the definition, once it holds the definition's lock (lockDefinition).
func changingDefinition(tx *gorm.DB) (clock, time.Time, error) {
	if err := lockDefinition(tx); err != nil {
		return nil, time.Time{}, err
	}
	return definitionClock(tx)
}

// DefinitionRevision is the definition's revision number and last change.
func (s *Store) DefinitionRevision() (LayerRevision, error) {
	c, when, err := definitionClock(s.db)
	return LayerRevision{Revision: c.revision(), Modified: when}, err
}

// migrateLayerRevisions (schema 6) gives the project its replica id and
// every layer that has anything (spans, or a status other than todo) a row
// at revision 1, modified when its status row last changed.
func migrateLayerRevisions(tx *gorm.DB) error {
	if err := ensureReplicaID(tx); err != nil {
		return err
	}
	replica, err := replicaID(tx)
	if err != nil {
		return err
	}
	if err := tx.Exec(`INSERT INTO doc_statuses (document_id, annotator_id, status, seconds, updated_at)
		SELECT DISTINCT document_id, annotator_id, 'todo', 0, CURRENT_TIMESTAMP FROM spans
		WHERE NOT EXISTS (SELECT 1 FROM doc_statuses d WHERE d.document_id = spans.document_id AND d.annotator_id = spans.annotator_id)`).Error; err != nil {
		return err
	}
	first := clock{replica: 1}.encode()
	return tx.Exec(`UPDATE doc_statuses SET revision = 1, clock = ?, modified_at = COALESCE(updated_at, CURRENT_TIMESTAMP)
		WHERE revision = 0 AND (status <> 'todo' OR EXISTS (SELECT 1 FROM spans WHERE spans.document_id = doc_statuses.document_id AND spans.annotator_id = doc_statuses.annotator_id))`, first).Error
}
