package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// ErrDuplicateSpan is returned when the annotator already has that exact span.
var ErrDuplicateSpan = errors.New("this annotator already has that span")

// Spans returns an annotator's spans on a document in reading order
// (start, end, label).
func (s *Store) Spans(docID, annotatorName string) ([]annotate.Span, error) {
	l, err := s.Layer(docID, annotatorName)
	return l.Spans, err
}

// Layer returns an annotator's spans and relations on a document. An
// annotator who has nothing there gets an empty layer.
func (s *Store) Layer(docID, annotatorName string) (annotate.Layer, error) {
	layer := annotate.Layer{Annotator: annotatorName}
	var rows []spanWithLabel
	err := s.db.Table("spans").
		Select("spans.id, spans.start, spans.end, spans.text, label_types.name AS label, spans.votes, spans.decision, spans.decided_by, spans.origin").
		Joins("JOIN documents ON documents.id = spans.document_id").
		Joins("JOIN annotators ON annotators.id = spans.annotator_id").
		Joins("JOIN label_types ON label_types.id = spans.label_id").
		Where("documents.ext_id = ? AND annotators.name = ?", docID, annotatorName).
		Order("spans.start, spans.end, label_types.name").Scan(&rows).Error
	if err != nil {
		return layer, err
	}
	layer.Spans = make([]annotate.Span, len(rows))
	index := make(map[uint]int, len(rows))
	for i, r := range rows {
		layer.Spans[i] = r.toDomain()
		index[r.ID] = i
	}
	if len(rows) == 0 {
		return layer, nil
	}
	var rels []relation
	ids := make([]uint, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	if err := s.db.Where("head_id IN ?", ids).Order("id").Find(&rels).Error; err != nil {
		return layer, err
	}
	for _, r := range rels {
		t, ok := index[r.TailID]
		if !ok {
			continue // relations never cross layers; be safe
		}
		layer.Relations = append(layer.Relations, r.toDomain(index[r.HeadID], t))
	}
	return layer, nil
}

type spanWithLabel struct {
	ID     uint
	Start  int
	End    int
	Text   string
	Label  string
	Prov   provenance `gorm:"embedded"`
	Origin string
}

func (r spanWithLabel) toDomain() annotate.Span {
	sp := annotate.Span{ID: int64(r.ID), Start: r.Start, End: r.End, Label: r.Label, Text: r.Text, Origin: annotate.Origin(r.Origin)}
	sp.Votes, sp.Decision, sp.DecidedBy = r.Prov.domain()
	return sp
}

// AddSpan stores a new span in an annotator's layer and returns it with its
// id and text. The span is checked against the document text.
func (s *Store) AddSpan(docID, annotatorName string, sp annotate.Span) (annotate.Span, error) {
	err := s.write(func(tx *gorm.DB) error {
		d, err := documentRow(tx, docID)
		if err != nil {
			return err
		}
		return addSpan(tx, d, annotatorName, &sp)
	})
	return sp, err
}

// addSpan is AddSpan in tx: sp is checked against d's text, stored with
// its Origin, and gets its id and text; the layer's clocks advance.
func addSpan(tx *gorm.DB, d *document, annotatorName string, sp *annotate.Span) error {
	if err := annotate.CheckSpan([]rune(d.Text), sp); err != nil {
		return err
	}
	if err := checkHumanName(annotatorName); err != nil {
		return err
	}
	a, err := ensureAnnotator(tx, annotatorName)
	if err != nil {
		return err
	}
	lab, err := labelID(tx, sp.Label)
	if err != nil {
		return err
	}
	row := span{DocumentID: d.ID, AnnotatorID: a, Start: sp.Start, End: sp.End, LabelID: lab, Text: sp.Text, Origin: string(sp.Origin)}
	if err := tx.Create(&row).Error; err != nil {
		if isUnique(err) {
			return ErrDuplicateSpan
		}
		return err
	}
	sp.ID = int64(row.ID)
	if err := touchInProgress(tx, d.ID, a); err != nil {
		return err
	}
	return touchLayers(tx, layerKey{d.ID, a})
}

// touchInProgress moves a todo document to in progress for its annotator.
func touchInProgress(tx *gorm.DB, doc, ann uint) error {
	return tx.Exec(`INSERT INTO doc_statuses (document_id, annotator_id, status, seconds, updated_at)
		VALUES (?, ?, 'in_progress', 0, CURRENT_TIMESTAMP)
		ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = 'in_progress', updated_at = CURRENT_TIMESTAMP
		WHERE doc_statuses.status = 'todo'`, doc, ann).Error
}

// UpdateSpan changes a stored span's boundaries or label.
func (s *Store) UpdateSpan(id int64, sp annotate.Span) (annotate.Span, error) {
	err := s.write(func(tx *gorm.DB) error {
		var row span
		if err := tx.Take(&row, id).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("%w: %d", ErrNoSpan, id)
		} else if err != nil {
			return err
		}
		if err := notGold(tx, row.AnnotatorID); err != nil {
			return err
		}
		var d document
		if err := tx.Select("id, text").Take(&d, row.DocumentID).Error; err != nil {
			return err
		}
		sp.Text = ""
		if err := annotate.CheckSpan([]rune(d.Text), &sp); err != nil {
			return err
		}
		lab, err := labelID(tx, sp.Label)
		if err != nil {
			return err
		}
		err = tx.Model(&row).Updates(map[string]any{"start": sp.Start, "end": sp.End, "label_id": lab, "text": sp.Text}).Error
		if isUnique(err) {
			return ErrDuplicateSpan
		}
		if err != nil {
			return err
		}
		sp.ID = id
		return touchLayers(tx, layerKey{row.DocumentID, row.AnnotatorID})
	})
	return sp, err
}

