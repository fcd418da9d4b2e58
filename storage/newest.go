package storage

import (
	"fmt"

	"gorm.io/gorm"
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
)

// judge compares an offer with the local row (Clock "" for none).
func judge(local *docStatus, in *layerOffer) (verdict, layerRow, error) {
	mine, err := rowOf(local)
	if err != nil {
		return 0, mine, err
	}
	switch mine.clock.compare(in.row.clock) {
	case clockEqual, clockAfter:
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
	adopted             []*layerOffer // the offers that are now the layers
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
	var losers []layerKey // local layers that lose a conflict
	for i, o := range offers {
		if verdicts[i] == conflictIncoming {
			losers = append(losers, o.key)
		}
	}
	var lost map[layerKey]*layerState
	if len(losers) > 0 {
		if lost, err = readLayers(tx, losers, gold); err != nil {
			return err
		}
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
			res.adopted = append(res.adopted, o)
		case conflictIncoming:
			id, err := keepVersion(tx, o.key, mine[i], &lost[o.key].content, "changed here and, concurrently, in "+o.from+", whose change is newer and replaced it")
			if err != nil {
				return err
			}
			row := layerRow{clock: mine[i].clock.merged(o.row.clock), modified: o.row.modified, seconds: o.row.seconds}
			writes = append(writes, layerWrite{key: o.key, content: o.content, row: row})
			res.replaced++
			res.adopted = append(res.adopted, o)
			res.conflicts = append(res.conflicts, LayerConflict{Doc: o.doc, Annotator: o.annotator, KeptIncoming: true, Version: id})
		case conflictLocal:
			id, err := keepVersion(tx, o.key, o.row, o.content, "from "+o.from+": changed there and, concurrently, here, where the change is newer and was kept")
			if err != nil {
				return err
			}
			c := mine[i].clock.merged(o.row.clock)
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
	return jsonInserts(tx, seconds, `UPDATE doc_statuses SET seconds = CAST(j.value->>2 AS double precision) FROM `+jsonRows(tx)+`
		WHERE doc_statuses.document_id = `+jsonID(0)+` AND doc_statuses.annotator_id = `+jsonID(1))
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
