package project

import (
	"errors"
	"hash/maphash"
	"math"
	"slices"
	"sort"
	"strings"
	"unsafe"

	"tawsim/annotate"
	"tawsim/annotate/score"
	"tawsim/storage"
)

// predSet holds an extractor's predictions without their texts (a hash
// of each stays): scoring streams the gold documents past them. A layer's
// plain spans (offsets and label only) are held packed, 12 bytes each,
// and unpacked with their texts from the gold document when it is scored:
// the reader checked each span's text against its document's, and the
// hash that the gold text is that same text.
type predSet struct {
	seed   maphash.Seed
	recs   map[string][]annotate.Record
	packed map[*annotate.Layer][]packedSpan
	labels []string // packedSpan.label indexes these
	label  map[string]uint32
	text   map[string]uint64
	order  []string // ids in file order
	mixed  bool     // an id with two texts: for the whole path to word
}

type packedSpan struct {
	start, end int32
	label      uint32
}

func readPreds(path, format string) (*predSet, error) {
	p := &predSet{seed: maphash.MakeSeed(), recs: map[string][]annotate.Record{}, text: map[string]uint64{},
		packed: map[*annotate.Layer][]packedSpan{}, label: map[string]uint32{}}
	err := scanPiped(path, ImportOptions{Format: format}, func(recs []annotate.Record) error {
		for _, r := range recs {
			h := maphash.String(p.seed, r.Doc.Text)
			if old, ok := p.text[r.Doc.ID]; !ok {
				p.text[r.Doc.ID] = h
				p.order = append(p.order, r.Doc.ID)
			} else if old != h {
				p.mixed = true
			}
			r.Layers = slices.Clone(r.Layers)
			for i := range r.Layers {
				p.pack(&r.Layers[i], r.Doc.Text)
			}
			r.Doc.Text = ""
			p.recs[r.Doc.ID] = append(p.recs[r.Doc.ID], r)
		}
		return nil
	})
	return p, err
}

// pack holds l's spans packed when they are all plain and fit, else with
// their texts as their own copies.
func (p *predSet) pack(l *annotate.Layer, text string) {
	plain := !slices.ContainsFunc(l.Spans, func(sp annotate.Span) bool {
		return sp.ID != 0 || len(sp.Votes) > 0 || sp.Decision != "" || sp.DecidedBy != "" || sp.Origin != "" || sp.End > math.MaxInt32
	})
	if !plain || len(l.Spans) == 0 {
		for j := range l.Spans {
			l.Spans[j].Text = ownText(l.Spans[j].Text, text)
		}
		return
	}
	packed := make([]packedSpan, len(l.Spans))
	for j, sp := range l.Spans {
		id, ok := p.label[sp.Label]
		if !ok {
			id = uint32(len(p.labels))
			p.labels = append(p.labels, sp.Label)
			p.label[sp.Label] = id
		}
		packed[j] = packedSpan{int32(sp.Start), int32(sp.End), id}
	}
	l.Spans = nil
	p.packed[l] = packed
}

// unpacked is rec (as held) with text as its document's and its packed
// spans as spans again, their texts cut from text.
func (p *predSet) unpacked(rec annotate.Record, text string) annotate.Record {
	held := rec.Layers
	rec.Doc.Text = text
	rec.Layers = slices.Clone(held)
	var cur *annotate.Cursor
	for i := range held {
		packed, ok := p.packed[&held[i]]
		if !ok {
			continue
		}
		if cur == nil {
			cur = annotate.NewCursor(text)
		}
		spans := make([]annotate.Span, len(packed))
		for j, ps := range packed {
			t, _ := cur.Slice(int(ps.start), int(ps.end))
			spans[j] = annotate.Span{Start: int(ps.start), End: int(ps.end), Label: p.labels[ps.label], Text: t}
		}
		rec.Layers[i].Spans = spans
	}
	return rec
}

// drop forgets the predictions of document id.
func (p *predSet) drop(id string) {
	for _, r := range p.recs[id] {
		for i := range r.Layers {
			delete(p.packed, &r.Layers[i])
		}
	}
	delete(p.recs, id)
	delete(p.text, id)
}

// ownText returns s, copied when it is a substring of text (a span's text
// the reader cut from its document's) so that it does not keep text alive;
// a span text the parser allocated is already its own.
func ownText(s, text string) string {
	if len(s) == 0 || len(text) == 0 {
		return s
	}
	p, t := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(text)))
	if p >= t && p < t+uintptr(len(text)) {
		return strings.Clone(s)
	}
	return s
}

// errWhole says that the documents need the whole reading (score.Match
// over all of them) to be matched or their error to be worded.
var errWhole = errors.New("read whole")

