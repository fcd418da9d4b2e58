package storage

import (
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
)

// GoldState is a document's adjudication status with who finished it and
// when (empty unless finished).
type GoldState struct {
	Status     annotate.GoldStatus
	FinishedBy string
	FinishedAt time.Time
}

// AdjudicationDoc loads what adjudicating document docID needs: its text,
// the layers of the given annotators, the gold layer (with provenance) and
// the rejected groups.
func (s *Store) AdjudicationDoc(docID string, annotators []string) (adjudicate.Doc, error) {
	var out adjudicate.Doc
	err := eachAdjudication(s.db, annotators, []string{docID}, true, func(d *adjudicate.Doc, _ GoldState) error {
		out = *d
		return nil
	})
	return out, err
}

// EachAdjudicationDoc streams, in id order, every document (or the
// documents ids, in that order) as adjudication sees it — text, the layers
// of the given annotators, the gold layer, the rejections — with its
// adjudication status. It reads a batch of documents with a few queries,
// not a few per document. Without withText, Doc.Text is left empty (the
// groups need only the spans, which carry their text).
func (s *Store) EachAdjudicationDoc(annotators, ids []string, withText bool, fn func(d *adjudicate.Doc, g GoldState) error) error {
	return eachAdjudication(s.db, annotators, ids, withText, fn)
}

const adjBatch = 500

func eachAdjudication(db *gorm.DB, annotators, ids []string, withText bool, fn func(d *adjudicate.Doc, g GoldState) error) error {
	var anns []annotator
	if err := db.Select("id, name").Where("name IN ?", append(slices.Clone(annotators), GoldLayer)).Find(&anns).Error; err != nil {
		return err
	}
	nameOf := make(map[uint]string, len(anns))
	annIDs := make([]uint, len(anns))
	for i, a := range anns {
		nameOf[a.ID], annIDs[i] = a.Name, a.ID
	}
	labels, err := labelNamesOf(db)
	if err != nil {
		return err
	}
	var lastExt string
	for from := 0; ; from += adjBatch {
		var docs []document
		q := db.Select("id, ext_id")
		if withText {
			q = db.Select("id, ext_id, text")
		}
		if ids != nil {
			if from >= len(ids) {
				return nil
			}
			batch := ids[from:min(from+adjBatch, len(ids))]
			if err := q.Where("ext_id IN ?", batch).Find(&docs).Error; err != nil {
				return err
			}
			if docs, err = inOrder(docs, batch); err != nil {
				return err
			}
		} else {
			if err := q.Where("ext_id > ?", lastExt).Order("ext_id").Limit(adjBatch).Find(&docs).Error; err != nil {
				return err
			}
			if len(docs) == 0 {
				return nil
			}
			lastExt = docs[len(docs)-1].ExtID
		}
		if err := adjudicationBatch(db, docs, annotators, annIDs, nameOf, labels, fn); err != nil {
			return err
		}
	}
}

// inOrder puts the documents found for ids in the order of ids, or names
// the first id not found.
func inOrder(docs []document, ids []string) ([]document, error) {
	byExt := make(map[string]document, len(docs))
	for _, d := range docs {
		byExt[d.ExtID] = d
	}
	out := make([]document, len(ids))
	for i, id := range ids {
		d, ok := byExt[id]
		if !ok {
			return nil, fmt.Errorf("no document %q", id)
		}
		out[i] = d
	}
	return out, nil
}

