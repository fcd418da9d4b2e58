package storage

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"tawsim/annotate"
	"tawsim/assets"
)

// ImportOptions steers Import.
type ImportOptions struct {
	File      string // source file, named in errors and stored as the documents' source
	Annotator string // overrides every layer's annotator when set
	Replace   bool   // replace the text of a document whose id exists with other text
	// AddLabels adds the labels the file names and the project lacks to
	// its label set; without it they refuse the file (*UnknownLabelsError):
	// a typo ("PERSN") must not become a label silently.
	AddLabels bool
	// ReplaceLayers makes each layer the records name exactly their spans
	// and relations (a pipeline's output), instead of adding to it.
	ReplaceLayers bool
}

// ImportResult says what an Import did.
type ImportResult struct {
	Added        []string // ids of new documents
	Skipped      []string // ids already present with the same text
	Replaced     []string // ids whose text was replaced (ImportOptions.Replace)
	Spans        int      // spans added
	SpansPresent int      // spans that were already there
	SpansDropped int      // spans removed by a replace because their text no longer matches
	Relations    int      // relations added
	// RelationsPresent counts relations the layers had already (kept as
	// they were).
	RelationsPresent int
	NewLabels        []string // label types created for unknown labels
	// Whole layers: those of a file that carries revisions (newest wins)
	// or of an import with ReplaceLayers. LayersReplaced took the file's
	// content; LayersUnchanged were the same or newer here; Conflicts were
	// changed on both sides (each kept the other side as a version).
	LayersReplaced  int
	LayersUnchanged int
	Conflicts       []LayerConflict
}

// Import stores records in one transaction: either all of them are stored
// or, on any error, none. A document whose id exists with the same text is
// left as it is (its spans are merged into the layers); with other text it
// is an error naming the id (wrapping ErrTextDiffers) unless opt.Replace.
func (s *Store) Import(recs []annotate.Record, opt ImportOptions) (*ImportResult, error) {
	if err := checkRecords(recs, opt); err != nil {
		return nil, err
	}
	st := newImportState(opt)
	st.count(recs)
	if err := allEmpty(st); err != nil {
		return nil, err
	}
	err := s.write(func(tx *gorm.DB) error {
		if err := importTx(tx, recs, st); err != nil {
			return err
		}
		return st.unknownErr()
	})
	if err != nil {
		return nil, err
	}
	return st.res, nil
}

// ImportStream is Import for records that come in batches: scan calls add
// with each batch in turn (add's error stops it) and returns its own error.
// All batches are stored in one transaction, all or none, and none needs
// to stay in memory after add returns: a file of any size is imported in
// the memory of one batch.
func (s *Store) ImportStream(scan func(add func([]annotate.Record) error) error, opt ImportOptions) (*ImportResult, error) {
	st := newImportState(opt)
	err := s.write(func(tx *gorm.DB) error {
		err := scan(func(recs []annotate.Record) error {
			if err := checkRecords(recs, opt); err != nil {
				return err
			}
			st.count(recs)
			return importTx(tx, recs, st)
		})
		if err != nil {
			return err
		}
		if err := st.unknownErr(); err != nil {
			return err
		}
		return allEmpty(st)
	})
	if err != nil {
		return nil, err
	}
	return st.res, nil
}

// importState is what the batches of one import share.
type importState struct {
	opt ImportOptions
	res *ImportResult
	// seen holds the documents of earlier batches by external id (a
	// repeated id is checked against them as within a batch).
	seen map[string]existing
	// wholeLines is the line of each whole layer so far: a file names
	// a layer once.
	wholeLines map[layerKey]int
	docs       int // records so far
	empty      int // of them with empty text
	firstLine  int
	// labels are the project's label names (loaded by the first batch);
	// unknown counts the spans of labels it lacks, when they refuse the
	// file: later batches are then only counted, not stored.
	labels  map[string]bool
	unknown *UnknownLabelsError
}

func newImportState(opt ImportOptions) *importState {
	return &importState{opt: opt, res: &ImportResult{}, seen: map[string]existing{}, wholeLines: map[layerKey]int{}}
}

