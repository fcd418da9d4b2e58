package export

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"strings"
	"unicode/utf8"

	"tawsim/annotate"
	"tawsim/annotate/tokens"
	"tawsim/internal/atomicfile"
)

// conll: CoNLL-2003 style columns, TOKEN<TAB>TAG per line, a blank line
// after each sentence, and before each document the CoNLL-2003 line
// "-DOCSTART- -X- O O" and a blank line. That line is what spaCy's CoNLL
// converter splits documents on; a document id on it would be read as a
// token or a tag by every CoNLL reader, so the ids go to a side file
// DEST.ids instead, one per line in document order (not for stdout). Tags
// are BIO (IOB2) or, with Options.Scheme "bioes", BIOES. A sentence is
// never broken inside a span.
//
// On import the columns may be separated by tabs or (when a line has no
// tab) by spaces; the first column is the token and the last the tag, so
// the original four-column CoNLL-2003 files read too. B-/I-/E-/S- (and
// BILOU's L-/U-) are all understood, IOB1 included: an I- tag that does not
// continue a span of its type starts one, as conlleval does, with a warning.
// A document takes its id from FILE.ids when that file has one id per
// document, else from "-DOCSTART- ID" (the shape Tawsim wrote before), else
// FILE:LINE. The text is rebuilt with single spaces between tokens and a
// newline between sentences.

// conllDoccano: the same columns as doccano's CoNLL import reads them:
// every line TOKEN<TAB>TAG, and one blank line after each document and
// nowhere else, since doccano makes one example of each blank-line block
// and refuses a line that is not two tab-separated columns (so no
// -DOCSTART-; a document without tokens cannot be written, as a lone blank
// line is an empty example there). The ids go to DEST.ids as for conll,
// and on import each block is a document.

const (
	docStart     = "-DOCSTART-"
	docStartLine = docStart + " -X- O O\n\n"
	idsExt       = ".ids" // the side file of document ids
)

// A conllDialect is how documents and sentences are set apart.
type conllDialect struct {
	blocks bool // doccano's: a blank line ends a document, none between sentences
}

var (
	conll2003    = conllDialect{}
	conllDoccano = conllDialect{blocks: true}
)

func (d conllDialect) encode(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	return d.encodeIDs(w, recs, opts, nil)
}

// encodeIDs is encode that also appends each document id written to ids
// (when not nil).
func (d conllDialect) encodeIDs(w io.Writer, recs iter.Seq[annotate.Record], opts Options, ids *[]string) (Stats, error) {
	var st Stats
	scheme, err := normScheme(opts.Scheme)
	if err != nil {
		return st, err
	}
	bw := newBufWriter(w)
	tg := newTagger(scheme)
	var b []byte
	for rec := range recs {
		if strings.ContainsAny(rec.Doc.ID, "\n\r") {
			return st, fmt.Errorf("export stopped: document id %q contains a line break", rec.Doc.ID)
		}
		// Written a chunk at a time (none of a document that fails).
		b = b[:0]
		if !d.blocks {
			b = append(b, docStartLine...)
		}
		toks := 0
		err := tg.record(&rec, &opts, &st, func(walk func(tagFunc) error) error {
			return walk(func(tok *tokens.Token, tag string, brk bool) error {
				b = append(b, tok.Text...)
				b = append(b, '\t')
				b = append(b, tag...)
				b = append(b, '\n')
				toks++
				if brk && !d.blocks {
					b = append(b, '\n')
				}
				if len(b) < 1<<16 {
					return nil
				}
				_, err := bw.Write(b)
				b = b[:0]
				return err
			})
		})
		if err != nil {
			return st, err
		}
		if d.blocks {
			if toks == 0 {
				st.Documents--
				st.Warnings = append(st.Warnings, fmt.Sprintf("document %q has no tokens: not written (a blank line alone is an empty example in doccano)", rec.Doc.ID))
				continue
			}
			b = append(b, '\n')
		}
		if _, err := bw.Write(b); err != nil {
			return st, err
		}
		if ids != nil {
			*ids = append(*ids, rec.Doc.ID)
		}
	}
	return st, bw.Flush()
}

