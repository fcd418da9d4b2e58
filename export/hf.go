package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"tawsim/annotate"
	"tawsim/annotate/tokens"
)

// hf: Hugging Face token classification JSONL, one document per line:
//
//	{"id":…,"tokens":["…",…],"ner_tags":["B-PERSON","I-PERSON","O",…]}
//
// with labels.json beside the JSONL: a JSON array of every tag of the tag
// set ("O" first, then B-/I- (bioes: B-/I-/E-/S-) per label, in the order of
// Options.Labels, then any other label sorted), usable as the ClassLabel
// names. On import, ner_tags may also be integers indexing labels.json (as
// datasets such as conll2003 store them). The text is rebuilt by joining
// the tokens with single spaces.

// LabelsFile is the name of the tag set file written beside an hf export.
const LabelsFile = "labels.json"

// hfLine is the shape of one hf line. Tags are written as strings; read,
// they may also be integers indexing labels.json.
type hfLine[Tag string | json.RawMessage] struct {
	ID      docID    `json:"id"`
	Tokens  []string `json:"tokens"`
	NERTags []Tag    `json:"ner_tags"`
}

func encodeHFData(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	st, _, err := encodeHF(w, recs, opts)
	return st, err
}

func decodeHFData(r io.Reader, name string) ([]annotate.Record, []string, error) {
	return decodeHF(r, name, nil)
}

// hfPaths resolves dest into the JSONL path: an existing folder gets
// data.jsonl inside it.
func hfPaths(dest string) (string, string, error) {
	if dest == "" || dest == "-" {
		return "", "", errors.New("hf export needs a file or folder path: it writes labels.json beside the data")
	}
	if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
		dest = filepath.Join(dest, "data.jsonl")
	}
	return dest, filepath.Join(filepath.Dir(dest), LabelsFile), nil
}

func writeHF(dest string, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	data, labelsPath, err := hfPaths(dest)
	if err != nil {
		return Stats{}, err
	}
	var tagset []string
	st, err := writeFile(data, opts.SourceErr, func(w io.Writer) (Stats, error) {
		st, ts, err := encodeHF(w, recs, opts)
		tagset = ts
		return st, err
	})
	if err != nil {
		return st, err
	}
	b, _ := json.MarshalIndent(tagset, "", "  ")
	b = append(b, '\n')
	_, err = writeFile(labelsPath, nil, func(w io.Writer) (Stats, error) {
		_, err := w.Write(b)
		return Stats{}, err
	})
	return st, err
}

// encodeHF writes the JSONL and returns the tag set. A line is as long as
// its document, so it is not built whole: the frame
// {"id":…,"tokens":[],"ner_tags":[]} is hfLine's, and each list is written
// into its [] a chunk at a time, from a walk over the text each.
func encodeHF(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, []string, error) {
	var st Stats
	scheme, err := normScheme(opts.Scheme)
	if err != nil {
		return st, nil, err
	}
	bw := newBufWriter(w)
	var frame bytes.Buffer
	enc := newEncoder(&frame)
	list := newJSONList(bw)
	tg := newTagger(scheme)
	seen := map[string]bool{}
	for rec := range recs {
		frame.Reset()
		if err := enc.Encode(hfLine[string]{ID: docID(rec.Doc.ID), Tokens: []string{}, NERTags: []string{}}); err != nil {
			return st, nil, err
		}
		f := frame.Bytes()
		tagsAt := bytes.LastIndex(f, []byte("[]")) + 1
		toksAt := bytes.LastIndex(f[:tagsAt], []byte("[]")) + 1
		err := tg.record(&rec, &opts, &st, func(walk func(tagFunc) error) error {
			bw.Write(f[:toksAt]) // a write error stays with bw for the next write
			err := list.write(walk, func(tok *tokens.Token, _ string) string { return tok.Text })
			if err != nil {
				return err
			}
			bw.Write(f[toksAt:tagsAt])
			err = list.write(walk, func(_ *tokens.Token, tag string) string {
				if tag != "O" {
					seen[tag[2:]] = true
				}
				return tag
			})
			if err != nil {
				return err
			}
			_, err = bw.Write(f[tagsAt:])
			return err
		})
		if err != nil {
			return st, nil, err
		}
	}
	return st, tagSet(scheme, opts.Labels, seen), bw.Flush()
}

