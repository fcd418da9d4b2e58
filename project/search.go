package project

import (
	"tawsim/annotate"
	"tawsim/annotate/match"
	"tawsim/storage"
)

// SearchQuery is what Search looks for.
type SearchQuery struct {
	// Matcher finds the query (match.Compile); nil with a Label finds
	// every span of it.
	Matcher *match.Matcher
	// Label searches the spans of this label, whose whole text matches
	// (match.Matcher.Whole), instead of the text.
	Label string
	// Layers are the annotators whose spans a Label search reads; none
	// reads every layer, the gold one included.
	Layers []string
}

// Hit is one search result: a match in a document's text, or a span.
type Hit struct {
	Doc       string `json:"doc"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Text      string `json:"text"` // the document's text [Start,End)
	Label     string `json:"label,omitempty"`
	Annotator string `json:"annotator,omitempty"`
}

// Search calls fn with each hit of q in the project, by document id, then
// by offset (a Label search: by layer, then as the layer orders its
// spans). The documents are read in batches: memory does not grow with
// the project. fn runs on a goroutine of Search's own, one call at a time,
// all of them before Search returns.
func Search(st *storage.Store, q SearchQuery, fn func(Hit) error) error {
	layers, hits := q.Layers, q.textHits
	if q.Label != "" {
		hits = q.spanHits
		if len(layers) == 0 {
			names, err := st.Annotators()
			if err != nil {
				return err
			}
			layers = append(names, storage.GoldLayer)
		}
	}
	return eachPiped(st, layers, func(rec *annotate.Record) error { return hits(rec, fn) })
}

// eachPiped calls fn with every document and the named layers
// (storage.EachLayers) on a goroutine of its own, one call at a time,
// while the next documents are read: the read takes as long as a search.
func eachPiped(st *storage.Store, layers []string, fn func(rec *annotate.Record) error) error {
	p := newPipe(func(recs []annotate.Record) error {
		for i := range recs {
			if err := fn(&recs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	const batch = 100
	var recs []annotate.Record
	err := st.EachLayers(layers, func(rec *annotate.Record) error {
		if recs = append(recs, *rec); len(recs) < batch {
			return nil
		}
		err := p.send(recs)
		recs = nil
		return err
	})
	if err == nil && len(recs) > 0 {
		err = p.send(recs)
	}
	if werr := p.wait(); err == nil {
		err = werr
	}
	return err
}

// textHits calls fn with the matches in rec's text.
func (q SearchQuery) textHits(rec *annotate.Record, fn func(Hit) error) error {
	var err error
	text := rec.Doc.Text
	q.Matcher.Find(text, func(x match.Match) bool {
		err = fn(Hit{Doc: rec.Doc.ID, Start: x.Start, End: x.End, Text: x.Text(text)})
		return err == nil
	})
	return err
}

// spanHits calls fn with rec's spans of q.Label whose text matches.
func (q SearchQuery) spanHits(rec *annotate.Record, fn func(Hit) error) error {
	for _, ly := range rec.Layers {
		for _, sp := range ly.Spans {
			if sp.Label != q.Label || q.Matcher != nil && !q.Matcher.Whole(sp.Text) {
				continue
			}
			if err := fn(Hit{Doc: rec.Doc.ID, Start: sp.Start, End: sp.End, Text: sp.Text, Label: sp.Label, Annotator: ly.Annotator}); err != nil {
				return err
			}
		}
	}
	return nil
}
