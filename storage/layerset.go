package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// Setting whole layers: what a merge, a revision-carrying import, a
// --replace-layers import and restoring a version do. The rows go in as
// JSON arrays unpacked by the database (jsonRows, see applyAutomatic): thousands of layers
// are a few statements.

// layerContent is what a layer holds: spans (labels by name), relations
// (ends by index into Spans) and status; a gold layer also its gold
// status and the adjudicator's rejections. It is the JSON of a kept
// version.
type layerContent struct {
	Spans      []annotate.Span     `json:"spans"`
	Relations  []annotate.Relation `json:"relations,omitempty"`
	Status     annotate.Status     `json:"status"`
	GoldStatus annotate.GoldStatus `json:"gold_status,omitempty"`
	FinishedBy string              `json:"finished_by,omitempty"`
	FinishedAt *time.Time          `json:"finished_at,omitempty"`
	// Rejections are the gold layer's; nil where they are not said (a
	// file's layer, a version kept before they were): they stay as they
	// are.
	Rejections *layerRejections `json:"rejections,omitempty"`
	// LabelUIDs names the uid of each label of the spans (and of the
	// rejected relations' ends) when the content was kept as a version:
	// a restore finds the label after a rename or a merge.
	LabelUIDs map[string]string `json:"label_uids,omitempty"`
}

// layerRejections are the gold layer's rejections of one document: the
// candidate groups (by extent) and relations (by strict key) decided to
// have no gold.
type layerRejections struct {
	Spans     []spanRejection     `json:"spans,omitempty"`
	Relations []relationRejection `json:"relations,omitempty"`
}

type spanRejection struct {
	Start     int       `json:"start"`
	End       int       `json:"end"`
	DecidedBy string    `json:"decided_by,omitempty"`
	At        time.Time `json:"at"`
}

type relationRejection struct {
	HeadStart int       `json:"head_start"`
	HeadEnd   int       `json:"head_end"`
	HeadLabel string    `json:"head_label"`
	TailStart int       `json:"tail_start"`
	TailEnd   int       `json:"tail_end"`
	TailLabel string    `json:"tail_label"`
	Label     string    `json:"label"`
	DecidedBy string    `json:"decided_by,omitempty"`
	At        time.Time `json:"at"`
}

// relabel renames the labels of the rejected relations' ends by name
// (those it does not map stay).
func (r *layerRejections) relabel(name func(string) string) {
	if r == nil {
		return
	}
	for i := range r.Relations {
		x := &r.Relations[i]
		x.HeadLabel, x.TailLabel = name(x.HeadLabel), name(x.TailLabel)
	}
}

// normalContent puts spans in reading order, once each, and relations on
// them once each: two layers with the same content are then equal.
func normalContent(spans []annotate.Span, rels []annotate.Relation) ([]annotate.Span, []annotate.Relation) {
	type key struct {
		start, end int
		label      string
	}
	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return annotate.CompareSpans(spans[a], spans[b]) })
	at := make(map[key]int, len(spans))
	newIndex := make([]int, len(spans))
	out := make([]annotate.Span, 0, len(spans))
	for _, i := range order {
		sp := spans[i]
		k := key{sp.Start, sp.End, sp.Label}
		j, ok := at[k]
		if !ok {
			j = len(out)
			at[k] = j
			sp.ID = 0
			out = append(out, sp)
		}
		newIndex[i] = j
	}
	type relKey struct {
		head, tail int
		label      string
	}
	seen := map[relKey]bool{}
	var outRels []annotate.Relation
	for _, r := range rels {
		r.Head, r.Tail = newIndex[r.Head], newIndex[r.Tail]
		k := relKey{r.Head, r.Tail, r.Label}
		if !seen[k] {
			seen[k] = true
			outRels = append(outRels, r)
		}
	}
	return out, outRels // relations in their order: an export lists them so
}

// relationOrder sorts relations by ends and label.
func relationOrder(a, b annotate.Relation) int {
	if a.Head != b.Head {
		return a.Head - b.Head
	}
	if a.Tail != b.Tail {
		return a.Tail - b.Tail
	}
	return strings.Compare(a.Label, b.Label)
}