// adjudicationBatch reads the spans, rejections and statuses of docs in
// one query each and calls fn per document.
func adjudicationBatch(db *gorm.DB, docs []document, annotators []string, annIDs []uint, nameOf, labels map[uint]string,
	fn func(d *adjudicate.Doc, g GoldState) error) error {
	docIDs := make([]uint, len(docs))
	byID := make(map[uint]*adjudicate.Doc, len(docs))
	out := make([]adjudicate.Doc, len(docs))
	for i, d := range docs {
		docIDs[i] = d.ID
		out[i] = adjudicate.Doc{ID: d.ExtID, Text: d.Text, Annotators: annotators, Layers: make(map[string][]annotate.Span, len(annotators))}
		byID[d.ID] = &out[i]
	}
	// The annotators' spans without ids and provenance (the groups do not
	// use them), then the gold layer's with them.
	var human, gold []uint
	for _, id := range annIDs {
		if nameOf[id] == GoldLayer {
			gold = append(gold, id)
		} else {
			human = append(human, id)
		}
	}
	if len(human) > 0 {
		rows, err := db.Raw(`SELECT document_id, annotator_id, start, "end", label_id, text FROM spans
			WHERE document_id IN ? AND annotator_id IN ?`, docIDs, human).Rows()
		if err != nil {
			return err
		}
		// int64 destinations: database/sql converts into them without
		// reflection, and there are many rows.
		var doc, ann, label, start, end int64
		var text string
		for rows.Next() {
			if err := rows.Scan(&doc, &ann, &start, &end, &label, &text); err != nil {
				rows.Close()
				return err
			}
			d, name := byID[uint(doc)], nameOf[uint(ann)]
			d.Layers[name] = append(d.Layers[name], annotate.Span{Start: int(start), End: int(end), Label: labels[uint(label)], Text: text})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(gold) > 0 {
		rows, err := db.Raw(`SELECT id, document_id, start, "end", label_id, text, votes, decision, decided_by FROM spans
			WHERE document_id IN ? AND annotator_id = ?`, docIDs, gold[0]).Rows()
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, doc, label uint
			var sp annotate.Span
			var votes, decision string
			if err := rows.Scan(&id, &doc, &sp.Start, &sp.End, &label, &sp.Text, &votes, &decision, &sp.DecidedBy); err != nil {
				rows.Close()
				return err
			}
			sp.ID, sp.Label, sp.Votes, sp.Decision = int64(id), labels[label], decodeVotes(votes), annotate.Decision(decision)
			d := byID[doc]
			d.Gold = append(d.Gold, sp)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if err := adjudicationRelations(db, docIDs, human, gold, nameOf, labels, byID); err != nil {
		return err
	}
	var rejs []goldRejection
	if err := db.Select(`document_id, start, "end", decided_by`).Where("document_id IN ?", docIDs).Order(`document_id, start, "end"`).Find(&rejs).Error; err != nil {
		return err
	}
	for _, r := range rejs {
		d := byID[r.DocumentID]
		d.Rejected = append(d.Rejected, adjudicate.Range{Start: r.Start, End: r.End, By: r.DecidedBy})
	}
	states, err := goldStates(db, docIDs)
	if err != nil {
		return err
	}
	for i := range out {
		d := &out[i]
		for _, l := range d.Layers {
			slices.SortFunc(l, annotate.CompareSpans)
		}
		slices.SortFunc(d.Gold, annotate.CompareSpans)
		if err := fn(d, states[docIDs[i]]); err != nil {
			return err
		}
	}
	return nil
}

// goldStates reads the adjudication status of documents (by row id); a
// document without a row is todo.
func goldStates(db *gorm.DB, docIDs []uint) (map[uint]GoldState, error) {
	q := db.Model(&goldStatus{})
	if docIDs != nil {
		q = q.Where("document_id IN ?", docIDs)
	}
	var rows []goldStatus
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]GoldState, len(docIDs))
	for _, id := range docIDs {
		out[id] = GoldState{Status: annotate.GoldTodo}
	}
	for _, r := range rows {
		g := GoldState{Status: annotate.GoldStatus(r.Status), FinishedBy: r.FinishedBy}
		if r.FinishedAt != nil {
			g.FinishedAt = *r.FinishedAt
		}
		out[r.DocumentID] = g
	}
	return out, nil
}

func labelNamesOf(db *gorm.DB) (map[uint]string, error) {
	var rows []labelType
	if err := db.Select("id, name").Find(&rows).Error; err != nil {
		return nil, err
	}
	m := make(map[uint]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Name
	}
	return m, nil
}

// adjudicationRelations reads the relations of the annotators human and
// of the gold layer on the documents docIDs, and the rejected gold
// relations, into byID.
func adjudicationRelations(db *gorm.DB, docIDs, human, gold []uint, nameOf, labels map[uint]string, byID map[uint]*adjudicate.Doc) error {
	if anns := append(slices.Clone(human), gold...); len(anns) > 0 {
		rows, err := db.Raw(`SELECT h.document_id, h.annotator_id, h.start, h.end, h.label_id, h.text, t.start, t.end, t.label_id, t.text,
			r.label, r.votes, r.decision, r.decided_by FROM relations r
			JOIN spans h ON h.id = r.head_id JOIN spans t ON t.id = r.tail_id
			WHERE h.document_id IN ? AND h.annotator_id IN ? ORDER BY r.id`, docIDs, anns).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var doc, ann, hl, tl uint
			var r adjudicate.Rel
			var votes, decision string
			if err := rows.Scan(&doc, &ann, &r.Head.Start, &r.Head.End, &hl, &r.Head.Text, &r.Tail.Start, &r.Tail.End, &tl, &r.Tail.Text,
				&r.Label, &votes, &decision, &r.DecidedBy); err != nil {
				return err
			}
			r.Head.Label, r.Tail.Label = labels[hl], labels[tl]
			d, name := byID[doc], nameOf[ann]
			if name == GoldLayer {
				r.Votes, r.Decision = decodeVotes(votes), annotate.Decision(decision)
				d.GoldRelations = append(d.GoldRelations, r)
				continue
			}
			r.DecidedBy = ""
			if d.Relations == nil {
				d.Relations = map[string][]adjudicate.Rel{}
			}
			d.Relations[name] = append(d.Relations[name], r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	var rejs []goldRelationRejection
	if err := db.Where("document_id IN ?", docIDs).Order("id").Find(&rejs).Error; err != nil {
		return err
	}
	for _, r := range rejs {
		d := byID[r.DocumentID]
		d.RejectedRelations = append(d.RejectedRelations, r.key())
	}
	return nil
}
