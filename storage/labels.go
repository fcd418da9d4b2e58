package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// Editing the label set. Spans point at their label's row, so a rename
// or a recolour touches no span; every operation is one transaction that
// records a change of the definition (bumpDefinition), and none loses a
// span: a label in use cannot be deleted, only merged into another.

// ErrLabelInUse is wrapped by the refusal to delete a label that spans or
// relation types use (*LabelInUseError says how much).
var ErrLabelInUse = errors.New("the label is in use")

// LabelInUseError refuses to delete a label still in use.
type LabelInUseError struct {
	Label         string
	Spans         int
	Documents     int
	RelationTypes []string // the relation types whose ends name it
}

func (e *LabelInUseError) Error() string {
	var uses []string
	if e.Spans > 0 {
		verb := "carry"
		if e.Spans == 1 {
			verb = "carries"
		}
		uses = append(uses, fmt.Sprintf("%s in %s %s it", plural(e.Spans, "span"), plural(e.Documents, "document"), verb))
	}
	switch len(e.RelationTypes) {
	case 0:
	case 1:
		uses = append(uses, "relation type "+e.RelationTypes[0]+" names it")
	default:
		uses = append(uses, "relation types "+strings.Join(e.RelationTypes, ", ")+" name it")
	}
	return fmt.Sprintf("label %s is in use and cannot be deleted: %s (merge it into another label instead)", e.Label, strings.Join(uses, "; "))
}

func (e *LabelInUseError) Unwrap() error { return ErrLabelInUse }

// LabelUse is how much a label is used.
type LabelUse struct {
	Spans     int // in every layer, gold included
	Documents int
}

// LabelUsage counts the spans and documents of each label, by name
// (labels no span carries are absent).
func (s *Store) LabelUsage() (map[string]LabelUse, error) { return labelUsage(s.db, "") }

func labelUsage(db *gorm.DB, name string) (map[string]LabelUse, error) {
	var rows []struct {
		Name      string
		Spans     int
		Documents int
	}
	q := db.Table("spans").Joins("JOIN label_types ON label_types.id = spans.label_id").
		Select("label_types.name AS name, COUNT(*) AS spans, COUNT(DISTINCT spans.document_id) AS documents").
		Group("label_types.name")
	if name != "" {
		q = q.Where("label_types.name = ?", name)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]LabelUse, len(rows))
	for _, r := range rows {
		out[r.Name] = LabelUse{Spans: r.Spans, Documents: r.Documents}
	}
	return out, nil
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// checkLabelAttrs refuses a colour that is not #rrggbb and a hotkey other
// than 1–9 or none.
func checkLabelAttrs(l annotate.Label) error {
	if l.Color != "" && !colorRE.MatchString(l.Color) {
		return fmt.Errorf("label %s: colour %q is not #rrggbb", l.Name, l.Color)
	}
	if l.Hotkey != "" && (len(l.Hotkey) != 1 || l.Hotkey[0] < '1' || l.Hotkey[0] > '9') {
		return fmt.Errorf("label %s: hotkey %q is not a digit 1 to 9", l.Name, l.Hotkey)
	}
	return nil
}

// hotkeyFree refuses a hotkey another label than id has.
func hotkeyFree(tx *gorm.DB, hotkey string, id uint) error {
	if hotkey == "" {
		return nil
	}
	var other labelType
	err := tx.Where("hotkey = ? AND id <> ?", hotkey, id).Take(&other).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err == nil {
		return fmt.Errorf("hotkey %s is label %s's already", hotkey, other.Name)
	}
	return err
}

func labelRow(tx *gorm.DB, name string) (*labelType, error) {
	return byName[labelType](tx, "label", name)
}

// byName reads the row of a label or relation type (what) by name.
func byName[T any](tx *gorm.DB, what, name string) (*T, error) {
	var row T
	err := tx.Where("name = ?", name).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("no %s %q", what, name)
	}
	return &row, err
}