// sameSpans says whether two normalized layers have the same spans and
// relations (provenance included; relations in any order).
func sameSpans(a, b *layerContent) bool {
	if len(a.Spans) != len(b.Spans) || len(a.Relations) != len(b.Relations) {
		return false
	}
	ra, rb := slices.SortedStableFunc(slices.Values(a.Relations), relationOrder), slices.SortedStableFunc(slices.Values(b.Relations), relationOrder)
	for i := range a.Spans {
		x, y := a.Spans[i], b.Spans[i]
		if x.Start != y.Start || x.End != y.End || x.Label != y.Label || x.Text != y.Text || x.Origin != y.Origin ||
			x.Decision != y.Decision || x.DecidedBy != y.DecidedBy || encodeVotes(x.Votes) != encodeVotes(y.Votes) {
			return false
		}
	}
	for i := range ra {
		x, y := ra[i], rb[i]
		if x.Head != y.Head || x.Tail != y.Tail || x.Label != y.Label ||
			x.Decision != y.Decision || x.DecidedBy != y.DecidedBy || encodeVotes(x.Votes) != encodeVotes(y.Votes) {
			return false
		}
	}
	return true
}

// layerRow is a layer's row as a whole-layer write sets it.
type layerRow struct {
	clock    clock
	modified time.Time
	seconds  float64
}

// layerWrite sets one layer to exactly content, with row's history.
type layerWrite struct {
	key     layerKey
	content *layerContent
	row     layerRow
}

// layerChunk is how many layers a statement of a whole-layer write names.
const layerChunk = 500

// setLayers makes each layer of writes exactly its content (spans,
// relations, status; gold status and rejections unless not said) with its
// clock, revision, modified time and time spent. gold is the gold layer's
// annotator id (0: none).
func setLayers(tx *gorm.DB, writes []layerWrite, gold uint) error {
	labelID, err := labelIDsOf(tx)
	if err != nil {
		return err
	}
	for from := 0; from < len(writes); from += layerChunk {
		if err := setLayerChunk(tx, writes[from:min(from+layerChunk, len(writes))], labelID, gold); err != nil {
			return err
		}
	}
	return nil
}

// labelIDsOf maps the project's label names to their row ids.
func labelIDsOf(tx *gorm.DB) (map[string]uint, error) {
	names, err := labelNamesOf(tx)
	out := make(map[string]uint, len(names))
	for id, name := range names {
		out[name] = id
	}
	return out, err
}

// dbTime is how the driver stores a time (and reads it back).
const dbTime = "2006-01-02 15:04:05.999999999-07:00"