func (st *importState) count(recs []annotate.Record) {
	if st.docs == 0 && len(recs) > 0 {
		st.firstLine = recs[0].Line
	}
	st.docs += len(recs)
	for i := range recs {
		if recs[i].Doc.Text == "" {
			st.empty++
		}
	}
}

func where(opt ImportOptions, line int) string {
	switch {
	case opt.File != "" && line > 0:
		return fmt.Sprintf("%s:%d: ", opt.File, line)
	case opt.File != "":
		return opt.File + ": "
	case line > 0:
		return fmt.Sprintf("line %d: ", line)
	}
	return ""
}

// ErrTextDiffers is the error of an import that meets a document id stored
// with another text, and was not told to replace it (ImportOptions.Replace).
var ErrTextDiffers = errors.New("already exists with a different text")

// ErrNoAnnotator is the error of an import whose records carry spans but
// name no annotator, with none given for the whole import
// (ImportOptions.Annotator).
var ErrNoAnnotator = errors.New("has spans but no annotator")

func importTx(tx *gorm.DB, recs []annotate.Record, st *importState) error {
	opt, res := st.opt, st.res
	if err := st.countUnknown(tx, recs); err != nil || st.unknown != nil {
		return err
	}
	have, err := existingDocs(tx, recs, opt)
	if err != nil {
		return err
	}
	docs, err := storeDocs(tx, recs, st, have)
	if err != nil {
		return err
	}
	spans, rels, whole, err := layerRows(tx, recs, opt, docs, res)
	if err != nil {
		return err
	}
	if err := storeLayers(tx, opt, spans, rels, res); err != nil {
		return err
	}
	if err := storeWholeLayers(tx, st, whole); err != nil {
		return err
	}
	return importedDecisions(tx, spans)
}

// importedDecisions puts in progress the documents to do whose gold layer
// an import gave decisions by hand (a lead's adjudicated file). It never
// finishes or reopens one: the status does not travel with a file.
func importedDecisions(tx *gorm.DB, rows []*span) error {
	var gold annotator
	err := tx.Select("id").Where("name = ? AND kind = ?", GoldLayer, kindGold).Take(&gold).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	seen := map[uint]bool{}
	for _, r := range rows {
		if r.AnnotatorID != gold.ID || r.Prov.Decision == string(annotate.DecisionAutomatic) || seen[r.DocumentID] {
			continue
		}
		seen[r.DocumentID] = true
		if err := tx.Exec(`INSERT INTO gold_statuses (document_id, status, finished_by, updated_at) VALUES (?, 'in_progress', '', CURRENT_TIMESTAMP)
			ON CONFLICT (document_id) DO NOTHING`, r.DocumentID).Error; err != nil {
			return err
		}
	}
	return nil
}

type existing struct {
	id   uint
	hash string
}

// existingDocs finds the documents of recs already in the database, by
// external id.
func existingDocs(tx *gorm.DB, recs []annotate.Record, opt ImportOptions) (map[string]existing, error) {
	ids := make([]string, 0, len(recs))
	for i := range recs {
		if strings.TrimSpace(recs[i].Doc.ID) == "" {
			return nil, fmt.Errorf("%sa document has no id", where(opt, recs[i].Line))
		}
		ids = append(ids, recs[i].Doc.ID)
	}
	have := map[string]existing{}
	for start := 0; start < len(ids); start += 500 {
		end := min(start+500, len(ids))
		var rows []struct {
			ID     uint
			ExtID  string
			SHA256 string `gorm:"column:sha256"`
		}
		if err := tx.Model(&document{}).Select("id, ext_id, sha256").Where("ext_id IN ?", ids[start:end]).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			have[r.ExtID] = existing{r.ID, r.SHA256}
		}
	}
	return have, nil
}