// DeleteSpan removes a span (and its relations).
func (s *Store) DeleteSpan(id int64) error {
	return s.write(func(tx *gorm.DB) error { return deleteSpan(tx, id) })
}

// deleteSpan is DeleteSpan in tx.
func deleteSpan(tx *gorm.DB, id int64) error {
	var row span
	if err := tx.Select("document_id, annotator_id").Take(&row, id).Error; err == nil {
		if err := notGold(tx, row.AnnotatorID); err != nil {
			return err
		}
	}
	r := tx.Delete(&span{}, id)
	if r.Error == nil && r.RowsAffected == 0 {
		return fmt.Errorf("%w: %d", ErrNoSpan, id)
	}
	if r.Error != nil {
		return r.Error
	}
	return touchLayers(tx, layerKey{row.DocumentID, row.AnnotatorID})
}

func labelID(tx *gorm.DB, name string) (uint, error) {
	var row labelType
	err := tx.Select("id").Where("name = ?", name).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, fmt.Errorf("no label %q", name)
	}
	return row.ID, err
}

func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || pgCode(err) == "23505")
}

// EachRecord streams every document with one annotator's layer, in id
// order, to fn. With onlyDone, only documents that annotator marked done.
// Documents and spans are read in batches so that memory stays flat.
func (s *Store) EachRecord(annotatorName string, onlyDone bool, fn func(rec *annotate.Record) error) error {
	var names []string
	if annotatorName != "" {
		names = []string{annotatorName}
	}
	layers, err := s.layerSources(names)
	if err != nil {
		return err
	}
	var doneOf uint
	if onlyDone {
		if len(layers) == 0 || layers[0].id == 0 {
			return nil // no one to have marked a document done
		}
		doneOf = layers[0].id
	}
	return s.eachBatch(layers, doneOf, fn)
}

// EachLayers streams every document with the layers of the named
// annotators (one each, in the order of names; empty where one has
// none), in id order, to fn. The texts are read once for all annotators,
// a few hundred documents at a time: a project of any size is read in the
// memory of one batch.
func (s *Store) EachLayers(names []string, fn func(rec *annotate.Record) error) error {
	layers, err := s.layerSources(names)
	if err != nil {
		return err
	}
	return s.eachBatch(layers, 0, fn)
}

// layerSource is an annotator's layer to read.
type layerSource struct {
	name          string
	id            uint // 0: no such annotator (an empty gold layer)
	withRelations bool // the layer has any relations at all
}

