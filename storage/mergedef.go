package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// Merging the project's definition item by item (defitem.go): each label
// and relation type by uid (then by name, for the same default made in two
// projects), the guidelines, each document's assignments. An item only
// one side changed since they last met takes that side's; one changed on
// both sides takes the later change, and the report names it. A label or
// relation type deleted on one side goes unless something uses it (then
// it stays, and the report says so). The whole definition's clock still
// says in the report whether anything changed at all.

// defMerge is the state of one definition merge, for definitionParts.
type defMerge struct {
	tx, from *gorm.DB
	// force takes every incoming item (a hand-out copies the definition).
	force bool
	// fromName is the incoming file's name, for the report.
	fromName string
	// labelName and relName map incoming label and relation type names
	// to local ones; docs and annotators incoming row ids to local ones
	// (documents and annotators are merged first).
	labelName, relName map[string]string
	docs, anns         map[uint]uint
	// drops are the items to delete once the layers are in, if unused.
	drops  []itemDrop
	report *MergeReport
}

// definitionParts merge the parts of the definition beyond labels and
// relation types, in order, after the documents and the annotators and
// before the layers. A part whose table the incoming project lacks (an
// older file) does nothing; row ids map through m.docs and m.anns.
var definitionParts = []func(m *defMerge) error{mergeRelationTypes, mergeGuidelines, mergeAssignments}

// defItem is a label or a relation type as mergeItems sees it.
type defItem struct {
	ID        uint
	UID, Name string
	Rev       itemRev
}

// itemSide adapts one kind of item (labels, relation types) to
// mergeItems.
type itemSide struct {
	kind         string // itemLabel or itemRelationType
	model        any
	mine, theirs []defItem
	// same says local item i has incoming item j's attributes.
	same func(i, j int) bool
	// create makes a local copy of incoming item j with rev (its name is
	// free).
	create func(j int, rev itemRev) (uint, error)
	// take gives local item i incoming item j's attributes, uid and rev,
	// and returns its local name (a rename onto another local item's
	// name waits).
	take func(i, j int, rev itemRev) (string, error)
	// inUse says what uses the local item id ("" when nothing does).
	inUse func(id uint) (string, error)
	// The report's lists for this kind.
	added, changed, removed *[]string
}

// itemDrop is an item to delete after the layers came in, unless used.
type itemDrop struct {
	side      *itemSide
	id        uint
	uid, name string
	// deletedHere: this project deleted it and the merge made it again
	// for the incoming layers; else the incoming project deleted it.
	deletedHere bool
	rev         itemRev
}

func tombstones(db *gorm.DB, kind string) (map[string]deletedItem, error) {
	out := map[string]deletedItem{}
	if !db.Migrator().HasTable(&deletedItem{}) {
		return out, nil
	}
	var rows []deletedItem
	if err := db.Where("kind = ?", kind).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.UID] = r
	}
	return out, nil
}

// nameTaken says whether another local row of model than id has name.
func nameTaken(tx *gorm.DB, model any, name string, id uint) (bool, error) {
	var n int64
	err := tx.Model(model).Where("name = ? AND id <> ?", name, id).Count(&n).Error
	return n > 0, err
}

