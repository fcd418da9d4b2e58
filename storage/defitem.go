package storage

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The definition merges item by item: each label and relation type (by
// uid), the guidelines and each document's assignments carry their own
// clock, advanced by every change of that item, so a merge takes from each
// side only what that side changed last. A deleted label or relation type
// leaves a tombstone (deletedItem) with its clock, so that a merge can
// tell "deleted there" from "new here".

// itemRev is the revision of one item of the definition.
type itemRev struct {
	Clock      string `gorm:"not null;default:'{}'"`
	ModifiedAt *time.Time
}

func (r itemRev) clock() (clock, error) { return decodeClock(r.Clock) }

func (r itemRev) when() time.Time {
	if r.ModifiedAt == nil {
		return time.Time{}
	}
	return r.ModifiedAt.UTC()
}

// ticked is r after one more change by this copy, now.
func (r itemRev) ticked(tx *gorm.DB) (itemRev, error) {
	replica, err := replicaID(tx)
	if err != nil {
		return r, err
	}
	c, err := r.clock()
	if err != nil {
		return r, err
	}
	when := now()
	return itemRev{Clock: c.ticked(replica).encode(), ModifiedAt: &when}, nil
}

// deletedItem (schema version 6) is the tombstone of a deleted label or
// relation type: its uid, last name and clock at the deletion (ticked).
type deletedItem struct {
	Kind string  `gorm:"primaryKey"` // itemLabel or itemRelationType
	UID  string  `gorm:"primaryKey"`
	Name string  `gorm:"not null;default:''"`
	Rev  itemRev `gorm:"embedded"`
}

const (
	itemLabel        = "label"
	itemRelationType = "relation type"
)

// bury records the deletion of an item by this copy.
func bury(tx *gorm.DB, kind, uid, name string, rev itemRev) error {
	rev, err := rev.ticked(tx)
	if err != nil {
		return err
	}
	return tx.Save(&deletedItem{Kind: kind, UID: uid, Name: name, Rev: rev}).Error
}

// tickRows records one change by this copy of the rows ids of model (a
// label or a relation type).
func tickRows(tx *gorm.DB, model any, ids ...uint) error {
	var rows []struct {
		ID    uint
		Clock string
	}
	if err := tx.Model(model).Where("id IN ?", ids).Select("id, clock").Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		rev, err := itemRev{Clock: r.Clock}.ticked(tx)
		if err != nil {
			return err
		}
		if err := setRev(tx, model, r.ID, rev); err != nil {
			return err
		}
	}
	return nil
}

// renameRow renames row id of model, a change of it.
func renameRow(tx *gorm.DB, model any, id uint, name string) error {
	if err := tx.Model(model).Where("id = ?", id).Update("name", name).Error; err != nil {
		return err
	}
	return tickRows(tx, model, id)
}

func setRev(tx *gorm.DB, model any, id uint, rev itemRev) error {
	return tx.Model(model).Where("id = ?", id).Updates(map[string]any{"clock": rev.Clock, "modified_at": rev.ModifiedAt}).Error
}

// itemVerdict is what a merge does with one item both sides have.
type itemVerdict struct {
	take       bool // the incoming item wins
	concurrent bool // both sides changed it since they last met
	rev        itemRev
}

// decide compares this copy's revision of an item with the incoming one:
// the one that has seen the other's changes wins; changed on both sides,
// the later change wins (tie: the higher revision, then the incoming), and
// the result has seen both. force takes the incoming (a hand-out).
func decide(mine, theirs itemRev, force bool) (itemVerdict, error) {
	a, err := mine.clock()
	if err != nil {
		return itemVerdict{}, err
	}
	b, err := theirs.clock()
	if err != nil {
		return itemVerdict{}, err
	}
	switch order := a.compare(b); {
	case force || order == clockBefore:
		return itemVerdict{take: true, rev: theirs}, nil
	case order != clockConcurrent:
		return itemVerdict{rev: mine}, nil
	}
	v := itemVerdict{concurrent: true, rev: itemRev{Clock: a.merged(b).encode()}}
	mw, tw := mine.when(), theirs.when()
	v.take = tw.After(mw) || tw.Equal(mw) && b.revision() >= a.revision()
	if v.take {
		v.rev.ModifiedAt = theirs.ModifiedAt
	} else {
		v.rev.ModifiedAt = mine.ModifiedAt
	}
	return v, nil
}