func (s *Store) layerSources(names []string) ([]layerSource, error) {
	out := make([]layerSource, len(names))
	for i, name := range names {
		id, err := annotatorID(s.db, name)
		if err != nil && name != GoldLayer { // a project not adjudicated yet has an empty gold layer
			return nil, err
		}
		out[i] = layerSource{name: name, id: id}
		if id != 0 {
			if err := s.db.Raw(`SELECT EXISTS (SELECT 1 FROM relations JOIN spans ON spans.id = relations.head_id WHERE spans.annotator_id = ?)`, id).Scan(&out[i].withRelations).Error; err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// eachBatch reads the documents (those doneOf marked done, if not 0) a
// batch at a time with their layers, and calls fn for each.
func (s *Store) eachBatch(layers []layerSource, doneOf uint, fn func(rec *annotate.Record) error) error {
	const batch = 500
	var lastExt string
	for {
		q := s.db.Model(&document{}).Where("ext_id > ?", lastExt).Order("ext_id").Limit(batch)
		if doneOf != 0 {
			q = q.Where("id IN (SELECT document_id FROM doc_statuses WHERE annotator_id = ? AND status = 'done')", doneOf)
		}
		var docs []document
		rows, err := q.Select("id, ext_id, title, source, text, meta").Rows()
		if err != nil {
			return err
		}
		for rows.Next() {
			var d document
			if err := rows.Scan(&d.ID, &d.ExtID, &d.Title, &d.Source, &d.Text, &d.Meta); err != nil {
				rows.Close()
				return err
			}
			docs = append(docs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range docs { // once the rows are closed: a store of one connection runs one query at a time
			if err := readText(s.db, &docs[i]); err != nil {
				return err
			}
		}
		if len(docs) == 0 {
			return nil
		}
		byLayer := make([]map[uint]*annotate.Layer, len(layers))
		for i, l := range layers {
			if byLayer[i], err = s.layersOf(docs, l.id, l.name == GoldLayer, l.withRelations); err != nil {
				return err
			}
			if err := layerRevisions(s.db, docs, l.id, l.name == GoldLayer, byLayer[i]); err != nil {
				return err
			}
		}
		for i := range docs {
			rec := annotate.Record{Doc: *docs[i].toDomain()}
			for j, l := range layers {
				ly := byLayer[j][docs[i].ID]
				if ly == nil {
					ly = &annotate.Layer{}
				}
				ly.Annotator = l.name
				rec.Layers = append(rec.Layers, *ly)
			}
			if err := fn(&rec); err != nil {
				return err
			}
		}
		lastExt = docs[len(docs)-1].ExtID
	}
}

// layerRevisions fills the revisions of one annotator's layers of a batch
// of documents from their rows (creating the layers that have a revision
// and no span: emptied). A gold layer's status is its gold status, set by
// the exporter.
func layerRevisions(db *gorm.DB, docs []document, annID uint, gold bool, out map[uint]*annotate.Layer) error {
	if annID == 0 {
		return nil
	}
	ids := make([]uint, len(docs))
	for i := range docs {
		ids[i] = docs[i].ID
	}
	var rows []docStatus
	if err := db.Where("document_id IN ? AND annotator_id = ? AND revision > 0", ids, annID).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		l := out[r.DocumentID]
		if l == nil {
			l = &annotate.Layer{}
			out[r.DocumentID] = l
		}
		if err := r.fillLayer(l, gold); err != nil {
			return err
		}
	}
	return nil
}

// fillLayer copies the row's revision into l.
func (r *docStatus) fillLayer(l *annotate.Layer, gold bool) error {
	c, err := decodeClock(r.Clock)
	if err != nil {
		return err
	}
	if !gold {
		l.Status = annotate.Status(r.Status)
	}
	l.Seconds, l.Revision, l.Clock = r.Seconds, r.Revision, c
	if r.ModifiedAt != nil {
		l.Modified = r.ModifiedAt.UTC()
	}
	return nil
}

// layersOf loads one annotator's spans and relations for a batch of
// documents. Rows come in the order of the unique index (no join, no sort
// in SQLite); labels are named from a map and each layer is put in reading
// order here.
// gold says to read provenance; withRelations that the layer has any
// relations at all (most have none, and the look-up is not free).
func (s *Store) layersOf(docs []document, annID uint, gold, withRelations bool) (map[uint]*annotate.Layer, error) {
	out := map[uint]*annotate.Layer{}
	if annID == 0 {
		return out, nil
	}
	names, err := labelNamesOf(s.db)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(docs))
	for i := range docs {
		ids[i] = docs[i].ID
	}
	// Provenance columns exist for the gold layer only: other layers skip
	// reading them (three fewer strings per row).
	cols := `id, document_id, start, "end", label_id, text, origin`
	if gold {
		cols += ", votes, decision, decided_by"
	}
	rows, err := s.db.Raw(`SELECT `+cols+` FROM spans
		WHERE document_id IN ? AND annotator_id = ? ORDER BY document_id, annotator_id, start, "end", label_id`, ids, annID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, doc, label uint
		var sp annotate.Span
		if gold {
			var votes, decision string
			if err := rows.Scan(&id, &doc, &sp.Start, &sp.End, &label, &sp.Text, &sp.Origin, &votes, &decision, &sp.DecidedBy); err != nil {
				return nil, err
			}
			sp.Votes, sp.Decision = decodeVotes(votes), annotate.Decision(decision)
		} else if err := rows.Scan(&id, &doc, &sp.Start, &sp.End, &label, &sp.Text, &sp.Origin); err != nil {
			return nil, err
		}
		sp.ID = int64(id)
		sp.Label = names[label]
		l := out[doc]
		if l == nil {
			l = &annotate.Layer{}
			out[doc] = l
		}
		l.Spans = append(l.Spans, sp)
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	type place struct {
		doc uint
		idx int
	}
	at := make(map[uint]place, n) // span id -> where it went
	for doc, l := range out {
		slices.SortStableFunc(l.Spans, annotate.CompareSpans)
		for i, sp := range l.Spans {
			at[uint(sp.ID)] = place{doc, i}
		}
	}
	if !withRelations || n == 0 {
		return out, nil
	}
	var rels []relation
	err = s.db.Raw(`SELECT relations.id, relations.head_id, relations.tail_id, relations.label, relations.votes, relations.decision, relations.decided_by FROM relations
		JOIN spans ON spans.id = relations.head_id
		WHERE spans.document_id IN ? AND spans.annotator_id = ? ORDER BY relations.id`, ids, annID).Scan(&rels).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		h, t := at[r.HeadID], at[r.TailID]
		out[h.doc].Relations = append(out[h.doc].Relations, r.toDomain(h.idx, t.idx))
	}
	return out, nil
}

// toDomain is the relation between spans head and tail of its layer, with
// its provenance (set on gold relations only).
func (r relation) toDomain(head, tail int) annotate.Relation {
	rel := annotate.Relation{Head: head, Tail: tail, Label: r.Label}
	rel.Votes, rel.Decision, rel.DecidedBy = r.Prov.domain()
	return rel
}

func encodeVotes(v []string) string {
	if len(v) == 0 {
		return ""
	}
	v = append([]string(nil), v...)
	sort.Strings(v)
	b, _ := json.Marshal(v)
	return string(b)
}

func decodeVotes(s string) []string {
	var v []string
	if s != "" {
		_ = json.Unmarshal([]byte(s), &v)
	}
	return v
}

// ErrNoSpan is returned for a span id that is not (or no longer) stored.
var ErrNoSpan = errors.New("no such span")

// StoredRelation is a relation by the store ids of its spans.
type StoredRelation struct {
	Head, Tail int64
	Label      string
}

// SpanRelations lists the relations a span takes part in (as head or
// tail): deleting the span deletes them too.
func (s *Store) SpanRelations(id int64) ([]StoredRelation, error) {
	var rows []relation
	if err := s.db.Where("head_id = ? OR tail_id = ?", id, id).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]StoredRelation, len(rows))
	for i, r := range rows {
		out[i] = StoredRelation{Head: int64(r.HeadID), Tail: int64(r.TailID), Label: r.Label}
	}
	return out, nil
}

// DeleteRelation removes the relation label from span head to span tail
// (undoing a link); it is an error when there is none.
func (s *Store) DeleteRelation(head, tail int64, label string) error {
	return s.write(func(tx *gorm.DB) error {
		r := tx.Where("head_id = ? AND tail_id = ? AND label = ?", head, tail, label).Delete(&relation{})
		if r.Error == nil && r.RowsAffected == 0 {
			return fmt.Errorf("no %s relation from span %d to span %d", label, head, tail)
		}
		if r.Error != nil {
			return r.Error
		}
		return touchSpanLayers(tx, uint(head))
	})
}

// ErrGoldLayer is returned when an annotator's edit would touch the gold
// layer, which only adjudication writes (it keeps provenance).
var ErrGoldLayer = errors.New(`"gold" is the project's gold layer: change it through adjudication`)

func checkHumanName(name string) error {
	if err := checkAnnotatorName(name); err != nil {
		return err
	}
	if name == GoldLayer {
		return ErrGoldLayer
	}
	return nil
}

func notGold(tx *gorm.DB, annotatorID uint) error {
	var a annotator
	if err := tx.Select("kind").Take(&a, annotatorID).Error; err != nil {
		return err
	}
	if a.Kind == kindGold {
		return ErrGoldLayer
	}
	return nil
}

// LabelsByDocument lists, per document id, the labels of the named
// annotators' spans on it: what an agreement over some of the documents
// needs to know before it reads them.
func (s *Store) LabelsByDocument(names []string) (map[string][]string, error) {
	rows, err := s.db.Raw(`SELECT d.ext_id, l.name FROM (SELECT DISTINCT document_id, label_id FROM spans
		WHERE annotator_id IN (SELECT id FROM annotators WHERE name IN ?)) AS u
		JOIN documents d ON d.id = u.document_id JOIN label_types l ON l.id = u.label_id`, names).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var doc, label string
		if err := rows.Scan(&doc, &label); err != nil {
			return nil, err
		}
		out[doc] = append(out[doc], label)
	}
	return out, rows.Err()
}
