package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"

	"tawsim/annotate"
	"tawsim/internal/atomicfile"
)

// Options tune a writer. The zero value is valid.
type Options struct {
	// Scheme is the tag scheme of the token formats (conll, hf): "bio"
	// (the default when empty) or "bioes".
	Scheme string
	// Annotator selects the layer written for each record: the layer of
	// that annotator (a record without one is written with no spans). When
	// empty, a record must carry at most one layer (labelstudio and jsonl
	// write every layer instead).
	Annotator string
	// Labels is the project's label order. The hf writer lists the tag set
	// of labels.json in this order (labels met in the data but not listed
	// follow, sorted), so every split of a project gets the same tag set.
	Labels []string
	// DoccanoRelations makes the doccano writer use the relation-project
	// shape {"text","entities","relations"} instead of {"text","label"}.
	// Without it relations are dropped and counted.
	DoccanoRelations bool
	// Offsets is how the doccano writer counts: "" or "codepoints" (the
	// default: doccano's backend, Python) or "utf16" (doccano's web UI,
	// JavaScript, for teams that review there). Other writers take only
	// the default.
	Offsets string
	// SourceErr, when set, is asked after the last record was written and
	// before the output replaces dest. The records usually stream from a
	// database and an iterator cannot return an error: a non-nil result
	// means the source failed, the output is incomplete and is discarded,
	// and dest is left as it was.
	SourceErr func() error
}

// Stats sums up one export.
type Stats struct {
	Documents        int // records written
	Spans            int // spans written
	Dropped          int // spans dropped (overlaps that BIO/BIOES cannot hold)
	Relations        int // relations written
	RelationsDropped int // relations the format cannot hold
	Warnings         []string
}

// Format describes one dataset format (see formats).
type Format struct {
	Name        string
	Description string
	// Ext is the usual file extension ("" for folder formats).
	Ext string
	// Folder is true when the format is a folder (brat) or needs a real
	// path because it writes more than one file (hf: labels.json beside).
	// Such formats cannot be written to stdout.
	Folder bool
	// Lossless is true when nested and overlapping spans survive.
	Lossless bool
	// Read reads a file (or folder) into records. path "-" is stdin for
	// single-file formats. warnings name file and line. Any bad record
	// fails the whole read: the error is a *LineError and no record is
	// returned.
	Read func(path string) (recs []annotate.Record, warnings []string, err error)
	// Write writes records to dest: a file path, "-" for stdout (single
	// file formats only), or a folder (brat). A file is written to a
	// temporary name and renamed on success, so a failed export leaves no
	// dataset behind (on stdout what was written before the error stays).
	Write func(dest string, recs iter.Seq[annotate.Record], opts Options) (Stats, error)
	// Encode writes records to w (single-file formats; nil for folders).
	Encode func(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error)
	// Decode reads records from r; name is used in errors (nil for brat).
	Decode func(r io.Reader, name string) ([]annotate.Record, []string, error)
}

// formats is every format Tawsim reads and writes, sorted by name. This list
// is the registry: a new format is added here.
var formats = []*Format{
	{Name: "brat", Description: "brat standoff folder: ID.txt + ID.ann per document, code-point offsets", Folder: true, Lossless: true,
		Read: readBrat, Write: writeBrat},
	{Name: "conll", Description: "CoNLL-2003 style TOKEN<TAB>TAG, -DOCSTART- -X- O O per document (ids in FILE.ids), BIO or BIOES", Ext: ".conll",
		Encode: conll2003.encode, Decode: conll2003.decode, Read: conll2003.read, Write: conll2003.write},
	{Name: "conll-doccano", Description: "CoNLL as doccano imports it: TOKEN<TAB>TAG, one blank line after each document only (ids in FILE.ids), BIO or BIOES", Ext: ".conll",
		Encode: conllDoccano.encode, Decode: conllDoccano.decode, Read: conllDoccano.read, Write: conllDoccano.write},
	singleFile("doccano", "doccano sequence-labelling JSONL (label or entities/relations), code-point offsets", ".jsonl", true, encodeDoccano, decodeDoccano),
	{Name: "hf", Description: "Hugging Face token classification JSONL (tokens, ner_tags) + labels.json", Ext: ".jsonl", Folder: true,
		Encode: encodeHFData, Decode: decodeHFData, Read: readHF, Write: writeHF},
	singleFile("jsonl", "Tawsim native JSONL: one line per document and layer, code-point offsets", ".jsonl", true, nativeEncode, nativeDecode),
	singleFile("labelstudio", "Label Studio JSON task list, code-point offsets, one annotation per annotator", ".json", true, encodeLabelStudio, decodeLabelStudio),
	singleFile("spacy", "spaCy/Prodigy JSONL with tokens and spans (ner_manual), code-point offsets", ".jsonl", true, encodeSpacy, decodeSpacy),
}

// Formats lists the formats, sorted by name.
func Formats() []*Format { return slices.Clone(formats) }

// Names lists the format names, sorted.
func Names() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	return out
}

