package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/gorm"
)

// A merge brings another copy of the project (a laptop's, the lead's)
// into this one, in one transaction: new documents, the definition by its
// clock (mergedef.go) and every layer by newest-wins (newest.go). Merging
// the same file twice changes nothing, and an older copy never undoes
// newer work: what is older is left alone, and what both sides changed
// keeps the newer and keeps the other as a version.

// MergeOptions steer a merge.
type MergeOptions struct {
	// Annotators, when set, limits the layers merged to these annotators'
	// (and brings no other annotator): a hand-out, and every merge into
	// one (only its annotator's, see HandOutFor).
	Annotators []string
	// Docs, when set, limits the documents (and their layers) merged.
	Docs []string
	// CopyDefinition takes the incoming definition as it is, whatever its
	// clock (a new project made by a hand-out).
	CopyDefinition bool
}

// MergeReport says what a merge did.
type MergeReport struct {
	From           string   `json:"from"`
	DocumentsAdded []string `json:"documents_added"`
	Definition     string   `json:"definition"` // unchanged, taken, merged, copied
	LabelsAdded    []string `json:"labels_added"`
	LabelsChanged  []string `json:"labels_changed"`
	LabelsRemoved  []string `json:"labels_removed"`
	// RelationTypes… are as Labels… for the relation types.
	RelationTypesAdded   []string `json:"relation_types_added"`
	RelationTypesChanged []string `json:"relation_types_changed"`
	RelationTypesRemoved []string `json:"relation_types_removed"`
	// KeptInUse names the labels and relation types deleted on one side
	// that stay because spans or relations use them.
	KeptInUse []string `json:"kept_in_use"`
	// HotkeysCleared names the labels that lost a hotkey another label
	// changed later has (a merge leaves each hotkey to one label).
	HotkeysCleared []string `json:"hotkeys_cleared"`
	// DefinitionConflicts names each item of the definition changed on
	// both sides, and which side's change was kept.
	DefinitionConflicts []string        `json:"definition_conflicts"`
	LayersReplaced      int             `json:"layers_replaced"`
	LayersUnchanged     int             `json:"layers_unchanged"`
	Conflicts           []LayerConflict `json:"conflicts"`
}

// String words the report as `tawsim merge` and File ▸ Merge… print it:
// the totals on one line, then what the definition gained, lost and kept
// and each conflict on lines of their own.
func (r *MergeReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d documents added, definition %s, layers: %d replaced, %d unchanged, %s",
		len(r.DocumentsAdded), r.Definition, r.LayersReplaced, r.LayersUnchanged, ConflictCount(len(r.Conflicts)))
	for _, l := range []struct {
		what  string
		names []string
	}{{"labels added", r.LabelsAdded}, {"labels changed", r.LabelsChanged}, {"labels removed", r.LabelsRemoved},
		{"relation types added", r.RelationTypesAdded}, {"relation types changed", r.RelationTypesChanged},
		{"relation types removed", r.RelationTypesRemoved}, {"kept", r.KeptInUse}, {"hotkeys", r.HotkeysCleared}} {
		if len(l.names) > 0 {
			fmt.Fprintf(&b, "\n  %s: %s", l.what, strings.Join(l.names, ", "))
		}
	}
	for _, c := range r.DefinitionConflicts {
		fmt.Fprintf(&b, "\n  definition conflict: %s", c)
	}
	for _, c := range r.Conflicts {
		fmt.Fprintf(&b, "\n  conflict: %s", c)
	}
	return b.String()
}