// jsonList writes the items of a JSON list of strings, encoding them a
// chunk at a time with the writers' encoder.
type jsonList struct {
	w     *bufio.Writer
	buf   bytes.Buffer
	enc   *json.Encoder
	items []string
	more  bool // items were written: the next chunk follows a comma
}

func newJSONList(w *bufio.Writer) *jsonList {
	l := &jsonList{w: w}
	l.enc = newEncoder(&l.buf)
	return l
}

// write writes the list of item(token, tag) of every token that walk
// yields.
func (l *jsonList) write(walk func(tagFunc) error, item func(*tokens.Token, string) string) error {
	l.more = false
	err := walk(func(tok *tokens.Token, tag string, _ bool) error {
		l.items = append(l.items, item(tok, tag))
		if len(l.items) < 4096 {
			return nil
		}
		return l.flush()
	})
	if err != nil {
		return err
	}
	return l.flush()
}

func (l *jsonList) flush() error {
	if len(l.items) == 0 {
		return nil
	}
	l.buf.Reset()
	if err := l.enc.Encode(l.items); err != nil {
		return err
	}
	if l.more {
		l.w.WriteByte(',')
	}
	l.more = true
	l.items = l.items[:0]
	b := l.buf.Bytes()
	_, err := l.w.Write(b[1 : len(b)-2]) // without [ and ]\n
	return err
}

// tagSet lists O and the tags of every label: listed labels first in their
// order, then the others met in the data, sorted.
func tagSet(scheme string, listed []string, seen map[string]bool) []string {
	out := []string{"O"}
	done := map[string]bool{}
	add := func(l string) {
		if done[l] || l == "" {
			return
		}
		done[l] = true
		out = append(out, "B-"+l, "I-"+l)
		if scheme == SchemeBIOES {
			out = append(out, "E-"+l, "S-"+l)
		}
	}
	for _, l := range listed {
		add(l)
	}
	var rest []string
	for l := range seen {
		if !done[l] {
			rest = append(rest, l)
		}
	}
	sort.Strings(rest)
	for _, l := range rest {
		add(l)
	}
	return out
}

// record checks rec's chosen layer, has write write the document, and
// counts it. write gets walk, which hands every token of the document with
// its tag to fn; it may walk more than once. An error of the document
// comes before write, so none of a failing document is written.
func (t *tagger) record(rec *annotate.Record, opts *Options, st *Stats, write func(walk func(fn tagFunc) error) error) error {
	layer, err := pickLayer(rec, opts)
	if err != nil {
		return err
	}
	if err := checkLayer(&rec.Doc, layer); err != nil {
		return err
	}
	spans, rels := layerParts(layer)
	kept, dropped := resolveOverlaps(spans)
	written := -1
	walk := func(fn tagFunc) error {
		n, err := t.run(rec.Doc.Text, kept, fn)
		if written < 0 {
			written = n
		}
		return err
	}
	if slices.ContainsFunc(kept, func(sp annotate.Span) bool { return t.tagsOf(sp.Label) == nil }) {
		// A label that cannot be a tag may not stop the export (a span over
		// spaces only is dropped); a walk that writes nothing finds out.
		if err := walk(nil); err != nil {
			return fmt.Errorf("export stopped: document %q: %v", rec.Doc.ID, err)
		}
	}
	if err := write(walk); err != nil {
		return err
	}
	dropped += len(kept) - written
	if dropped > 0 {
		st.Warnings = append(st.Warnings, fmt.Sprintf("document %q: %d overlapping or token-less spans dropped (the longest span wins, then the earliest)", rec.Doc.ID, dropped))
	}
	st.Dropped += dropped
	st.Spans += written
	st.RelationsDropped += len(rels)
	st.Documents++
	return nil
}

