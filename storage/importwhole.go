package storage

import (
	"fmt"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// Whole layers of an import: a file that carries revisions (native JSONL
// exported by Tawsim) follows newest-wins; with ImportOptions.ReplaceLayers
// each layer named becomes exactly the file's. Either way the layer is set
// as a whole, not added to: deleted and moved spans stay deleted and moved.

// wholeOffer is a checked layer of rec as an offer.
func wholeOffer(rec *annotate.Record, layer annotate.Layer, key layerKey, name string, opt ImportOptions, spans []annotate.Span, rels []annotate.Relation) *layerOffer {
	c := &layerContent{Status: layer.Status}
	if name == GoldLayer { // the status of the adjudication is the gold layer's alone
		c.GoldStatus = layer.GoldStatus
	}
	c.Spans, c.Relations = normalContent(spans, rels)
	o := &layerOffer{key: key, doc: rec.Doc.ID, annotator: name, content: c,
		row: layerRow{clock: clock(layer.Clock), modified: layer.Modified, seconds: layer.Seconds}, from: orInput(opt.File), line: rec.Line}
	if rec.Line > 0 {
		o.from = fmt.Sprintf("%s:%d", o.from, rec.Line)
	}
	if name == GoldLayer && c.GoldStatus == "" && !opt.ReplaceLayers {
		// A gold line with a revision and no "gold_status" comes from a
		// gold export of the finished documents only (one that includes
		// others writes the status on every line).
		c.GoldStatus = annotate.GoldFinished
	}
	if len(o.row.clock) == 0 && layer.Revision > 0 {
		o.row.clock = nil // only a revision number: see storeWholeLayers
		o.revision = layer.Revision
	}
	return o
}

// storeWholeLayers applies the whole layers of a batch.
func storeWholeLayers(tx *gorm.DB, st *importState, offers []*layerOffer) error {
	if len(offers) == 0 {
		return nil
	}
	for _, o := range offers {
		if line, ok := st.wholeLines[o.key]; ok {
			return fmt.Errorf("%sdocument %q: the layer of %s appears twice (also at line %d): a file sets a layer once", where(st.opt, o.line), o.doc, o.annotator, line)
		}
		st.wholeLines[o.key] = o.line
	}
	replica, err := replicaID(tx)
	if err != nil {
		return err
	}
	gold, err := goldID(tx)
	if err != nil {
		return err
	}
	keys := make([]layerKey, len(offers))
	for i, o := range offers {
		keys[i] = o.key
	}
	if err := lockLayers(tx, keys); err != nil {
		return err
	}
	have, err := readLayers(tx, keys, gold)
	if err != nil {
		return err
	}
	res := st.res
	if st.opt.ReplaceLayers {
		var writes []layerWrite
		for _, o := range offers {
			cur := have[o.key]
			c := o.content
			if c.Status == "" {
				c.Status = cur.content.Status
			}
			if sameSpans(c, &cur.content) && c.Status == cur.content.Status && (c.GoldStatus == "" || c.GoldStatus == cur.content.GoldStatus) {
				res.LayersUnchanged++
				continue
			}
			row, err := rowOf(&cur.row)
			if err != nil {
				return err
			}
			row.clock, row.modified, row.seconds = row.clock.ticked(replica), now(), max(row.seconds, o.row.seconds)
			writes = append(writes, layerWrite{key: o.key, content: c, row: row})
			res.LayersReplaced++
		}
		return setLayers(tx, writes, gold)
	}
	for _, o := range offers {
		if o.row.clock == nil { // a revision number only: compare numbers
			local, err := rowOf(&have[o.key].row)
			if err != nil {
				return err
			}
			o.row.clock = revisionClock(local.clock, o.revision, replica)
		}
		if o.content.Status == "" {
			o.content.Status = annotate.StatusTodo
		}
	}
	r, err := applyOffers(tx, offers, func([]*layerOffer) error { return nil }, gold)
	if err != nil {
		return err
	}
	res.LayersReplaced += r.replaced
	res.LayersUnchanged += r.unchanged
	res.Conflicts = append(res.Conflicts, r.conflicts...)
	return nil
}
