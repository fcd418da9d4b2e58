package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

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

// nativeLine is the shape of one native JSONL line, read and written:
//
//	{"id","text","title","meta","annotator","spans":[{"start","end","label","text"
//	 [,"origin"][,"votes","decision"[,"decided_by"]]}],"relations":[{"head","tail","label"
//	 [,"votes","decision"[,"decided_by"]]}]
//	 [,"gold_status"][,"status","seconds","revision","modified","clock"]}
//
// The pointers tell a missing value from a zero one when reading.
type nativeLine struct {
	ID        *string         `json:"id"`
	Text      *string         `json:"text"`
	Title     string          `json:"title"`
	Meta      json.RawMessage `json:"meta"`
	Annotator string          `json:"annotator"`
	Spans     []nativeSpan    `json:"spans"`
	Relations []nativeRel     `json:"relations"`
	// GoldStatus is written on gold lines of an export that includes
	// unfinished documents; an import of the gold layer sets it.
	GoldStatus string `json:"gold_status,omitempty"`
	// The layer's revision (annotate.Layer): written for a layer that has
	// changed, read by an import that then takes the newer layer.
	Status   string           `json:"status,omitempty"`
	Seconds  float64          `json:"seconds,omitempty"`
	Revision int64            `json:"revision,omitempty"`
	Modified string           `json:"modified,omitempty"` // RFC 3339, UTC, µs
	Clock    map[string]int64 `json:"clock,omitempty"`
}

// modifiedLayout is the native form of a layer's modified time.
const modifiedLayout = "2006-01-02T15:04:05.000000Z07:00"

type nativeSpan struct {
	Start *int   `json:"start"`
	End   *int   `json:"end"`
	Label string `json:"label"`
	Text  string `json:"text"`
	// Origin is an accepted suggestion's (annotate.Origin).
	Origin string `json:"origin,omitempty"`
	// Votes and Decision are written together, on adjudicated spans only.
	Votes     *[]string `json:"votes,omitempty"`
	Decision  *string   `json:"decision,omitempty"`
	DecidedBy string    `json:"decided_by,omitempty"`
}

type nativeRel struct {
	Head  *int   `json:"head"`
	Tail  *int   `json:"tail"`
	Label string `json:"label"`
	// Provenance of adjudicated relations, as on spans.
	Votes     *[]string `json:"votes,omitempty"`
	Decision  *string   `json:"decision,omitempty"`
	DecidedBy string    `json:"decided_by,omitempty"`
}

// provenanceOut is the native form of gold provenance: votes and decision
// are written together, when either is set.
func provenanceOut(votes *[]string, decision *annotate.Decision) (*[]string, *string) {
	if len(*votes) == 0 && *decision == "" {
		return nil, nil
	}
	if *votes == nil {
		return &noVotes, (*string)(decision)
	}
	return votes, (*string)(decision)
}

// provenanceIn reads the native form of gold provenance.
func provenanceIn(votes *[]string, decision *string) ([]string, annotate.Decision) {
	var v []string
	var d annotate.Decision
	if votes != nil {
		v = *votes
	}
	if decision != nil {
		d = annotate.Decision(*decision)
	}
	return v, d
}