// MergeFile merges the project at path (opened read-only) into s: a
// file, or a PostgreSQL project named by its DSN, whichever s is.
func (s *Store) MergeFile(path string, opt MergeOptions) (*MergeReport, error) {
	if same, _ := samePath(path, s.path); same {
		return nil, fmt.Errorf("%s is this project: nothing to merge", path)
	}
	other, err := OpenWith(path, Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer other.Close()
	return s.MergeFrom(other, opt)
}

// samePath says whether the projects at a and b are one: the same file,
// or the same DSN (b may be a Store's, without the password).
func samePath(a, b string) (bool, error) {
	if IsDSN(a) || IsDSN(b) {
		return RedactDSN(a) == RedactDSN(b), nil
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// MergeFrom merges the project other into s, all or nothing.
func (s *Store) MergeFrom(other *Store, opt MergeOptions) (*MergeReport, error) {
	e := []string{}
	rep := &MergeReport{From: other.path, DocumentsAdded: e, LabelsAdded: e, LabelsChanged: e, LabelsRemoved: e,
		RelationTypesAdded: e, RelationTypesChanged: e, RelationTypesRemoved: e, KeptInUse: e, HotkeysCleared: e,
		DefinitionConflicts: e, Conflicts: []LayerConflict{}}
	err := s.write(func(tx *gorm.DB) error {
		// A merge writes many pages: keep SQLite's statement journals in
		// memory, and more pages in the cache (both for this connection).
		if !isPostgres(tx) {
			if err := tx.Exec("PRAGMA temp_store = MEMORY").Error; err != nil {
				return err
			}
			if err := tx.Exec("PRAGMA cache_size = -65536").Error; err != nil {
				return err
			}
		}
		if opt.Annotators == nil {
			name, err := handOutFor(tx)
			if err != nil {
				return err
			}
			if name != "" {
				opt.Annotators = []string{name}
			}
		}
		m := &defMerge{tx: tx, from: other.db, force: opt.CopyDefinition, fromName: projectName(other.path), report: rep}
		return m.run(opt, projectName(other.path))
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func (m *defMerge) run(opt MergeOptions, name string) error {
	if err := m.mergeDocuments(opt.Docs, name); err != nil {
		return err
	}
	if err := m.mergeAnnotators(opt.Annotators); err != nil {
		return err
	}
	mine, theirs, order, when, err := m.compareClocks()
	if err != nil {
		return err
	}
	if err := m.mergeLabels(); err != nil {
		return err
	}
	for _, part := range definitionParts {
		if err := part(m); err != nil {
			return err
		}
	}
	if err := m.mergeLayers(name); err != nil {
		return err
	}
	if err := m.dropItems(); err != nil {
		return err
	}
	cleared, err := m.resolveHotkeys()
	if err != nil {
		return err
	}
	switch {
	case m.force:
		err = setDefinitionClock(m.tx, theirs, when)
	case order == clockBefore || order == clockConcurrent:
		err = setDefinitionClock(m.tx, mine.merged(theirs), when)
	}
	if err != nil || !cleared {
		return err
	}
	return bumpDefinition(m.tx) // the merge changed labels of its own
}

// mergeDocuments adds the incoming documents this project lacks (only
// those of ids, when given) and maps every incoming one. A document with
// the same id and another text stops the merge.
func (m *defMerge) mergeDocuments(ids []string, from string) error {
	type docRow struct {
		ID     uint
		ExtID  string
		SHA256 string `gorm:"column:sha256"`
	}
	var theirs []docRow
	if ids == nil {
		if err := m.from.Model(&document{}).Select("id, ext_id, sha256").Order("id").Scan(&theirs).Error; err != nil {
			return err
		}
	} else {
		for from := 0; from < len(ids); from += adjBatch {
			var part []docRow
			if err := m.from.Model(&document{}).Select("id, ext_id, sha256").Where("ext_id IN ?", ids[from:min(from+adjBatch, len(ids))]).Scan(&part).Error; err != nil {
				return err
			}
			theirs = append(theirs, part...)
		}
		if len(theirs) < len(ids) {
			have := map[string]bool{}
			for _, d := range theirs {
				have[d.ExtID] = true
			}
			for _, id := range ids {
				if !have[id] {
					return fmt.Errorf("%s has no document %q", from, id)
				}
			}
		}
	}
	m.docs = make(map[uint]uint, len(theirs))
	var fresh []uint // incoming ids of new documents
	for start := 0; start < len(theirs); start += adjBatch {
		part := theirs[start:min(start+adjBatch, len(theirs))]
		ext := make([]string, len(part))
		for i, d := range part {
			ext[i] = d.ExtID
		}
		var mine []docRow
		if err := m.tx.Model(&document{}).Select("id, ext_id, sha256").Where("ext_id IN ?", ext).Scan(&mine).Error; err != nil {
			return err
		}
		byExt := make(map[string]docRow, len(mine))
		for _, d := range mine {
			byExt[d.ExtID] = d
		}
		for _, d := range part {
			l, ok := byExt[d.ExtID]
			switch {
			case !ok:
				fresh = append(fresh, d.ID)
			case l.SHA256 != d.SHA256:
				return fmt.Errorf("%s: document %q has another text there than here: nothing was merged (replace one of the texts first)", from, d.ExtID)
			default:
				m.docs[d.ID] = l.ID
			}
		}
	}
	for start := 0; start < len(fresh); start += 200 {
		var rows []*document
		if err := m.from.Where("id IN ?", fresh[start:min(start+200, len(fresh))]).Order("id").Find(&rows).Error; err != nil {
			return err
		}
		src := make([]uint, len(rows))
		for i := range rows {
			src[i], rows[i].ID = rows[i].ID, 0
			m.report.DocumentsAdded = append(m.report.DocumentsAdded, rows[i].ExtID)
		}
		if err := createDocuments(m.tx, rows); err != nil {
			return err
		}
		for i := range rows {
			m.docs[src[i]] = rows[i].ID
		}
	}
	return nil
}

// mergeAnnotators maps the incoming annotators (only those of names, when
// given; one it lacks has no layer to bring) to local ones, creating them.
func (m *defMerge) mergeAnnotators(names []string) error {
	q := m.from.Model(&annotator{})
	if names != nil {
		q = q.Where("name IN ?", names)
	}
	var theirs []annotator
	if err := q.Find(&theirs).Error; err != nil {
		return err
	}
	m.anns = make(map[uint]uint, len(theirs))
	for _, a := range theirs {
		id, err := ensureAnnotator(m.tx, a.Name)
		if err != nil {
			return err
		}
		m.anns[a.ID] = id
	}
	return nil
}

// mergeLayers offers every changed incoming layer of the mapped documents
// and annotators, and every one with time spent (time alone is no change
// of the layer, but the lead wants it: it merges as the max).
func (m *defMerge) mergeLayers(from string) error {
	anns := make([]uint, 0, len(m.anns))
	for a := range m.anns {
		anns = append(anns, a)
	}
	var rows []docStatus
	if err := m.from.Select("document_id, annotator_id, status, seconds, revision, modified_at, clock").
		Where("(revision > 0 OR seconds > 0) AND annotator_id IN ?", anns).Order("document_id, annotator_id").Find(&rows).Error; err != nil {
		return err
	}
	names, err := idNames(m.tx)
	if err != nil {
		return err
	}
	offers := make([]*layerOffer, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		doc, ok := m.docs[r.DocumentID]
		if !ok {
			continue
		}
		row, err := rowOf(r)
		if err != nil {
			return fmt.Errorf("%s: %w", from, err)
		}
		key := layerKey{doc, m.anns[r.AnnotatorID]}
		offers = append(offers, &layerOffer{key: key, src: layerKey{r.DocumentID, r.AnnotatorID}, row: row, from: from,
			doc: names.docs[key.Doc], annotator: names.anns[key.Annotator]})
	}
	theirGold, err := goldID(m.from)
	if err != nil {
		return err
	}
	myGold, err := goldID(m.tx)
	if err != nil {
		return err
	}
	load := func(need []*layerOffer) error {
		keys := make([]layerKey, len(need))
		for i, o := range need {
			keys[i] = o.src
		}
		got, err := readLayers(m.from, keys, theirGold)
		if err != nil {
			return err
		}
		for _, o := range need {
			c := got[o.src].content
			for i := range c.Spans {
				c.Spans[i].Label = m.labelName[c.Spans[i].Label]
			}
			c.Rejections.relabel(m.localLabel) // a gold layer's travel with it
			for i := range c.Relations {
				if n, ok := m.relName[c.Relations[i].Label]; ok {
					c.Relations[i].Label = n
				}
			}
			o.content = &c
		}
		return nil
	}
	res, err := applyOffers(m.tx, offers, load, myGold)
	if err != nil {
		return err
	}
	m.report.LayersReplaced, m.report.LayersUnchanged = res.replaced, res.unchanged
	m.report.Conflicts = append(m.report.Conflicts, res.conflicts...)
	return nil
}

func (m *defMerge) localLabel(name string) string {
	if l, ok := m.labelName[name]; ok {
		return l
	}
	return name
}

// idNames names documents and annotators by row id, for reports.
type rowNames struct{ docs, anns map[uint]string }

func idNames(tx *gorm.DB) (rowNames, error) {
	out := rowNames{docs: map[uint]string{}, anns: map[uint]string{}}
	var docs []document
	if err := tx.Select("id, ext_id").Find(&docs).Error; err != nil {
		return out, err
	}
	for _, d := range docs {
		out.docs[d.ID] = d.ExtID
	}
	var anns []annotator
	if err := tx.Select("id, name").Find(&anns).Error; err != nil {
		return out, err
	}
	for _, a := range anns {
		out.anns[a.ID] = a.Name
	}
	return out, nil
}

// ReplicaID is this copy of the project's id (a hand-out makes a new one).
func (s *Store) ReplicaID() (string, error) { return replicaID(s.db) }

// projectName names a project in reports and kept versions' reasons: a
// file by its base name, a PostgreSQL project by its DSN (without the
// password, as Path has it).
func projectName(path string) string {
	if IsDSN(path) {
		return path
	}
	return filepath.Base(path)
}
