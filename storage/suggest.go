package storage

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"tawsim/annotate"
)

// suggestion is a span proposed for an annotator's layer
// (annotate.Suggestion). It is not annotation: exports, agreement and
// scores read spans only, and the layer's clocks do not move for it.
type suggestion struct {
	ID          uint `gorm:"primaryKey"`
	DocumentID  uint `gorm:"not null;uniqueIndex:ux_suggestion,priority:1"`
	AnnotatorID uint `gorm:"not null;uniqueIndex:ux_suggestion,priority:2"`
	Start       int  `gorm:"not null;uniqueIndex:ux_suggestion,priority:3"`
	End         int  `gorm:"not null;uniqueIndex:ux_suggestion,priority:4"`
	// Origin is an annotate.Origin, never empty here.
	Origin  string `gorm:"not null"`
	LabelID uint   `gorm:"not null;uniqueIndex:ux_suggestion,priority:5;index"`
	Text    string `gorm:"not null"`
	// Rejected remembers a suggestion the annotator rejected: the row
	// stays, so it is not suggested again, and is no longer listed.
	Rejected  bool       `gorm:"not null;default:false"`
	Document  *document  `gorm:"constraint:OnDelete:CASCADE"`
	Annotator *annotator `gorm:"constraint:OnDelete:CASCADE"`
	Label     *labelType `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt time.Time
}

// ErrNoSuggestion is returned for a suggestion id that is not stored.
var ErrNoSuggestion = errors.New("no such suggestion")

// ErrStaleSuggestion is returned for a suggestion whose text is no longer
// its document's at its offsets.
var ErrStaleSuggestion = errors.New("the suggestion no longer matches its document's text")

// AddSuggestions stores suggestions for an annotator's layer, in one
// transaction. A suggestion is skipped when the layer has a span with its
// offsets (whatever the label), when the annotator rejected it, or when it
// is already suggested. Each is checked against its document's text; an
// unknown document or label is an error and nothing is stored.
func (s *Store) AddSuggestions(annotatorName string, sugs []annotate.Suggestion) (added, skipped int, err error) {
	if err := checkHumanName(annotatorName); err != nil {
		return 0, 0, err
	}
	err = s.write(func(tx *gorm.DB) error {
		added, skipped = 0, 0
		a, err := ensureAnnotator(tx, annotatorName)
		if err != nil {
			return err
		}
		labels := map[string]uint{}
		docs, err := loadSuggestTargets(tx, sugs, a)
		if err != nil {
			return err
		}
		var rows []suggestion
		for i := range sugs {
			sg := &sugs[i]
			if !annotate.ValidOrigin(sg.Origin) || sg.Origin == "" {
				return fmt.Errorf("suggestion %d: unknown origin %q (propagated, gazetteer or model)", i, sg.Origin)
			}
			d := docs[sg.Doc]
			if d == nil {
				return fmt.Errorf("no document %q", sg.Doc)
			}
			sp := annotate.Span{Start: sg.Start, End: sg.End, Label: sg.Label, Text: sg.Text}
			if err := annotate.CheckSpan(d.text, &sp); err != nil {
				return fmt.Errorf("document %q: %w", sg.Doc, err)
			}
			lab, ok := labels[sg.Label]
			if !ok {
				if lab, err = labelID(tx, sg.Label); err != nil {
					return err
				}
				labels[sg.Label] = lab
			}
			k := suggestKey{sp.Start, sp.End, lab}
			if d.spans[[2]int{sp.Start, sp.End}] || d.suggested[k] {
				skipped++
				continue
			}
			d.suggested[k] = true // once, if the batch has it twice
			rows = append(rows, suggestion{DocumentID: d.id, AnnotatorID: a, Start: sp.Start, End: sp.End, LabelID: lab, Text: sp.Text, Origin: string(sg.Origin)})
		}
		for len(rows) > 0 {
			n := min(len(rows), 25) // the driver binds parameters in O(n²) per statement
			r := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(rows[:n])
			if r.Error != nil {
				return r.Error
			}
			added += int(r.RowsAffected)
			skipped += n - int(r.RowsAffected)
			rows = rows[n:]
		}
		return nil
	})
	return added, skipped, err
}

// suggestTarget is what AddSuggestions checks a document's suggestions
// against: its text, the offsets of the layer's spans and what was
// suggested (and maybe rejected) before.
type suggestTarget struct {
	id        uint
	text      []rune
	spans     map[[2]int]bool
	suggested map[suggestKey]bool // pending or rejected
}

type suggestKey struct {
	start, end int
	label      uint
}

// loadSuggestTargets reads the documents sugs name, with annotator ann's
// span offsets, a few hundred at a time; a missing document has none.
func loadSuggestTargets(tx *gorm.DB, sugs []annotate.Suggestion, ann uint) (map[string]*suggestTarget, error) {
	var ids []string
	seen := map[string]bool{}
	for _, sg := range sugs {
		if !seen[sg.Doc] {
			seen[sg.Doc] = true
			ids = append(ids, sg.Doc)
		}
	}
	out := make(map[string]*suggestTarget, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		var docs []document
		if err := tx.Select("id, ext_id, text").Where("ext_id IN ?", chunk).Find(&docs).Error; err != nil {
			return nil, err
		}
		byID := make(map[uint]*suggestTarget, len(docs))
		for _, d := range docs {
			t := &suggestTarget{id: d.ID, text: []rune(d.Text), spans: map[[2]int]bool{}, suggested: map[suggestKey]bool{}}
			out[d.ExtID], byID[d.ID] = t, t
		}
		in := slices.Collect(maps.Keys(byID))
		var spans []span
		if err := tx.Select(`document_id, start, "end"`).Where("document_id IN ? AND annotator_id = ?", in, ann).Find(&spans).Error; err != nil {
			return nil, err
		}
		for _, sp := range spans {
			byID[sp.DocumentID].spans[[2]int{sp.Start, sp.End}] = true
		}
		var known []suggestion
		if err := tx.Select(`document_id, start, "end", label_id`).Where("document_id IN ? AND annotator_id = ?", in, ann).Find(&known).Error; err != nil {
			return nil, err
		}
		for _, sg := range known {
			byID[sg.DocumentID].suggested[suggestKey{sg.Start, sg.End, sg.LabelID}] = true
		}
	}
	return out, nil
}

// Suggestions lists the suggestions of an annotator's layer on a document
// (docID "": on every document), by document and then offset, leaving out
// those at the offsets of a span of the layer.
func (s *Store) Suggestions(docID, annotatorName string) ([]annotate.Suggestion, error) {
	var out []annotate.Suggestion
	err := s.pending(docID, annotatorName).
		Select(suggestionColumns).
		Order("documents.id, suggestions.start, suggestions.end, label_types.name").Scan(&out).Error
	return out, err
}

// suggestionColumns are pending's columns read as an annotate.Suggestion.
const suggestionColumns = "suggestions.id, documents.ext_id AS doc, suggestions.start, suggestions.end, label_types.name AS label, suggestions.text, suggestions.origin"

// PropagatedSuggestions lists the layer's suggestions of label that were
// propagated from its spans (annotate.OriginPropagated), as Suggestions.
func (s *Store) PropagatedSuggestions(annotatorName, label string) ([]annotate.Suggestion, error) {
	var out []annotate.Suggestion
	err := s.pending("", annotatorName).Where("label_types.name = ? AND suggestions.origin = ?", label, string(annotate.OriginPropagated)).
		Select(suggestionColumns).
		Order("documents.id, suggestions.start, suggestions.end").Scan(&out).Error
	return out, err
}

// WithdrawSuggestions deletes the pending suggestions ids (a rejected one
// stays, so that it is not suggested again), in one transaction.
func (s *Store) WithdrawSuggestions(ids []int64) error {
	return s.write(func(tx *gorm.DB) error {
		for len(ids) > 0 {
			n := min(500, len(ids))
			if err := tx.Where("id IN ? AND NOT rejected", ids[:n]).Delete(&suggestion{}).Error; err != nil {
				return err
			}
			ids = ids[n:]
		}
		return nil
	})
}

// CountSuggestions is how many suggestions Suggestions("", annotatorName)
// would list.
func (s *Store) CountSuggestions(annotatorName string) (int, error) {
	var n int64
	err := s.pending("", annotatorName).Count(&n).Error
	return int(n), err
}

// pending selects the suggestions Suggestions lists.
func (s *Store) pending(docID, annotatorName string) *gorm.DB {
	q := s.db.Table("suggestions").
		Joins("JOIN documents ON documents.id = suggestions.document_id").
		Joins("JOIN annotators ON annotators.id = suggestions.annotator_id").
		Joins("JOIN label_types ON label_types.id = suggestions.label_id").
		Where("annotators.name = ? AND NOT suggestions.rejected", annotatorName).
		// One the layer has a span at (labelled since): not shown.
		Where(`NOT EXISTS (SELECT 1 FROM spans WHERE spans.document_id = suggestions.document_id
			AND spans.annotator_id = suggestions.annotator_id AND spans.start = suggestions.start AND spans."end" = suggestions."end")`)
	if docID != "" {
		q = q.Where("documents.ext_id = ?", docID)
	}
	return q
}

// AcceptSuggestion makes suggestion id a span of its layer, which records
// the suggestion's origin, and returns the span.
func (s *Store) AcceptSuggestion(id int64) (annotate.Span, error) {
	spans, err := s.AcceptSuggestions([]int64{id}, "")
	if err != nil {
		return annotate.Span{}, err
	}
	return spans[0], nil
}

// AcceptSuggestions accepts the suggestions ids in one transaction, as
// AcceptSuggestion does, each with label (a label's name; "" keeps the
// suggestion's own), and returns the spans in the order of ids.
func (s *Store) AcceptSuggestions(ids []int64, label string) ([]annotate.Span, error) {
	var out []annotate.Span
	err := s.write(func(tx *gorm.DB) error {
		out = out[:0]
		for _, id := range ids {
			row, err := takeSuggestion(tx, id)
			if err != nil {
				return err
			}
			var d document
			if err := tx.Take(&d, row.DocumentID).Error; err != nil {
				return err
			}
			if got := textAt([]rune(d.Text), row.Start, row.End); got != row.Text {
				return fmt.Errorf("%w: suggestion %d «%s» at %d–%d of document %s, which has «%s» there", ErrStaleSuggestion, id, row.Text, row.Start, row.End, d.ExtID, got)
			}
			var a annotator
			if err := tx.Take(&a, row.AnnotatorID).Error; err != nil {
				return err
			}
			name := label
			if name == "" {
				var lab labelType
				if err := tx.Take(&lab, row.LabelID).Error; err != nil {
					return err
				}
				name = lab.Name
			}
			if err := tx.Delete(&suggestion{}, row.ID).Error; err != nil {
				return err
			}
			sp := annotate.Span{Start: row.Start, End: row.End, Label: name, Origin: annotate.Origin(row.Origin)}
			if err := addSpan(tx, &d, a.Name, &sp); err != nil {
				return err
			}
			out = append(out, sp)
		}
		return nil
	})
	return out, err
}

// dropStaleSuggestions deletes the suggestions (pending or rejected) of
// document doc whose text is no longer text's at their offsets: the
// document's text is being replaced by text.
func dropStaleSuggestions(tx *gorm.DB, doc uint, text []rune) error {
	var rows []suggestion
	if err := tx.Select(`id, start, "end", text`).Where("document_id = ?", doc).Find(&rows).Error; err != nil {
		return err
	}
	var stale []uint
	for _, r := range rows {
		if textAt(text, r.Start, r.End) != r.Text {
			stale = append(stale, r.ID)
		}
	}
	for chunk := range slices.Chunk(stale, 500) { // bound variables per statement
		if err := tx.Delete(&suggestion{}, chunk).Error; err != nil {
			return err
		}
	}
	return nil
}

// RestoreSuggestions undoes an acceptance: in one transaction each span
// spans[i] is deleted and sugs[i], the suggestion it was accepted from,
// is pending again on the span's document and layer: a new row, or the
// one suggested there since. It returns the suggestions' ids.
func (s *Store) RestoreSuggestions(spans []int64, sugs []annotate.Suggestion) ([]int64, error) {
	if len(spans) != len(sugs) {
		return nil, fmt.Errorf("%d spans for %d suggestions", len(spans), len(sugs))
	}
	var ids []int64
	err := s.write(func(tx *gorm.DB) error {
		ids = ids[:0]
		for i, id := range spans {
			var sp span
			if err := tx.Select("document_id, annotator_id").Take(&sp, id).Error; errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("%w: %d", ErrNoSpan, id)
			} else if err != nil {
				return err
			}
			if err := deleteSpan(tx, id); err != nil {
				return err
			}
			sg := &sugs[i]
			lab, err := labelID(tx, sg.Label)
			if err != nil {
				return err
			}
			row := suggestion{DocumentID: sp.DocumentID, AnnotatorID: sp.AnnotatorID, Start: sg.Start, End: sg.End, LabelID: lab, Text: sg.Text, Origin: string(sg.Origin)}
			r := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
			if r.Error != nil {
				return r.Error
			}
			if r.RowsAffected == 0 {
				// Suggested there again since (say, by propagation), maybe
				// rejected since: undoing the acceptance wants it pending.
				if err := tx.Select("id").Where(`document_id = ? AND annotator_id = ? AND start = ? AND "end" = ? AND label_id = ?`,
					row.DocumentID, row.AnnotatorID, row.Start, row.End, row.LabelID).Take(&row).Error; err != nil {
					return err
				}
				if err := tx.Model(&suggestion{}).Where("id = ?", row.ID).Update("rejected", false).Error; err != nil {
					return err
				}
			}
			ids = append(ids, int64(row.ID))
		}
		return nil
	})
	return ids, err
}

// RejectSuggestion drops suggestion id and remembers it: AddSuggestions
// skips it from now on.
func (s *Store) RejectSuggestion(id int64) error {
	return s.write(func(tx *gorm.DB) error {
		row, err := takeSuggestion(tx, id)
		if err != nil {
			return err
		}
		return tx.Model(row).Update("rejected", true).Error
	})
}

// UnrejectSuggestion undoes RejectSuggestion(id): the suggestion is
// pending again.
func (s *Store) UnrejectSuggestion(id int64) error {
	return s.write(func(tx *gorm.DB) error {
		r := tx.Model(&suggestion{}).Where("id = ? AND rejected", id).Update("rejected", false)
		if r.Error == nil && r.RowsAffected == 0 {
			return fmt.Errorf("%w: %d", ErrNoSuggestion, id)
		}
		return r.Error
	})
}

// metaSuggestionsOff is set while a project's suggestions are turned off.
const metaSuggestionsOff = "suggestions_off"

// SuggestionsOn says whether the project shows suggestions and propagates
// labels into new ones: on unless SetSuggestionsOn(false) turned them off.
func (s *Store) SuggestionsOn() (bool, error) {
	off, err := flag(s.db, metaSuggestionsOff)
	return !off, err
}

// SetSuggestionsOn turns the project's suggestions on or off.
func (s *Store) SetSuggestionsOn(on bool) error {
	return s.write(func(tx *gorm.DB) error {
		if on {
			return tx.Where("key = ?", metaSuggestionsOff).Delete(&metaRow{}).Error
		}
		return setFlag(tx, metaSuggestionsOff)
	})
}

func takeSuggestion(tx *gorm.DB, id int64) (*suggestion, error) {
	var row suggestion
	err := tx.Where("NOT rejected").Take(&row, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("%w: %d", ErrNoSuggestion, id)
	}
	return &row, err
}

// SpanOffsets is the [start, end) of every span of an annotator's layer
// in the documents named (by id; nil: in all), each document's in reading order: what
// propagation checks its matches against, read without the spans' texts
// and labels, and only where something matched.
func (s *Store) SpanOffsets(annotatorName string, docs []string) (map[string][][2]int, error) {
	out := map[string][][2]int{}
	var a annotator
	if err := s.db.Select("id").Where("name = ?", annotatorName).Take(&a).Error; errors.Is(err, gorm.ErrRecordNotFound) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	if docs == nil {
		return out, s.spanOffsetsIn(a.ID, nil, out)
	}
	const chunk = 500 // bound variables per statement
	for len(docs) > 0 {
		n := min(chunk, len(docs))
		if err := s.spanOffsetsIn(a.ID, docs[:n], out); err != nil {
			return nil, err
		}
		docs = docs[n:]
	}
	return out, nil
}

// spanOffsetsIn reads the offsets in docs, or in every document if nil.
func (s *Store) spanOffsetsIn(annotatorID uint, docs []string, out map[string][][2]int) error {
	q := s.db.Raw(`SELECT d.ext_id, s.start, s."end" FROM spans s JOIN documents d ON d.id = s.document_id
		WHERE s.annotator_id = ? ORDER BY s.document_id, s.start, s."end"`, annotatorID)
	if docs != nil {
		q = s.db.Raw(`SELECT d.ext_id, s.start, s."end" FROM spans s JOIN documents d ON d.id = s.document_id
		WHERE s.annotator_id = ? AND d.ext_id IN ? ORDER BY s.document_id, s.start, s."end"`, annotatorID, docs)
	}
	rows, err := q.Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var id string
	var at [2]int
	for rows.Next() {
		if err := rows.Scan(&id, &at[0], &at[1]); err != nil {
			return err
		}
		out[id] = append(out[id], at)
	}
	return rows.Err()
}