// ReadJSONL parses native JSONL: one document per line,
// {"id","text","title"?,"meta"?,"annotator"?,"spans"?,"relations"?}.
// Blank lines are skipped. The text is normalized (BOM, CRLF) and span
// offsets are mapped onto the normalized text. The first bad line stops the
// read with an error naming file, line and reason.
func ReadJSONL(r io.Reader, file string) ([]annotate.Record, error) {
	var out []annotate.Record
	err := ScanJSONL(r, file, func(recs []annotate.Record) error {
		out = append(out, recs...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ScanJSONL reads native JSONL as ReadJSONL does and hands the records to
// fn a batch at a time, in file order: memory holds the lines of one batch
// (a few MB, or one longer line) and their records, never the whole file.
// fn may keep the records; its error stops the read and is returned.
func ScanJSONL(r io.Reader, file string, fn func([]annotate.Record) error) error {
	return scanJSONL(r, file, parseValidNative, fn)
}

// A batch of lines ends after batchBytes or batchLines.
const (
	batchBytes = 1 << 20
	batchLines = 2048
)

// scanJSONL is ScanJSONL with the JSON parser of each line as a parameter
// (the benchmarks compare parsers end to end).
func scanJSONL(r io.Reader, file string, parse func([]byte) (nativeLine, error), fn func([]annotate.Record) error) error {
	type job struct {
		no   int
		line []byte
	}
	var jobs []job
	size := 0
	// Lines are independent: parse a batch on every core, keep file
	// order, and report the error of the earliest bad line.
	flush := func() error {
		out := make([]annotate.Record, len(jobs))
		errs := make([]error, len(jobs))
		huge := slices.ContainsFunc(jobs, func(j job) bool { return len(j.line) >= hugeLine })
		parallel(len(jobs), func(i int) {
			out[i], errs[i] = parseNativeLine(jobs[i].line, file, jobs[i].no, parse)
			jobs[i].line = nil // a long text lives on in its record only
		})
		if huge {
			// The line as read (and a text's unescaped copy) is garbage
			// now: given back before the store copies the text twice.
			debug.FreeOSMemory()
		}
		jobs, size = jobs[:0], 0
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return fn(out)
	}
	err := scanLines(r, file, func(lineNo int, line []byte) error {
		jobs = append(jobs, job{lineNo, line})
		if size += len(line); size >= batchBytes || len(jobs) >= batchLines {
			return flush()
		}
		return nil
	})
	if err != nil || len(jobs) == 0 {
		return err
	}
	return flush()
}

// hugeLine is the line length from which reading gives memory back to the
// system at once (see scanJSONL).
const hugeLine = 16 << 20

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

// decodeJSONL reads a JSONL file of another tool, one document per line:
// parse turns one non-blank line, known to be valid UTF-8, into a record
// (nil: the line is skipped) and warnings. An error that names no line is
// given the line's.
func decodeJSONL(r io.Reader, name string, parse func(line []byte, lineNo int) (*annotate.Record, []string, error)) ([]annotate.Record, []string, error) {
	var out []annotate.Record
	var warns []string
	err := scanLines(r, name, func(lineNo int, line []byte) error {
		if err := checkUTF8(line, name, lineNo); err != nil {
			return err
		}
		rec, w, err := parse(line, lineNo)
		var le *LineError
		if err != nil && !errors.As(err, &le) {
			err = lineErr(name, lineNo, "%v", err)
		}
		if err != nil {
			return err
		}
		warns = append(warns, w...)
		if rec != nil {
			rec.Line = lineNo
			out = append(out, *rec)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, warns, nil
}

func parseNativeLine(line []byte, file string, lineNo int, parse func([]byte) (nativeLine, error)) (annotate.Record, error) {
	if err := checkUTF8(line, file, lineNo); err != nil {
		return annotate.Record{}, err
	}
	nl, err := parse(line)
	if err != nil {
		return annotate.Record{}, lineErr(file, lineNo, "not a JSON object of the native shape: %v", jsonReason(err))
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
		spans[i] = annotate.Span{Start: *s.Start, End: *s.End, Label: s.Label, Text: s.Text, DecidedBy: s.DecidedBy, Origin: annotate.Origin(s.Origin)}
		spans[i].Votes, spans[i].Decision = provenanceIn(s.Votes, s.Decision)
	}
	rels := make([]annotate.Relation, len(nl.Relations))
	for i, r := range nl.Relations {
		if r.Head == nil || r.Tail == nil {
			return annotate.Record{}, lineErr(file, lineNo, "document %q: relation %d needs a head and a tail", *nl.ID, i)
		}
		if *r.Head < 0 || *r.Head >= len(spans) || *r.Tail < 0 || *r.Tail >= len(spans) {
			return annotate.Record{}, lineErr(file, lineNo, "document %q: relation %d joins spans %d and %d, but the line has spans 0 to %d", *nl.ID, i, *r.Head, *r.Tail, len(spans)-1)
		}
		if r.Label == "" {
			return annotate.Record{}, lineErr(file, lineNo, "document %q: relation %d has no label", *nl.ID, i)
		}
		rels[i] = annotate.Relation{Head: *r.Head, Tail: *r.Tail, Label: r.Label, DecidedBy: r.DecidedBy}
		rels[i].Votes, rels[i].Decision = provenanceIn(r.Votes, r.Decision)
	}
	rec, err := BuildRecord(*nl.ID, *nl.Text, nl.Title, nl.Meta, nl.Annotator, spans, rels)
	if err != nil {
		return annotate.Record{}, lineErr(file, lineNo, "%v", err)
	}
	if err := revisionIn(&nl, &rec); err != nil {
		return annotate.Record{}, lineErr(file, lineNo, "document %q: %v", *nl.ID, err)
	}
	rec.Line = lineNo
	return rec, nil
}

// revisionIn reads a line's layer revision and gold status into rec's
// layer.
func revisionIn(nl *nativeLine, rec *annotate.Record) error {
	if nl.Status == "" && nl.Seconds == 0 && nl.Revision == 0 && nl.Modified == "" && nl.Clock == nil && nl.GoldStatus == "" {
		return nil
	}
	if nl.Annotator == "" {
		return errors.New(`a layer revision ("status", "gold_status", "revision", "clock"…) needs an "annotator"`)
	}
	l := &rec.Layers[0]
	switch l.GoldStatus = annotate.GoldStatus(nl.GoldStatus); l.GoldStatus {
	case "", annotate.GoldTodo, annotate.GoldInProgress, annotate.GoldFinished:
	default:
		return fmt.Errorf(`"gold_status" %q is not todo, in_progress or finished`, nl.GoldStatus)
	}
	l.Status, l.Seconds, l.Revision = annotate.Status(nl.Status), nl.Seconds, nl.Revision
	if l.Status != "" && !l.Status.Valid() {
		return fmt.Errorf(`"status" %q is not todo, in_progress or done`, nl.Status)
	}
	if l.Seconds < 0 || l.Revision < 0 {
		return errors.New(`"seconds" and "revision" cannot be negative`)
	}
	if nl.Modified != "" {
		t, err := time.Parse(time.RFC3339Nano, nl.Modified)
		if err != nil {
			return fmt.Errorf(`"modified" %q is not an RFC 3339 time`, nl.Modified)
		}
		l.Modified = t.UTC()
	}
	for k, n := range nl.Clock {
		if k == "" || n < 0 {
			return fmt.Errorf(`"clock" has an empty copy id or a negative count (%q: %d)`, k, n)
		}
	}
	if len(nl.Clock) > 0 {
		l.Clock = nl.Clock
	}
	return nil
}

// revisionOut writes layer's revision into nl, for a layer that has
// changed (a layer never changed writes none of it).
func revisionOut(layer *annotate.Layer, nl *nativeLine) {
	if layer.Revision == 0 && len(layer.Clock) == 0 {
		return
	}
	nl.Status, nl.Seconds, nl.Revision, nl.Clock = string(layer.Status), layer.Seconds, layer.Revision, layer.Clock
	if !layer.Modified.IsZero() {
		nl.Modified = layer.Modified.UTC().Format(modifiedLayout)
	}
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

// JSONLWriter writes native JSONL, one line per (document, layer).
type JSONLWriter struct {
	w     *bufio.Writer
	lines *lineEncoder
	spans []nativeSpan // reused between lines
	rels  []nativeRel
}

// NewJSONLWriter writes native JSONL to w. Call Flush at the end.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriterSize(w, 1<<16)
	return &JSONLWriter{w: bw, lines: newLineEncoder(bw), spans: []nativeSpan{}, rels: []nativeRel{}}
}

var (
	emptyMeta = json.RawMessage("{}")
	noVotes   = []string{}
)

// Write writes one line for doc with one layer (layer may be empty). Every
// span is checked against the text first: an inconsistent span is an error
// and nothing of the line is written.
func (jw *JSONLWriter) Write(doc *annotate.Document, layer *annotate.Layer) error {
	nl := nativeLine{ID: &doc.ID, Text: &doc.Text, Title: doc.Title, Meta: emptyMeta, Spans: jw.spans[:0], Relations: jw.rels[:0]}
	if meta, err := storedMeta(doc); err != nil {
		return err
	} else if meta != nil {
		nl.Meta = meta
	}
	spans, rels := layerParts(layer)
	if layer != nil {
		nl.Annotator, nl.GoldStatus = layer.Annotator, string(layer.GoldStatus)
		revisionOut(layer, &nl)
	}
	chk := newSpanChecker(doc)
	for i := range spans {
		sp := &spans[i]
		if err := chk.check(sp); err != nil {
			return err
		}
		ns := nativeSpan{Start: &sp.Start, End: &sp.End, Label: sp.Label, Text: sp.Text, Origin: string(sp.Origin)}
		if ns.Votes, ns.Decision = provenanceOut(&sp.Votes, &sp.Decision); ns.Decision != nil {
			ns.DecidedBy = sp.DecidedBy
		}
		nl.Spans = append(nl.Spans, ns)
	}
	for i := range rels {
		r := &rels[i]
		if r.Head < 0 || r.Head >= len(spans) || r.Tail < 0 || r.Tail >= len(spans) {
			return fmt.Errorf("document %q: relation %d points outside the layer's spans", doc.ID, i)
		}
		nr := nativeRel{Head: &r.Head, Tail: &r.Tail, Label: r.Label}
		if nr.Votes, nr.Decision = provenanceOut(&r.Votes, &r.Decision); nr.Decision != nil {
			nr.DecidedBy = r.DecidedBy
		}
		nl.Relations = append(nl.Relations, nr)
	}
	jw.spans, jw.rels = nl.Spans[:0], nl.Relations[:0]
	return jw.lines.write(&nl, &nl.Text, true)
}

// streamText is the text size from which a line's text is escaped straight
// to the output: json.Encoder builds a whole line in memory, which for a
// document of hundreds of MB takes several times the text.
var streamText = 1 << 20

// lineEncoder writes the lines of a JSON export as newEncoder encodes them,
// byte for byte, escaping a long text straight to the output.
type lineEncoder struct {
	w      *bufio.Writer
	direct *json.Encoder // into w: a short line that ends with a newline
	buf    bytes.Buffer
	enc    *json.Encoder // into buf
}

func newLineEncoder(w *bufio.Writer) *lineEncoder {
	le := &lineEncoder{w: w, direct: newEncoder(w)}
	le.enc = newEncoder(&le.buf)
	return le
}

// write writes v, with a newline after it if newline. text is v's text
// field, the first "text" key of its encoding with no raw JSON before it
// (an encoded string cannot hold `"text":""`: its quotes are escaped).
// From streamText bytes on, v is encoded with an empty text and the text
// is written where that empty string is.
func (le *lineEncoder) write(v any, text **string, newline bool) error {
	t := *text
	long := t != nil && len(*t) >= streamText
	if !long && newline {
		return le.direct.Encode(v)
	}
	if long {
		empty := ""
		*text = &empty
	}
	le.buf.Reset()
	err := le.enc.Encode(v)
	if long {
		*text = t
	}
	if err != nil {
		return err
	}
	line := le.buf.Bytes()
	if !newline {
		line = line[:len(line)-1]
	}
	if !long {
		_, err = le.w.Write(line)
		return err
	}
	const field = `"text":`
	i := bytes.Index(line, []byte(field+`""`)) + len(field)
	le.w.Write(line[:i])
	writeJSONString(le.w, *t)
	_, err = le.w.Write(line[i+2:])
	return err
}

// writeJSONString writes s as a JSON string the way encoding/json does
// with HTML escaping off: \" \\ \b \f \n \r \t, other control characters
// as \u00XX, U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd.
func writeJSONString(w *bufio.Writer, s string) {
	const hex = "0123456789abcdef"
	w.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				w.WriteString(s[start:i])
				if r == utf8.RuneError {
					w.WriteString(`\ufffd`)
				} else {
					w.WriteString(`\u202`)
					w.WriteByte(hex[r&0xF])
				}
				start = i + size
			}
			i += size
			continue
		}
		if b >= 0x20 && b != '"' && b != '\\' {
			i++
			continue
		}
		w.WriteString(s[start:i])
		switch b {
		case '"', '\\':
			w.WriteByte('\\')
			w.WriteByte(b)
		case '\b':
			w.WriteString(`\b`)
		case '\f':
			w.WriteString(`\f`)
		case '\n':
			w.WriteString(`\n`)
		case '\r':
			w.WriteString(`\r`)
		case '\t':
			w.WriteString(`\t`)
		default:
			w.WriteString(`\u00`)
			w.WriteByte(hex[b>>4])
			w.WriteByte(hex[b&0xF])
		}
		i++
		start = i
	}
	w.WriteString(s[start:])
	w.WriteByte('"')
}

// Flush writes out what is buffered.
func (jw *JSONLWriter) Flush() error { return jw.w.Flush() }

// spanChecker verifies spans against one document before export.
type spanChecker struct {
	doc *annotate.Document
	*annotate.Cursor
}

func newSpanChecker(doc *annotate.Document) *spanChecker {
	return &spanChecker{doc, annotate.NewCursor(doc.Text)}
}

// check verifies a span about to be exported.
func (c *spanChecker) check(sp *annotate.Span) error {
	got, ok := c.Slice(sp.Start, sp.End)
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
	got, ok := c.Slice(sp.Start, sp.End)
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

func nativeEncode(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	jw := NewJSONLWriter(w)
	for rec := range recs {
		if opts.Annotator != "" {
			l, _ := pickLayer(&rec, &opts)
			if err := jw.Write(&rec.Doc, l); err != nil {
				return st, err
			}
			st.Documents++
			if l != nil {
				st.Spans += len(l.Spans)
				st.Relations += len(l.Relations)
			}
			continue
		}
		if len(rec.Layers) == 0 {
			if err := jw.Write(&rec.Doc, nil); err != nil {
				return st, err
			}
		}
		for i := range rec.Layers {
			if err := jw.Write(&rec.Doc, &rec.Layers[i]); err != nil {
				return st, err
			}
			st.Spans += len(rec.Layers[i].Spans)
			st.Relations += len(rec.Layers[i].Relations)
		}
		st.Documents++
	}
	return st, jw.Flush()
}

func nativeDecode(r io.Reader, name string) ([]annotate.Record, []string, error) {
	recs, err := ReadJSONL(r, name)
	if err != nil {
		return nil, nil, err
	}
	return recs, nil, nil
}
