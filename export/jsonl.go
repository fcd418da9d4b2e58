// Package export reads and writes the dataset formats Tawsim speaks. Every
// reader turns a file into annotate.Records, checking each span against its
// document and naming file and line in every error; every writer checks each
// span against the text again before writing it.
package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"tawsim/annotate"
)

// LineError is a problem with one line (or record) of an input file.
type LineError struct {
	File   string
	Line   int
	Reason string
}

func (e *LineError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
}

func lineErr(file string, line int, format string, args ...any) error {
	return &LineError{File: file, Line: line, Reason: fmt.Sprintf(format, args...)}
}

// nativeLine is the JSON shape of one native JSONL line.
type nativeLine struct {
	ID        *string         `json:"id"`
	Text      *string         `json:"text"`
	Title     string          `json:"title"`
	Meta      json.RawMessage `json:"meta"`
	Annotator string          `json:"annotator"`
	Spans     []nativeSpan    `json:"spans"`
	Relations []nativeRel     `json:"relations"`
}

type nativeSpan struct {
	Start     *int     `json:"start"`
	End       *int     `json:"end"`
	Label     string   `json:"label"`
	Text      string   `json:"text"`
	Votes     []string `json:"votes"`
	Decision  string   `json:"decision"`
	DecidedBy string   `json:"decided_by"`
}

type nativeRel struct {
	Head  *int   `json:"head"`
	Tail  *int   `json:"tail"`
	Label string `json:"label"`
}

// ReadJSONL parses native JSONL: one document per line,
// {"id","text","title"?,"meta"?,"annotator"?,"spans"?,"relations"?}.
// Blank lines are skipped. The text is normalized (BOM, CRLF) and span
// offsets are mapped onto the normalized text. The first bad line stops the
// read with an error naming file, line and reason.
func ReadJSONL(r io.Reader, file string) ([]annotate.Record, error) {
	type job struct {
		no   int
		line []byte
	}
	var jobs []job
	if err := scanLines(r, file, func(lineNo int, line []byte) error {
		jobs = append(jobs, job{lineNo, line})
		return nil
	}); err != nil {
		return nil, err
	}
	// Lines are independent: parse them on every core, keep file order,
	// and report the error of the earliest bad line.
	out := make([]annotate.Record, len(jobs))
	errs := make([]error, len(jobs))
	parallel(len(jobs), func(i int) {
		out[i], errs[i] = parseNativeLine(jobs[i].line, file, jobs[i].no)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parallel runs fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if n < 64 || workers == 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(16)) - 16
				if i >= n {
					return
				}
				for j := i; j < min(i+16, n); j++ {
					fn(j)
				}
			}
		}()
	}
	wg.Wait()
}

