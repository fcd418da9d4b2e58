package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"tawsim/annotate"
)

// doccano: JSONL, one document per line, code-point offsets.
//
//	{"id":…,"text":…,"label":[[start,end,"LABEL"],…]}
//
// and, for relation projects (written with Options.DoccanoRelations, always
// accepted on import):
//
//	{"id":…,"text":…,"entities":[{"id","label","start_offset","end_offset"}],
//	 "relations":[{"id","from_id","to_id","type"}]}

func init() {
	register(singleFile("doccano", "doccano sequence-labelling JSONL (label or entities/relations), code-point offsets", ".jsonl", true, encodeDoccano, decodeDoccano))
}

func encodeDoccano(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	bw := newBufWriter(w)
	var b []byte
	for rec := range recs {
		layer, err := pickLayer(&rec, &opts)
		if err != nil {
			return st, err
		}
		if err := checkLayer(&rec.Doc, layer); err != nil {
			return st, err
		}
		spans, rels := layerParts(layer)
		b = append(b[:0], `{"id":`...)
		b = appendString(b, rec.Doc.ID)
		b = append(b, `,"text":`...)
		b = appendString(b, rec.Doc.Text)
		if opts.DoccanoRelations {
			b = append(b, `,"entities":[`...)
			for i, sp := range spans {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":`...)
				b = appendInt(b, i)
				b = append(b, `,"label":`...)
				b = appendString(b, sp.Label)
				b = append(b, `,"start_offset":`...)
				b = appendInt(b, sp.Start)
				b = append(b, `,"end_offset":`...)
				b = appendInt(b, sp.End)
				b = append(b, '}')
			}
			b = append(b, `],"relations":[`...)
			for i, r := range rels {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":`...)
				b = appendInt(b, i)
				b = append(b, `,"from_id":`...)
				b = appendInt(b, r.Head)
				b = append(b, `,"to_id":`...)
				b = appendInt(b, r.Tail)
				b = append(b, `,"type":`...)
				b = appendString(b, r.Label)
				b = append(b, '}')
			}
			b = append(b, "]}\n"...)
			st.Relations += len(rels)
		} else {
			b = append(b, `,"label":[`...)
			for i, sp := range spans {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = appendInt(b, sp.Start)
				b = append(b, ',')
				b = appendInt(b, sp.End)
				b = append(b, ',')
				b = appendString(b, sp.Label)
				b = append(b, ']')
			}
			b = append(b, "]}\n"...)
			if len(rels) > 0 {
				st.RelationsDropped += len(rels)
			}
		}
		if _, err := bw.Write(b); err != nil {
			return st, err
		}
		st.Documents++
		st.Spans += len(spans)
	}
	if st.RelationsDropped > 0 {
		st.Warnings = append(st.Warnings, fmt.Sprintf("%d relations dropped: the doccano label shape has none (use the relation-project shape)", st.RelationsDropped))
	}
	return st, bw.Flush()
}

type doccanoLine struct {
	ID        json.RawMessage   `json:"id"`
	Text      *string           `json:"text"`
	Label     json.RawMessage   `json:"label"`
	Entities  []doccanoEntity   `json:"entities"`
	Relations []doccanoRelation `json:"relations"`
}

type doccanoEntity struct {
	ID    json.RawMessage `json:"id"`
	Label string          `json:"label"`
	Start *int            `json:"start_offset"`
	End   *int            `json:"end_offset"`
}

type doccanoRelation struct {
	From json.RawMessage `json:"from_id"`
	To   json.RawMessage `json:"to_id"`
	Type string          `json:"type"`
}

func decodeDoccano(r io.Reader, name string) ([]annotate.Record, []string, error) {
	var out []annotate.Record
	err := scanLines(r, name, func(lineNo int, line []byte) error {
		if err := annotate.ValidUTF8(line); err != nil {
			return lineErr(name, lineNo, "invalid UTF-8: %v", err)
		}
		var dl doccanoLine
		if err := json.Unmarshal(line, &dl); err != nil {
			return lineErr(name, lineNo, "not a doccano JSON object: %v", jsonReason(err))
		}
		id, err := idOf(dl.ID, name, lineNo)
		if err != nil {
			return err
		}
		if dl.Text == nil {
			return lineErr(name, lineNo, `document %q: missing "text"`, id)
		}
		var spans []annotate.Span
		var rels []annotate.Relation
		if len(dl.Label) > 0 && !bytes.Equal(dl.Label, []byte("null")) {
			var items []json.RawMessage
			if err := json.Unmarshal(dl.Label, &items); err != nil {
				return lineErr(name, lineNo, `document %q: "label" must be a list of [start, end, "LABEL"]`, id)
			}
			for i, it := range items {
				var parts []json.RawMessage
				if json.Unmarshal(it, &parts) != nil || len(parts) != 3 {
					return lineErr(name, lineNo, `document %q: label %d is not [start, end, "LABEL"] (text-classification labels are not spans)`, id, i)
				}
				var sp annotate.Span
				if json.Unmarshal(parts[0], &sp.Start) != nil || json.Unmarshal(parts[1], &sp.End) != nil || json.Unmarshal(parts[2], &sp.Label) != nil {
					return lineErr(name, lineNo, `document %q: label %d is not [start, end, "LABEL"]`, id, i)
				}
				spans = append(spans, sp)
			}
		}
		if len(dl.Entities) > 0 {
			if len(spans) > 0 {
				return lineErr(name, lineNo, `document %q: both "label" and "entities"`, id)
			}
			index := map[string]int{}
			for i, e := range dl.Entities {
				if e.Start == nil || e.End == nil {
					return lineErr(name, lineNo, "document %q: entity %d has no start_offset or end_offset", id, i)
				}
				key := string(bytes.TrimSpace(e.ID))
				if key == "" || key == "null" {
					key = "#" + strconv.Itoa(i)
				} else if _, dup := index[key]; dup {
					return lineErr(name, lineNo, "document %q: entity id %s used twice", id, key)
				}
				index[key] = i
				spans = append(spans, annotate.Span{Start: *e.Start, End: *e.End, Label: e.Label})
			}
			for i, rl := range dl.Relations {
				h, okh := index[string(bytes.TrimSpace(rl.From))]
				t, okt := index[string(bytes.TrimSpace(rl.To))]
				if !okh || !okt {
					return lineErr(name, lineNo, "document %q: relation %d does not name two entities of this line", id, i)
				}
				if rl.Type == "" {
					return lineErr(name, lineNo, "document %q: relation %d has no type", id, i)
				}
				rels = append(rels, annotate.Relation{Head: h, Tail: t, Label: rl.Type})
			}
		} else if len(dl.Relations) > 0 {
			return lineErr(name, lineNo, `document %q: "relations" without "entities"`, id)
		}
		rec, err := BuildRecord(id, *dl.Text, "", nil, "", spans, rels)
		if err != nil {
			return lineErr(name, lineNo, "%v", err)
		}
		rec.Line = lineNo
		out = append(out, rec)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, nil, nil
}

// idOf reads a document id given as a JSON string or number; a missing id
// becomes "FILE:LINE" (the file's base name).
func idOf(raw json.RawMessage, name string, lineNo int) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return fallbackID(name, lineNo), nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", lineErr(name, lineNo, `"id" is not a string: %v`, jsonReason(err))
		}
		if strings.TrimSpace(s) == "" {
			return fallbackID(name, lineNo), nil
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", lineErr(name, lineNo, `"id" is not a number: %v`, jsonReason(err))
		}
		return n.String(), nil
	}
	return "", lineErr(name, lineNo, `"id" must be a string or a number`)
}
