package score

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"

	"tawsim/internal/atomicfile"
)

// ErrorWriter writes the errors of a score as WriteErrors writes a
// report's (the span errors by document id, then the relation errors the
// same way), taking them as each document is scored: memory does not
// grow with the errors. A document's lines go to two scratch files at
// once; Close copies them out in document order. What stays in memory is
// one entry per document with errors.
type ErrorWriter struct {
	w           io.Writer
	dir         string
	spans, rels *scratchFile
	docs        []errDoc
	line        bytes.Buffer
	enc         *json.Encoder
	err         error // the first failure, answered by Close
}

// errDoc is where one document's lines are in the scratch files.
type errDoc struct {
	id         string
	spans, rel section
}

type section struct{ off, n int64 }

// scratchFile is a scratch file written through a buffer.
type scratchFile struct {
	f    *os.File
	done func()
	bw   *bufio.Writer
	size int64
}

// NewErrorWriter writes the errors to w when closed, its scratch files in
// dir ("" for the system's temporary folder).
func NewErrorWriter(w io.Writer, dir string) *ErrorWriter {
	e := &ErrorWriter{w: w, dir: dir}
	e.enc = json.NewEncoder(&e.line)
	e.enc.SetEscapeHTML(false)
	return e
}

// reset drops what was written so far: a new score starts.
func (e *ErrorWriter) reset() {
	for _, f := range []*scratchFile{e.spans, e.rels} {
		if f != nil {
			f.done()
		}
	}
	e.spans, e.rels, e.docs, e.err = nil, nil, nil, nil
}

// document takes the errors of one document, each list in its order.
func (e *ErrorWriter) document(id string, errs []ErrorItem, rels []RelationError) {
	if e.err != nil || len(errs)+len(rels) == 0 {
		return
	}
	d := errDoc{id: strings.Clone(id)} // not a part of a line the reader keeps
	e.line.Reset()
	if e.err = encodeEach(e.enc, errs); e.err == nil {
		d.spans, e.err = e.put(&e.spans, "score-spans")
	}
	e.line.Reset()
	if e.err == nil {
		e.err = encodeEach(e.enc, rels)
	}
	if e.err == nil {
		d.rel, e.err = e.put(&e.rels, "score-relations")
	}
	e.docs = append(e.docs, d)
}

// put appends the encoded lines to the scratch file *f (made on first
// use) and says where they are.
func (e *ErrorWriter) put(f **scratchFile, name string) (section, error) {
	if e.line.Len() == 0 {
		return section{}, nil
	}
	if *f == nil {
		file, done, err := atomicfile.Scratch(e.dir, name)
		if err != nil {
			return section{}, err
		}
		*f = &scratchFile{f: file, done: done, bw: bufio.NewWriterSize(file, 1<<16)}
	}
	s := section{off: (*f).size, n: int64(e.line.Len())}
	_, err := (*f).bw.Write(e.line.Bytes())
	(*f).size += s.n
	return s, err
}

// encodeEach encodes every item, one line each.
func encodeEach[T any](enc *json.Encoder, items []T) error {
	for i := range items {
		if err := enc.Encode(&items[i]); err != nil {
			return err
		}
	}
	return nil
}

// Discard removes the scratch files, writing nothing.
func (e *ErrorWriter) Discard() { e.reset() }

// Close writes the errors to the writer, the span errors then the
// relation errors, by document id (documents of one id as they came), and
// removes the scratch files.
func (e *ErrorWriter) Close() error {
	defer e.reset()
	if e.err != nil {
		return e.err
	}
	slices.SortStableFunc(e.docs, func(a, b errDoc) int { return strings.Compare(a.id, b.id) })
	for _, part := range []struct {
		f  *scratchFile
		of func(*errDoc) section
	}{{e.spans, func(d *errDoc) section { return d.spans }}, {e.rels, func(d *errDoc) section { return d.rel }}} {
		if part.f == nil {
			continue
		}
		if err := part.f.bw.Flush(); err != nil {
			return err
		}
		// Documents that came in id order lie one after the other: one
		// copy for each run of them.
		var run section
		for i := range e.docs {
			s := part.of(&e.docs[i])
			if s.n == 0 {
				continue
			}
			if run.n > 0 && run.off+run.n == s.off {
				run.n += s.n
				continue
			}
			if err := part.f.copy(e.w, run); err != nil {
				return err
			}
			run = s
		}
		if err := part.f.copy(e.w, run); err != nil {
			return err
		}
	}
	return nil
}

func (f *scratchFile) copy(w io.Writer, s section) error {
	if s.n == 0 {
		return nil
	}
	_, err := io.Copy(w, io.NewSectionReader(f.f, s.off, s.n))
	return err
}
