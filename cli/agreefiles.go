package cli

import (
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"tawsim/annotate"
	"tawsim/annotate/agree"
	"tawsim/export"
)

// fileDoc is what the first reading of a file keeps of one document: not
// its text nor its spans.
type fileDoc struct {
	id     string
	line   int
	text   uint64 // hash of the text
	labels []string
}

// agreeFromFiles computes the agreement of one native JSONL file per
// annotator, documents matched by id, in the first file's order. The files
// are read twice, in parallel: first for the ids, texts' hashes and labels,
// then a batch of documents at a time into an agree.Tally, so that memory
// holds one batch, at any size. Files that list the documents in different
// orders are held whole instead.
func agreeFromFiles(files []string, allowMissing bool, opts agree.Options) (*agree.Report, []string, error) {
	seed := maphash.MakeSeed()
	index := make([][]fileDoc, len(files))
	names := make([]string, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			index[i], names[i], errs[i] = indexFile(f, seed)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	annotators := make([]string, len(files))
	for i, f := range files {
		name := names[i]
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		}
		for j := 0; j < i; j++ {
			if annotators[j] == name {
				return nil, nil, fmt.Errorf("%s and %s are both annotator %q", files[j], f, name)
			}
		}
		annotators[i] = name
	}
	// Documents by id, in the first file's order.
	type entry struct {
		text   uint64
		in     []bool // which files have it
		source string
	}
	byID := map[string]*entry{}
	var order []string
	for i, f := range files {
		for _, d := range index[i] {
			e := byID[d.id]
			if e == nil {
				e = &entry{text: d.text, in: make([]bool, len(files)), source: f}
				byID[d.id] = e
				order = append(order, d.id)
			} else if e.text != d.text {
				return nil, nil, fmt.Errorf("document %q has a different text in %s (line %d) than in %s", d.id, f, d.line, e.source)
			}
			if e.in[i] {
				return nil, nil, fmt.Errorf("%s:%d: document %q appears twice", f, d.line, d.id)
			}
			e.in[i] = true
		}
	}
	keep := map[string]bool{}
	var kept, excluded []string
	for _, id := range order {
		if i := slices.Index(byID[id].in, false); i >= 0 {
			if !allowMissing {
				return nil, nil, fmt.Errorf("document %q is missing from %s (use --allow-missing to leave such documents out)", id, files[i])
			}
			excluded = append(excluded, id)
			continue
		}
		keep[id] = true
		kept = append(kept, id)
	}
	var labels []string
	for i := range files {
		for _, d := range index[i] {
			if keep[d.id] {
				labels = append(labels, d.labels...)
			}
		}
	}
	slices.Sort(labels)
	labels = slices.Compact(labels)
	for _, l := range labels {
		if l == "" || l == agree.Outside {
			labels = nil // Compute names the span
			break
		}
	}
	sameOrder := labels != nil
	for i := range files {
		j := 0
		for _, d := range index[i] {
			if keep[d.id] {
				sameOrder = sameOrder && kept[j] == d.id
				j++
			}
		}
	}
	index = nil
	if !sameOrder {
		docs, err := readAgreementDocs(files, annotators, keep)
		if err != nil {
			return nil, nil, err
		}
		rep, err := agree.Compute(docs, annotators, opts)
		return rep, excluded, err
	}
	t, err := agree.NewTally(annotators, labels, opts)
	if err != nil {
		return nil, nil, err
	}
	if err := tallyFiles(t, files, annotators, keep); err != nil {
		return nil, nil, err
	}
	return t.Report(), excluded, nil
}

// indexFile reads one annotator's file for its documents and the one
// annotator it names ("" if none).
func indexFile(f string, seed maphash.Seed) ([]fileDoc, string, error) {
	fh, err := os.Open(f)
	if err != nil {
		return nil, "", err
	}
	defer fh.Close()
	var out []fileDoc
	name := ""
	intern := map[string]string{}
	err = export.ScanJSONL(fh, f, func(recs []annotate.Record) error {
		for _, r := range recs {
			d := fileDoc{id: r.Doc.ID, line: r.Line, text: maphash.String(seed, r.Doc.Text)}
			for _, l := range r.Layers {
				if l.Annotator != "" {
					if name != "" && l.Annotator != name {
						return fmt.Errorf("%s:%d: annotator %q, but earlier lines are %q; give each annotator a file of their own", f, r.Line, l.Annotator, name)
					}
					name = l.Annotator
				}
				for _, sp := range l.Spans {
					if !slices.Contains(d.labels, sp.Label) {
						if _, ok := intern[sp.Label]; !ok {
							intern[sp.Label] = sp.Label
						}
						d.labels = append(d.labels, intern[sp.Label])
					}
				}
			}
			out = append(out, d)
		}
		return nil
	})
	return out, name, err
}