func setLayerChunk(tx *gorm.DB, writes []layerWrite, labelID map[string]uint, gold uint) error {
	keys := make([][2]uint, len(writes))
	for i, w := range writes {
		keys[i] = [2]uint{w.key.Doc, w.key.Annotator}
	}
	kb, _ := json.Marshal(keys)
	inLayers := `(document_id, annotator_id) IN (SELECT ` + jsonFields(tx, "bigint", "bigint") + ` FROM ` + jsonRows(tx) + `)`
	if err := tx.Exec(`DELETE FROM relations WHERE head_id IN (SELECT id FROM spans WHERE `+inLayers+`)`, string(kb)).Error; err != nil {
		return err
	}
	if err := tx.Exec(`DELETE FROM spans WHERE `+inLayers, string(kb)).Error; err != nil {
		return err
	}
	nowTime := now()
	stamp := nowTime.Format(dbTime)
	var spanRows, relRows, rowRows [][]any
	var goldRows [][]any
	var goldTodo []uint
	var rejected []uint // documents whose gold rejections are set
	var spanRej []goldRejection
	var relRej []goldRelationRejection
	for _, w := range writes {
		c := w.content
		ids := make([]uint, len(c.Spans))
		for i, sp := range c.Spans {
			id, ok := labelID[sp.Label]
			if !ok {
				return fmt.Errorf("no label %q for a span of a layer being set", sp.Label)
			}
			ids[i] = id
			spanRows = append(spanRows, []any{w.key.Doc, w.key.Annotator, sp.Start, sp.End, id, sp.Text, encodeVotes(sp.Votes), string(sp.Decision), sp.DecidedBy, string(sp.Origin)})
		}
		for _, r := range c.Relations {
			h, t := c.Spans[r.Head], c.Spans[r.Tail]
			relRows = append(relRows, []any{w.key.Doc, w.key.Annotator, h.Start, h.End, ids[r.Head], t.Start, t.End, ids[r.Tail],
				r.Label, encodeVotes(r.Votes), string(r.Decision), r.DecidedBy})
		}
		status := c.Status
		if status == "" {
			status = annotate.StatusTodo
		}
		var modified any
		if !w.row.modified.IsZero() {
			modified = w.row.modified.UTC().Truncate(time.Microsecond).Format(dbTime)
		}
		rowRows = append(rowRows, []any{w.key.Doc, w.key.Annotator, string(status), w.row.seconds, w.row.clock.revision(), modified, w.row.clock.encode()})
		if w.key.Annotator == gold && gold != 0 && c.Rejections != nil {
			rejected = append(rejected, w.key.Doc)
			for _, r := range c.Rejections.Spans {
				spanRej = append(spanRej, goldRejection{DocumentID: w.key.Doc, Start: r.Start, End: r.End, DecidedBy: r.DecidedBy, CreatedAt: orNow(r.At, nowTime)})
			}
			for _, r := range c.Rejections.Relations {
				relRej = append(relRej, goldRelationRejection{DocumentID: w.key.Doc, HeadStart: r.HeadStart, HeadEnd: r.HeadEnd, HeadLabel: r.HeadLabel,
					TailStart: r.TailStart, TailEnd: r.TailEnd, TailLabel: r.TailLabel, Label: r.Label, DecidedBy: r.DecidedBy, CreatedAt: orNow(r.At, nowTime)})
			}
		}
		if w.key.Annotator == gold && gold != 0 {
			switch c.GoldStatus {
			case "": // not said: stays as it is
			case annotate.GoldTodo:
				goldTodo = append(goldTodo, w.key.Doc)
			default:
				var at any
				if c.FinishedAt != nil {
					at = c.FinishedAt.UTC().Format(dbTime)
				}
				goldRows = append(goldRows, []any{w.key.Doc, string(c.GoldStatus), c.FinishedBy, at})
			}
		}
	}
	when := sqlTime(tx, "?")
	err := jsonInserts(tx, spanRows, `INSERT INTO spans (document_id, annotator_id, start, "end", label_id, text, votes, decision, decided_by, origin, created_at, updated_at)
		SELECT `+jsonFields(tx, "bigint", "bigint", "bigint", "bigint", "bigint", "text", "text", "text", "text", "text")+`, `+when+`, `+when+`
		FROM `+jsonRows(tx)+` WHERE true ON CONFLICT DO NOTHING`, stamp, stamp)
	if err != nil {
		return err
	}
	err = jsonInserts(tx, relRows, `INSERT INTO relations (head_id, tail_id, label, votes, decision, decided_by, created_at)
		SELECT h.id, t.id, j.value->>8, j.value->>9, j.value->>10, j.value->>11, `+when+` FROM `+jsonRows(tx)+`
		JOIN spans h ON h.document_id = `+jsonID(0)+` AND h.annotator_id = `+jsonID(1)+` AND h.start = `+jsonID(2)+` AND h.end = `+jsonID(3)+` AND h.label_id = `+jsonID(4)+`
		JOIN spans t ON t.document_id = `+jsonID(0)+` AND t.annotator_id = `+jsonID(1)+` AND t.start = `+jsonID(5)+` AND t.end = `+jsonID(6)+` AND t.label_id = `+jsonID(7)+`
		WHERE true ON CONFLICT DO NOTHING`, stamp)
	if err != nil {
		return err
	}
	err = jsonInserts(tx, rowRows, `INSERT INTO doc_statuses (document_id, annotator_id, status, seconds, revision, modified_at, clock, updated_at)
		SELECT `+jsonFields(tx, "bigint", "bigint", "text", "double precision", "bigint", "time", "text")+`, `+when+` FROM `+jsonRows(tx)+` WHERE true
		ON CONFLICT (document_id, annotator_id) DO UPDATE SET status = excluded.status, seconds = excluded.seconds, revision = excluded.revision,
		modified_at = excluded.modified_at, clock = excluded.clock, updated_at = excluded.updated_at`, stamp)
	if err != nil {
		return err
	}
	if len(goldTodo) > 0 {
		if err := tx.Where("document_id IN ?", goldTodo).Delete(&goldStatus{}).Error; err != nil {
			return err
		}
	}
	if err := setRejections(tx, rejected, spanRej, relRej); err != nil {
		return err
	}
	return jsonInserts(tx, goldRows, `INSERT INTO gold_statuses (document_id, status, finished_by, finished_at, updated_at)
		SELECT `+jsonFields(tx, "bigint", "text", "text", "time")+`, `+when+` FROM `+jsonRows(tx)+` WHERE true
		ON CONFLICT (document_id) DO UPDATE SET status = excluded.status, finished_by = excluded.finished_by,
		finished_at = excluded.finished_at, updated_at = excluded.updated_at`, stamp)
}

