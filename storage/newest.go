package storage

import (
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// Newest wins (design12.md): an incoming layer (of a merged project, or of
// a file that carries revisions) against the local one, by clock. Equal or
// older: nothing changes. Newer: the layer becomes the incoming one, its
// history too. Both changed since they last met: the later change wins
// (tie: the higher revision, then the incoming) and the other is kept as a
// version; the clock becomes the merge of both. Time spent is the max.

// layerOffer is an incoming layer, named by local row ids.
type layerOffer struct {
	key            layerKey
	doc, annotator string // for reports
	row            layerRow
	content        *layerContent // nil until the offer wins or conflicts (a merge reads it then)
	from           string        // where it comes from, for a kept version's reason: "x.jsonl:12"
	line           int           // of an import's file
	src            layerKey      // a merge's: the layer's row ids in the merged project
	revision       int64         // of a file's layer that carries a revision number and no clock
}

type verdict int

const (
	keepLocal        verdict = iota // equal or older
	takeIncoming                    // newer
	conflictIncoming                // concurrent, the incoming is later
	conflictLocal                   // concurrent, the local is later
	// sameClock: both carry the same history; the contents still decide,
	// for a copy of a project file (same replica id) or a file line
	// edited by hand keeps its clock while its content differs.
	sameClock
)

// judge compares an offer with the local row (Clock "" for none).
func judge(local *docStatus, in *layerOffer) (verdict, layerRow, error) {
	mine, err := rowOf(local)
	if err != nil {
		return 0, mine, err
	}
	switch mine.clock.compare(in.row.clock) {
	case clockEqual:
		if mine.clock.revision() > 0 {
			return sameClock, mine, nil
		}
		return keepLocal, mine, nil
	case clockAfter:
		return keepLocal, mine, nil
	case clockBefore:
		return takeIncoming, mine, nil
	}
	inLater := in.row.modified.After(mine.modified) ||
		in.row.modified.Equal(mine.modified) && in.row.clock.revision() >= mine.clock.revision()
	if inLater {
		return conflictIncoming, mine, nil
	}
	return conflictLocal, mine, nil
}

// LayerConflict is a layer changed on both sides since they last met.
type LayerConflict struct {
	Doc       string `json:"doc"`
	Annotator string `json:"annotator"`
	// KeptIncoming says the incoming layer (the file's, the merged
	// project's) was newer and is now the layer; otherwise the local one
	// stayed.
	KeptIncoming bool  `json:"kept_incoming"`
	Version      int64 `json:"version"` // the version that keeps the other side
}

// ConflictCount words n conflicts: "1 conflict", "2 conflicts".
func ConflictCount(n int) string {
	if n == 1 {
		return "1 conflict"
	}
	return fmt.Sprintf("%d conflicts", n)
}

func (c LayerConflict) String() string {
	kept, other := "this project's", "the incoming"
	if c.KeptIncoming {
		kept, other = "the incoming", "this project's"
	}
	return fmt.Sprintf("document %s, annotator %s: changed on both sides; kept %s (newer), %s is version %d (tawsim versions --restore %d)",
		c.Doc, c.Annotator, kept, other, c.Version, c.Version)
}

// newestResult is what applying offers did.
type newestResult struct {
	replaced, unchanged int
	conflicts           []LayerConflict
}

// applyOffers applies offers by newest-wins. load fills the content of the
// offers that need it (those that win or conflict). gold is the local gold
// annotator id (0: none).
func applyOffers(tx *gorm.DB, offers []*layerOffer, load func([]*layerOffer) error, gold uint) (*newestResult, error) {
	res := &newestResult{}
	for from := 0; from < len(offers); from += layerChunk {
		if err := applyOfferChunk(tx, offers[from:min(from+layerChunk, len(offers))], load, gold, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func applyOfferChunk(tx *gorm.DB, offers []*layerOffer, load func([]*layerOffer) error, gold uint, res *newestResult) error {
	keys := make([]layerKey, len(offers))
	for i, o := range offers {
		keys[i] = o.key
	}
	if err := lockLayers(tx, keys); err != nil {
		return err
	}
	local, err := localRows(tx, offers)
	if err != nil {
		return err
	}
	verdicts := make([]verdict, len(offers))
	mine := make([]layerRow, len(offers))
	var need []*layerOffer
	var seconds [][]any
	for i, o := range offers {
		r := local[o.key]
		if verdicts[i], mine[i], err = judge(&r, o); err != nil {
			return fmt.Errorf("document %s, annotator %s: %w", o.doc, o.annotator, err)
		}
		o.row.seconds = max(o.row.seconds, mine[i].seconds)
		switch verdicts[i] {
		case keepLocal:
			res.unchanged++
			if o.row.seconds > mine[i].seconds {
				seconds = append(seconds, []any{o.key.Doc, o.key.Annotator, o.row.seconds})
			}
		default:
			if o.content == nil {
				need = append(need, o)
			}
		}
	}
	if len(need) > 0 {
		if err := load(need); err != nil {
			return err
		}
	}
	var losers []layerKey // local layers that lose a conflict, or whose content decides
	for i, o := range offers {
		if verdicts[i] == conflictIncoming || verdicts[i] == sameClock {
			losers = append(losers, o.key)
		}
	}
	var lost map[layerKey]*layerState
	if len(losers) > 0 {
		if lost, err = readLayers(tx, losers, gold); err != nil {
			return err
		}
	}
	ticked, err := settleSameClocks(tx, offers, verdicts, mine, lost, res)
	if err != nil {
		return err
	}
	// merged is the clock a conflict leaves: both sides' history, or the
	// ticked one of a conflict between equal clocks.
	merged := func(i int) clock {
		if c, ok := ticked[i]; ok {
			return c
		}
		return mine[i].clock.merged(offers[i].row.clock)
	}
	var writes []layerWrite
	for i, o := range offers {
		switch verdicts[i] {
		case takeIncoming:
			row := o.row
			if row.modified.IsZero() {
				row.modified = now()
			}
			writes = append(writes, layerWrite{key: o.key, content: o.content, row: row})
			res.replaced++
		case conflictIncoming:
			id, err := keepVersion(tx, o.key, mine[i], &lost[o.key].content, "changed here and, concurrently, in "+o.from+", whose change is newer and replaced it")
			if err != nil {
				return err
			}
			row := layerRow{clock: merged(i), modified: o.row.modified, seconds: o.row.seconds}
			writes = append(writes, layerWrite{key: o.key, content: o.content, row: row})
			res.replaced++
			res.conflicts = append(res.conflicts, LayerConflict{Doc: o.doc, Annotator: o.annotator, KeptIncoming: true, Version: id})
		case conflictLocal:
			id, err := keepVersion(tx, o.key, o.row, o.content, "from "+o.from+": changed there and, concurrently, here, where the change is newer and was kept")
			if err != nil {
				return err
			}
			c := merged(i)
			if err := tx.Model(&docStatus{}).Where("document_id = ? AND annotator_id = ?", o.key.Doc, o.key.Annotator).
				Updates(map[string]any{"clock": c.encode(), "revision": c.revision(), "seconds": o.row.seconds}).Error; err != nil {
				return err
			}
			res.unchanged++
			res.conflicts = append(res.conflicts, LayerConflict{Doc: o.doc, Annotator: o.annotator, Version: id})
		}
	}
	if err := setLayers(tx, writes, gold); err != nil {
		return err
	}
	// Time alone may come for a layer that has no row here yet.
	greatest := "max"
	if isPostgres(tx) {
		greatest = "GREATEST"
	}
	return jsonInserts(tx, seconds, `INSERT INTO doc_statuses (document_id, annotator_id, status, seconds, updated_at)
		SELECT `+jsonID(0)+`, `+jsonID(1)+`, ?, CAST(j.value->>2 AS double precision), `+sqlTime(tx, "?")+` FROM `+jsonRows(tx)+` WHERE true
		ON CONFLICT (document_id, annotator_id) DO UPDATE SET seconds = `+greatest+`(doc_statuses.seconds, excluded.seconds)`, string(annotate.StatusTodo), now().Format(dbTime))
}

// settleSameClocks decides the offers whose clock equals the local one's:
// the same content changes nothing; another content is a conflict (the
// later change wins, the other is kept as a version), and this copy's
// clock ticks so that the resolution is newer than both: it returns those
// clocks by the offers' index.
func settleSameClocks(tx *gorm.DB, offers []*layerOffer, verdicts []verdict, mine []layerRow, local map[layerKey]*layerState, res *newestResult) (map[int]clock, error) {
	var replica string
	ticked := map[int]clock{}
	for i, o := range offers {
		if verdicts[i] != sameClock {
			continue
		}
		if sameContent(&local[o.key].content, o.content) {
			verdicts[i] = keepLocal
			res.unchanged++
			continue
		}
		if replica == "" {
			var err error
			if replica, err = replicaID(tx); err != nil {
				return nil, err
			}
		}
		ticked[i] = mine[i].clock.ticked(replica)
		if o.row.modified.After(mine[i].modified) {
			verdicts[i] = conflictIncoming
		} else {
			verdicts[i] = conflictLocal
		}
	}
	return ticked, nil
}

// sameContent says whether two layer contents hold the same spans (with
// provenance), relations and status.
func sameContent(a, b *layerContent) bool {
	type norm struct {
		Spans      []annotate.Span
		Relations  []annotate.Relation
		Status     annotate.Status
		GoldStatus annotate.GoldStatus
	}
	n := func(c *layerContent) string {
		spans, rels := normalContent(c.Spans, c.Relations)
		slices.SortStableFunc(rels, relationOrder)
		st, gs := c.Status, c.GoldStatus
		if st == "" {
			st = annotate.StatusTodo
		}
		if gs == "" {
			gs = annotate.GoldTodo
		}
		for i := range spans {
			spans[i].ID = 0
			if len(spans[i].Votes) == 0 {
				spans[i].Votes = nil
			}
		}
		for i := range rels {
			if len(rels[i].Votes) == 0 {
				rels[i].Votes = nil
			}
		}
		b, _ := json.Marshal(norm{spans, rels, st, gs})
		return string(b)
	}
	return n(a) == n(b)
}

// localRows reads the local rows of the offers' layers.
func localRows(tx *gorm.DB, offers []*layerOffer) (map[layerKey]docStatus, error) {
	docs := make([]uint, 0, len(offers))
	seen := map[uint]bool{}
	for _, o := range offers {
		if !seen[o.key.Doc] {
			seen[o.key.Doc] = true
			docs = append(docs, o.key.Doc)
		}
	}
	var rows []docStatus
	if err := tx.Select("document_id, annotator_id, status, seconds, revision, modified_at, clock").Where("document_id IN ?", docs).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[layerKey]docStatus, len(rows))
	for _, r := range rows {
		out[layerKey{r.DocumentID, r.AnnotatorID}] = r
	}
	return out, nil
}

// revisionClock is the clock of a layer that carries only a revision
// number: the local clock, advanced by this copy to that number when it is
// higher (so the numbers compare as they should).
func revisionClock(local clock, revision int64, replica string) clock {
	c := local.merged(nil)
	if d := revision - local.revision(); d > 0 {
		c[replica] += d
	}
	return c
}
