package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// layerVersion (schema version 6) keeps a layer's state that a conflict
// replaced, or that a restore replaced: nothing a merge or an import
// decides against is lost, and the user can restore it.
type layerVersion struct {
	ID          uint       `gorm:"primaryKey"`
	DocumentID  uint       `gorm:"not null;index:ix_layer_version,priority:1"`
	AnnotatorID uint       `gorm:"not null;index:ix_layer_version,priority:2"`
	Content     string     `gorm:"not null"` // layerContent as JSON
	Clock       string     `gorm:"not null;default:'{}'"`
	Revision    int64      `gorm:"not null;default:0"`
	ModifiedAt  *time.Time // of the kept state
	Reason      string     `gorm:"not null;default:''"`
	Document    *document  `gorm:"constraint:OnDelete:CASCADE"`
	Annotator   *annotator `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt   time.Time
}

// LayerVersion is a kept state of a layer.
type LayerVersion struct {
	ID        int64
	Doc       string
	Annotator string
	Revision  int64
	Modified  time.Time // of the kept state (zero if never changed)
	Created   time.Time // when it was kept
	Reason    string
	Layer     annotate.Layer // its spans, relations and status
}

// keepVersion stores st (a layer's state, of this project or not) as a
// version of layer key, and returns its id. The uids of its labels go
// with it (see labelResolver).
func keepVersion(tx *gorm.DB, key layerKey, row layerRow, content *layerContent, reason string) (int64, error) {
	labels, err := labelRowsOf(tx)
	if err != nil {
		return 0, err
	}
	uid := make(map[string]string, len(labels))
	for _, l := range labels {
		uid[l.Name] = l.UID
	}
	c := *content
	c.LabelUIDs = map[string]string{}
	note := func(name string) string {
		if u := uid[name]; u != "" {
			c.LabelUIDs[name] = u
		}
		return name
	}
	for _, sp := range c.Spans {
		note(sp.Label)
	}
	c.Rejections.relabel(note)
	b, err := json.Marshal(&c)
	if err != nil {
		return 0, err
	}
	v := layerVersion{DocumentID: key.Doc, AnnotatorID: key.Annotator, Content: string(b), Clock: row.clock.encode(),
		Revision: row.clock.revision(), Reason: reason, CreatedAt: now()}
	if !row.modified.IsZero() {
		m := row.modified.UTC().Truncate(time.Microsecond)
		v.ModifiedAt = &m
	}
	if err := tx.Create(&v).Error; err != nil {
		return 0, err
	}
	return int64(v.ID), nil
}

// rowOf is the history part of a stored layer row.
func rowOf(r *docStatus) (layerRow, error) {
	c, err := decodeClock(r.Clock)
	if err != nil {
		return layerRow{}, err
	}
	out := layerRow{clock: c, seconds: r.Seconds}
	if r.ModifiedAt != nil {
		out.modified = r.ModifiedAt.UTC()
	}
	return out, nil
}

// LayerVersions lists the kept versions of an annotator's layer of a
// document, newest first; empty doc or annotator lists those of every
// document or annotator.
func (s *Store) LayerVersions(doc, annotatorName string) ([]LayerVersion, error) {
	q := s.db.Table("layer_versions AS v").
		Select("v.id, v.content, v.clock, v.reason, v.revision, v.modified_at, v.created_at, documents.ext_id AS doc, annotators.name AS annotator_name").
		Joins("JOIN documents ON documents.id = v.document_id").
		Joins("JOIN annotators ON annotators.id = v.annotator_id")
	if doc != "" {
		q = q.Where("documents.ext_id = ?", doc)
	}
	if annotatorName != "" {
		q = q.Where("annotators.name = ?", annotatorName)
	}
	var rows []struct {
		ID                     uint
		Content, Clock, Reason string
		Revision               int64
		ModifiedAt, CreatedAt  *time.Time
		Doc, AnnotatorName     string
	}
	if err := q.Order("v.id DESC").Scan(&rows).Error; err != nil {
		return nil, err
	}
	res, err := newLabelResolver(s.db)
	if err != nil {
		return nil, err
	}
	out := make([]LayerVersion, len(rows))
	for i, r := range rows {
		lv := layerVersion{ID: r.ID, Content: r.Content, Clock: r.Clock, Reason: r.Reason, Revision: r.Revision, ModifiedAt: r.ModifiedAt}
		if r.CreatedAt != nil {
			lv.CreatedAt = *r.CreatedAt
		}
		v, err := lv.domain(r.Doc, r.AnnotatorName, res)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// domain is the version as the API speaks of it, its spans' labels by
// their names now (a label gone keeps its old name).
func (v *layerVersion) domain(doc, ann string, res *labelResolver) (LayerVersion, error) {
	var c layerContent
	if err := json.Unmarshal([]byte(v.Content), &c); err != nil {
		return LayerVersion{}, fmt.Errorf("version %d: its content is not readable: %w", v.ID, err)
	}
	for i := range c.Spans {
		c.Spans[i].Label, _ = res.name(c.Spans[i].Label, c.LabelUIDs[c.Spans[i].Label])
	}
	out := LayerVersion{ID: int64(v.ID), Doc: doc, Annotator: ann, Revision: v.Revision, Created: v.CreatedAt.UTC(), Reason: v.Reason,
		Layer: annotate.Layer{Annotator: ann, Spans: c.Spans, Relations: c.Relations, Status: c.Status, GoldStatus: c.GoldStatus, Revision: v.Revision}}
	if v.ModifiedAt != nil {
		out.Modified = v.ModifiedAt.UTC()
		out.Layer.Modified = out.Modified
	}
	return out, nil
}

// ErrNoVersion is the error of restoring a version that does not exist.
var ErrNoVersion = errors.New("no such layer version")

// RestoreVersion makes version id's content its layer's current state, as
// a new change of the layer; the state it replaces is kept as another
// version (its id is returned), so a restore loses nothing either. A
// version that no longer fits the project is refused with nothing changed:
// its spans must match the document's text as it is now, and its labels
// must still be there (found by uid after a rename or a merge).
func (s *Store) RestoreVersion(id int64) (kept int64, err error) {
	err = s.write(func(tx *gorm.DB) error {
		var v layerVersion
		if err := tx.Take(&v, id).Error; errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("%w: %d", ErrNoVersion, id)
		} else if err != nil {
			return err
		}
		var c layerContent
		if err := json.Unmarshal([]byte(v.Content), &c); err != nil {
			return fmt.Errorf("version %d: its content is not readable: %w", id, err)
		}
		if err := fitVersion(tx, &v, &c); err != nil {
			return err
		}
		key := layerKey{v.DocumentID, v.AnnotatorID}
		if err := lockLayers(tx, []layerKey{key}); err != nil {
			return err
		}
		gold, err := goldID(tx)
		if err != nil {
			return err
		}
		cur, err := readLayers(tx, []layerKey{key}, gold)
		if err != nil {
			return err
		}
		st := cur[key]
		row, err := rowOf(&st.row)
		if err != nil {
			return err
		}
		if kept, err = keepVersion(tx, key, row, &st.content, fmt.Sprintf("replaced by restoring version %d", id)); err != nil {
			return err
		}
		replica, err := replicaID(tx)
		if err != nil {
			return err
		}
		row.clock, row.modified = row.clock.ticked(replica), now()
		return setLayers(tx, []layerWrite{{key: key, content: &c, row: row}}, gold)
	})
	return kept, err
}

// fitVersion makes version v's content c speak of the project as it is:
// its labels by their names now. It refuses a version whose label is gone
// or whose spans no longer match the document's text.
func fitVersion(tx *gorm.DB, v *layerVersion, c *layerContent) error {
	var doc document
	if err := tx.Select("id, ext_id, text, length").Take(&doc, v.DocumentID).Error; err != nil {
		return err
	}
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("version %d (document %s) cannot be restored: %s; nothing was changed", v.ID, doc.ExtID, fmt.Sprintf(format, args...))
	}
	text := annotate.NewCursor(doc.Text)
	for _, sp := range c.Spans {
		got, ok := text.Slice(sp.Start, sp.End)
		if !ok {
			return refuse("the document's text changed since: its span [%d,%d) %s %q is outside the text now (%d characters)", sp.Start, sp.End, sp.Label, sp.Text, doc.Length)
		}
		if got != sp.Text {
			return refuse("the document's text changed since: its span [%d,%d) %s is %q, the text there is %q now", sp.Start, sp.End, sp.Label, sp.Text, got)
		}
	}
	for i, r := range c.Relations {
		if r.Head < 0 || r.Head >= len(c.Spans) || r.Tail < 0 || r.Tail >= len(c.Spans) {
			return refuse("its relation %d joins spans %d and %d, but it has spans 0 to %d", i, r.Head, r.Tail, len(c.Spans)-1)
		}
	}
	res, err := newLabelResolver(tx)
	if err != nil {
		return err
	}
	var missing []string
	gone := map[string]bool{}
	for i := range c.Spans {
		name, ok := res.name(c.Spans[i].Label, c.LabelUIDs[c.Spans[i].Label])
		if !ok && !gone[name] {
			gone[name] = true
			missing = append(missing, name)
		}
		c.Spans[i].Label = name
	}
	if len(missing) > 0 {
		return refuse("its spans carry label %s, which the project no longer has (add it, or rename a label back to it, and restore again)", strings.Join(missing, ", "))
	}
	c.Rejections.relabel(func(n string) string { name, _ := res.name(n, c.LabelUIDs[n]); return name })
	// Two labels merged into one may make two spans one.
	c.Spans, c.Relations = normalContent(c.Spans, c.Relations)
	for _, r := range c.Relations {
		if r.Head == r.Tail {
			sp := c.Spans[r.Head]
			return refuse("its %s relation joins two spans at [%d,%d) that a label merge made one %s span", r.Label, sp.Start, sp.End, sp.Label)
		}
	}
	return nil
}

// metaLabelMerged prefixes the tawsim_meta key that records a label merged
// away: label_merged:<its uid> = the uid of the label it went into.
const metaLabelMerged = "label_merged:"

// recordLabelMerge notes that the label with uid from was merged into the
// one with uid into, so a version kept before finds its spans' label.
func recordLabelMerge(tx *gorm.DB, from, into string) error {
	if from == "" || into == "" {
		return nil
	}
	return tx.Save(&metaRow{Key: metaLabelMerged + from, Value: into}).Error
}

// labelResolver finds the label a kept version means in the label set of
// now: by uid (a rename keeps it; a merge leads to the label merged
// into), else by name.
type labelResolver struct {
	byUID  map[string]string // uid → name now
	byName map[string]bool
	merged map[string]string // uid → uid of the label it was merged into
}

func newLabelResolver(tx *gorm.DB) (*labelResolver, error) {
	labels, err := labelRowsOf(tx)
	if err != nil {
		return nil, err
	}
	r := &labelResolver{byUID: map[string]string{}, byName: map[string]bool{}, merged: map[string]string{}}
	for _, l := range labels {
		r.byUID[l.UID], r.byName[l.Name] = l.Name, true
	}
	var rows []metaRow
	if err := tx.Where("key LIKE ?", metaLabelMerged+"%").Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, m := range rows {
		r.merged[strings.TrimPrefix(m.Key, metaLabelMerged)] = m.Value
	}
	return r, nil
}

// name is the label's name now, and whether the project has it (if not,
// name is the old one).
func (r *labelResolver) name(old, uid string) (string, bool) {
	for range len(r.merged) + 1 { // a chain of merges, never a loop
		if uid == "" {
			break
		}
		if n, ok := r.byUID[uid]; ok {
			return n, true
		}
		uid = r.merged[uid]
	}
	return old, r.byName[old]
}

// labelRowsOf reads the project's labels' names and uids.
func labelRowsOf(tx *gorm.DB) ([]labelType, error) {
	var rows []labelType
	err := tx.Select("name, uid").Find(&rows).Error
	return rows, err
}
