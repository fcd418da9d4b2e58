package storage

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Merging the project's definition (labels, relation types, and the
// tables of definitionParts) by its clock: incoming newer → adopt it
// (renames, colours, order, new labels; labels it lacks go when unused);
// changed on both sides → union, attributes of the later side; older or
// equal → this project's stays. Labels are matched by uid, then by name.

// defMerge is the state of one definition merge, for definitionParts.
type defMerge struct {
	tx, from *gorm.DB
	// adopt: the incoming definition is newer (or a hand-out copies it);
	// takeAttrs: where both have an item, the incoming's attributes win
	// (adopt, or concurrent with the incoming later); older: this
	// project's definition is newer, and nothing it deleted comes back
	// unless an incoming layer needs it.
	adopt, takeAttrs, older bool
	// labelName maps an incoming label name to the local one, docs and
	// annotators incoming row ids to local ones (documents and annotators
	// are merged first).
	labelName  map[string]string
	docs, anns map[uint]uint
	report     *MergeReport
}

// definitionParts merge the parts of the definition beyond labels and
// relation types, in order, after the documents and the annotators and
// before the layers. A part whose table the incoming project lacks (an
// older file) does nothing; each copies by m.adopt/m.takeAttrs, mapping
// row ids through m.docs and m.anns.
var definitionParts = []func(m *defMerge) error{mergeRelationTypes, mergeGuidelines, mergeAssignments}

// compareClocks reads which side's definition is newer and sets m's
// flags (force: a hand-out copies the incoming). It returns both clocks
// and the time of the merged definition's last change.
func (m *defMerge) compareClocks(force bool) (mine, theirs clock, when time.Time, err error) {
	mine, myWhen, err := changingDefinition(m.tx)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	theirs, inWhen, err := definitionClock(m.from)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	order := mine.compare(theirs)
	inLater := inWhen.After(myWhen) || inWhen.Equal(myWhen) && theirs.revision() >= mine.revision()
	m.adopt = force || order == clockBefore
	m.takeAttrs = m.adopt || order == clockConcurrent && inLater
	m.older = !force && order == clockAfter
	switch {
	case force:
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
	return mine, theirs, when, nil
}

// mergeLabels merges the label sets and fills m.labelName. It returns the
// ids of local labels to delete if unused once the layers are in.
func (m *defMerge) mergeLabels() ([]uint, error) {
	var mine, theirs []labelType
	if err := m.tx.Find(&mine).Error; err != nil {
		return nil, err
	}
	if err := m.from.Find(&theirs).Error; err != nil {
		return nil, err
	}
	byUID, byName := map[string]*labelType{}, map[string]*labelType{}
	for i := range mine {
		l := &mine[i]
		if l.UID != "" {
			byUID[l.UID] = l
		}
		byName[l.Name] = l
	}
	matched := map[uint]bool{}
	var created []uint
	m.labelName = make(map[string]string, len(theirs))
	for _, in := range theirs {
		l := byUID[in.UID]
		if l == nil || in.UID == "" {
			if l = byName[in.Name]; l != nil && matched[l.ID] {
				l = nil
			}
		}
		if l == nil {
			row := labelType{Name: in.Name, Arabic: in.Arabic, Color: in.Color, Hotkey: in.Hotkey, Order: in.Order, UID: in.UID}
			if row.UID == "" {
				row.UID = newUID()
			}
			if err := m.tx.Create(&row).Error; err != nil {
				return nil, err
			}
			matched[row.ID] = true
			created = append(created, row.ID)
			m.labelName[in.Name] = row.Name
			if !m.older {
				m.report.LabelsAdded = append(m.report.LabelsAdded, row.Name)
			}
			continue
		}
		matched[l.ID] = true
		if m.takeAttrs && (l.Name != in.Name || l.Arabic != in.Arabic || l.Color != in.Color || l.Hotkey != in.Hotkey || l.Order != in.Order || l.UID != in.UID && in.UID != "") {
			upd := map[string]any{"arabic": in.Arabic, "color": in.Color, "hotkey": in.Hotkey, "sort_order": in.Order}
			if in.UID != "" {
				upd["uid"] = in.UID
			}
			if other := byName[in.Name]; other == nil || other.ID == l.ID { // a rename onto another local label's name waits
				upd["name"] = in.Name
			}
			if err := m.tx.Model(&labelType{}).Where("id = ?", l.ID).Updates(upd).Error; err != nil {
				return nil, err
			}
			if n, ok := upd["name"].(string); ok {
				delete(byName, l.Name)
				l.Name = n
				byName[n] = l
			}
			m.report.LabelsChanged = append(m.report.LabelsChanged, l.Name)
		}
		m.labelName[in.Name] = l.Name
	}
	switch {
	case m.adopt: // labels the newer definition lacks
		var drop []uint
		for _, l := range mine {
			if !matched[l.ID] {
				drop = append(drop, l.ID)
			}
		}
		return drop, nil
	case m.older: // what an older definition brought back is not kept unless used
		return created, nil
	}
	return nil, nil
}

// dropUnusedLabels deletes the labels ids that no span uses (a kept
// version names its labels: restoring it brings one back).
func dropUnusedLabels(tx *gorm.DB, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	return tx.Where("id IN ? AND NOT EXISTS (SELECT 1 FROM spans WHERE spans.label_id = label_types.id)", ids).Delete(&labelType{}).Error
}

// mergeRelationTypes merges the relation types by name, their end labels
// translated to local names.
func mergeRelationTypes(m *defMerge) error {
	if !m.from.Migrator().HasTable(&relationType{}) {
		return nil
	}
	var mine, theirs []relationType
	if err := m.tx.Find(&mine).Error; err != nil {
		return err
	}
	if err := m.from.Find(&theirs).Error; err != nil {
		return err
	}
	byName := map[string]*relationType{}
	for i := range mine {
		byName[mine[i].Name] = &mine[i]
	}
	seen := map[string]bool{}
	for _, in := range theirs {
		seen[in.Name] = true
		heads, tails := m.localNames(in.Heads), m.localNames(in.Tails)
		l := byName[in.Name]
		switch {
		case l == nil && !m.older:
			if err := m.tx.Create(&relationType{Name: in.Name, Heads: heads, Tails: tails, Order: in.Order}).Error; err != nil {
				return err
			}
		case l != nil && m.takeAttrs && (l.Heads != heads || l.Tails != tails || l.Order != in.Order):
			if err := m.tx.Model(&relationType{}).Where("id = ?", l.ID).
				Updates(map[string]any{"heads": heads, "tails": tails, "sort_order": in.Order}).Error; err != nil {
				return err
			}
		}
	}
	if !m.adopt {
		return nil
	}
	for _, l := range mine { // the newer definition has no such type: gone unless relations use it
		if !seen[l.Name] {
			if err := m.tx.Where("id = ? AND NOT EXISTS (SELECT 1 FROM relations WHERE relations.label = ?)", l.ID, l.Name).Delete(&relationType{}).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// localNames translates a JSON array of incoming label names.
func (m *defMerge) localNames(arr string) string {
	var names []string
	if json.Unmarshal([]byte(arr), &names) != nil {
		return arr
	}
	for i, n := range names {
		if l, ok := m.labelName[n]; ok {
			names[i] = l
		}
	}
	b, _ := json.Marshal(names)
	return string(b)
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
