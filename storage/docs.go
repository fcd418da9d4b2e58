package storage

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"tawsim/annotate"
)

// DocInfo is one row of the document list.
type DocInfo struct {
	ID     string                     `json:"id"`
	Title  string                     `json:"title"`
	Length int                        `json:"length"` // code points
	Spans  map[string]int             `json:"spans"`  // per annotator
	Status map[string]annotate.Status `json:"status"` // per annotator; absent = todo
	Gold   GoldInfo                   `json:"gold"`
}

// GoldInfo is where a document's adjudication stands.
type GoldInfo struct {
	Status     annotate.GoldStatus `json:"status"`
	FinishedBy string              `json:"finished_by,omitempty"`
	FinishedAt *time.Time          `json:"finished_at,omitempty"`
	GoldSpans  int                 `json:"gold_spans"`
	// OpenGroups needs the layers and the adjudication settings:
	// Documents leaves it 0, project.OpenGroups counts it.
	OpenGroups int `json:"open_groups"`
}

// Documents lists every document in id order with span counts and statuses
// per annotator, without loading the texts.
func (s *Store) Documents() ([]DocInfo, error) {
	var docs []document
	if err := s.db.Select("id, ext_id, title, length").Order("ext_id").Find(&docs).Error; err != nil {
		return nil, err
	}
	var anns []annotator
	if err := s.db.Select("id, name").Find(&anns).Error; err != nil {
		return nil, err
	}
	names := make(map[uint]string, len(anns))
	for _, a := range anns {
		names[a.ID] = a.Name
	}
	// Grouped by the leading columns of the spans' unique index: SQLite
	// counts along the index, without a join or a sort.
	var counts []struct {
		DocumentID  uint
		AnnotatorID uint
		N           int
	}
	if err := s.db.Table("spans").Select("document_id, annotator_id, count(*) as n").
		Group("document_id, annotator_id").Scan(&counts).Error; err != nil {
		return nil, err
	}
	var statuses []docStatus
	if err := s.db.Select("document_id, annotator_id, status").Find(&statuses).Error; err != nil {
		return nil, err
	}
	gold, err := goldStates(s.db, nil)
	if err != nil {
		return nil, err
	}
	out := make([]DocInfo, len(docs))
	idx := make(map[uint]int, len(docs))
	for i, d := range docs {
		out[i] = DocInfo{ID: d.ExtID, Title: d.Title, Length: d.Length, Spans: map[string]int{}, Status: map[string]annotate.Status{},
			Gold: GoldInfo{Status: annotate.GoldTodo}}
		if g, ok := gold[d.ID]; ok {
			out[i].Gold.Status, out[i].Gold.FinishedBy = g.Status, g.FinishedBy
			if !g.FinishedAt.IsZero() {
				out[i].Gold.FinishedAt = &g.FinishedAt
			}
		}
		idx[d.ID] = i
	}
	for _, c := range counts {
		name := names[c.AnnotatorID]
		out[idx[c.DocumentID]].Spans[name] = c.N
		if name == GoldLayer {
			out[idx[c.DocumentID]].Gold.GoldSpans = c.N
		}
	}
	for _, st := range statuses {
		// The gold layer's row holds its revision; its status is Gold.
		if name := names[st.AnnotatorID]; name != GoldLayer {
			out[idx[st.DocumentID]].Status[name] = annotate.Status(st.Status)
		}
	}
	return out, nil
}

// DocumentCount is the number of documents.
func (s *Store) DocumentCount() (int, error) {
	var n int64
	err := s.db.Model(&document{}).Count(&n).Error
	return int(n), err
}

// Document loads one document with its text.
func (s *Store) Document(id string) (*annotate.Document, error) {
	row, err := documentRow(s.db, id)
	if err != nil {
		return nil, err
	}
	return row.toDomain(), nil
}

func (d *document) toDomain() *annotate.Document {
	doc := &annotate.Document{ID: d.ExtID, Title: d.Title, Source: d.Source, Text: d.Text}
	if d.Meta != "" {
		doc.Meta = json.RawMessage(d.Meta)
	}
	return doc
}

// SetStatus records an annotator's status on a document.
func (s *Store) SetStatus(docID, annotatorName string, st annotate.Status) error {
	if !st.Valid() {
		return fmt.Errorf("unknown status %q", st)
	}
	return s.write(func(tx *gorm.DB) error {
		k, err := upsertStatus(tx, docID, annotatorName, docStatus{Status: string(st)},
			clause.AssignmentColumns([]string{"status", "updated_at"}))
		if err != nil {
			return err
		}
		return touchLayers(tx, k) // the status is part of the layer
	})
}

// upsertStatus inserts row as the status of (document, annotator), or
// applies set to the one there.
func upsertStatus(tx *gorm.DB, docID, annotatorName string, row docStatus, set clause.Set) (layerKey, error) {
	d, a, err := docAndAnnotator(tx, docID, annotatorName)
	if err != nil {
		return layerKey{}, err
	}
	row.DocumentID, row.AnnotatorID = d, a
	return layerKey{d, a}, tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "document_id"}, {Name: "annotator_id"}},
		DoUpdates: set,
	}).Create(&row).Error
}

// AddTime adds time spent by an annotator on a document.
func (s *Store) AddTime(docID, annotatorName string, spent time.Duration) error {
	// Time spent is not a change of the layer: merges take the larger.
	return s.write(func(tx *gorm.DB) error {
		_, err := upsertStatus(tx, docID, annotatorName,
			docStatus{Status: string(annotate.StatusTodo), Seconds: spent.Seconds()},
			clause.Assignments(map[string]any{"seconds": gorm.Expr("doc_statuses.seconds + ?", spent.Seconds()), "updated_at": now()}))
		return err
	})
}

// Status returns an annotator's status and time spent on a document.
func (s *Store) Status(docID, annotatorName string) (annotate.Status, time.Duration, error) {
	row, err := layerStatusRow(s.db, docID, annotatorName, "doc_statuses.status, doc_statuses.seconds")
	if err == gorm.ErrRecordNotFound {
		return annotate.StatusTodo, 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	return annotate.Status(row.Status), time.Duration(row.Seconds * float64(time.Second)), nil
}

// layerStatusRow reads columns of the layer row of (document, annotator) by
// their names; gorm.ErrRecordNotFound when it has none.
func layerStatusRow(db *gorm.DB, docID, annotatorName, columns string) (docStatus, error) {
	var row docStatus
	err := db.Table("doc_statuses").
		Joins("JOIN documents ON documents.id = doc_statuses.document_id").
		Joins("JOIN annotators ON annotators.id = doc_statuses.annotator_id").
		Where("documents.ext_id = ? AND annotators.name = ?", docID, annotatorName).
		Select(columns).Take(&row).Error
	return row, err
}

func docAndAnnotator(tx *gorm.DB, docID, annotatorName string) (uint, uint, error) {
	d, err := documentRow(tx.Select("id"), docID)
	if err != nil {
		return 0, 0, err
	}
	if err := checkAnnotatorName(annotatorName); err != nil {
		return 0, 0, err
	}
	a, err := ensureAnnotator(tx, annotatorName)
	return d.ID, a, err
}
