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
// Offsets are code points, as Label Studio counts them today (its frontend
// and label-studio-converter, which slices Python strings). Older Label
// Studio exports (and Tawsim's before) counted UTF-16 units: a task whose
// value.text matches only that way is read as UTF-16, with a warning. The task id is
// the 1-based position in the export (Label Studio wants integers); the
// Tawsim document id and title travel in data.doc_id and data.title. Every
// layer of a record becomes one annotation; completed_by carries the
// annotator's name as "email" and a number per distinct annotator as "id".

// lsTask is the shape of one Label Studio task. Its id is any JSON value
// when read; Tawsim writes the task's position.
type lsTask struct {
	ID          json.RawMessage `json:"id"`
	Data        *lsData         `json:"data"`
	Annotations []lsAnnotation  `json:"annotations"`
	Completions []lsAnnotation  `json:"completions,omitempty"` // Label Studio < 1.0
}

type lsData struct {
	Text  *string `json:"text"`
	DocID *docID  `json:"doc_id"`
	Title string  `json:"title"`
}

type lsAnnotation struct {
	CompletedBy  lsUser     `json:"completed_by"`
	WasCancelled bool       `json:"was_cancelled,omitempty"`
	Result       []lsResult `json:"result"`
}

// lsUser is completed_by: written as {"id":N,"email":NAME}, read also as a
// bare user id or name.
type lsUser struct {
	ID    json.RawMessage `json:"id"`
	Email *string         `json:"email,omitempty"`
}

func (u *lsUser) UnmarshalJSON(b []byte) error {
	if b[0] != '{' {
		u.ID = append(json.RawMessage(nil), b...)
		return nil
	}
	type plain lsUser // without this method
	return json.Unmarshal(b, (*plain)(u))
}

// name is the annotator: the user's email, else its id.
func (u *lsUser) name() (string, error) {
	if u.Email != nil {
		return *u.Email, nil
	}
	raw := bytes.TrimSpace(u.ID)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")):
		return "", nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '{':
		var inner lsUser
		if err := json.Unmarshal(raw, &inner); err != nil {
			return "", fmt.Errorf("completed_by: %v", jsonReason(err))
		}
		return inner.name()
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("completed_by must be a user id, a name or a user object")
	}
	return strings.TrimSpace(n.String()), nil
}

// lsResult is a region ("labels": ID, names, Value) or a relation (FromID,
// ToID, Direction, Labels); the field order writes each as Label Studio does.
type lsResult struct {
	ID        string   `json:"id,omitempty"`
	FromID    string   `json:"from_id,omitempty"`
	ToID      string   `json:"to_id,omitempty"`
	FromName  string   `json:"from_name,omitempty"`
	ToName    string   `json:"to_name,omitempty"`
	Type      string   `json:"type"`
	Value     *lsValue `json:"value,omitempty"`
	Direction string   `json:"direction,omitempty"`
	Labels    []string `json:"labels,omitempty"`
}

type lsValue struct {
	Start  *int     `json:"start"`
	End    *int     `json:"end"`
	Text   *string  `json:"text"`
	Labels []string `json:"labels"`
}

func encodeLabelStudio(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	bw := newBufWriter(w)
	lines := newLineEncoder(bw)
	users := map[string]int{}
	if _, err := bw.WriteString("[\n"); err != nil {
		return st, err
	}
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
		for _, l := range layers {
			if err := checkLayer(&rec.Doc, l); err != nil {
				return st, err
			}
		}
		task := lsTask{ID: rawInt(st.Documents + 1), Data: &lsData{Text: &rec.Doc.Text, DocID: (*docID)(&rec.Doc.ID), Title: rec.Doc.Title},
			Annotations: make([]lsAnnotation, len(layers))}
		for j, l := range layers {
			uid, ok := users[l.Annotator]
			if !ok {
				uid = len(users) + 1
				users[l.Annotator] = uid
			}
			a := &task.Annotations[j]
			a.CompletedBy = lsUser{ID: rawInt(uid), Email: &l.Annotator}
			a.Result = make([]lsResult, 0, len(l.Spans)+len(l.Relations))
			prefix := "a" + strconv.Itoa(j+1) + "s"
			for i := range l.Spans {
				sp := &l.Spans[i]
				a.Result = append(a.Result, lsResult{ID: prefix + strconv.Itoa(i+1), FromName: "label", ToName: "text", Type: "labels",
					Value: &lsValue{Start: &sp.Start, End: &sp.End, Text: &sp.Text, Labels: []string{sp.Label}}})
			}
			for _, r := range l.Relations {
				a.Result = append(a.Result, lsResult{FromID: prefix + strconv.Itoa(r.Head+1), ToID: prefix + strconv.Itoa(r.Tail+1),
					Type: "relation", Direction: "right", Labels: []string{r.Label}})
			}
			st.Spans += len(l.Spans)
			st.Relations += len(l.Relations)
		}
		if st.Documents > 0 {
			bw.WriteString(",\n")
		}
		if err := lines.write(&task, &task.Data.Text, false); err != nil {
			return st, err
		}
		st.Documents++
	}
	if st.Documents > 0 {
		bw.WriteByte('\n')
	}
	if _, err := bw.WriteString("]\n"); err != nil {
		return st, err
	}
	return st, bw.Flush()
}