// scoreStream scores the gold documents eachGold hands on, a batch at a
// time, against preds. It answers errWhole for what only score.Match over
// everything matches or words the same way: a gold id twice, a text that
// differs, predictions for documents not in gold, any error of Match.
// The report counts the errors: they go to ew as they are found, or
// nowhere without one.
func scoreStream(eachGold func(fn func([]annotate.Record) error) error, preds *predSet, layers score.Layers, ew *score.ErrorWriter) (*score.Report, error) {
	if preds.mixed {
		return nil, errWhole
	}
	sc := score.NewScorer()
	if ew != nil {
		sc.WriteErrorsTo(ew)
	} else {
		sc.DropErrors()
	}
	seen := map[string]bool{}
	var pb []annotate.Record
	err := eachGold(func(gb []annotate.Record) error {
		pb = pb[:0]
		for i := range gb {
			id := gb[i].Doc.ID
			if seen[id] {
				return errWhole
			}
			seen[id] = true
			if h, ok := preds.text[id]; ok {
				if h != maphash.String(preds.seed, gb[i].Doc.Text) {
					return errWhole
				}
				for _, r := range preds.recs[id] {
					pb = append(pb, preds.unpacked(r, gb[i].Doc.Text))
				}
			}
		}
		docs, err := score.Match(gb, pb, layers)
		if err != nil {
			return errWhole // the whole reading words it as over all documents
		}
		sc.Add(docs)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, id := range preds.order {
		if !seen[id] {
			return nil, errWhole
		}
	}
	return sc.Report(), nil
}

// ScoreFiles scores the predictions of predPath (read as predFormat, ""
// to detect) against the gold native JSONL file goldPath. The gold file
// is read a batch at a time and the predictions are held without their
// texts, so that memory does not grow with the texts of the corpus. The
// report counts the errors without listing them, so that memory does not
// grow with them either: with ew they are written to it as each document
// is scored (close it after).
func ScoreFiles(goldPath, predPath, predFormat string, layers score.Layers, ew *score.ErrorWriter) (*score.Report, error) {
	preds, err := readPreds(predPath, predFormat)
	if err != nil {
		return nil, err
	}
	rep, err := scoreStream(func(fn func([]annotate.Record) error) error {
		return scanPiped(goldPath, ImportOptions{Format: "jsonl"}, fn)
	}, preds, layers, ew)
	if !errors.Is(err, errWhole) {
		return rep, err
	}
	gold, _, err := ReadFile(goldPath, ImportOptions{Format: "jsonl"})
	if err != nil {
		return nil, err
	}
	pred, _, err := ReadFile(predPath, ImportOptions{Format: predFormat})
	if err != nil {
		return nil, err
	}
	docs, err := score.Match(gold, pred, layers)
	if err != nil {
		return nil, err
	}
	return scoreWhole(docs, ew), nil
}

// scoreWhole scores documents read whole as scoreStream scores them: the
// errors go to ew, or are only counted.
func scoreWhole(docs []score.Doc, ew *score.ErrorWriter) *score.Report {
	rep := score.ScoreTo(docs, ew)
	rep.Errors, rep.RelationErrors = nil, nil
	return rep
}

// ScoreProject is ScoreFinished for the predictions of predPath, the
// project's gold layer read a batch of documents at a time. It returns the
// report, the documents left out and the predicted documents ignored.
// With ew the errors are written to it, as with ScoreFiles.
func ScoreProject(st *storage.Store, predPath, predFormat, predLayer string, ew *score.ErrorWriter) (*score.Report, int, []string, error) {
	preds, err := readPreds(predPath, predFormat)
	if err != nil {
		return nil, 0, nil, err
	}
	statuses, err := st.GoldStatuses()
	if err != nil {
		return nil, 0, nil, err
	}
	finished := map[string]bool{}
	for id, g := range statuses {
		if g.Status == annotate.GoldFinished {
			finished[id] = true
		}
	}
	var ignored, unknown []string
	for _, id := range preds.order {
		_, inProject := statuses[id]
		switch {
		case finished[id]:
		case inProject:
			ignored = append(ignored, id)
			preds.drop(id)
		default:
			unknown = append(unknown, id)
		}
	}
	whole := func() (*score.Report, int, []string, error) {
		pred, _, err := ReadFile(predPath, ImportOptions{Format: predFormat})
		if err != nil {
			return nil, 0, nil, err
		}
		g, err := ScoreFinished(st, pred, predLayer)
		if err != nil {
			return nil, 0, nil, err
		}
		return scoreWhole(g.Docs, ew), g.LeftOut, g.Ignored, nil
	}
	if len(unknown) > 0 || len(finished) == 0 {
		return whole() // ScoreFinished words the error
	}
	kept := preds.order[:0]
	for _, id := range preds.order {
		if finished[id] {
			kept = append(kept, id)
		}
	}
	preds.order = kept
	rep, err := scoreStream(func(fn func([]annotate.Record) error) error {
		var batch []annotate.Record
		err := st.EachRecord(storage.GoldLayer, false, func(rec *annotate.Record) error {
			if !finished[rec.Doc.ID] {
				return nil
			}
			if batch = append(batch, *rec); len(batch) < 256 {
				return nil
			}
			err := fn(batch)
			batch = batch[:0]
			return err
		})
		if err == nil && len(batch) > 0 {
			err = fn(batch)
		}
		return err
	}, preds, score.Layers{Gold: storage.GoldLayer, Pred: predLayer}, ew)
	if errors.Is(err, errWhole) {
		return whole()
	}
	if err != nil {
		return nil, 0, nil, err
	}
	sort.Strings(ignored)
	return rep, len(statuses) - len(finished), ignored, nil
}