// storeDocs stores the new documents and replaces the texts of changed
// ones (with opt.Replace). It returns every document of recs by external
// id, with its row id.
func storeDocs(tx *gorm.DB, recs []annotate.Record, st *importState, have map[string]existing) (map[string]*document, error) {
	opt, res := st.opt, st.res
	var fresh []*document
	docs := map[string]*document{}
	for i := range recs {
		d := &recs[i].Doc
		if !utf8.ValidString(d.Text) {
			return nil, fmt.Errorf("%sdocument %q: %v", where(opt, recs[i].Line), d.ID, annotate.ValidUTF8([]byte(d.Text)))
		}
		hash := d.Hash()
		f, ok := docs[d.ID]
		if e, early := st.seen[d.ID]; !ok && early {
			f, ok = &document{ID: e.id, SHA256: e.hash}, true
			docs[d.ID] = f
		}
		if ok { // repeated within this import
			if f.SHA256 != hash {
				return nil, fmt.Errorf("%sdocument %q appears twice in %s with different texts", where(opt, recs[i].Line), d.ID, orInput(opt.File))
			}
			continue
		}
		if e, ok := have[d.ID]; ok {
			if e.hash == hash {
				res.Skipped = append(res.Skipped, d.ID)
				docs[d.ID] = &document{ID: e.id, SHA256: hash}
				continue
			}
			if !opt.Replace {
				return nil, fmt.Errorf("%sdocument %q %w", where(opt, recs[i].Line), d.ID, ErrTextDiffers)
			}
			dropped, err := replaceText(tx, e.id, d, hash)
			if err != nil {
				return nil, fmt.Errorf("%sreplacing document %q: %w", where(opt, recs[i].Line), d.ID, err)
			}
			res.Replaced = append(res.Replaced, d.ID)
			res.SpansDropped += dropped
			docs[d.ID] = &document{ID: e.id, SHA256: hash}
			continue
		}
		row := &document{ExtID: d.ID, Title: d.Title, Source: d.Source, Text: d.Text,
			Length: utf8.RuneCountInString(d.Text), SHA256: hash, Meta: string(d.Meta)}
		if row.Source == "" {
			row.Source = opt.File
		}
		if row.Title == "" {
			row.Title = annotate.Title(d.Text)
		}
		fresh = append(fresh, row)
		docs[d.ID] = row
		res.Added = append(res.Added, d.ID)
	}
	if len(fresh) > 0 {
		if err := createDocuments(tx, fresh); err != nil {
			return nil, fmt.Errorf("%sstoring documents: %w", where(opt, 0), err)
		}
	}
	for id, d := range docs {
		st.seen[id] = existing{d.ID, d.SHA256}
	}
	return docs, nil
}

// relRef is a relation between two span rows not stored yet, with its
// gold provenance.
type relRef struct {
	head, tail *span
	label      string
	line       int
	prov       provenance
}

// spanIndex is the first index of layer spans with the key of span i: a
// layer may list the same span twice (stored once).
func spanIndex(spans []annotate.Span, i int) int {
	for j := range i {
		if spans[j].Start == spans[i].Start && spans[j].End == spans[i].End && spans[j].Label == spans[i].Label {
			return j
		}
	}
	return i
}