// AddLabel adds a new label at the end of the set (a colour is chosen
// when it has none).
func (s *Store) AddLabel(l annotate.Label) error {
	if err := CheckLabelName(l.Name); err != nil {
		return err
	}
	if err := checkLabelAttrs(l); err != nil {
		return err
	}
	return s.definitionWrite(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&labelType{}).Where("name = ?", l.Name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("label %s exists already", l.Name)
		}
		if err := hotkeyFree(tx, l.Hotkey, 0); err != nil {
			return err
		}
		var last int
		if err := tx.Model(&labelType{}).Select("COALESCE(MAX(sort_order), 0)").Scan(&last).Error; err != nil {
			return err
		}
		l.Order, l.UID, l.Color = last+1, "", strings.ToLower(l.Color)
		_, err := ensureLabel(tx, l)
		return err
	})
}

// LabelEdit changes some attributes of a label: nil fields stay.
type LabelEdit struct {
	Arabic, Color, Hotkey *string // Hotkey "" removes the hotkey
}

// EditLabel changes a label's Arabic name, colour or hotkey (hotkeys are
// unique).
func (s *Store) EditLabel(name string, e LabelEdit) error {
	return s.definitionWrite(func(tx *gorm.DB) error {
		row, err := labelRow(tx, name)
		if err != nil {
			return err
		}
		if e.Arabic != nil {
			row.Arabic = strings.TrimSpace(*e.Arabic)
		}
		if e.Color != nil {
			row.Color = strings.ToLower(*e.Color)
		}
		if e.Hotkey != nil {
			row.Hotkey = *e.Hotkey
		}
		if err := checkLabelAttrs(annotate.Label{Name: name, Color: row.Color, Hotkey: row.Hotkey}); err != nil {
			return err
		}
		if err := hotkeyFree(tx, row.Hotkey, row.ID); err != nil {
			return err
		}
		if err := tx.Save(row).Error; err != nil {
			return err
		}
		return tickRows(tx, &labelType{}, row.ID)
	})
}

// RenameLabel renames a label: its spans keep it (they point at its row,
// which keeps its uid) and the relation types' ends follow the new name.
func (s *Store) RenameLabel(old, name string) error {
	if err := CheckLabelName(name); err != nil {
		return err
	}
	return s.definitionWrite(func(tx *gorm.DB) error {
		row, err := labelRow(tx, old)
		if err != nil {
			return err
		}
		if old == name {
			return nil
		}
		var n int64
		if err := tx.Model(&labelType{}).Where("name = ?", name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("label %s exists already (merge %s into it instead)", name, old)
		}
		if err := renameRow(tx, row, row.ID, name); err != nil {
			return err
		}
		if err := relabelRejections(tx, old, name); err != nil {
			return err
		}
		return renameTypeEnds(tx, old, name)
	})
}

