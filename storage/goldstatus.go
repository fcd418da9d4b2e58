package storage

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
)

// The adjudication status of a document (annotate.GoldStatus) is the gold
// layer's own, kept in gold_statuses. It moves so:
//   - todo → in_progress on the first decision by hand (GoldAccept,
//     GoldEdit, GoldDelete, GoldReject, GoldReopen);
//   - → finished by FinishGold (refused while a group is open, unless
//     forced) or by a pre-fill asked to finish what it leaves without open
//     groups;
//   - finished → in_progress by ReopenGold, by any decision by hand (the
//     gold layer changed after it was declared finished, so it is no
//     longer what was declared), or by an import that replaces the text.
//
// A pre-fill never changes a finished document: reopen it first.

// GoldStatuses returns the adjudication status of every document, by id,
// in one query.
func (s *Store) GoldStatuses() (map[string]GoldState, error) {
	var rows []struct {
		ExtID      string
		Status     *string
		FinishedBy *string
		FinishedAt *time.Time
	}
	err := s.db.Table("documents").Select("documents.ext_id, gold_statuses.status, gold_statuses.finished_by, gold_statuses.finished_at").
		Joins("LEFT JOIN gold_statuses ON gold_statuses.document_id = documents.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[string]GoldState, len(rows))
	for _, r := range rows {
		g := GoldState{Status: annotate.GoldTodo}
		if r.Status != nil {
			g.Status = annotate.GoldStatus(*r.Status)
		}
		if r.FinishedBy != nil {
			g.FinishedBy = *r.FinishedBy
		}
		if r.FinishedAt != nil {
			g.FinishedAt = *r.FinishedAt
		}
		out[r.ExtID] = g
	}
	return out, nil
}

// OpenGroupsError refuses to finish documents whose adjudication still has
// open groups (open, or agreed and not accepted yet); nothing was changed.
type OpenGroupsError struct {
	Open map[string]int // document id → open groups
}

func (e *OpenGroupsError) Error() string {
	ids := make([]string, 0, len(e.Open))
	for id := range e.Open {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	parts := make([]string, 0, min(len(ids), 10))
	for _, id := range ids[:min(len(ids), 10)] {
		parts = append(parts, fmt.Sprintf("%s (%d)", id, e.Open[id]))
	}
	more := ""
	if len(ids) > 10 {
		more = fmt.Sprintf(" and %d more", len(ids)-10)
	}
	return fmt.Sprintf("%d documents still have open adjudication groups: %s%s; decide them, or finish anyway", len(ids), strings.Join(parts, ", "), more)
}

// OpenGroups counts the groups of d still needing a person under the
// settings p (open, or agreed but not accepted: adjudicate.Group.Pending).
func OpenGroups(d *adjudicate.Doc, p PrefillSettings) int {
	n := 0
	for _, g := range adjudicate.Groups(*d, p.MinAgree) {
		if g.Pending() {
			n++
		}
	}
	return n
}

// FinishGold declares the adjudication of documents ids finished, by by.
// Unless force, it is refused (an *OpenGroupsError, nothing changed) when
// one of them has an open group under the settings p (the annotators and
// threshold of the adjudication: see OpenGroups). Documents already
// finished keep who finished them and when.
func (s *Store) FinishGold(ids []string, by string, force bool, p PrefillSettings) error {
	return s.write(func(tx *gorm.DB) error {
		open := map[string]int{}
		err := eachAdjudication(tx, p.Annotators, ids, false, func(d *adjudicate.Doc, g GoldState) error {
			if g.Status == annotate.GoldFinished {
				return nil
			}
			if n := OpenGroups(d, p); n > 0 && !force {
				open[d.ID] = n
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return &OpenGroupsError{Open: open}
		}
		docIDs, err := docRowIDs(tx, ids)
		if err != nil {
			return err
		}
		return finishRows(tx, docIDs, by, now())
	})
}

// ReopenGold puts the adjudication of documents ids back in progress.
func (s *Store) ReopenGold(ids []string) error {
	return s.write(func(tx *gorm.DB) error {
		docIDs, err := docRowIDs(tx, ids)
		if err != nil {
			return err
		}
		for _, id := range docIDs {
			if err := reopenRow(tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// docRowIDs maps document ids to row ids, naming the first one missing.
func docRowIDs(tx *gorm.DB, ids []string) ([]uint, error) {
	out := make([]uint, 0, len(ids))
	for from := 0; from < len(ids); from += adjBatch {
		batch := ids[from:min(from+adjBatch, len(ids))]
		var docs []document
		if err := tx.Select("id, ext_id").Where("ext_id IN ?", batch).Find(&docs).Error; err != nil {
			return nil, err
		}
		docs, err := inOrder(docs, batch)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			out = append(out, d.ID)
		}
	}
	return out, nil
}

// finishRows marks documents (row ids) finished by by at when; those
// already finished are left as they are.
func finishRows(tx *gorm.DB, docIDs []uint, by string, when time.Time) error {
	const batch = 100
	for from := 0; from < len(docIDs); from += batch {
		part := docIDs[from:min(from+batch, len(docIDs))]
		var finished []uint
		if err := tx.Model(&goldStatus{}).Where("document_id IN ? AND status = 'finished'", part).Pluck("document_id", &finished).Error; err != nil {
			return err
		}
		var changed []uint
		for _, id := range part {
			if !slices.Contains(finished, id) {
				changed = append(changed, id)
			}
		}
		if err := touchGold(tx, changed...); err != nil {
			return err
		}
		vals := make([]string, len(part))
		args := make([]any, 0, 4*len(part))
		for i, id := range part {
			vals[i] = "(?, 'finished', ?, ?, ?)"
			args = append(args, id, by, when, when)
		}
		err := tx.Exec(`INSERT INTO gold_statuses (document_id, status, finished_by, finished_at, updated_at) VALUES `+strings.Join(vals, ", ")+`
			ON CONFLICT (document_id) DO UPDATE SET status = 'finished', finished_by = excluded.finished_by,
			finished_at = excluded.finished_at, updated_at = excluded.updated_at
			WHERE gold_statuses.status <> 'finished'`, args...).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// reopenRow puts document doc (row id) in progress, no longer finished.
// Every decision by hand ends with it, so it also records the change of
// the document's gold layer.
func reopenRow(tx *gorm.DB, doc uint) error {
	err := tx.Exec(`INSERT INTO gold_statuses (document_id, status, finished_by, finished_at, updated_at) VALUES (?, 'in_progress', '', NULL, ?)
		ON CONFLICT (document_id) DO UPDATE SET status = 'in_progress', finished_by = '', finished_at = NULL, updated_at = excluded.updated_at
		WHERE gold_statuses.status <> 'in_progress'`, doc, now()).Error
	if err != nil {
		return err
	}
	return touchGold(tx, doc)
}

// touchGold records a change of the gold layers of documents (row ids).
func touchGold(tx *gorm.DB, docs ...uint) error {
	if len(docs) == 0 {
		return nil
	}
	gold, err := ensureAnnotator(tx, GoldLayer)
	if err != nil {
		return err
	}
	keys := make([]layerKey, len(docs))
	for i, d := range docs {
		keys[i] = layerKey{d, gold}
	}
	return touchLayers(tx, keys...)
}

// migrateGoldStatus is the data step of schema version 4: documents with a
// decision by hand (a hand gold span or a rejection) are in progress, and a
// status an older version recorded for the gold layer as if it were an
// annotator's becomes its adjudication status (done: finished).
func migrateGoldStatus(tx *gorm.DB) error {
	steps := []string{
		`INSERT INTO gold_statuses (document_id, status, finished_by, finished_at, updated_at)
		 SELECT doc_statuses.document_id, CASE doc_statuses.status WHEN 'done' THEN 'finished' ELSE doc_statuses.status END, '',
		        CASE doc_statuses.status WHEN 'done' THEN doc_statuses.updated_at END, CURRENT_TIMESTAMP
		 FROM doc_statuses JOIN annotators ON annotators.id = doc_statuses.annotator_id
		 WHERE annotators.kind = 'gold' AND doc_statuses.status IN ('in_progress', 'done')
		 ON CONFLICT DO NOTHING`,
		`DELETE FROM doc_statuses WHERE annotator_id IN (SELECT id FROM annotators WHERE kind = 'gold')`,
		`INSERT INTO gold_statuses (document_id, status, finished_by, updated_at)
		 SELECT DISTINCT spans.document_id, 'in_progress', '', CURRENT_TIMESTAMP
		 FROM spans JOIN annotators ON annotators.id = spans.annotator_id
		 WHERE annotators.kind = 'gold' AND spans.decision <> 'automatic'
		 ON CONFLICT DO NOTHING`,
		`INSERT INTO gold_statuses (document_id, status, finished_by, updated_at)
		 SELECT DISTINCT document_id, 'in_progress', '', CURRENT_TIMESTAMP FROM gold_rejections WHERE true
		 ON CONFLICT DO NOTHING`,
	}
	for _, q := range steps {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