// Lookup finds a format by name.
func Lookup(name string) (*Format, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	for _, f := range formats {
		if f.Name == key {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(Names(), ", "))
}

// singleFile builds a Format around an encoder and a decoder.
func singleFile(name, desc, ext string, lossless bool,
	enc func(io.Writer, iter.Seq[annotate.Record], Options) (Stats, error),
	dec func(io.Reader, string) ([]annotate.Record, []string, error)) *Format {
	return &Format{
		Name: name, Description: desc, Ext: ext, Lossless: lossless,
		Encode: enc, Decode: dec,
		Read: func(path string) ([]annotate.Record, []string, error) {
			return readPath(path, dec)
		},
		Write: func(dest string, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
			return writeFile(dest, opts.SourceErr, func(w io.Writer) (Stats, error) { return enc(w, recs, opts) })
		},
	}
}

func readPath(path string, dec func(io.Reader, string) ([]annotate.Record, []string, error)) ([]annotate.Record, []string, error) {
	if path == "-" {
		return dec(os.Stdin, "stdin")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &LineError{File: path, Reason: err.Error()}
	}
	defer f.Close()
	return dec(f, path)
}

// writeFile runs enc on dest: stdout for "-", otherwise a temporary file
// beside dest renamed over it on success and removed on failure (including
// a failure that sourceErr, if set, reports).
func writeFile(dest string, sourceErr func() error, enc func(io.Writer) (Stats, error)) (Stats, error) {
	if dest == "-" {
		bw := bufio.NewWriterSize(os.Stdout, 1<<16)
		st, err := enc(bw)
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		if err == nil && sourceErr != nil {
			err = sourceErr()
		}
		return st, err
	}
	if dest == "" {
		return Stats{}, errors.New("no output path")
	}
	var st Stats
	err := atomicfile.Write(dest, func(w io.Writer) error {
		var err error
		if st, err = enc(w); err == nil && sourceErr != nil {
			err = sourceErr()
		}
		return err
	})
	return st, err
}

// pickLayer chooses the layer written for rec (nil: write no spans).
func pickLayer(rec *annotate.Record, opts *Options) (*annotate.Layer, error) {
	if opts.Annotator != "" {
		for i := range rec.Layers {
			if rec.Layers[i].Annotator == opts.Annotator {
				return &rec.Layers[i], nil
			}
		}
		return nil, nil
	}
	switch len(rec.Layers) {
	case 0:
		return nil, nil
	case 1:
		return &rec.Layers[0], nil
	}
	return nil, fmt.Errorf("export stopped: document %q has %d annotation layers; choose one annotator", rec.Doc.ID, len(rec.Layers))
}

// chosenLayer is pickLayer followed by checkLayer: how every writer of one
// layer per record starts.
func chosenLayer(rec *annotate.Record, opts *Options) (*annotate.Layer, error) {
	layer, err := pickLayer(rec, opts)
	if err == nil {
		err = checkLayer(&rec.Doc, layer)
	}
	return layer, err
}

// checkLayer verifies every span and relation of layer against doc.
func checkLayer(doc *annotate.Document, layer *annotate.Layer) error {
	if layer == nil {
		return nil
	}
	chk := newSpanChecker(doc)
	for i := range layer.Spans {
		if err := chk.check(&layer.Spans[i]); err != nil {
			return err
		}
		if layer.Spans[i].Label == "" {
			return fmt.Errorf("export stopped: document %q: span [%d,%d) has no label", doc.ID, layer.Spans[i].Start, layer.Spans[i].End)
		}
	}
	for i, r := range layer.Relations {
		if r.Head < 0 || r.Head >= len(layer.Spans) || r.Tail < 0 || r.Tail >= len(layer.Spans) {
			return fmt.Errorf("export stopped: document %q: relation %d points outside the layer's spans", doc.ID, i)
		}
		if r.Label == "" {
			return fmt.Errorf("export stopped: document %q: relation %d has no label", doc.ID, i)
		}
	}
	return nil
}

// layerParts returns the spans and relations of layer (nil-safe).
func layerParts(layer *annotate.Layer) ([]annotate.Span, []annotate.Relation) {
	if layer == nil {
		return nil, nil
	}
	return layer.Spans, layer.Relations
}

// warnf formats a warning naming file and line.
func warnf(file string, line int, format string, args ...any) string {
	return (&LineError{File: file, Line: line, Reason: fmt.Sprintf(format, args...)}).Error()
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	n := 1
	for _, c := range data[:off] {
		if c == '\n' {
			n++
		}
	}
	return n
}

// checkUTF8 checks data, which starts on line first of file, with
// annotate.ValidUTF8 and names the file and line of the first bad byte
// and the --encoding that may read it.
func checkUTF8(data []byte, file string, first int) error {
	err := annotate.ValidUTF8(data)
	if err == nil {
		return nil
	}
	reason, line := err.Error(), first
	if n, rest, ok := strings.Cut(strings.TrimPrefix(reason, "line "), ": "); ok {
		if k, err := strconv.Atoi(n); err == nil {
			reason, line = rest, first+k-1
		}
	}
	return &LineError{File: file, Line: line, Reason: reason + encodingHint(data, first)}
}
