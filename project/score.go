package project

import (
	"fmt"
	"sort"

	"tawsim/annotate"
	"tawsim/annotate/score"
	"tawsim/storage"
)

// GoldScoring is the selection ScoreFinished makes.
type GoldScoring struct {
	Docs    []score.Doc // the finished documents, matched with their predictions
	LeftOut int         // documents of the project left out: adjudication not finished
	Ignored []string    // predicted documents among those, whose predictions were ignored (sorted)
}

// ScoreFinished matches an extractor's predictions with the project's gold
// layer, for `tawsim score --db` and the app's Evaluate window alike. Only
// documents whose adjudication is finished are scored, each with whatever
// predictions it has (none: every gold span missed): a document still in
// adjudication has no gold to trust yet, and its predictions are ignored.
// A prediction for a document the project does not hold is an error
// (predictions for another corpus).
func ScoreFinished(st *storage.Store, preds []annotate.Record, predLayer string) (GoldScoring, error) {
	var out GoldScoring
	statuses, err := st.GoldStatuses()
	if err != nil {
		return out, err
	}
	finished := map[string]bool{}
	for id, g := range statuses {
		if g.Status == annotate.GoldFinished {
			finished[id] = true
		}
	}
	out.LeftOut = len(statuses) - len(finished)
	if len(finished) == 0 {
		return out, fmt.Errorf("no document's adjudication is finished (%d documents): there is no gold to score against yet", len(statuses))
	}
	var kept []annotate.Record
	left := map[string]bool{}
	var unknown []string
	for _, r := range preds {
		_, inProject := statuses[r.Doc.ID]
		switch {
		case finished[r.Doc.ID]:
			kept = append(kept, r)
		case inProject:
			left[r.Doc.ID] = true
		default:
			unknown = append(unknown, r.Doc.ID)
		}
	}
	if len(unknown) > 0 {
		return out, fmt.Errorf("predicted document %q (and %d more) is not in this project: are these predictions for another corpus?", unknown[0], len(unknown)-1)
	}
	var gold []annotate.Record
	err = st.EachRecord(storage.GoldLayer, false, func(rec *annotate.Record) error {
		if finished[rec.Doc.ID] {
			gold = append(gold, *rec)
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	if out.Docs, err = score.Match(gold, kept, score.Layers{Gold: storage.GoldLayer, Pred: predLayer}); err != nil {
		return out, err
	}
	for id := range left {
		out.Ignored = append(out.Ignored, id)
	}
	sort.Strings(out.Ignored)
	return out, nil
}