// scanLines calls fn for every non-blank line of r, of any length.
func scanLines(r io.Reader, file string, fn func(lineNo int, line []byte) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		if lineNo == 1 {
			line = bytes.TrimPrefix(line, []byte("\xEF\xBB\xBF")) // Notepad saves UTF-8 with a BOM
		}
		if len(line) > 0 {
			if t := bytes.TrimSpace(line); len(t) > 0 {
				if ferr := fn(lineNo, t); ferr != nil {
					return ferr
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return lineErr(file, lineNo, "read error: %v", err)
		}
	}
}

func parseNativeLine(line []byte, file string, lineNo int) (annotate.Record, error) {
	if err := annotate.ValidUTF8(line); err != nil {
		return annotate.Record{}, lineErr(file, lineNo, "invalid UTF-8: %v", strings.TrimPrefix(err.Error(), "line 1: "))
	}
	nl, err := parseNative(line)
	if err != nil {
		return annotate.Record{}, lineErr(file, lineNo, "not a JSON object of the native shape: %v", err)
	}
	if nl.ID == nil || strings.TrimSpace(*nl.ID) == "" {
		return annotate.Record{}, lineErr(file, lineNo, `missing "id"`)
	}
	if nl.Text == nil {
		return annotate.Record{}, lineErr(file, lineNo, `document %q: missing "text"`, *nl.ID)
	}
	if len(nl.Meta) > 0 && !bytes.Equal(nl.Meta, []byte("null")) {
		if t := bytes.TrimSpace(nl.Meta); len(t) == 0 || t[0] != '{' {
			return annotate.Record{}, lineErr(file, lineNo, `document %q: "meta" must be an object`, *nl.ID)
		}
	} else {
		nl.Meta = nil
	}
	spans := make([]annotate.Span, len(nl.Spans))
	for i, s := range nl.Spans {
		if s.Start == nil || s.End == nil {
			return annotate.Record{}, lineErr(file, lineNo, "document %q: span %d has no start or end", *nl.ID, i)
		}
		spans[i] = annotate.Span{Start: *s.Start, End: *s.End, Label: s.Label, Text: s.Text,
			Votes: s.Votes, Decision: annotate.Decision(s.Decision), DecidedBy: s.DecidedBy}
	}
	rels := make([]annotate.Relation, len(nl.Relations))
	for i, r := range nl.Relations {
		if r.Head == nil || r.Tail == nil || *r.Head < 0 || *r.Head >= len(spans) || *r.Tail < 0 || *r.Tail >= len(spans) {
			return annotate.Record{}, lineErr(file, lineNo, "document %q: relation %d does not name two spans of this line", *nl.ID, i)
		}
		if r.Label == "" {
			return annotate.Record{}, lineErr(file, lineNo, "document %q: relation %d has no label", *nl.ID, i)
		}
		rels[i] = annotate.Relation{Head: *r.Head, Tail: *r.Tail, Label: r.Label}
	}
	rec, err := BuildRecord(*nl.ID, *nl.Text, nl.Title, nl.Meta, nl.Annotator, spans, rels)
	if err != nil {
		return annotate.Record{}, lineErr(file, lineNo, "%v", err)
	}
	rec.Line = lineNo
	return rec, nil
}

// BuildRecord makes a record from raw imported parts: it normalizes the text,
// checks every span against the raw text, and maps the spans onto the
// normalized text. Readers of every format share it.
func BuildRecord(id, rawText, title string, meta json.RawMessage, annotator string, spans []annotate.Span, rels []annotate.Relation) (annotate.Record, error) {
	chk := newSpanChecker(&annotate.Document{ID: id, Text: rawText})
	for i := range spans {
		if err := chk.fill(&spans[i]); err != nil {
			return annotate.Record{}, fmt.Errorf("document %q: span %d: %v", id, i, err)
		}
	}
	text, err := annotate.NormalizeString(rawText)
	if err != nil {
		return annotate.Record{}, fmt.Errorf("document %q: %v", id, err)
	}
	if text != rawText && len(spans) > 0 {
		m := normalizationMap([]rune(rawText))
		nr := []rune(text)
		for i := range spans {
			spans[i].Start, spans[i].End = m[spans[i].Start], m[spans[i].End]
			if spans[i].Start >= spans[i].End {
				return annotate.Record{}, fmt.Errorf("document %q: span %d covers only a byte-order mark or a CR", id, i)
			}
			spans[i].Text = string(nr[spans[i].Start:spans[i].End])
		}
	}
	if title == "" {
		title = annotate.Title(text)
	}
	rec := annotate.Record{Doc: annotate.Document{ID: id, Title: title, Text: text, Meta: meta}}
	if len(spans) > 0 || len(rels) > 0 || annotator != "" {
		rec.Layers = []annotate.Layer{{Annotator: annotator, Spans: spans, Relations: rels}}
	}
	return rec, nil
}

// normalizationMap maps each code-point offset of raw (0..len) to its offset
// in NormalizeText(raw): a leading BOM and the CR of CRLF vanish, a lone CR
// becomes LF.
func normalizationMap(raw []rune) []int {
	m := make([]int, len(raw)+1)
	j := 0
	for i, r := range raw {
		m[i] = j
		switch {
		case i == 0 && r == '\uFEFF':
		case r == '\r' && i+1 < len(raw) && raw[i+1] == '\n':
		default:
			j++
		}
	}
	m[len(raw)] = j
	return m
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q should be %v, not %s", te.Field, te.Type, te.Value)
	}
	return err.Error()
}

// JSONLWriter writes native JSONL, one line per (document, layer).
type JSONLWriter struct {
	w   *bufio.Writer
	buf []byte
}

// NewJSONLWriter writes native JSONL to w. Call Flush at the end.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	return &JSONLWriter{w: bufio.NewWriterSize(w, 1<<16)}
}

