package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"tawsim/annotate"
)

// Label Studio: one JSON array of tasks, one task per line:
//
//	[
//	{"id":1,"data":{"text":…,"doc_id":…,"title":…},"annotations":[
//	  {"completed_by":{"id":1,"email":"ANNOTATOR"},"result":[
//	    {"id":"a1s1","from_name":"label","to_name":"text","type":"labels",
//	     "value":{"start":U,"end":U,"text":…,"labels":["LABEL"]}},
//	    {"from_id":"a1s1","to_id":"a1s2","type":"relation","direction":"right","labels":["REL"]}]}]}
//	]
//
// Offsets are UTF-16 code units (JavaScript string indexes). The task id is
// the 1-based position in the export (Label Studio wants integers); the
// Tawsim document id and title travel in data.doc_id and data.title. Every
// layer of a record becomes one annotation; completed_by carries the
// annotator's name as "email" and a number per distinct annotator as "id".

func init() {
	register(singleFile("labelstudio", "Label Studio JSON task list, UTF-16 offsets, one annotation per annotator", ".json", true, encodeLabelStudio, decodeLabelStudio))
}

func encodeLabelStudio(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	bw := newBufWriter(w)
	users := map[string]int{}
	var b []byte
	if _, err := bw.WriteString("[\n"); err != nil {
		return st, err
	}
	n := 0
	for rec := range recs {
		var layers []*annotate.Layer
		if opts.Annotator != "" {
			if l, _ := pickLayer(&rec, &opts); l != nil {
				layers = append(layers, l)
			}
		} else {
			for i := range rec.Layers {
				layers = append(layers, &rec.Layers[i])
			}
		}
		var off *annotate.Offsets
		for _, l := range layers {
			if err := checkLayer(&rec.Doc, l); err != nil {
				return st, err
			}
		}
		n++
		b = b[:0]
		if n > 1 {
			b = append(b, ",\n"...)
		}
		b = append(b, `{"id":`...)
		b = appendInt(b, n)
		b = append(b, `,"data":{"text":`...)
		b = appendString(b, rec.Doc.Text)
		b = append(b, `,"doc_id":`...)
		b = appendString(b, rec.Doc.ID)
		b = append(b, `,"title":`...)
		b = appendString(b, rec.Doc.Title)
		b = append(b, `},"annotations":[`...)
		for j, l := range layers {
			if j > 0 {
				b = append(b, ',')
			}
			uid, ok := users[l.Annotator]
			if !ok {
				uid = len(users) + 1
				users[l.Annotator] = uid
			}
			b = append(b, `{"completed_by":{"id":`...)
			b = appendInt(b, uid)
			b = append(b, `,"email":`...)
			b = appendString(b, l.Annotator)
			b = append(b, `},"result":[`...)
			prefix := "a" + strconv.Itoa(j+1) + "s"
			for i, sp := range l.Spans {
				if off == nil {
					off = annotate.NewOffsets(rec.Doc.Text)
				}
				us, err1 := off.ToUTF16(sp.Start)
				ue, err2 := off.ToUTF16(sp.End)
				if err := errors.Join(err1, err2); err != nil {
					return st, fmt.Errorf("export stopped: document %q: span [%d,%d): %v", rec.Doc.ID, sp.Start, sp.End, err)
				}
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":"`...)
				b = append(b, prefix...)
				b = appendInt(b, i+1)
				b = append(b, `","from_name":"label","to_name":"text","type":"labels","value":{"start":`...)
				b = appendInt(b, us)
				b = append(b, `,"end":`...)
				b = appendInt(b, ue)
				b = append(b, `,"text":`...)
				b = appendString(b, sp.Text)
				b = append(b, `,"labels":[`...)
				b = appendString(b, sp.Label)
				b = append(b, "]}}"...)
			}
			for i, r := range l.Relations {
				if i > 0 || len(l.Spans) > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"from_id":"`...)
				b = append(b, prefix...)
				b = appendInt(b, r.Head+1)
				b = append(b, `","to_id":"`...)
				b = append(b, prefix...)
				b = appendInt(b, r.Tail+1)
				b = append(b, `","type":"relation","direction":"right","labels":[`...)
				b = appendString(b, r.Label)
				b = append(b, "]}"...)
			}
			b = append(b, "]}"...)
			st.Spans += len(l.Spans)
			st.Relations += len(l.Relations)
		}
		b = append(b, "]}"...)
		if _, err := bw.Write(b); err != nil {
			return st, err
		}
		st.Documents++
	}
	if n > 0 {
		bw.WriteByte('\n')
	}
	if _, err := bw.WriteString("]\n"); err != nil {
		return st, err
	}
	return st, bw.Flush()
}

