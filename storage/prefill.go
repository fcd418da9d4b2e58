package storage

import (
	"fmt"
	"slices"
	"strings"
	"time"

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
	slices.SortStableFunc(e.Gold, spanCmp)
	return e
}

// GoldAutomatic applies a pre-fill to document docID in one transaction
// (see Automatic), unless its adjudication is finished. It returns how many
// spans were added and removed.
func (s *Store) GoldAutomatic(docID string, add []annotate.Span, drop []int64) (added, dropped int, err error) {
	err = s.db.Transaction(func(tx *gorm.DB) error {
		var w []autoWrite
		err := eachAdjudication(tx, nil, []string{docID}, func(d *adjudicate.Doc, g GoldState) error {
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
type PrefillChange struct {
	Add    []annotate.Span
	Drop   []int64
	Finish bool
}

// Prefill runs a pre-fill over every document in one transaction: plan is
// called, in id order, with each document as adjudication sees it (the
// layers of annotators) and its status, and what it returns is applied with
// batched statements once every document was planned. A finished document
// is passed to plan too, but never changed. by is recorded as who finished.
func (s *Store) Prefill(annotators []string, by string, plan func(d *adjudicate.Doc, g GoldState) (PrefillChange, error)) error {
	return s.db.Transaction(func(tx *gorm.DB) error {
		var writes []autoWrite
		var finish []string
		err := eachAdjudication(tx, annotators, nil, func(d *adjudicate.Doc, g GoldState) error {
			c, err := plan(d, g)
			if err != nil || g.Status == annotate.GoldFinished {
				return err
			}
			if len(c.Add) > 0 || len(c.Drop) > 0 {
				writes = append(writes, autoWrite{doc: d.ID, text: d.Text, effect: Automatic(d.Gold, c.Add, c.Drop)})
			}
			if c.Finish {
				finish = append(finish, d.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if _, _, err := applyAutomatic(tx, writes); err != nil {
			return err
		}
		ids, err := docRowIDs(tx, finish)
		if err != nil {
			return err
		}
		return finishRows(tx, ids, by, time.Now())
	})
}

// autoWrite is the effect of a pre-fill on one document (by ext id).
type autoWrite struct {
	doc    string
	text   string
	effect AutomaticEffect
}

// applyAutomatic writes the effects: inserts in batches, deletes in
// batches, and the rare vote updates one by one. The statements guard what
// Automatic decided (only automatic rows are dropped or revoted, an
// existing row is never inserted over), so a concurrent decision by hand
// survives.
func applyAutomatic(tx *gorm.DB, writes []autoWrite) (added, dropped int, err error) {
	var adds, drops, revotes int
	for _, w := range writes {
		adds, drops, revotes = adds+len(w.effect.Added), drops+len(w.effect.Dropped), revotes+len(w.effect.Revoted)
	}
	if adds+drops+revotes == 0 {
		return 0, 0, nil
	}
	gold, err := ensureAnnotator(tx, GoldLayer)
	if err != nil {
		return 0, 0, err
	}
	now := time.Now()
	var drop []int64
	for _, w := range writes {
		drop = append(drop, w.effect.Dropped...)
		for _, sp := range w.effect.Revoted {
			if err := tx.Exec(`UPDATE spans SET votes = ?, updated_at = ? WHERE id = ? AND decision = 'automatic'`, encodeVotes(sp.Votes), now, sp.ID).Error; err != nil {
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
	// The driver binds parameters in O(n²) per statement: small batches.
	const batch = 25
	const cols = 10
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
		q := `INSERT INTO spans (document_id, annotator_id, start, end, label_id, text, votes, decision, created_at, updated_at) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+", ", len(args)/cols), ", ") + ` ON CONFLICT DO NOTHING`
		r := tx.Exec(q, args...)
		added += int(r.RowsAffected)
		args = args[:0]
		return r.Error
	}
	for i, w := range writes {
		text := []rune(w.text)
		for _, sp := range w.effect.Added {
			if err := annotate.CheckSpan(text, &sp); err != nil {
				return 0, 0, fmt.Errorf("document %s: %w", w.doc, err)
			}
			label, ok := labelID[sp.Label]
			if !ok {
				return 0, 0, fmt.Errorf("document %s: no label %q", w.doc, sp.Label)
			}
			args = append(args, docIDs[i], gold, sp.Start, sp.End, label, sp.Text, encodeVotes(sp.Votes), string(annotate.DecisionAutomatic), now, now)
			if len(args) == batch*cols {
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