// ReorderLabels puts the labels in the order of names, which must name
// each label once.
func (s *Store) ReorderLabels(names []string) error {
	return s.definitionWrite(func(tx *gorm.DB) error {
		var have []string
		if err := tx.Model(&labelType{}).Order("name").Pluck("name", &have).Error; err != nil {
			return err
		}
		sorted := slices.Sorted(slices.Values(names))
		if !slices.Equal(have, sorted) {
			return fmt.Errorf("a new order names each of the %d labels once; got %v", len(have), names)
		}
		var rows []labelType
		if err := tx.Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			order := slices.Index(names, r.Name) + 1
			if order == r.Order {
				continue
			}
			if err := tx.Model(&labelType{}).Where("id = ?", r.ID).Update("sort_order", order).Error; err != nil {
				return err
			}
			if err := tickRows(tx, &labelType{}, r.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteLabel deletes a label no span carries and no relation type names
// (else a *LabelInUseError); its suggestions go with it (the foreign
// key cascades).
func (s *Store) DeleteLabel(name string) error {
	return s.definitionWrite(func(tx *gorm.DB) error {
		row, err := labelRow(tx, name)
		var use map[string]LabelUse
		var types []string
		if err == nil {
			use, err = labelUsage(tx, name)
		}
		if err == nil {
			types, err = typesNaming(tx, name)
		}
		if err != nil {
			return err
		}
		if u := use[name]; u.Spans > 0 || len(types) > 0 {
			return &LabelInUseError{Label: name, Spans: u.Spans, Documents: u.Documents, RelationTypes: types}
		}
		if err := bury(tx, itemLabel, row.UID, row.Name, row.Rev); err != nil {
			return err
		}
		return tx.Delete(row).Error
	})
}

// LabelMerge says what merging one label into another did.
type LabelMerge struct {
	Relabelled int // spans that took the other label
	// Folded spans were exact duplicates of a span of the other label
	// (same layer and offsets): their relations moved to it and they went.
	Folded int
	// RelationsFolded were relations that the fold made exact duplicates
	// of relations already there.
	RelationsFolded int
}

// MergeLabel gives every span and suggestion of label from the label
// into, and deletes from; relation types naming from name into instead.
// A span that would then equal one already there is folded into it with
// its relations: no span or relation is lost but exact duplicates,
// counted in the result (a suggestion's duplicate just goes).
func (s *Store) MergeLabel(from, into string) (LabelMerge, error) {
	var res LabelMerge
	if from == into {
		return res, fmt.Errorf("label %s cannot be merged into itself", from)
	}
	err := s.definitionWrite(func(tx *gorm.DB) error {
		res = LabelMerge{}
		src, err := labelRow(tx, from)
		var dst *labelType
		if err == nil {
			dst, err = labelRow(tx, into)
		}
		if err != nil {
			return err
		}
		var spans []span
		if err := tx.Select(`id, document_id, annotator_id, start, "end"`).Where("label_id = ?", src.ID).Find(&spans).Error; err != nil {
			return err
		}
		keys := make([]layerKey, 0, len(spans))
		for _, sp := range spans {
			keys = append(keys, layerKey{sp.DocumentID, sp.AnnotatorID})
			// By columns, not a struct condition, which would drop a zero start.
			twin, err := spanID(tx, &span{DocumentID: sp.DocumentID, AnnotatorID: sp.AnnotatorID, Start: sp.Start, End: sp.End, LabelID: dst.ID})
			if errors.Is(err, gorm.ErrRecordNotFound) {
				if err := tx.Model(&span{}).Where("id = ?", sp.ID).Update("label_id", dst.ID).Error; err != nil {
					return err
				}
				res.Relabelled++
				continue
			}
			if err != nil {
				return err
			}
			n, err := foldSpan(tx, sp.ID, twin)
			if err != nil {
				return err
			}
			res.Folded++
			res.RelationsFolded += n
		}
		if err := relabelRejections(tx, from, into); err != nil {
			return err
		}
		if err := relabelSuggestions(tx, src.ID, dst.ID); err != nil {
			return err
		}
		if err := renameTypeEnds(tx, from, into); err != nil {
			return err
		}
		if err := recordLabelMerge(tx, src.UID, dst.UID); err != nil {
			return err
		}
		if err := bury(tx, itemLabel, src.UID, src.Name, src.Rev); err != nil {
			return err
		}
		if err := tx.Delete(src).Error; err != nil {
			return err
		}
		return touchLayers(tx, keys...)
	})
	return res, err
}

// foldSpan moves the relations of span dup to span keep and deletes dup,
// returning how many moved relations were duplicates of keep's. A relation
// between the two cannot survive (it would join keep to itself): the
// merge is refused.
func foldSpan(tx *gorm.DB, dup, keep uint) (int, error) {
	var rels []relation
	if err := tx.Where("head_id = ? OR tail_id = ?", dup, dup).Find(&rels).Error; err != nil {
		return 0, err
	}
	folded := 0
	for _, r := range rels {
		h, t := r.HeadID, r.TailID
		if h == dup {
			h = keep
		}
		if t == dup {
			t = keep
		}
		if h == t {
			return 0, fmt.Errorf("a %s relation joins span %d to span %d at the same offsets, which the merge makes one span; delete the relation first", r.Label, r.HeadID, r.TailID)
		}
		var n int64
		if err := tx.Model(&relation{}).Where("head_id = ? AND tail_id = ? AND label = ?", h, t, r.Label).Count(&n).Error; err != nil {
			return 0, err
		}
		if n > 0 {
			folded++
			continue // deleted with dup
		}
		if err := tx.Model(&relation{}).Where("id = ?", r.ID).Updates(map[string]any{"head_id": h, "tail_id": t}).Error; err != nil {
			return 0, err
		}
	}
	return folded, tx.Delete(&span{}, dup).Error
}

// relabelSuggestions gives label into the suggestions (pending or
// rejected) of label from, dropping those label into has already.
func relabelSuggestions(tx *gorm.DB, from, into uint) error {
	err := tx.Where(`label_id = ? AND EXISTS (SELECT 1 FROM suggestions k WHERE k.label_id = ? AND k.document_id = suggestions.document_id
		AND k.annotator_id = suggestions.annotator_id AND k.start = suggestions.start AND k."end" = suggestions."end")`, from, into).
		Delete(&suggestion{}).Error
	if err != nil {
		return err
	}
	return tx.Model(&suggestion{}).Where("label_id = ?", from).Update("label_id", into).Error
}

// relabelRejections renames a label in the rejected gold relations' keys,
// dropping a rejection the new name makes a duplicate of another.
func relabelRejections(tx *gorm.DB, old, name string) error {
	var rows []goldRelationRejection
	if err := tx.Where("head_label = ? OR tail_label = ?", old, old).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		id := r.ID
		if r.HeadLabel == old {
			r.HeadLabel = name
		}
		if r.TailLabel == old {
			r.TailLabel = name
		}
		var n int64
		// By the key's columns: a struct condition would also compare who
		// decided and when, and drop a zero start.
		if err := rejectionWhere(tx.Model(&goldRelationRejection{}), r.DocumentID, r.key()).Where("id <> ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			if err := tx.Delete(&goldRelationRejection{}, id).Error; err != nil {
				return err
			}
			continue
		}
		if err := tx.Model(&goldRelationRejection{}).Where("id = ?", id).
			Updates(map[string]any{"head_label": r.HeadLabel, "tail_label": r.TailLabel}).Error; err != nil {
			return err
		}
	}
	return nil
}

// renameTypeEnds makes the relation types' ends say name for old (once,
// where a type names both).
func renameTypeEnds(tx *gorm.DB, old, name string) error {
	types, err := relationTypesOf(tx)
	if err != nil {
		return err
	}
	swap := func(ls []string) ([]string, bool) {
		i := slices.Index(ls, old)
		if i < 0 {
			return ls, false
		}
		if slices.Contains(ls, name) {
			return slices.Delete(ls, i, i+1), true
		}
		ls[i] = name
		return ls, true
	}
	for _, t := range types {
		heads, h := swap(t.Heads)
		tails, tt := swap(t.Tails)
		if h || tt {
			if err := saveTypeEnds(tx, t.Name, heads, tails); err != nil {
				return err
			}
		}
	}
	return nil
}

func saveTypeEnds(tx *gorm.DB, name string, heads, tails []string) error {
	h, _ := json.Marshal(heads)
	t, _ := json.Marshal(tails)
	return tx.Model(&relationType{}).Where("name = ?", name).
		Updates(map[string]any{"heads": string(h), "tails": string(t)}).Error
}

// typesNaming lists the relation types whose ends name a label.
func typesNaming(tx *gorm.DB, label string) ([]string, error) {
	types, err := relationTypesOf(tx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range types {
		if slices.Contains(t.Heads, label) || slices.Contains(t.Tails, label) {
			out = append(out, t.Name)
		}
	}
	return out, nil
}

// definitionWrite runs fn in a write transaction that changes the
// definition.
func (s *Store) definitionWrite(fn func(tx *gorm.DB) error) error {
	return s.write(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return bumpDefinition(tx)
	})
}

// Editing the relation types. Stored relations name their type, so a
// rename rewrites them (and touches their layers); a change of the labels
// an end allows, or a delete, is refused while stored relations would
// break it.

// ErrRelationTypeInUse is wrapped by refusals that name the relations
// that stand in the way.
var ErrRelationTypeInUse = errors.New("the relation type is in use")

// relationsOf counts the stored relations of a type (and their documents)
// that fail keep (all of them when keep is nil).
func relationsOf(tx *gorm.DB, name string, keep func(head, tail string) bool) (rels, docs int, err error) {
	var rows []struct {
		Doc        uint
		Head, Tail string
	}
	err = tx.Table("relations").
		Joins("JOIN spans h ON h.id = relations.head_id").Joins("JOIN spans t ON t.id = relations.tail_id").
		Joins("JOIN label_types hl ON hl.id = h.label_id").Joins("JOIN label_types tl ON tl.id = t.label_id").
		Where("relations.label = ?", name).
		Select("h.document_id AS doc, hl.name AS head, tl.name AS tail").Scan(&rows).Error
	seen := map[uint]bool{}
	for _, r := range rows {
		if keep == nil || !keep(r.Head, r.Tail) {
			rels++
			seen[r.Doc] = true
		}
	}
	return rels, len(seen), err
}

// checkEnds refuses an end list naming a label the project lacks.
func checkEnds(tx *gorm.DB, t annotate.RelationType) error {
	if len(t.Heads) == 0 || len(t.Tails) == 0 {
		return fmt.Errorf("relation type %s needs at least one label at each end", t.Name)
	}
	names, err := labelNamesOf(tx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, l := range slices.Concat(t.Heads, t.Tails) {
		if !have[l] {
			return fmt.Errorf("relation type %s: no label %q", t.Name, l)
		}
	}
	return nil
}

func relationTypeRow(tx *gorm.DB, name string) (*relationType, error) {
	return byName[relationType](tx, "relation type", name)
}

// AddRelationType adds a relation type at the end of the list.
func (s *Store) AddRelationType(t annotate.RelationType) error {
	if err := CheckLabelName(t.Name); err != nil {
		return fmt.Errorf("relation type: %w", err)
	}
	return s.definitionWrite(func(tx *gorm.DB) error {
		if _, err := relationTypeRow(tx, t.Name); err == nil {
			return fmt.Errorf("relation type %s exists already", t.Name)
		}
		if err := checkEnds(tx, t); err != nil {
			return err
		}
		var last int
		if err := tx.Model(&relationType{}).Select("COALESCE(MAX(sort_order), 0)").Scan(&last).Error; err != nil {
			return err
		}
		row := relationType{Name: t.Name, Heads: "[]", Tails: "[]", Order: last + 1, UID: newUID()}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if err := tickRows(tx, &relationType{}, row.ID); err != nil {
			return err
		}
		return saveTypeEnds(tx, t.Name, t.Heads, t.Tails)
	})
}

// RenameRelationType renames a relation type; its stored relations (and
// rejected gold relations) follow.
func (s *Store) RenameRelationType(old, name string) error {
	if err := CheckLabelName(name); err != nil {
		return fmt.Errorf("relation type: %w", err)
	}
	return s.definitionWrite(func(tx *gorm.DB) error {
		row, err := relationTypeRow(tx, old)
		if err != nil || old == name {
			return err
		}
		if _, err := relationTypeRow(tx, name); err == nil {
			return fmt.Errorf("relation type %s exists already", name)
		}
		var keys []layerKey
		if err := tx.Table("relations").Joins("JOIN spans ON spans.id = relations.head_id").
			Where("relations.label = ?", old).
			Select("DISTINCT spans.document_id AS doc, spans.annotator_id AS annotator").Scan(&keys).Error; err != nil {
			return err
		}
		if err := renameRow(tx, row, row.ID, name); err != nil {
			return err
		}
		return errors.Join(renameRelations(tx, old, name), touchLayers(tx, keys...))
	})
}

// SetRelationTypeEnds changes the labels a relation type's ends allow,
// refused (naming how many) while stored relations would break it.
func (s *Store) SetRelationTypeEnds(name string, heads, tails []string) error {
	t := annotate.RelationType{Name: name, Heads: heads, Tails: tails}
	return s.definitionWrite(func(tx *gorm.DB) error {
		row, err := relationTypeRow(tx, name)
		if err != nil {
			return err
		}
		if err := tickRows(tx, &relationType{}, row.ID); err != nil {
			return err
		}
		if err := checkEnds(tx, t); err != nil {
			return err
		}
		n, docs, err := relationsOf(tx, name, t.Allows)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: %s in %s would break the new rule of %s (%v → %v)", ErrRelationTypeInUse, plural(n, "stored relation"), plural(docs, "document"), name, heads, tails)
		}
		return saveTypeEnds(tx, name, heads, tails)
	})
}

// DeleteRelationType deletes a relation type no stored relation has.
func (s *Store) DeleteRelationType(name string) error {
	return s.definitionWrite(func(tx *gorm.DB) error {
		row, err := relationTypeRow(tx, name)
		if err != nil {
			return err
		}
		n, docs, err := relationsOf(tx, name, nil)
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: %s in %s are %s relations", ErrRelationTypeInUse, plural(n, "stored relation"), plural(docs, "document"), name)
		}
		if err := bury(tx, itemRelationType, row.UID, row.Name, row.Rev); err != nil {
			return err
		}
		return tx.Delete(row).Error
	})
}
