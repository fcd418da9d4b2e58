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
func (s *Store) Documents() ([]DocInfo, error) { return s.docInfos("") }

// DocumentInfo is document id's row of the list (Documents): a window
// shows the document it opens before the whole list is read.
func (s *Store) DocumentInfo(id string) (DocInfo, error) {
	infos, err := s.docInfos(id)
	if err == nil && len(infos) == 0 {
		err = fmt.Errorf("no document %q", id)
	}
	if err != nil {
		return DocInfo{}, err
	}
	return infos[0], nil
}

// docInfos lists every document as Documents does, or only document id.
func (s *Store) docInfos(id string) ([]DocInfo, error) {
	// of reads a table's rows of the documents listed: for all of them,
	// without a condition (one pass along the index).
	of := func() *gorm.DB { return s.db }
	var ids []uint // nil: all
	if id != "" {
		ids = []uint{}
		of = func() *gorm.DB { return s.db.Where("document_id IN ?", ids) }
	}
	var docs []document
	q := s.db.Select("id, ext_id, title, length")
	if id != "" {
		q = q.Where("ext_id = ?", id)
	}
	if err := q.Order("ext_id").Find(&docs).Error; err != nil {
		return nil, err
	}
	if id != "" {
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
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
	if err := of().Table("spans").Select("document_id, annotator_id, count(*) as n").
		Group("document_id, annotator_id").Scan(&counts).Error; err != nil {
		return nil, err
	}
	var statuses []docStatus
	if err := of().Select("document_id, annotator_id, status").Find(&statuses).Error; err != nil {
		return nil, err
	}
	gold, err := goldStates(s.db, ids)
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

// FirstToDo is the document annotator starts on, as the app's list orders
// them (those assigned to annotator first, then by id): the first one they
// have not marked done, or the list's first when all are; "" for a project
// without documents. It reads a few rows, not the list.
func (s *Store) FirstToDo(annotator string) (string, error) {
	notDone := `NOT EXISTS (SELECT 1 FROM doc_statuses s JOIN annotators a ON a.id = s.annotator_id
		WHERE s.document_id = documents.id AND a.name = ? AND s.status = ?)`
	assigned := `EXISTS (SELECT 1 FROM assignments x JOIN annotators a ON a.id = x.annotator_id
		WHERE x.document_id = documents.id AND a.name = ?)`
	done := string(annotate.StatusDone)
	for _, q := range []*gorm.DB{
		s.db.Where(assigned, annotator).Where(notDone, annotator, done),
		s.db.Where(notDone, annotator, done), // the assigned ones are all done here
		s.db.Where(assigned, annotator),
		s.db,
	} {
		var ids []string
		if err := q.Model(&document{}).Order("ext_id").Limit(1).Pluck("ext_id", &ids).Error; err != nil {
			return "", err
		}
		if len(ids) > 0 {
			return ids[0], nil
		}
	}
	return "", nil
}