// mergeItems merges one kind of item and returns the incoming names
// mapped to local ones; what to delete once the layers are in joins
// m.drops.
func (m *defMerge) mergeItems(s *itemSide) (map[string]string, error) {
	myTombs, err := tombstones(m.tx, s.kind)
	if err != nil {
		return nil, err
	}
	theirTombs, err := tombstones(m.from, s.kind)
	if err != nil {
		return nil, err
	}
	byUID, byName := map[string]int{}, map[string]int{}
	for i, l := range s.mine {
		byUID[l.UID], byName[l.Name] = i, i
	}
	theirUIDs := map[string]bool{}
	for _, in := range s.theirs {
		theirUIDs[in.UID] = true
	}
	matched := map[int]bool{}
	alive := map[string]bool{} // uids alive here after the merge
	names := make(map[string]string, len(s.theirs))
	// Renames first (so that a name a rename frees is free), then the rest.
	order := make([]int, 0, len(s.theirs))
	for j, in := range s.theirs {
		if _, ok := byUID[in.UID]; ok {
			order = append(order, j)
		}
	}
	for j, in := range s.theirs {
		if _, ok := byUID[in.UID]; !ok {
			order = append(order, j)
		}
	}
	for _, j := range order {
		in := s.theirs[j]
		i, ok := byUID[in.UID]
		if _, buried := myTombs[in.UID]; !ok && !buried {
			if k, ok2 := byName[in.Name]; ok2 && !theirUIDs[s.mine[k].UID] && !matched[k] {
				i, ok = k, true
			}
		}
		if ok {
			matched[i] = true
			name, err := m.mergeItem(s, i, j)
			if err != nil {
				return nil, err
			}
			names[in.Name] = name
			alive[in.UID] = true
			continue
		}
		names[in.Name] = in.Name
		if taken, err := nameTaken(m.tx, s.model, in.Name, 0); err != nil || taken {
			// a new item under a local item's name: the same item
			// for the layers, and nothing to create
			if err == nil {
				m.conflictf("%s %s: %s has another %s of this name; kept this project's", s.kind, in.Name, m.fromName, s.kind)
			}
			continue
		}
		t, buried := myTombs[in.UID]
		if !buried {
			if _, err := s.create(j, in.Rev); err != nil {
				return nil, err
			}
			*s.added = append(*s.added, in.Name)
			alive[in.UID] = true
			continue
		}
		v, err := decide(t.Rev, in.Rev, m.force)
		if err != nil {
			return nil, err
		}
		id, err := s.create(j, v.rev)
		if err != nil {
			return nil, err
		}
		if !v.take { // made for the incoming layers only, unless they use it
			m.drops = append(m.drops, itemDrop{side: s, id: id, uid: in.UID, name: in.Name, deletedHere: true, rev: v.rev})
			continue
		}
		if err := m.tx.Delete(&t).Error; err != nil {
			return nil, err
		}
		alive[in.UID] = true
		*s.added = append(*s.added, in.Name)
		m.conflictf("%s %s: deleted here, changed in %s later: it is back", s.kind, in.Name, m.fromName)
	}
	for i, l := range s.mine {
		t, buried := theirTombs[l.UID]
		switch {
		case matched[i]:
			continue
		case !buried && m.force: // a hand-out has only the incoming items
			m.drops = append(m.drops, itemDrop{side: s, id: l.ID, uid: l.UID, name: l.Name, rev: l.Rev})
			continue
		case !buried:
			alive[l.UID] = true
			continue
		}
		v, err := decide(l.Rev, t.Rev, m.force)
		if err != nil {
			return nil, err
		}
		if v.take {
			m.drops = append(m.drops, itemDrop{side: s, id: l.ID, uid: l.UID, name: l.Name, rev: v.rev})
			continue
		}
		alive[l.UID] = true
		if v.concurrent {
			m.conflictf("%s %s: deleted in %s, changed here later: kept", s.kind, l.Name, m.fromName)
			if err := setRev(m.tx, s.model, l.ID, v.rev); err != nil {
				return nil, err
			}
		}
	}
	// The incoming tombstones travel on (to the copies merging this one).
	for uid, t := range theirTombs {
		if alive[uid] {
			continue
		}
		if mine, ok := myTombs[uid]; ok {
			v, err := decide(mine.Rev, t.Rev, false)
			if err != nil {
				return nil, err
			}
			if sameRev(v.rev, mine.Rev) {
				continue
			}
			t.Rev = v.rev
		}
		if err := m.tx.Save(&t).Error; err != nil {
			return nil, err
		}
	}
	return names, nil
}

// mergeItem merges incoming item j into local item i, returning its local
// name.
func (m *defMerge) mergeItem(s *itemSide, i, j int) (string, error) {
	l, in := s.mine[i], s.theirs[j]
	v, err := decide(l.Rev, in.Rev, m.force)
	if err != nil {
		return "", err
	}
	same := s.same(i, j)
	switch {
	case v.take && (!same || l.UID != in.UID):
		name, err := s.take(i, j, v.rev)
		if err != nil {
			return "", err
		}
		if !same {
			*s.changed = append(*s.changed, name)
		}
		if v.concurrent && !same {
			m.conflictf("%s %s: changed on both sides; %s", s.kind, name, v.sideWord(m.fromName))
		}
		return name, nil
	case !sameRev(v.rev, l.Rev):
		if err := setRev(m.tx, s.model, l.ID, v.rev); err != nil {
			return "", err
		}
	}
	if v.concurrent && !same {
		m.conflictf("%s %s: changed on both sides; %s", s.kind, l.Name, v.sideWord(m.fromName))
	}
	return l.Name, nil
}

