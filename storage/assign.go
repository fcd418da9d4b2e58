package storage

import (
	"database/sql"
	"math"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"tawsim/annotate/assign"
)

// assignment (schema version 6) says that an annotator is to annotate a
// document; Overlap marks the documents of the share given to everyone.
// Assignments are part of the project definition.
type assignment struct {
	DocumentID  uint       `gorm:"primaryKey"`
	AnnotatorID uint       `gorm:"primaryKey;index"`
	Overlap     bool       `gorm:"not null;default:false"`
	Document    *document  `gorm:"constraint:OnDelete:CASCADE"`
	Annotator   *annotator `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt   time.Time
}

// assignmentRev (schema version 6) is the revision of one document's
// assignments: Assign ticks it, and a merge compares it document by
// document.
type assignmentRev struct {
	DocumentID uint      `gorm:"primaryKey"`
	Rev        itemRev   `gorm:"embedded"`
	Document   *document `gorm:"constraint:OnDelete:CASCADE"`
}

// tickAssignments records one change of the assignments of each document.
func tickAssignments(tx *gorm.DB, docs []uint) error {
	for part := range slices.Chunk(docs, adjBatch) {
		revs, err := assignmentRevs(tx, part)
		if err != nil {
			return err
		}
		rows := make([]assignmentRev, len(part))
		for i, d := range part {
			rev, err := revs[d].ticked(tx)
			if err != nil {
				return err
			}
			rows[i] = assignmentRev{DocumentID: d, Rev: rev}
		}
		if err := tx.Save(&rows).Error; err != nil {
			return err
		}
	}
	return nil
}

// assignmentRevs reads the revisions of the assignments of docs (nil:
// all), by document row id.
func assignmentRevs(db *gorm.DB, docs []uint) (map[uint]itemRev, error) {
	var rows []assignmentRev
	q := db.Model(&assignmentRev{})
	if docs != nil {
		q = q.Where("document_id IN ?", docs)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]itemRev, len(rows))
	for _, r := range rows {
		out[r.DocumentID] = r.Rev
	}
	return out, nil
}

// Assign puts plan in place in one transaction: each document it names
// gets exactly the annotators it lists (none: no longer assigned); the
// other documents keep theirs. Annotators are created as needed; a missing
// document or the gold layer refuses the whole plan.
func (s *Store) Assign(plan []assign.Assignment) error {
	ids := make([]string, len(plan))
	for i, as := range plan {
		ids[i] = as.Doc
		for _, a := range as.Annotators {
			if err := checkHumanName(a); err != nil {
				return err
			}
		}
	}
	return s.write(func(tx *gorm.DB) error {
		docIDs, err := docRowIDs(tx, ids)
		if err != nil {
			return err
		}
		annIDs := map[string]uint{}
		var rows []assignment
		for i, as := range plan {
			for _, a := range as.Annotators {
				id, ok := annIDs[a]
				if !ok {
					if id, err = ensureAnnotator(tx, a); err != nil {
						return err
					}
					annIDs[a] = id
				}
				rows = append(rows, assignment{DocumentID: docIDs[i], AnnotatorID: id, Overlap: as.Overlap})
			}
		}
		for part := range slices.Chunk(docIDs, adjBatch) {
			if err := tx.Where("document_id IN ?", part).Delete(&assignment{}).Error; err != nil {
				return err
			}
		}
		if len(rows) > 0 {
			if err := tx.CreateInBatches(rows, 200).Error; err != nil {
				return err
			}
		}
		if err := tickAssignments(tx, docIDs); err != nil {
			return err
		}
		return bumpDefinition(tx) // the plan is part of the definition
	})
}

// Assignments is the plan in place, by document id: the documents with at
// least one annotator assigned, their annotators by name.
func (s *Store) Assignments() ([]assign.Assignment, error) {
	rows, err := s.db.Raw(`SELECT d.ext_id, a.name, x.overlap FROM assignments x
		JOIN documents d ON d.id = x.document_id JOIN annotators a ON a.id = x.annotator_id
		ORDER BY d.ext_id, a.name`).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []assign.Assignment
	for rows.Next() {
		var doc, name string
		var overlap bool
		if err := rows.Scan(&doc, &name, &overlap); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Doc != doc {
			out = append(out, assign.Assignment{Doc: doc, Overlap: overlap})
		}
		last := &out[len(out)-1]
		last.Annotators = append(last.Annotators, name)
	}
	return out, rows.Err()
}

// AssignedTo lists the documents assigned to annotator name, by id.
func (s *Store) AssignedTo(name string) ([]string, error) {
	var ids []string
	err := s.db.Table("assignments").
		Joins("JOIN documents ON documents.id = assignments.document_id").
		Joins("JOIN annotators ON annotators.id = assignments.annotator_id").
		Where("annotators.name = ?", name).Order("documents.ext_id").Pluck("documents.ext_id", &ids).Error
	return ids, err
}

// Activity is an annotator's time spent and last change over all their
// layers.
type Activity struct {
	Spent time.Duration
	// Last is the latest change of a layer (its modified time, which
	// merges carry from the laptop where it was made), or where a layer
	// has none the last time recorded on its row, such as time spent.
	Last time.Time
}

// Activity sums up each human annotator's layers, by name: one row each,
// in one query (SQLite compares the times as instants, whatever their
// zone).
func (s *Store) Activity() (map[string]Activity, error) {
	last := "julianday(coalesce(x.modified_at, x.updated_at))"
	if isPostgres(s.db) {
		last = "extract(epoch FROM coalesce(x.modified_at, x.updated_at)) / 86400 + 2440587.5"
	}
	rows, err := s.db.Raw(`SELECT a.name, sum(x.seconds), max(`+last+`)
		FROM doc_statuses x JOIN annotators a ON a.id = x.annotator_id WHERE a.kind = ? GROUP BY a.name`, kindHuman).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]Activity{}
	for rows.Next() {
		var name string
		var seconds float64
		var day sql.NullFloat64 // Julian day number
		if err := rows.Scan(&name, &seconds, &day); err != nil {
			return nil, err
		}
		a := Activity{Spent: time.Duration(seconds * float64(time.Second))}
		if day.Valid {
			const unixEpoch = 2440587.5 // in Julian days
			// To the millisecond: SQLite's julianday reads no finer, and
			// so both backends show the same time.
			a.Last = time.UnixMilli(int64(math.Round((day.Float64 - unixEpoch) * 86400e3))).UTC()
		}
		out[name] = a
	}
	return out, rows.Err()
}

// mergeAssignments is the assignments' part of a definition merge,
// document by document by their revisions, for the documents and
// annotators the merge maps (a hand-out maps one annotator): where the
// incoming assignments of a document win, that document's assignments of
// the mapped annotators become the incoming ones; the others' stay.
func mergeAssignments(m *defMerge) error {
	if !m.from.Migrator().HasTable(&assignmentRev{}) {
		return nil
	}
	theirs, err := assignmentRevs(m.from, nil)
	if err != nil {
		return err
	}
	src := make([]uint, 0, len(theirs))
	for d := range theirs {
		if _, ok := m.docs[d]; ok {
			src = append(src, d)
		}
	}
	slices.Sort(src)
	names, err := idNames(m.tx)
	if err != nil {
		return err
	}
	anns := make([]uint, 0, len(m.anns))
	for _, a := range m.anns {
		anns = append(anns, a)
	}
	for part := range slices.Chunk(src, adjBatch) {
		local := make([]uint, len(part))
		for i, d := range part {
			local[i] = m.docs[d]
		}
		mine, err := assignmentRevs(m.tx, local)
		if err != nil {
			return err
		}
		var take, from []uint // local and incoming documents whose incoming assignments win
		var revs []assignmentRev
		for _, d := range part {
			doc := m.docs[d]
			v, err := decide(mine[doc], theirs[d], m.force)
			if err != nil {
				return err
			}
			if v.take {
				take, from = append(take, doc), append(from, d)
			}
			if v.concurrent {
				m.conflictf("assignments of %s: changed on both sides; %s", names.docs[doc], v.sideWord(m.fromName))
			}
			if !sameRev(v.rev, mine[doc]) {
				revs = append(revs, assignmentRev{DocumentID: doc, Rev: v.rev})
			}
		}
		if len(revs) > 0 {
			if err := m.tx.Save(&revs).Error; err != nil {
				return err
			}
		}
		if len(take) == 0 {
			continue
		}
		if err := m.tx.Where("document_id IN ? AND annotator_id IN ?", take, anns).Delete(&assignment{}).Error; err != nil {
			return err
		}
		var in []assignment
		if err := m.from.Where("document_id IN ?", from).Find(&in).Error; err != nil {
			return err
		}
		var rows []assignment
		for _, a := range in {
			if ann, ok := m.anns[a.AnnotatorID]; ok {
				rows = append(rows, assignment{DocumentID: m.docs[a.DocumentID], AnnotatorID: ann, Overlap: a.Overlap})
			}
		}
		if len(rows) > 0 {
			if err := m.tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 200).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