// Write writes one line for doc with one layer (layer may be empty). Every
// span is checked against the text first: an inconsistent span is an error
// and nothing of the line is written.
func (jw *JSONLWriter) Write(doc *annotate.Document, layer *annotate.Layer) error {
	b := jw.buf[:0]
	b = append(b, `{"id":`...)
	b = appendString(b, doc.ID)
	b = append(b, `,"text":`...)
	b = appendString(b, doc.Text)
	b = append(b, `,"title":`...)
	b = appendString(b, doc.Title)
	b = append(b, `,"meta":`...)
	if len(doc.Meta) > 0 {
		var c bytes.Buffer
		if err := json.Compact(&c, doc.Meta); err != nil {
			return fmt.Errorf("document %q: stored metadata is not JSON: %v", doc.ID, err)
		}
		b = append(b, c.Bytes()...)
	} else {
		b = append(b, `{}`...)
	}
	b = append(b, `,"annotator":`...)
	var spans []annotate.Span
	var rels []annotate.Relation
	name := ""
	if layer != nil {
		spans, rels, name = layer.Spans, layer.Relations, layer.Annotator
	}
	b = appendString(b, name)
	b = append(b, `,"spans":[`...)
	chk := newSpanChecker(doc)
	for i := range spans {
		sp := &spans[i]
		if err := chk.check(sp); err != nil {
			return err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"start":`...)
		b = appendInt(b, sp.Start)
		b = append(b, `,"end":`...)
		b = appendInt(b, sp.End)
		b = append(b, `,"label":`...)
		b = appendString(b, sp.Label)
		b = append(b, `,"text":`...)
		b = appendString(b, sp.Text)
		if len(sp.Votes) > 0 || sp.Decision != "" {
			b = append(b, `,"votes":[`...)
			for k, v := range sp.Votes {
				if k > 0 {
					b = append(b, ',')
				}
				b = appendString(b, v)
			}
			b = append(b, `],"decision":`...)
			b = appendString(b, string(sp.Decision))
			if sp.DecidedBy != "" {
				b = append(b, `,"decided_by":`...)
				b = appendString(b, sp.DecidedBy)
			}
		}
		b = append(b, '}')
	}
	b = append(b, `],"relations":[`...)
	for i, r := range rels {
		if r.Head < 0 || r.Head >= len(spans) || r.Tail < 0 || r.Tail >= len(spans) {
			return fmt.Errorf("document %q: relation %d points outside the layer's spans", doc.ID, i)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"head":`...)
		b = appendInt(b, r.Head)
		b = append(b, `,"tail":`...)
		b = appendInt(b, r.Tail)
		b = append(b, `,"label":`...)
		b = appendString(b, r.Label)
		b = append(b, '}')
	}
	b = append(b, ']')
	if layer != nil && layer.GoldStatus != "" {
		b = append(b, `,"gold_status":`...)
		b = appendString(b, string(layer.GoldStatus))
	}
	b = append(b, "}\n"...)
	jw.buf = b
	_, err := jw.w.Write(b)
	return err
}

// Flush writes out what is buffered.
func (jw *JSONLWriter) Flush() error { return jw.w.Flush() }

// spanChecker verifies spans against one document before export. Spans
// come mostly in start order, so it walks the text forward from the
// previous span instead of indexing the whole document.
type spanChecker struct {
	doc     *annotate.Document
	cp, pos int // a code point offset and its byte position
}

func newSpanChecker(doc *annotate.Document) *spanChecker { return &spanChecker{doc: doc} }

// seek returns the byte position of code point offset cp, or -1 past the end.
func (c *spanChecker) seek(cp int) int {
	text := c.doc.Text
	if cp < c.cp {
		c.cp, c.pos = 0, 0
	}
	// The text is valid UTF-8 (checked on import): a code point starts at
	// every byte that is not a continuation byte, so counting needs no
	// decoding.
	for c.cp < cp {
		if c.pos >= len(text) {
			return -1
		}
		c.pos++
		for c.pos < len(text) && text[c.pos]&0xC0 == 0x80 {
			c.pos++
		}
		c.cp++
	}
	return c.pos
}

// slice returns the text of [start, end), or ok=false when the range is
// empty, reversed or outside the text.
func (c *spanChecker) slice(start, end int) (string, bool) {
	if start < 0 || start >= end {
		return "", false
	}
	bs := c.seek(start)
	cp, pos := c.cp, c.pos
	be := c.seek(end)
	c.cp, c.pos = cp, pos // the next span starts at or after this one's start
	if bs < 0 || be < 0 {
		return "", false
	}
	return c.doc.Text[bs:be], true
}

// check verifies a span about to be exported.
func (c *spanChecker) check(sp *annotate.Span) error {
	got, ok := c.slice(sp.Start, sp.End)
	if !ok {
		return fmt.Errorf("export stopped: document %q: span [%d,%d) %s is empty or outside the text", c.doc.ID, sp.Start, sp.End, sp.Label)
	}
	if got != sp.Text {
		return fmt.Errorf("export stopped: document %q: span [%d,%d) %s has text %q but the document has %q there", c.doc.ID, sp.Start, sp.End, sp.Label, sp.Text, got)
	}
	return nil
}

// fill verifies an imported span, as annotate.CheckSpan does, and fills
// its text when it has none.
func (c *spanChecker) fill(sp *annotate.Span) error {
	got, ok := c.slice(sp.Start, sp.End)
	if !ok {
		return fmt.Errorf("span [%d,%d) %s is outside the text or empty", sp.Start, sp.End, sp.Label)
	}
	if sp.Label == "" {
		return fmt.Errorf("span [%d,%d) has no label", sp.Start, sp.End)
	}
	if sp.Text == "" {
		sp.Text = got
	} else if sp.Text != got {
		return fmt.Errorf("span [%d,%d) %s: text %q does not match the document's %q", sp.Start, sp.End, sp.Label, sp.Text, got)
	}
	return nil
}