// dropItems deletes the items m.drops names that nothing uses once the
// layers are in; the others stay, and the report says why.
func (m *defMerge) dropItems() error {
	// Relation types first: a label they name is in use.
	slices.SortStableFunc(m.drops, func(a, b itemDrop) int {
		return strings.Compare(b.side.kind, a.side.kind)
	})
	for _, d := range m.drops {
		use, err := d.side.inUse(d.id)
		if err != nil {
			return err
		}
		if use == "" {
			if err := m.tx.Delete(d.side.model, d.id).Error; err != nil {
				return err
			}
			if d.deletedHere {
				continue
			}
			if err := m.tx.Save(&deletedItem{Kind: d.side.kind, UID: d.uid, Name: d.name, Rev: d.rev}).Error; err != nil {
				return err
			}
			*d.side.removed = append(*d.side.removed, d.name)
			continue
		}
		// It stays, having seen the deletion (which a later merge then
		// does not offer again), and has no tombstone here.
		if err := setRev(m.tx, d.side.model, d.id, d.rev); err != nil {
			return err
		}
		if err := m.tx.Where("kind = ? AND uid = ?", d.side.kind, d.uid).Delete(&deletedItem{}).Error; err != nil {
			return err
		}
		why := fmt.Sprintf("deleted in %s; used by %s here", m.fromName, use)
		if d.deletedHere {
			why = fmt.Sprintf("deleted here; used by %s once %s came in", use, m.fromName)
		}
		m.report.KeptInUse = append(m.report.KeptInUse, fmt.Sprintf("%s %s (%s)", d.side.kind, d.name, why))
	}
	return nil
}

// mergeLabels merges the label sets and fills m.labelName.
func (m *defMerge) mergeLabels() error {
	var mine, theirs []labelType
	if err := m.tx.Find(&mine).Error; err != nil {
		return err
	}
	if err := m.from.Find(&theirs).Error; err != nil {
		return err
	}
	s := newItemSide(m, itemLabel, mine, theirs)
	s.added, s.changed, s.removed = &m.report.LabelsAdded, &m.report.LabelsChanged, &m.report.LabelsRemoved
	s.take = func(i, j int, rev itemRev) (string, error) {
		l, in := mine[i], theirs[j]
		name, err := takeItem(m.tx, &labelType{}, l.ID, l.Name, in.Name, in.UID, rev,
			map[string]any{"arabic": in.Arabic, "color": in.Color, "hotkey": in.Hotkey, "sort_order": in.Order})
		if err != nil || name == l.Name {
			return name, err
		}
		if err := relabelRejections(m.tx, l.Name, name); err != nil {
			return "", err
		}
		return name, renameTypeEnds(m.tx, l.Name, name)
	}
	s.inUse = func(id uint) (string, error) {
		var row labelType
		if err := m.tx.Take(&row, id).Error; err != nil {
			return "", err
		}
		use, err := labelUsage(m.tx, row.Name)
		if err != nil {
			return "", err
		}
		types, err := typesNaming(m.tx, row.Name)
		var uses []string
		if n := use[row.Name].Spans; n > 0 {
			uses = append(uses, plural(n, "span"))
		}
		if len(types) > 0 {
			uses = append(uses, "relation types "+strings.Join(types, ", "))
		}
		return strings.Join(uses, " and "), err
	}
	names, err := m.mergeItems(s)
	m.labelName = names
	return err
}

// defRow is a label's or a relation type's row, for newItemSide.
type defRow[T any] interface {
	*T
	item() defItem
	attrs() string
	// fresh makes the row a new copy with rev.
	fresh(rev itemRev)
}

func (l *labelType) item() defItem { return defItem{ID: l.ID, UID: l.UID, Name: l.Name, Rev: l.Rev} }
func (l *labelType) attrs() string {
	return fmt.Sprintf("%q", []any{l.Name, l.Arabic, l.Color, l.Hotkey, l.Order})
}
func (l *labelType) fresh(rev itemRev) { l.ID, l.Rev, l.UID = 0, rev, orNewUID(l.UID) }

func (t *relationType) item() defItem { return defItem{ID: t.ID, UID: t.UID, Name: t.Name, Rev: t.Rev} }
func (t *relationType) attrs() string {
	return fmt.Sprintf("%q", []any{t.Name, t.Heads, t.Tails, t.Order})
}
func (t *relationType) fresh(rev itemRev) {
	t.ID, t.Rev, t.UID = 0, rev, orNewUID(t.UID)
}

// newItemSide is the side of rows mine and theirs with what all kinds
// share: the items, comparing and creating them.
func newItemSide[T any, P defRow[T]](m *defMerge, kind string, mine, theirs []T) *itemSide {
	items := func(rows []T) []defItem {
		out := make([]defItem, len(rows))
		for i := range rows {
			out[i] = P(&rows[i]).item()
		}
		return out
	}
	return &itemSide{kind: kind, model: P(new(T)), mine: items(mine), theirs: items(theirs),
		same: func(i, j int) bool { return P(&mine[i]).attrs() == P(&theirs[j]).attrs() },
		create: func(j int, rev itemRev) (uint, error) {
			row := theirs[j]
			P(&row).fresh(rev)
			err := m.tx.Create(&row).Error
			return P(&row).item().ID, err
		}}
}