// layerRows checks the layers of recs and turns them into span rows and
// relations to add, creating the annotators and labels they name. Whole
// layers (with a revision, or with opt.ReplaceLayers) are returned apart,
// as offers with their content.
func layerRows(tx *gorm.DB, recs []annotate.Record, opt ImportOptions, docs map[string]*document, res *ImportResult) ([]*span, []relRef, []*layerOffer, error) {
	labels := map[string]uint{}
	var known []labelType
	if err := tx.Find(&known).Error; err != nil {
		return nil, nil, nil, err
	}
	for _, l := range known {
		labels[l.Name] = l.ID
	}
	types, err := relationTypesOf(tx)
	if err != nil {
		return nil, nil, nil, err
	}
	annotators := map[string]uint{}
	var spanRows []*span
	var rels []relRef
	var whole []*layerOffer
	for i := range recs {
		rec := &recs[i]
		docID := docs[rec.Doc.ID].ID
		text := annotate.NewCursor(rec.Doc.Text)
		layers := rec.Layers
		if len(layers) == 0 && opt.ReplaceLayers && opt.Annotator != "" {
			// A pipeline's file is its whole output: a document it found
			// nothing in empties the layer.
			layers = []annotate.Layer{{}}
		}
		for _, layer := range layers {
			name := layer.Annotator
			if opt.Annotator != "" {
				name = opt.Annotator
			}
			isWhole := opt.ReplaceLayers || layer.Revision > 0 || len(layer.Clock) > 0
			if len(layer.Spans) == 0 && len(layer.Relations) == 0 && !isWhole {
				continue
			}
			if name == "" {
				return nil, nil, nil, fmt.Errorf("%sdocument %q %w", where(opt, rec.Line), rec.Doc.ID, ErrNoAnnotator)
			}
			if err := checkAnnotatorName(name); err != nil {
				return nil, nil, nil, fmt.Errorf("%s%v", where(opt, rec.Line), err)
			}
			annID, ok := annotators[name]
			if !ok {
				var err error
				if annID, err = ensureAnnotator(tx, name); err != nil {
					return nil, nil, nil, err
				}
				annotators[name] = annID
			}
			rows := make([]*span, len(layer.Spans))
			var checked []annotate.Span // the layer as checked, for a whole layer only
			if isWhole {
				checked = make([]annotate.Span, len(layer.Spans))
			}
			var checkedRels []annotate.Relation
			spansBefore, relsBefore := len(spanRows), len(rels)
			for j := range layer.Spans {
				sp := layer.Spans[j]
				if err := text.CheckSpan(&sp); err != nil {
					return nil, nil, nil, fmt.Errorf("%sdocument %q: span %d: %v", where(opt, rec.Line), rec.Doc.ID, j, err)
				}
				labID, ok := labels[sp.Label]
				if !ok {
					var err error
					if labID, err = ensureLabel(tx, annotate.Label{Name: sp.Label, Order: 100 + len(labels)}); err != nil {
						return nil, nil, nil, err
					}
					if err := bumpDefinition(tx); err != nil {
						return nil, nil, nil, err
					}
					labels[sp.Label] = labID
					res.NewLabels = append(res.NewLabels, sp.Label)
				}
				if !annotate.ValidOrigin(sp.Origin) {
					return nil, nil, nil, fmt.Errorf("%sdocument %q: span %d: unknown origin %q (propagated, gazetteer or model)", where(opt, rec.Line), rec.Doc.ID, j, sp.Origin)
				}
				rows[j] = &span{DocumentID: docID, AnnotatorID: annID, Start: sp.Start, End: sp.End, LabelID: labID, Text: sp.Text, Origin: string(sp.Origin)}
				if name == GoldLayer { // provenance is kept for gold spans only
					if !validDecision(sp.Decision) {
						return nil, nil, nil, fmt.Errorf("%sdocument %q: span %d: unknown decision %q (automatic, chosen, edited or added)", where(opt, rec.Line), rec.Doc.ID, j, sp.Decision)
					}
					rows[j].Prov = provenanceOf(sp.Votes, sp.Decision, sp.DecidedBy)
				} else {
					sp.Votes, sp.Decision, sp.DecidedBy = nil, "", ""
				}
				if isWhole {
					checked[j] = sp
				}
			}
			spanRows = append(spanRows, rows...)
			type relKey struct {
				head, tail int
				label      string
			}
			seen := make(map[relKey]annotate.Relation, len(layer.Relations))
			for k, r := range layer.Relations {
				at := fmt.Sprintf("%sdocument %q: relation %d", where(opt, rec.Line), rec.Doc.ID, k)
				if r.Head < 0 || r.Head >= len(rows) || r.Tail < 0 || r.Tail >= len(rows) {
					return nil, nil, nil, fmt.Errorf("%s joins spans %d and %d, but the layer has spans 0 to %d", at, r.Head, r.Tail, len(rows)-1)
				}
				h, t := layer.Spans[r.Head], layer.Spans[r.Tail]
				if h.Start == t.Start && h.End == t.End && h.Label == t.Label {
					return nil, nil, nil, fmt.Errorf("%s: %w: it joins span %d (%s [%d,%d)) to itself", at, ErrRelationRule, r.Head, h.Label, h.Start, h.End)
				}
				if err := checkRelation(types, r.Label, h.Label, t.Label); err != nil {
					return nil, nil, nil, fmt.Errorf("%s (%s [%d,%d) → %s [%d,%d)): %w", at, h.Label, h.Start, h.End, t.Label, t.Start, t.End, err)
				}
				rr := relRef{head: rows[r.Head], tail: rows[r.Tail], label: r.Label, line: rec.Line}
				if name == GoldLayer {
					if !validDecision(r.Decision) {
						return nil, nil, nil, fmt.Errorf("%s: unknown decision %q (automatic, chosen, edited or added)", at, r.Decision)
					}
					rr.prov = provenanceOf(r.Votes, r.Decision, r.DecidedBy)
				} else {
					r.Votes, r.Decision, r.DecidedBy = nil, "", ""
				}
				// The same relation twice in a layer is stored once when
				// the copies are identical, and refused when their
				// provenance differs. Spans are keyed by their place in
				// the layer, which CheckSpan made unique up to copies.
				key := relKey{spanIndex(layer.Spans, r.Head), spanIndex(layer.Spans, r.Tail), r.Label}
				if prev, ok := seen[key]; ok {
					if prev.Decision != r.Decision || prev.DecidedBy != r.DecidedBy || encodeVotes(prev.Votes) != encodeVotes(r.Votes) {
						return nil, nil, nil, fmt.Errorf("%s: %w, with other votes or decision", at, ErrDuplicateRelation)
					}
					continue
				}
				seen[key] = r
				rels = append(rels, rr)
				checkedRels = append(checkedRels, r)
			}
			if isWhole { // set as a whole afterwards, not added to
				spanRows, rels = spanRows[:spansBefore], rels[:relsBefore]
				whole = append(whole, wholeOffer(rec, layer, layerKey{docID, annID}, name, opt, checked, checkedRels))
			}
		}
	}
	return spanRows, rels, whole, nil
}

