package project

import (
	"errors"
	"fmt"
	"sort"

	"tawsim/annotate"
	"tawsim/annotate/score"
	"tawsim/storage"
)

// ScoreAgainstGold matches an extractor's predictions with the project's
// gold layer, for `tawsim score --db` and the app's Evaluate window alike.
// The gold documents are those with a gold span or a gold status (the ones
// adjudication has reached), each scored with whatever predictions it has.
// Predictions for other documents of the project are left out and their
// ids returned; a prediction for a document the project does not hold is
// an error (predictions for another corpus).
func ScoreAgainstGold(st *storage.Store, preds []annotate.Record, predLayer string) (docs []score.Doc, noGold []string, err error) {
	infos, err := st.Documents()
	if err != nil {
		return nil, nil, err
	}
	hasGold := map[string]bool{}
	inProject := map[string]bool{}
	for _, d := range infos {
		inProject[d.ID] = true
		if d.Spans[storage.GoldLayer] > 0 || d.Status[storage.GoldLayer] != "" {
			hasGold[d.ID] = true
		}
	}
	if len(hasGold) == 0 {
		return nil, nil, errors.New("the project has no gold annotations yet (adjudicate first)")
	}
	var kept []annotate.Record
	left := map[string]bool{}
	var unknown []string
	for _, r := range preds {
		switch {
		case hasGold[r.Doc.ID]:
			kept = append(kept, r)
		case inProject[r.Doc.ID]:
			left[r.Doc.ID] = true
		default:
			unknown = append(unknown, r.Doc.ID)
		}
	}
	if len(unknown) > 0 {
		return nil, nil, fmt.Errorf("predicted document %q (and %d more) is not in this project: are these predictions for another corpus?", unknown[0], len(unknown)-1)
	}
	var gold []annotate.Record
	err = st.EachRecord(storage.GoldLayer, false, func(rec *annotate.Record) error {
		if hasGold[rec.Doc.ID] {
			gold = append(gold, *rec)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	docs, err = score.Match(gold, kept, score.Layers{Gold: storage.GoldLayer, Pred: predLayer})
	if err != nil {
		return nil, nil, err
	}
	for id := range left {
		noGold = append(noGold, id)
	}
	sort.Strings(noGold)
	return docs, noGold, nil
}