// layerOf joins a line's layers into one (one per line as a rule),
// the relations' ends shifted to index the joined spans.
func layerOf(r *annotate.Record) ([]annotate.Span, []annotate.Relation) {
	if len(r.Layers) == 1 {
		return r.Layers[0].Spans, r.Layers[0].Relations
	}
	var spans []annotate.Span
	var rels []annotate.Relation
	for _, l := range r.Layers {
		for _, rel := range l.Relations {
			rel.Head += len(spans)
			rel.Tail += len(spans)
			rels = append(rels, rel)
		}
		spans = append(spans, l.Spans...)
	}
	return spans, rels
}

func newAgreeDoc(r *annotate.Record) agree.Doc {
	return agree.Doc{ID: r.Doc.ID, Text: r.Doc.Text, Layers: map[string][]annotate.Span{}, Relations: map[string][]annotate.Relation{}}
}

func addLayer(d *agree.Doc, name string, r *annotate.Record) {
	spans, rels := layerOf(r)
	d.Layers[name] = spans
	if len(rels) > 0 {
		d.Relations[name] = rels
	}
}

// readAgreementDocs reads the kept documents of the files whole.
func readAgreementDocs(files, annotators []string, keep map[string]bool) ([]agree.Doc, error) {
	at := map[string]int{}
	var docs []agree.Doc
	for i, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		err = export.ScanJSONL(fh, f, func(recs []annotate.Record) error {
			for j := range recs {
				r := &recs[j]
				if !keep[r.Doc.ID] {
					continue
				}
				k, ok := at[r.Doc.ID]
				if !ok {
					k = len(docs)
					at[r.Doc.ID] = k
					docs = append(docs, newAgreeDoc(r))
				}
				addLayer(&docs[k], annotators[i], r)
			}
			return nil
		})
		fh.Close()
		if err != nil {
			return nil, err
		}
	}
	return docs, nil
}

// tallyFiles reads the files side by side, each in its own goroutine, and
// tallies their kept documents a batch at a time (they come in the same
// order in every file).
func tallyFiles(t *agree.Tally, files, annotators []string, keep map[string]bool) error {
	type batch struct {
		recs []annotate.Record
		err  error
	}
	streams := make([]chan batch, len(files))
	done := make(chan struct{})
	defer close(done)
	for i, f := range files {
		streams[i] = make(chan batch)
		go func() {
			defer close(streams[i])
			fh, err := os.Open(f)
			if err != nil {
				streams[i] <- batch{err: err}
				return
			}
			defer fh.Close()
			err = export.ScanJSONL(fh, f, func(recs []annotate.Record) error {
				kept := recs[:0]
				for _, r := range recs {
					if keep[r.Doc.ID] {
						kept = append(kept, r)
					}
				}
				select {
				case streams[i] <- batch{recs: kept}:
					return nil
				case <-done:
					return errStopped
				}
			})
			if err != nil && err != errStopped {
				select {
				case streams[i] <- batch{err: err}:
				case <-done:
				}
			}
		}()
	}
	pending := make([][]annotate.Record, len(files))
	next := func(i int) (*annotate.Record, error) {
		for len(pending[i]) == 0 {
			b, ok := <-streams[i]
			if !ok {
				return nil, nil
			}
			if b.err != nil {
				return nil, b.err
			}
			pending[i] = b.recs
		}
		r := &pending[i][0]
		pending[i] = pending[i][1:]
		return r, nil
	}
	var docs []agree.Doc
	for {
		var d agree.Doc
		for i := range files {
			r, err := next(i)
			if err != nil {
				return err
			}
			if r == nil {
				return t.Add(docs)
			}
			if i == 0 {
				d = newAgreeDoc(r)
			}
			addLayer(&d, annotators[i], r)
		}
		if docs = append(docs, d); len(docs) == 256 {
			if err := t.Add(docs); err != nil {
				return err
			}
			docs = docs[:0]
		}
	}
}

var errStopped = errors.New("stopped")