func readHF(path string) ([]annotate.Record, []string, error) {
	if path == "-" {
		return decodeHF(os.Stdin, "stdin", nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &LineError{File: path, Reason: err.Error()}
	}
	defer f.Close()
	return decodeHFBeside(f, path, Encoding{})
}

// parseLabelsFile reads a tag list: a JSON array of strings, or an object
// with "names" (datasets ClassLabel) or "id2label" (transformers config).
func parseLabelsFile(b []byte, name string) ([]string, error) {
	if err := checkUTF8(b, name, 1); err != nil {
		return nil, err
	}
	var arr []string
	if json.Unmarshal(b, &arr) == nil {
		return arr, nil
	}
	var obj struct {
		Names    []string          `json:"names"`
		ID2Label map[string]string `json:"id2label"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, lineErr(name, 1, "not a tag list (JSON array of tags, or {\"names\":[…]} or {\"id2label\":{…}}): %v", jsonReason(err))
	}
	if obj.Names != nil {
		return obj.Names, nil
	}
	out := make([]string, len(obj.ID2Label))
	for k, v := range obj.ID2Label {
		var i int
		if _, err := fmt.Sscan(k, &i); err != nil || i < 0 || i >= len(out) || out[i] != "" {
			return nil, lineErr(name, 1, "id2label key %q is not an index 0..%d", k, len(out)-1)
		}
		out[i] = v
	}
	return out, nil
}

func decodeHF(r io.Reader, name string, names []string) ([]annotate.Record, []string, error) {
	dec := newTagDecoder()
	return decodeJSONL(r, name, func(line []byte, lineNo int) (*annotate.Record, []string, error) {
		var hl hfLine[json.RawMessage]
		if err := json.Unmarshal(line, &hl); err != nil {
			return nil, nil, lineErr(name, lineNo, "not a token-classification JSON object: %v", jsonReason(err))
		}
		id := hl.ID.or(name, lineNo)
		if hl.Tokens == nil || hl.NERTags == nil {
			return nil, nil, lineErr(name, lineNo, `document %q: needs "tokens" and "ner_tags"`, id)
		}
		if len(hl.Tokens) != len(hl.NERTags) {
			return nil, nil, lineErr(name, lineNo, "document %q: %d tokens but %d ner_tags", id, len(hl.Tokens), len(hl.NERTags))
		}
		dec.reset()
		var sb strings.Builder
		pos := 0
		for i, tok := range hl.Tokens {
			if strings.TrimSpace(tok) == "" {
				return nil, nil, lineErr(name, lineNo, "document %q: token %d is empty or blank", id, i)
			}
			if i > 0 {
				sb.WriteByte(' ')
				pos++
			}
			sb.WriteString(tok)
			n := utf8.RuneCountInString(tok)
			tag, err := hfTag(hl.NERTags[i], names)
			if err != nil {
				return nil, nil, lineErr(name, lineNo, "document %q: token %d %q: %v", id, i, tok, err)
			}
			if err := dec.add(pos, pos+n, tag, func() string {
				return fmt.Sprintf("%s:%d: document %q token %d", name, lineNo, id, i)
			}); err != nil {
				return nil, nil, lineErr(name, lineNo, "document %q: token %d %q: %v", id, i, tok, err)
			}
			pos += n
		}
		rec, err := BuildRecord(id, sb.String(), "", nil, "", dec.spans, nil)
		return &rec, dec.warns, err
	})
}

func hfTag(raw json.RawMessage, names []string) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var i int
	if err := json.Unmarshal(raw, &i); err != nil {
		return "", fmt.Errorf("ner_tag %s is neither a tag nor a tag index", raw)
	}
	if names == nil {
		return "", fmt.Errorf("ner_tag %d is an index but there is no %s beside the file", i, LabelsFile)
	}
	if i < 0 || i >= len(names) {
		return "", fmt.Errorf("ner_tag %d is outside %s (0..%d)", i, LabelsFile, len(names)-1)
	}
	return names[i], nil
}