// write writes dest and its side file of ids, dest.ids (none for
// stdout). If the ids cannot be written, dest is removed too.
func (d conllDialect) write(dest string, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	if dest == "-" {
		return writeFile(dest, opts.SourceErr, func(w io.Writer) (Stats, error) { return d.encode(w, recs, opts) })
	}
	var ids []string
	st, err := writeFile(dest, opts.SourceErr, func(w io.Writer) (Stats, error) { return d.encodeIDs(w, recs, opts, &ids) })
	if err != nil {
		return st, err
	}
	err = atomicfile.Write(dest+idsExt, func(w io.Writer) error {
		for _, id := range ids {
			if _, err := io.WriteString(w, id+"\n"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		os.Remove(dest)
	}
	return st, err
}

// read reads path and names its documents by path.ids when that file
// holds one id per document.
func (d conllDialect) read(path string) ([]annotate.Record, []string, error) {
	recs, warns, err := readPath(path, d.decode)
	if err != nil || path == "-" {
		return recs, warns, err
	}
	idsName := path + idsExt
	b, err := os.ReadFile(idsName)
	if errors.Is(err, fs.ErrNotExist) {
		return recs, warns, nil
	}
	if err != nil {
		return nil, nil, &LineError{File: idsName, Reason: err.Error()}
	}
	if err := checkUTF8(b, idsName, 1); err != nil {
		return nil, nil, err
	}
	ids := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	if len(b) == 0 {
		ids = nil
	}
	if len(ids) != len(recs) {
		return recs, append(warns, warnf(idsName, 1, "%d ids for %d documents: ids not used", len(ids), len(recs))), nil
	}
	for i := range recs {
		if ids[i] == "" {
			return nil, nil, lineErr(idsName, i+1, "empty document id")
		}
		recs[i].Doc.ID = ids[i]
	}
	return recs, warns, nil
}

// conllDoc collects one document while reading.
type conllDoc struct {
	id    string
	line  int
	text  []byte
	pos   int // code points in text
	sent  int // tokens in the current sentence
	open  bool
	start bool // a -DOCSTART- opened it
}

func (d conllDialect) decode(r io.Reader, name string) ([]annotate.Record, []string, error) {
	var out []annotate.Record
	var warns []string
	dec := newTagDecoder()
	doc := conllDoc{}
	finish := func() error {
		if !doc.open {
			return nil
		}
		rec, err := BuildRecord(doc.id, string(doc.text), "", nil, "", dec.spans, nil)
		if err != nil {
			return lineErr(name, doc.line, "%v", err)
		}
		rec.Line = doc.line
		out = append(out, rec)
		warns = append(warns, dec.warns...)
		dec.reset()
		doc = conllDoc{text: doc.text[:0]}
		return nil
	}
	br := bufio.NewReaderSize(r, 1<<16)
	for lineNo := 1; ; lineNo++ {
		line, rerr := br.ReadBytes('\n')
		if rerr != nil && rerr != io.EOF {
			return nil, nil, lineErr(name, lineNo, "read error: %v", rerr)
		}
		if rerr == io.EOF && len(line) == 0 {
			break
		}
		if err := checkUTF8(line, name, lineNo); err != nil {
			return nil, nil, err
		}
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		}
		line = bytes.TrimRight(line, "\r\n")
		trimmed := bytes.TrimSpace(line)
		switch {
		case len(trimmed) == 0 && d.blocks:
			if err := finish(); err != nil {
				return nil, nil, err
			}
		case len(trimmed) == 0:
			dec.boundary()
			doc.sent = 0
		case bytes.HasPrefix(trimmed, []byte(docStart)) && (len(trimmed) == len(docStart) || trimmed[len(docStart)] == ' ' || trimmed[len(docStart)] == '\t'):
			if err := finish(); err != nil {
				return nil, nil, err
			}
			doc.open, doc.start, doc.line = true, true, lineNo
			doc.id = docStartID(string(trimmed[len(docStart):]))
			if doc.id == "" {
				doc.id = fallbackID(name, lineNo)
			}
		default:
			var tok, tag string
			if i := bytes.IndexByte(line, '\t'); i >= 0 {
				cols := strings.Split(string(line), "\t")
				tok, tag = cols[0], strings.TrimSpace(cols[len(cols)-1])
			} else {
				cols := strings.Fields(string(line))
				if len(cols) >= 2 {
					tok, tag = cols[0], cols[len(cols)-1]
				}
			}
			if tok == "" || tag == "" {
				return nil, nil, lineErr(name, lineNo, "expected TOKEN<TAB>TAG, got %q", clip(string(line)))
			}
			if !doc.open {
				doc.open, doc.line, doc.id = true, lineNo, fallbackID(name, lineNo)
			}
			if doc.sent > 0 {
				doc.text = append(doc.text, ' ')
				doc.pos++
			} else if doc.pos > 0 {
				doc.text = append(doc.text, '\n')
				doc.pos++
			}
			n := utf8.RuneCountInString(tok)
			ln := lineNo
			if err := dec.add(doc.pos, doc.pos+n, tag, func() string { return fmt.Sprintf("%s:%d", name, ln) }); err != nil {
				return nil, nil, lineErr(name, lineNo, "%v", err)
			}
			doc.text = append(doc.text, tok...)
			doc.pos += n
			doc.sent++
		}
		if rerr == io.EOF {
			break
		}
	}
	if err := finish(); err != nil {
		return nil, nil, err
	}
	return out, warns, nil
}

// docStartID reads the id after -DOCSTART-; the CoNLL-2003 filler columns
// (-X-, O) mean "no id".
func docStartID(rest string) string {
	rest = strings.TrimSpace(rest)
	filler := true
	for _, f := range strings.Fields(rest) {
		if f != "-X-" && f != "O" {
			filler = false
			break
		}
	}
	if filler {
		return ""
	}
	return rest
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}