// takeItem gives the local row id of model (named old) the incoming
// attributes upd, uid and rev, and the incoming name unless another local
// row has it (that rename waits); it returns the row's name.
func takeItem(tx *gorm.DB, model any, id uint, old, name, uid string, rev itemRev, upd map[string]any) (string, error) {
	upd["uid"], upd["clock"], upd["modified_at"] = orNewUID(uid), rev.Clock, rev.ModifiedAt
	taken, err := nameTaken(tx, model, name, id)
	if err != nil {
		return "", err
	}
	if taken {
		name = old
	}
	upd["name"] = name
	return name, tx.Model(model).Where("id = ?", id).Updates(upd).Error
}

func orNewUID(uid string) string {
	if uid == "" {
		return newUID()
	}
	return uid
}

// mergeRelationTypes merges the relation types by uid, their end labels
// translated to local names; a rename travels, and this project's stored
// relations follow it.
func mergeRelationTypes(m *defMerge) error {
	m.relName = map[string]string{}
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
	for i := range theirs {
		theirs[i].Heads, theirs[i].Tails = m.localNames(theirs[i].Heads), m.localNames(theirs[i].Tails)
	}
	s := newItemSide(m, itemRelationType, mine, theirs)
	s.added, s.changed, s.removed = &m.report.RelationTypesAdded, &m.report.RelationTypesChanged, &m.report.RelationTypesRemoved
	s.take = func(i, j int, rev itemRev) (string, error) {
		l, in := mine[i], theirs[j]
		name, err := takeItem(m.tx, &relationType{}, l.ID, l.Name, in.Name, in.UID, rev,
			map[string]any{"heads": in.Heads, "tails": in.Tails, "sort_order": in.Order})
		if err != nil || name == l.Name {
			return name, err
		}
		return name, renameRelations(m.tx, l.Name, name)
	}
	s.inUse = func(id uint) (string, error) {
		var row relationType
		if err := m.tx.Take(&row, id).Error; err != nil {
			return "", err
		}
		n, _, err := relationsOf(m.tx, row.Name, nil)
		if n == 0 {
			return "", err
		}
		return plural(n, "stored relation"), err
	}
	names, err := m.mergeItems(s)
	m.relName = names
	return err
}

// renameRelations makes the stored relations (and rejected gold
// relations) of type old say name.
func renameRelations(tx *gorm.DB, old, name string) error {
	if err := tx.Model(&relation{}).Where("label = ?", old).Update("label", name).Error; err != nil {
		return err
	}
	return tx.Model(&goldRelationRejection{}).Where("label = ?", old).Update("label", name).Error
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

// resolveHotkeys leaves each hotkey to one label: where a merge gave two
// labels the same one, the label changed later keeps it and the others
// lose theirs (a change of them, which travels on). It says whether it
// changed anything.
func (m *defMerge) resolveHotkeys() (bool, error) {
	var rows []labelType
	if err := m.tx.Where("hotkey <> '' AND hotkey IN (SELECT hotkey FROM label_types WHERE hotkey <> '' GROUP BY hotkey HAVING COUNT(*) > 1)").
		Find(&rows).Error; err != nil {
		return false, err
	}
	slices.SortFunc(rows, func(a, b labelType) int {
		if c := strings.Compare(a.Hotkey, b.Hotkey); c != 0 {
			return c
		}
		if c := b.Rev.when().Compare(a.Rev.when()); c != 0 {
			return c // the later first
		}
		return strings.Compare(a.Name, b.Name)
	})
	for i, r := range rows {
		if i == 0 || rows[i-1].Hotkey != r.Hotkey {
			continue
		}
		keeper := rows[i-1]
		for k := i - 1; k > 0 && rows[k-1].Hotkey == r.Hotkey; k-- {
			keeper = rows[k-1]
		}
		if err := m.tx.Model(&labelType{}).Where("id = ?", r.ID).Update("hotkey", "").Error; err != nil {
			return false, err
		}
		if err := tickRows(m.tx, &labelType{}, r.ID); err != nil {
			return false, err
		}
		m.report.HotkeysCleared = append(m.report.HotkeysCleared,
			fmt.Sprintf("%s lost hotkey %s to %s (changed later)", r.Name, r.Hotkey, keeper.Name))
	}
	return len(rows) > 0, nil
}