type lsTask struct {
	ID          json.RawMessage            `json:"id"`
	Data        map[string]json.RawMessage `json:"data"`
	Annotations []lsAnnotation             `json:"annotations"`
	Completions []lsAnnotation             `json:"completions"` // Label Studio < 1.0
}

type lsAnnotation struct {
	CompletedBy  json.RawMessage `json:"completed_by"`
	WasCancelled bool            `json:"was_cancelled"`
	Result       []lsResult      `json:"result"`
}

type lsResult struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Value     *lsValue `json:"value"`
	FromID    string   `json:"from_id"`
	ToID      string   `json:"to_id"`
	Direction string   `json:"direction"`
	Labels    []string `json:"labels"`
}

type lsValue struct {
	Start  *int     `json:"start"`
	End    *int     `json:"end"`
	Text   *string  `json:"text"`
	Labels []string `json:"labels"`
}

func decodeLabelStudio(r io.Reader, name string) ([]annotate.Record, []string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, lineErr(name, 1, "read error: %v", err)
	}
	if err := utf8Line(data, name); err != nil {
		return nil, nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	dec := json.NewDecoder(bytes.NewReader(data))
	lc := lineCounter{data: data, line: 1}
	tok, err := dec.Token()
	if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
		return nil, nil, lineErr(name, lc.at(skipSpace(data, 0)), "not a Label Studio export: expected a JSON array of tasks")
	}
	var out []annotate.Record
	var warns []string
	for dec.More() {
		start := skipSpace(data, int(dec.InputOffset()))
		line := lc.at(start)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, lineErr(name, line, "bad JSON: %v", jsonReason(err))
		}
		rec, w, err := parseLSTask(raw, name, line, len(out)+1)
		if err != nil {
			return nil, nil, err
		}
		warns = append(warns, w...)
		out = append(out, rec)
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, lineErr(name, lc.at(int(dec.InputOffset())), "bad JSON at the end of the task list: %v", jsonReason(err))
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		return nil, nil, lineErr(name, lc.at(int(dec.InputOffset())), "text after the task list")
	}
	return out, warns, nil
}

// skipSpace skips JSON white space and commas from off.
func skipSpace(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
			continue
		}
		break
	}
	return off
}

// lineCounter maps ascending byte offsets to 1-based lines.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (lc *lineCounter) at(off int) int {
	if off > len(lc.data) {
		off = len(lc.data)
	}
	if off < lc.off {
		return lineAt(lc.data, off)
	}
	lc.line += bytes.Count(lc.data[lc.off:off], []byte{'\n'})
	lc.off = off
	return lc.line
}