// setRejections makes the gold rejections of docs exactly spans and rels.
func setRejections(tx *gorm.DB, docs []uint, spans []goldRejection, rels []goldRelationRejection) error {
	if len(docs) == 0 {
		return nil
	}
	if err := tx.Where("document_id IN ?", docs).Delete(&goldRejection{}).Error; err != nil {
		return err
	}
	if err := tx.Where("document_id IN ?", docs).Delete(&goldRelationRejection{}).Error; err != nil {
		return err
	}
	if len(spans) > 0 {
		if err := tx.CreateInBatches(spans, 100).Error; err != nil {
			return err
		}
	}
	if len(rels) > 0 {
		return tx.CreateInBatches(rels, 100).Error
	}
	return nil
}

// orNow is t, or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t
}

// jsonInserts runs stmt for rows, 5,000 at a time as one JSON array: the
// array is the statement's last parameter, after args.
func jsonInserts(tx *gorm.DB, rows [][]any, stmt string, args ...any) error {
	for from := 0; from < len(rows); from += 5000 {
		b, err := json.Marshal(rows[from:min(from+5000, len(rows))])
		if err != nil {
			return err
		}
		if err := tx.Exec(stmt, append(args[:len(args):len(args)], string(b))...).Error; err != nil {
			return err
		}
	}
	return nil
}

// layerState is a layer as stored: its row and its content.
type layerState struct {
	row     docStatus // zero (Clock "") for a layer without a row
	content layerContent
}

