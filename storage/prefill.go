package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"gorm.io/gorm"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
)

// AutomaticEffect is what an automatic pre-fill does to one gold layer.
type AutomaticEffect struct {
	Gold    []annotate.Span // the layer after, in reading order
	Added   []annotate.Span // accepted spans the layer did not have
	Revoted []annotate.Span // automatic spans already there whose votes change (stored ids, new votes)
	Dropped []int64         // automatic spans removed
}

// Automatic is the effect of accepting add automatically into the gold
// layer gold and dropping the spans with the ids in drop. Only automatic
// spans are dropped or get new votes: a decision by hand is never changed,
// and a span the layer has by hand is not accepted beside it.
func Automatic(gold, add []annotate.Span, drop []int64) AutomaticEffect {
	var e AutomaticEffect
	for _, sp := range gold {
		if sp.Decision == annotate.DecisionAutomatic && slices.Contains(drop, sp.ID) {
			e.Dropped = append(e.Dropped, sp.ID)
			continue
		}
		e.Gold = append(e.Gold, sp)
	}
	kept := len(e.Gold)
	for _, sp := range add {
		sp.ID, sp.Decision, sp.DecidedBy, sp.Votes = 0, annotate.DecisionAutomatic, "", sortedVotes(sp.Votes)
		i := slices.IndexFunc(e.Gold, func(g annotate.Span) bool { return g.Start == sp.Start && g.End == sp.End && g.Label == sp.Label })
		switch {
		case i < 0:
			e.Added = append(e.Added, sp)
			e.Gold = append(e.Gold, sp)
		case i < kept && e.Gold[i].Decision == annotate.DecisionAutomatic && !slices.Equal(e.Gold[i].Votes, sp.Votes):
			e.Gold[i].Votes = sp.Votes
			e.Revoted = append(e.Revoted, e.Gold[i])
		}
	}
	slices.SortStableFunc(e.Gold, annotate.CompareSpans)
	return e
}