// storeLayers inserts the span rows, skipping those already present, and
// then the relations between them.
func storeLayers(tx *gorm.DB, opt ImportOptions, spanRows []*span, rels []relRef, res *ImportResult) error {
	var changed []layerKey // layers that gained a span or a relation
	if len(spanRows) > 0 {
		before, err := layerSpanCounts(tx, spanRows)
		if err != nil {
			return err
		}
		r := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(spanRows, 25) // the driver binds parameters in O(n²) per statement
		if r.Error != nil {
			return fmt.Errorf("%sstoring spans: %w", where(opt, 0), r.Error)
		}
		res.Spans += int(r.RowsAffected)
		res.SpansPresent += len(spanRows) - int(r.RowsAffected)
		if r.RowsAffected > 0 {
			after, err := layerSpanCounts(tx, spanRows)
			if err != nil {
				return err
			}
			for k, n := range after {
				if n > before[k] {
					changed = append(changed, k)
				}
			}
		}
	}
	for _, r := range rels {
		head, err := spanID(tx, r.head)
		if err != nil {
			return err
		}
		tail, err := spanID(tx, r.tail)
		if err != nil {
			return err
		}
		// A relation the layer has already stays as it is (like a span).
		q := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&relation{HeadID: head, TailID: tail, Label: r.label,
			Prov: r.prov})
		if q.Error != nil {
			return fmt.Errorf("%sstoring relation: %w", where(opt, r.line), q.Error)
		}
		res.Relations += int(q.RowsAffected)
		res.RelationsPresent += 1 - int(q.RowsAffected)
		if q.RowsAffected > 0 {
			changed = append(changed, layerKey{r.head.DocumentID, r.head.AnnotatorID})
		}
	}
	return touchLayers(tx, changed...)
}

// layerSpanCounts counts the spans of the layers rows belong to.
func layerSpanCounts(tx *gorm.DB, rows []*span) (map[layerKey]int, error) {
	docs := map[uint]bool{}
	var ids []uint
	for _, r := range rows {
		if !docs[r.DocumentID] {
			docs[r.DocumentID] = true
			ids = append(ids, r.DocumentID)
		}
	}
	out := map[layerKey]int{}
	for from := 0; from < len(ids); from += adjBatch {
		var counts []struct {
			DocumentID, AnnotatorID uint
			N                       int
		}
		if err := tx.Model(&span{}).Select("document_id, annotator_id, count(*) AS n").
			Where("document_id IN ?", ids[from:min(from+adjBatch, len(ids))]).Group("document_id, annotator_id").Scan(&counts).Error; err != nil {
			return nil, err
		}
		for _, c := range counts {
			out[layerKey{c.DocumentID, c.AnnotatorID}] = c.N
		}
	}
	return out, nil
}