func parseLSTask(raw json.RawMessage, name string, line, index int) (annotate.Record, []string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return annotate.Record{}, nil, lineErr(name, line, "task %d is not a JSON object", index)
	}
	var t lsTask
	if err := json.Unmarshal(raw, &t); err != nil {
		return annotate.Record{}, nil, lineErr(name, line, "task %d: %v", index, jsonReason(err))
	}
	if t.Data == nil {
		// "data" missing: the whole task is the data.
		if err := json.Unmarshal(raw, &t.Data); err != nil {
			return annotate.Record{}, nil, lineErr(name, line, "task %d: %v", index, jsonReason(err))
		}
	}
	var text, id, title string
	rawText, ok := t.Data["text"]
	if !ok || json.Unmarshal(rawText, &text) != nil {
		return annotate.Record{}, nil, lineErr(name, line, `task %d: no string "text" in "data"`, index)
	}
	if d, ok := t.Data["doc_id"]; ok {
		var err error
		if id, err = idOf(d, name, line); err != nil {
			return annotate.Record{}, nil, err
		}
	} else {
		var err error
		if id, err = idOf(t.ID, name, line); err != nil {
			return annotate.Record{}, nil, err
		}
	}
	if d, ok := t.Data["title"]; ok {
		if json.Unmarshal(d, &title) != nil {
			return annotate.Record{}, nil, lineErr(name, line, `task %d: "title" is not a string`, index)
		}
	}
	anns := t.Annotations
	if len(anns) == 0 {
		anns = t.Completions
	}
	var warns []string
	var off *annotate.Offsets
	var rec annotate.Record
	built := false
	for ai, a := range anns {
		if a.WasCancelled {
			warns = append(warns, warnf(name, line, "document %q: annotation %d was cancelled: skipped", id, ai+1))
			continue
		}
		annotator, err := lsAnnotator(a.CompletedBy)
		if err != nil {
			return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: %v", id, ai+1, err)
		}
		var spans []annotate.Span
		var rels []annotate.Relation
		region := map[string]int{}
		for ri, res := range a.Result {
			switch res.Type {
			case "labels":
				v := res.Value
				if v == nil || v.Start == nil || v.End == nil {
					return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: result %d has no value.start/value.end", id, ai+1, ri+1)
				}
				if len(v.Labels) == 0 {
					return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: result %d has no label", id, ai+1, ri+1)
				}
				if off == nil {
					off = annotate.NewOffsets(text)
				}
				s, err1 := off.FromUTF16(*v.Start)
				e, err2 := off.FromUTF16(*v.End)
				if err := errors.Join(err1, err2); err != nil {
					return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: span [%d,%d) (UTF-16): %v", id, ai+1, *v.Start, *v.End, err)
				}
				if res.ID != "" {
					if _, dup := region[res.ID]; dup {
						return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: region id %q used twice", id, ai+1, res.ID)
					}
					region[res.ID] = len(spans)
				}
				for _, lb := range v.Labels {
					sp := annotate.Span{Start: s, End: e, Label: lb}
					if v.Text != nil {
						sp.Text = *v.Text
					}
					spans = append(spans, sp)
				}
			case "relation":
			default:
				warns = append(warns, warnf(name, line, "document %q: annotation %d: result %d of type %q is not a span: skipped", id, ai+1, ri+1, res.Type))
			}
		}
		for ri, res := range a.Result {
			if res.Type != "relation" {
				continue
			}
			h, okh := region[res.FromID]
			tl, okt := region[res.ToID]
			if !okh || !okt {
				return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: relation %d does not link two regions of the annotation", id, ai+1, ri+1)
			}
			if len(res.Labels) == 0 {
				return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: relation %d has no label", id, ai+1, ri+1)
			}
			switch res.Direction {
			case "", "right":
			case "left":
				h, tl = tl, h
			case "bi":
				warns = append(warns, warnf(name, line, "document %q: annotation %d: relation %d is bidirectional: imported as from_id → to_id", id, ai+1, ri+1))
			default:
				return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: relation %d has unknown direction %q", id, ai+1, ri+1, res.Direction)
			}
			for _, lb := range res.Labels {
				rels = append(rels, annotate.Relation{Head: h, Tail: tl, Label: lb})
			}
		}
		r, err := BuildRecord(id, text, title, nil, annotator, spans, rels)
		if err != nil {
			return annotate.Record{}, nil, lineErr(name, line, "annotation %d: %v", ai+1, err)
		}
		if len(r.Layers) == 0 {
			r.Layers = []annotate.Layer{{Annotator: annotator}}
		}
		if !built {
			rec, built = r, true
		} else {
			rec.Layers = append(rec.Layers, r.Layers...)
		}
	}
	if !built {
		r, err := BuildRecord(id, text, title, nil, "", nil, nil)
		if err != nil {
			return annotate.Record{}, nil, lineErr(name, line, "%v", err)
		}
		rec = r
	}
	rec.Line = line
	return rec, warns, nil
}

// lsAnnotator reads completed_by: a user id number, a string, or a user
// object (its "email", else its "id").
func lsAnnotator(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	switch raw[0] {
	case '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case '{':
		var u struct {
			ID    json.RawMessage `json:"id"`
			Email *string         `json:"email"`
		}
		if err := json.Unmarshal(raw, &u); err != nil {
			return "", fmt.Errorf("completed_by: %v", jsonReason(err))
		}
		if u.Email != nil {
			return *u.Email, nil
		}
		return lsAnnotator(u.ID)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("completed_by must be a user id, a name or a user object")
	}
	return strings.TrimSpace(n.String()), nil
}