// readLayers reads the layers keys of db (any project, by its row ids),
// spans and relations in normal order. gold is db's gold annotator id (0:
// none). Layers without anything have an empty content.
func readLayers(db *gorm.DB, keys []layerKey, gold uint) (map[layerKey]*layerState, error) {
	out := make(map[layerKey]*layerState, len(keys))
	byAnn := map[uint][]uint{}
	for _, k := range keys {
		if out[k] == nil {
			out[k] = &layerState{content: layerContent{Spans: []annotate.Span{}, Status: annotate.StatusTodo}}
			byAnn[k.Annotator] = append(byAnn[k.Annotator], k.Doc)
		}
	}
	names, err := labelNamesOf(db)
	if err != nil {
		return nil, err
	}
	for ann, docs := range byAnn {
		for from := 0; from < len(docs); from += layerChunk {
			if err := readLayerChunk(db, ann, docs[from:min(from+layerChunk, len(docs))], names, gold, out); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func readLayerChunk(db *gorm.DB, ann uint, docs []uint, names map[uint]string, gold uint, out map[layerKey]*layerState) error {
	var rows []docStatus
	if err := db.Where("annotator_id = ? AND document_id IN ?", ann, docs).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		st := out[layerKey{r.DocumentID, ann}]
		st.row = r
		st.content.Status = annotate.Status(r.Status)
	}
	if ann == gold && gold != 0 {
		for _, d := range docs {
			out[layerKey{d, ann}].content.GoldStatus = annotate.GoldTodo // unless a row says otherwise
		}
	}
	// Rows scanned by hand: a merge reads hundreds of thousands.
	rows2, err := db.Raw(`SELECT id, document_id, label_id, start, "end", text, votes, decision, decided_by, origin FROM spans
		WHERE annotator_id = ? AND document_id IN ?`, ann, docs).Rows()
	if err != nil {
		return err
	}
	defer rows2.Close()
	raw := map[uint][]annotate.Span{}
	at := map[uint]int{} // span id → index in its layer's raw list
	n := 0
	for rows2.Next() {
		var id, doc, label uint
		var sp annotate.Span
		var p provenance
		if err := rows2.Scan(&id, &doc, &label, &sp.Start, &sp.End, &sp.Text, &p.Votes, &p.Decision, &p.DecidedBy, &sp.Origin); err != nil {
			return err
		}
		sp.Label = names[label]
		sp.Votes, sp.Decision, sp.DecidedBy = p.domain()
		at[id] = len(raw[doc])
		raw[doc] = append(raw[doc], sp)
		n++
	}
	if err := rows2.Err(); err != nil {
		return err
	}
	if n == 0 && ann != gold {
		return nil
	}
	var rels []struct {
		DocumentID     uint
		HeadID, TailID uint
		Label          string
		Prov           provenance `gorm:"embedded"`
	}
	if n > 0 {
		if err := db.Table("relations").Select("spans.document_id, relations.head_id, relations.tail_id, relations.label, relations.votes, relations.decision, relations.decided_by").
			Joins("JOIN spans ON spans.id = relations.head_id").
			Where("spans.annotator_id = ? AND spans.document_id IN ?", ann, docs).Order("relations.id").Scan(&rels).Error; err != nil {
			return err
		}
	}
	rawRels := map[uint][]annotate.Relation{}
	for _, r := range rels {
		rel := annotate.Relation{Head: at[r.HeadID], Tail: at[r.TailID], Label: r.Label}
		rel.Votes, rel.Decision, rel.DecidedBy = r.Prov.domain()
		rawRels[r.DocumentID] = append(rawRels[r.DocumentID], rel)
	}
	for doc, sps := range raw {
		st := out[layerKey{doc, ann}]
		st.content.Spans, st.content.Relations = normalContent(sps, rawRels[doc])
	}
	if ann != gold || gold == 0 {
		return nil
	}
	var gs []goldStatus
	if err := db.Where("document_id IN ?", docs).Find(&gs).Error; err != nil {
		return err
	}
	for _, g := range gs {
		c := &out[layerKey{g.DocumentID, ann}].content
		c.GoldStatus, c.FinishedBy, c.FinishedAt = annotate.GoldStatus(g.Status), g.FinishedBy, g.FinishedAt
	}
	return readRejections(db, ann, docs, out)
}

// readRejections reads the gold rejections of docs into their layers'
// content (each then says its rejections, none included).
func readRejections(db *gorm.DB, gold uint, docs []uint, out map[layerKey]*layerState) error {
	for _, d := range docs {
		out[layerKey{d, gold}].content.Rejections = &layerRejections{}
	}
	var spans []goldRejection
	if err := db.Where("document_id IN ?", docs).Order(`document_id, start, "end"`).Find(&spans).Error; err != nil {
		return err
	}
	for _, r := range spans {
		rj := out[layerKey{r.DocumentID, gold}].content.Rejections
		rj.Spans = append(rj.Spans, spanRejection{Start: r.Start, End: r.End, DecidedBy: r.DecidedBy, At: r.CreatedAt.UTC()})
	}
	var rels []goldRelationRejection
	if err := db.Where("document_id IN ?", docs).Order("id").Find(&rels).Error; err != nil {
		return err
	}
	for _, r := range rels {
		rj := out[layerKey{r.DocumentID, gold}].content.Rejections
		rj.Relations = append(rj.Relations, relationRejection{HeadStart: r.HeadStart, HeadEnd: r.HeadEnd, HeadLabel: r.HeadLabel,
			TailStart: r.TailStart, TailEnd: r.TailEnd, TailLabel: r.TailLabel, Label: r.Label, DecidedBy: r.DecidedBy, At: r.CreatedAt.UTC()})
	}
	return nil
}

// goldID is db's gold annotator id, 0 if it has none.
func goldID(db *gorm.DB) (uint, error) {
	var ids []uint
	err := db.Model(&annotator{}).Where("kind = ?", kindGold).Limit(1).Pluck("id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}
