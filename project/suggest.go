package project

import (
	"cmp"
	"errors"
	"slices"

	"tawsim/annotate"
	"tawsim/annotate/match"
	"tawsim/storage"
)

// Propagate is the suggestions of labelling every match of m with label
// (origin as given) in recs, each a document with the annotator's layer
// first: the matches where that layer has no span with the same offsets.
// The labelled span itself has one, so it is not suggested again. It
// reads nothing and stores nothing.
func Propagate(m *match.Matcher, label string, origin annotate.Origin, recs []annotate.Record) []annotate.Suggestion {
	var out []annotate.Suggestion
	for i := range recs {
		out = propagateIn(out, m, label, origin, &recs[i])
	}
	return out
}

func propagateIn(dst []annotate.Suggestion, m *match.Matcher, label string, origin annotate.Origin, rec *annotate.Record) []annotate.Suggestion {
	var spans [][2]int
	if len(rec.Layers) > 0 {
		for _, sp := range rec.Layers[0].Spans {
			spans = append(spans, [2]int{sp.Start, sp.End})
		}
	}
	return suggestIn(dst, m, label, origin, &rec.Doc, spans)
}

// suggestIn appends the matches of m in doc that are not at spans (a
// layer's offsets, in reading order).
func suggestIn(dst []annotate.Suggestion, m *match.Matcher, label string, origin annotate.Origin, doc *annotate.Document, spans [][2]int) []annotate.Suggestion {
	text := doc.Text
	m.Find(text, func(x match.Match) bool {
		if _, at := slices.BinarySearchFunc(spans, [2]int{x.Start, x.End}, cmpOffsets); !at {
			dst = append(dst, annotate.Suggestion{Doc: doc.ID, Start: x.Start, End: x.End, Label: label, Text: x.Text(text), Origin: origin})
		}
		return true
	})
	return dst
}

func cmpOffsets(a, b [2]int) int {
	return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
}

// A Name is a text to find and the label its matches get.
type Name struct {
	Label   string
	Matcher *match.Matcher
}

// ProjectSuggestions is the suggestions of every name (Propagate) with
// origin in the project for annotator's layer. The documents are read in
// batches and searched on a goroutine while the next batch is read; then
// the layer's offsets are read for the documents that matched only, and
// the matches at them dropped.
func ProjectSuggestions(st *storage.Store, annotator string, names []Name, origin annotate.Origin) ([]annotate.Suggestion, error) {
	var found []annotate.Suggestion
	var docs []string
	read := 0
	// When the first documents show that most match, the whole layer's
	// offsets are read beside the rest of the search instead of after it.
	const probe = 500
	var whole chan offsetsOrErr
	err := eachPiped(st, nil, func(rec *annotate.Record) error {
		read++
		n := len(found)
		for _, nm := range names {
			found = suggestIn(found, nm.Matcher, nm.Label, origin, &rec.Doc, nil)
		}
		if len(found) > n {
			docs = append(docs, rec.Doc.ID)
		}
		if read == probe && 2*len(docs) > read {
			whole = make(chan offsetsOrErr, 1)
			go func() {
				o, err := st.SpanOffsets(annotator, nil)
				whole <- offsetsOrErr{o, err}
			}()
		}
		return nil
	})
	var offsets map[string][][2]int
	switch {
	case whole != nil:
		r := <-whole
		offsets, err = r.offsets, cmp.Or(err, r.err)
	case err == nil:
		if 2*len(docs) > read {
			docs = nil // most documents matched: one read of the whole layer is cheaper
		}
		offsets, err = st.SpanOffsets(annotator, docs)
	}
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(found, func(sg annotate.Suggestion) bool {
		_, at := slices.BinarySearchFunc(offsets[sg.Doc], [2]int{sg.Start, sg.End}, cmpOffsets)
		return at
	}), nil
}

type offsetsOrErr struct {
	offsets map[string][][2]int
	err     error
}

// errFound stops a search at its first hit.
var errFound = errors.New("found")

// Unpropagate withdraws the suggestions that labelling sp propagated in
// annotator's layer, once sp is gone (its labelling undone): the pending
// propagated suggestions of sp's label whose text sp's text matches,
// unless another span of the layer with that label still matches it. It
// returns how many it withdrew.
func Unpropagate(st *storage.Store, annotator string, sp annotate.Span) (int, error) {
	m, err := match.Compile(sp.Text)
	if err != nil { // no word in it: it propagated nothing
		return 0, nil
	}
	err = Search(st, SearchQuery{Matcher: m, Label: sp.Label, Layers: []string{annotator}}, func(Hit) error { return errFound })
	if errors.Is(err, errFound) {
		return 0, nil // another span still stands for them
	}
	if err != nil {
		return 0, err
	}
	sugs, err := st.PropagatedSuggestions(annotator, sp.Label)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for _, sg := range sugs {
		// The span of a match after لل is written without the article's
		// alef (لأردن of للأردن): with its ل back it is the whole match.
		if m.Whole(sg.Text) || m.Whole("ل"+sg.Text) {
			ids = append(ids, sg.ID)
		}
	}
	return len(ids), st.WithdrawSuggestions(ids)
}