func orInput(file string) string {
	if file == "" {
		return "the input"
	}
	return file
}

// spanID finds the id of a span row that an insert may have skipped as
// already present.
func spanID(tx *gorm.DB, s *span) (uint, error) {
	var row span
	err := tx.Select("id").Where(`document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ?`,
		s.DocumentID, s.AnnotatorID, s.Start, s.End, s.LabelID).Take(&row).Error
	return row.ID, err
}

// textAt is text[start:end] as a string, "" when that is not in text.
func textAt(text []rune, start, end int) string {
	if start < 0 || start > end || end > len(text) {
		return ""
	}
	return string(text[start:end])
}

// replaceText gives a document new text. Spans whose text is still found at
// their offsets are kept; the others are deleted and counted. So are
// suggestions (not counted).
func replaceText(tx *gorm.DB, id uint, d *annotate.Document, hash string) (int, error) {
	var spans []span
	if err := tx.Where("document_id = ?", id).Find(&spans).Error; err != nil {
		return 0, err
	}
	text := []rune(d.Text)
	var drop []uint
	var changed []layerKey
	for _, sp := range spans {
		if textAt(text, sp.Start, sp.End) != sp.Text {
			drop = append(drop, sp.ID)
			changed = append(changed, layerKey{id, sp.AnnotatorID})
		}
	}
	if len(drop) > 0 {
		if err := tx.Delete(&span{}, drop).Error; err != nil {
			return 0, err
		}
	}
	if err := dropStaleSuggestions(tx, id, text); err != nil {
		return 0, err
	}
	var reopened []uint // annotators whose "done" goes
	if err := tx.Model(&docStatus{}).Where("document_id = ? AND status = ?", id, string(annotate.StatusDone)).
		Pluck("annotator_id", &reopened).Error; err != nil {
		return 0, err
	}
	for _, a := range reopened {
		changed = append(changed, layerKey{id, a})
	}
	if err := touchLayers(tx, changed...); err != nil {
		return 0, err
	}
	if err := writeText(tx, id, d.Text); err != nil {
		return 0, err
	}
	upd := map[string]any{"text": columnText(d.Text), "sha256": hash, "length": len(text)}
	if d.Title != "" {
		upd["title"] = d.Title
	}
	if len(d.Meta) > 0 {
		upd["meta"] = string(d.Meta)
	}
	// Adjudication rejections name extents of the old text, and "done" and
	// "finished" were said of the old text: drop the one, reopen the others.
	rej := tx.Where("document_id = ?", id).Delete(&goldRejection{})
	if rej.Error != nil {
		return 0, rej.Error
	}
	if err := tx.Model(&docStatus{}).Where("document_id = ? AND status = ?", id, string(annotate.StatusDone)).
		Update("status", string(annotate.StatusInProgress)).Error; err != nil {
		return 0, err
	}
	fin := tx.Model(&goldStatus{}).Where("document_id = ? AND status = ?", id, string(annotate.GoldFinished)).
		Updates(map[string]any{"status": string(annotate.GoldInProgress), "finished_by": "", "finished_at": nil})
	if fin.Error != nil {
		return 0, fin.Error
	}
	if rej.RowsAffected+fin.RowsAffected > 0 {
		if err := touchGold(tx, id); err != nil {
			return 0, err
		}
	}
	return len(drop), tx.Model(&document{}).Where("id = ?", id).Updates(upd).Error
}

// Seed fills a new database with the embedded sample corpus and the default
// label set.
func (s *Store) Seed() error {
	var recs []annotate.Record
	for _, f := range assets.SampleCorpus() {
		text, err := annotate.NormalizeText(f.Data)
		if err != nil {
			return fmt.Errorf("sample %s: %w", f.Name, err)
		}
		id := strings.TrimSuffix(f.Name, ".txt")
		recs = append(recs, annotate.Record{Doc: annotate.Document{ID: id, Title: annotate.Title(text), Source: "sample:" + f.Name, Text: text}})
	}
	return s.write(func(tx *gorm.DB) error {
		for _, l := range annotate.DefaultLabels() {
			if _, err := ensureLabel(tx, l); err != nil {
				return err
			}
		}
		st := newImportState(ImportOptions{})
		return importTx(tx, recs, st)
	})
}