func decodeLabelStudio(r io.Reader, name string) ([]annotate.Record, []string, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, lineErr(name, 1, "read error: %v", err)
	}
	if err := checkUTF8(data, name, 1); err != nil {
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
	err := json.Unmarshal(raw, &t)
	if err == nil && t.Data == nil { // "data" missing: the whole task is the data
		t.Data = new(lsData)
		err = json.Unmarshal(raw, t.Data)
	}
	switch {
	case typeErrorAt(err, "data.text") || typeErrorAt(err, "text"):
		t.Data.Text = nil
	case typeErrorAt(err, "data.title") || typeErrorAt(err, "title"):
		return annotate.Record{}, nil, lineErr(name, line, `task %d: "title" is not a string`, index)
	case err != nil:
		return annotate.Record{}, nil, lineErr(name, line, "task %d: %v", index, jsonReason(err))
	}
	if t.Data.Text == nil {
		return annotate.Record{}, nil, lineErr(name, line, `task %d: no string "text" in "data"`, index)
	}
	text, title := *t.Data.Text, t.Data.Title
	var id string
	if t.Data.DocID != nil {
		id = t.Data.DocID.or(name, line)
	} else {
		var tid docID
		if err := json.Unmarshal(t.ID, &tid); len(t.ID) > 0 && err != nil {
			return annotate.Record{}, nil, lineErr(name, line, "%v", err)
		}
		id = tid.or(name, line)
	}
	anns := t.Annotations
	if len(anns) == 0 {
		anns = t.Completions
	}
	var warns []string
	utf16 := lsCountsUTF16(text, anns)
	if utf16 != nil {
		warns = append(warns, warnf(name, line, "document %q: offsets count UTF-16 units (an older Label Studio export): read as such", id))
	}
	var rec annotate.Record
	built := false
	for ai, a := range anns {
		if a.WasCancelled {
			warns = append(warns, warnf(name, line, "document %q: annotation %d was cancelled: skipped", id, ai+1))
			continue
		}
		annotator, err := a.CompletedBy.name()
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
				s, e := *v.Start, *v.End
				if utf16 != nil {
					var err1, err2 error
					s, err1 = utf16.FromUTF16(s)
					e, err2 = utf16.FromUTF16(e)
					if err := errors.Join(err1, err2); err != nil {
						return annotate.Record{}, nil, lineErr(name, line, "document %q: annotation %d: span [%d,%d) (UTF-16): %v", id, ai+1, *v.Start, *v.End, err)
					}
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

// lsCountsUTF16 returns the UTF-16 offset table of text when the task's
// regions count UTF-16 units: some value.text does not match under code
// points and every one matches under UTF-16. Otherwise (code points, or no
// character outside the BMP, or nothing to tell by) it returns nil.
func lsCountsUTF16(text string, anns []lsAnnotation) *annotate.Offsets {
	var off *annotate.Offsets
	cpOK, u16OK := true, true
	for _, a := range anns {
		if a.WasCancelled {
			continue
		}
		for _, res := range a.Result {
			v := res.Value
			if res.Type != "labels" || v == nil || v.Start == nil || v.End == nil || v.Text == nil {
				continue
			}
			if off == nil {
				if off = annotate.NewOffsets(text); off.UTF16Len() == off.Len() {
					return nil // both counts agree everywhere
				}
			}
			if got, err := off.Slice(text, *v.Start, *v.End); err != nil || got != *v.Text {
				cpOK = false
			}
			s, err1 := off.FromUTF16(*v.Start)
			e, err2 := off.FromUTF16(*v.End)
			if err1 != nil || err2 != nil {
				u16OK = false
			} else if got, err := off.Slice(text, s, e); err != nil || got != *v.Text {
				u16OK = false
			}
		}
	}
	if off == nil || cpOK || !u16OK {
		return nil
	}
	return off
}