// GoldAutomatic applies a pre-fill to document docID in one transaction
// (see Automatic), unless its adjudication is finished. It returns how many
// spans were added and removed.
func (s *Store) GoldAutomatic(docID string, add []annotate.Span, drop []int64) (added, dropped int, err error) {
	err = s.write(func(tx *gorm.DB) error {
		var w []autoWrite
		err := eachAdjudication(tx, nil, []string{docID}, true, func(d *adjudicate.Doc, g GoldState) error {
			if g.Status != annotate.GoldFinished {
				w = append(w, autoWrite{doc: docID, text: d.Text, effect: Automatic(d.Gold, add, drop)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		added, dropped, err = applyAutomatic(tx, w)
		return err
	})
	return added, dropped, err
}

// PrefillChange is what a pre-fill does to one document: accept Add
// automatically, drop the automatic gold spans Drop (see Automatic), and
// with Finish declare its adjudication finished afterwards.
//
// AddRelations are relations to accept automatically (see
// adjudicate.PrefillRelations): each is stored when both its ends are in
// the gold layer once Add and Drop are applied, the project's relation
// types allow it and the layer does not have it yet.
type PrefillChange struct {
	Add          []annotate.Span
	Drop         []int64
	AddRelations []adjudicate.Rel
	Finish       bool
}

// Prefill runs a pre-fill over every document in one transaction: it
// reads every document as adjudication sees it (the layers of annotators)
// with its status, calls plan for each — from several goroutines at once,
// with i the document's place in id order — and applies what plan
// returned with batched statements. A finished document is passed to plan
// too, but never changed. by is recorded as who finished.
func (s *Store) Prefill(annotators []string, by string, plan func(i int, d *adjudicate.Doc, g GoldState) (PrefillChange, error)) error {
	return s.write(func(tx *gorm.DB) error {
		// It reads the whole project and writes into the middle of the
		// spans' indexes: a page cache larger than the 2 MB default saves
		// reading pages again (the pragma stays on this connection).
		if !isPostgres(tx) {
			if err := tx.Exec("PRAGMA cache_size = -65536").Error; err != nil {
				return err
			}
		}
		var n int64
		if err := tx.Model(&document{}).Count(&n).Error; err != nil {
			return err
		}
		// Read on this goroutine (the transaction's connection), plan on
		// the others meanwhile; keep only what is to be written.
		type result struct {
			write  *autoWrite
			finish string // the document's id, to be finished
			err    error
		}
		results := make([]result, n)
		type job struct {
			i int
			d *adjudicate.Doc
			g GoldState
		}
		jobs := make(chan job, 2*adjBatch)
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					r := &results[j.i]
					c, err := plan(j.i, j.d, j.g)
					if r.err = err; err != nil || j.g.Status == annotate.GoldFinished {
						continue
					}
					if r.err = fromLayers(j.d, c.Add); r.err != nil {
						continue
					}
					if len(c.Add) > 0 || len(c.Drop) > 0 || len(c.AddRelations) > 0 {
						e := Automatic(j.d.Gold, c.Add, c.Drop)
						e.Gold = nil // not written: keep less until the end
						r.write = &autoWrite{doc: j.d.ID, effect: e, rels: c.AddRelations}
					}
					if c.Finish {
						r.finish = j.d.ID
					}
				}
			}()
		}
		i := 0
		err := eachAdjudication(tx, annotators, nil, false, func(d *adjudicate.Doc, g GoldState) error {
			if i == len(results) {
				return errors.New("pre-fill: documents were added while it read them")
			}
			jobs <- job{i, d, g}
			i++
			return nil
		})
		close(jobs)
		wg.Wait()
		if err != nil {
			return err
		}
		var writes []autoWrite
		var finish []string
		for _, r := range results[:i] {
			if r.err != nil {
				return r.err
			}
			if r.write != nil {
				writes = append(writes, *r.write)
			}
			if r.finish != "" {
				finish = append(finish, r.finish)
			}
		}
		if _, _, err := applyAutomatic(tx, writes); err != nil {
			return err
		}
		if err := applyAutomaticRelations(tx, writes); err != nil {
			return err
		}
		ids, err := docRowIDs(tx, finish)
		if err != nil {
			return err
		}
		return finishRows(tx, ids, by, now())
	})
}

// fromLayers checks that every span of add is exactly a span of one of
// d's layers (so it was checked against the text when it was stored), as
// agreed candidates are, and gives it that span's text.
func fromLayers(d *adjudicate.Doc, add []annotate.Span) error {
	type key struct {
		start, end int
		label      string
	}
	have := map[key]string{}
	for _, l := range d.Layers {
		for _, sp := range l {
			have[key{sp.Start, sp.End, sp.Label}] = sp.Text
		}
	}
	for i, sp := range add {
		text, ok := have[key{sp.Start, sp.End, sp.Label}]
		if !ok || sp.Text != "" && sp.Text != text {
			return fmt.Errorf("document %s: pre-fill span %s [%d,%d) is no annotator's span", d.ID, sp.Label, sp.Start, sp.End)
		}
		add[i].Text = text
	}
	return nil
}

// autoWrite is the effect of a pre-fill on one document (by ext id), with
// the text to check the added spans against ("": checked already).
type autoWrite struct {
	doc    string
	text   string
	effect AutomaticEffect
	rels   []adjudicate.Rel // relations to accept automatically
}

// applyAutomatic writes the effects: inserts in batches, deletes in
// batches, and the rare vote updates one by one. The statements guard what
// Automatic decided (only automatic rows are dropped or revoted, an
// existing row is never inserted over), so a concurrent decision by hand
// survives.
func applyAutomatic(tx *gorm.DB, writes []autoWrite) (added, dropped int, err error) {
	var adds, drops, revotes int
	var changed []string // documents whose gold layer changes
	for _, w := range writes {
		adds, drops, revotes = adds+len(w.effect.Added), drops+len(w.effect.Dropped), revotes+len(w.effect.Revoted)
		if len(w.effect.Added)+len(w.effect.Dropped)+len(w.effect.Revoted)+len(w.rels) > 0 {
			changed = append(changed, w.doc)
		}
	}
	if ids, err := docRowIDs(tx, changed); err != nil {
		return 0, 0, err
	} else if err := touchGold(tx, ids...); err != nil {
		return 0, 0, err
	}
	if adds+drops+revotes == 0 {
		return 0, 0, nil
	}
	gold, err := ensureAnnotator(tx, GoldLayer)
	if err != nil {
		return 0, 0, err
	}
	stamp := now()
	var drop []int64
	for _, w := range writes {
		drop = append(drop, w.effect.Dropped...)
		for _, sp := range w.effect.Revoted {
			if err := tx.Exec(`UPDATE spans SET votes = ?, updated_at = ? WHERE id = ? AND decision = 'automatic'`, encodeVotes(sp.Votes), stamp, sp.ID).Error; err != nil {
				return 0, 0, err
			}
		}
	}
	for from := 0; from < len(drop); from += adjBatch {
		r := tx.Exec(`DELETE FROM spans WHERE annotator_id = ? AND decision = 'automatic' AND id IN ?`, gold, drop[from:min(from+adjBatch, len(drop))])
		if r.Error != nil {
			return 0, 0, r.Error
		}
		dropped += int(r.RowsAffected)
	}
	if adds == 0 {
		return 0, dropped, nil
	}
	labels, err := labelNamesOf(tx)
	if err != nil {
		return 0, 0, err
	}
	labelID := make(map[string]uint, len(labels))
	for id, name := range labels {
		labelID[name] = id
	}
	ext := make([]string, 0, len(writes))
	for _, w := range writes {
		ext = append(ext, w.doc)
	}
	docIDs, err := docRowIDs(tx, ext)
	if err != nil {
		return 0, 0, err
	}
	// The rows go in as one JSON array per statement, unpacked by SQLite:
	// the driver binds parameters in O(n²) per statement and parses the
	// statement at each execution, so many small statements cost more.
	const batch = 5000
	var rows [][]any
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		b, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		r := tx.Exec(`INSERT INTO spans (document_id, annotator_id, start, "end", label_id, text, votes, decision, created_at, updated_at)
			SELECT CAST(j.value->>0 AS bigint), ?, CAST(j.value->>1 AS bigint), CAST(j.value->>2 AS bigint), CAST(j.value->>3 AS bigint), j.value->>4, j.value->>5, 'automatic', ?, ?
			FROM `+jsonRows(tx)+` WHERE true ON CONFLICT DO NOTHING`, gold, stamp, stamp, string(b))
		added += int(r.RowsAffected)
		rows = rows[:0]
		return r.Error
	}
	for i, w := range writes {
		var text []rune // empty: the spans were checked against the layers (fromLayers)
		if w.text != "" {
			text = []rune(w.text)
		}
		for _, sp := range w.effect.Added {
			if text != nil {
				if err := annotate.CheckSpan(text, &sp); err != nil {
					return 0, 0, fmt.Errorf("document %s: %w", w.doc, err)
				}
			}
			label, ok := labelID[sp.Label]
			if !ok {
				return 0, 0, fmt.Errorf("document %s: no label %q", w.doc, sp.Label)
			}
			rows = append(rows, []any{docIDs[i], sp.Start, sp.End, label, sp.Text, encodeVotes(sp.Votes)})
			if len(rows) == batch {
				if err := flush(); err != nil {
					return 0, 0, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return 0, 0, err
	}
	return added, dropped, nil
}

// applyAutomaticRelations stores the relations of writes as automatic gold
// relations, after their spans (applyAutomatic): a relation whose ends are
// not both gold, or that the layer has already (by hand or not), is left
// out by the statement itself; one the relation types refuse is an error.
func applyAutomaticRelations(tx *gorm.DB, writes []autoWrite) error {
	n := 0
	for _, w := range writes {
		n += len(w.rels)
	}
	if n == 0 {
		return nil
	}
	types, labels, err := relationRules(tx)
	if err != nil {
		return err
	}
	labelID := make(map[string]uint, len(labels))
	for id, name := range labels {
		labelID[name] = id
	}
	gold, err := ensureAnnotator(tx, GoldLayer)
	if err != nil {
		return err
	}
	ext := make([]string, 0, len(writes))
	for _, w := range writes {
		ext = append(ext, w.doc)
	}
	docIDs, err := docRowIDs(tx, ext)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, n)
	for i, w := range writes {
		for _, r := range w.rels {
			if err := checkRelation(types, r.Label, r.Head.Label, r.Tail.Label); err != nil {
				return fmt.Errorf("document %s: pre-fill: %w", w.doc, err)
			}
			rows = append(rows, []any{docIDs[i], r.Head.Start, r.Head.End, labelID[r.Head.Label], r.Tail.Start, r.Tail.End, labelID[r.Tail.Label],
				r.Label, encodeVotes(sortedVotes(r.Votes))})
		}
	}
	stamp := now()
	for from := 0; from < len(rows); from += 5000 {
		b, err := json.Marshal(rows[from:min(from+5000, len(rows))])
		if err != nil {
			return err
		}
		err = tx.Exec(`INSERT INTO relations (head_id, tail_id, label, votes, decision, decided_by, created_at)
			SELECT h.id, t.id, j.value->>7, j.value->>8, 'automatic', '', ? FROM `+jsonRows(tx)+`
			JOIN spans h ON h.document_id = CAST(j.value->>0 AS bigint) AND h.annotator_id = ? AND h.start = CAST(j.value->>1 AS bigint) AND h.end = CAST(j.value->>2 AS bigint) AND h.label_id = CAST(j.value->>3 AS bigint)
			JOIN spans t ON t.document_id = CAST(j.value->>0 AS bigint) AND t.annotator_id = ? AND t.start = CAST(j.value->>4 AS bigint) AND t.end = CAST(j.value->>5 AS bigint) AND t.label_id = CAST(j.value->>6 AS bigint)
			WHERE true ON CONFLICT DO NOTHING`, stamp, string(b), gold, gold).Error
		if err != nil {
			return err
		}
	}
	return nil
}