// sideWord names the winner of a concurrent change in a report.
func (v itemVerdict) sideWord(from string) string {
	if v.take {
		return "kept " + from + "'s (changed later)"
	}
	return "kept this project's (changed later)"
}

// fillUIDs gives every row of model (labels, relation types) without a
// uid one (schema 6).
func fillUIDs(tx *gorm.DB, model any) error {
	var ids []uint
	if err := tx.Model(model).Where("uid = ''").Pluck("id", &ids).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if err := tx.Model(model).Where("id = ?", id).Update("uid", newUID()).Error; err != nil {
			return err
		}
	}
	return nil
}

// conflictf adds a line naming a definition item changed on both sides.
func (m *defMerge) conflictf(format string, args ...any) {
	m.report.DefinitionConflicts = append(m.report.DefinitionConflicts, fmt.Sprintf(format, args...))
}

func sameRev(a, b itemRev) bool { return a.Clock == b.Clock && a.when().Equal(b.when()) }

// compareClocks words in the report how the whole definitions compare and
// returns both clocks, their order and the time of the merged
// definition's last change.
func (m *defMerge) compareClocks() (mine, theirs clock, order clockOrder, when time.Time, err error) {
	mine, myWhen, err := changingDefinition(m.tx)
	if err != nil {
		return nil, nil, 0, time.Time{}, err
	}
	theirs, inWhen, err := definitionClock(m.from)
	if err != nil {
		return nil, nil, 0, time.Time{}, err
	}
	order = mine.compare(theirs)
	switch {
	case m.force:
		m.report.Definition, when = "copied", inWhen
	case order == clockBefore:
		m.report.Definition, when = "taken (the incoming is newer)", inWhen
	case order == clockConcurrent:
		m.report.Definition, when = "merged (changed on both sides)", myWhen
		if inWhen.After(myWhen) {
			when = inWhen
		}
	default:
		m.report.Definition = "unchanged"
	}
	return mine, theirs, order, when, nil
}

// setDefinitionClock records the merged definition's clock.
func setDefinitionClock(tx *gorm.DB, c clock, when time.Time) error {
	if err := tx.Save(&metaRow{Key: metaDefinitionClock, Value: c.encode()}).Error; err != nil {
		return err
	}
	if when.IsZero() {
		return nil
	}
	return tx.Save(&metaRow{Key: metaDefinitionModified, Value: when.UTC().Format(time.RFC3339Nano)}).Error
}

// metaRev reads an item's revision kept in tawsim_meta under the keys
// clockKey and modKey.
func metaRev(db *gorm.DB, clockKey, modKey string) (itemRev, error) {
	var rows []metaRow
	if err := db.Where("key IN ?", []string{clockKey, modKey}).Find(&rows).Error; err != nil {
		return itemRev{}, err
	}
	rev := itemRev{Clock: "{}"}
	for _, r := range rows {
		if r.Key == clockKey {
			rev.Clock = r.Value
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, r.Value)
		if err != nil {
			return rev, fmt.Errorf("%s: %w", modKey, err)
		}
		rev.ModifiedAt = &t
	}
	return rev, nil
}

func saveMetaRev(tx *gorm.DB, clockKey, modKey string, rev itemRev) error {
	if err := tx.Save(&metaRow{Key: clockKey, Value: rev.Clock}).Error; err != nil {
		return err
	}
	if rev.ModifiedAt == nil {
		return tx.Where("key = ?", modKey).Delete(&metaRow{}).Error
	}
	return tx.Save(&metaRow{Key: modKey, Value: rev.ModifiedAt.UTC().Format(time.RFC3339Nano)}).Error
}
