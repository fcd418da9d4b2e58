package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strconv"

	"tawsim/annotate"
)

// doccano: JSONL, one document per line, code-point offsets (or, with
// Options.Offsets "utf16", UTF-16 units, as doccano's web UI counts; the
// reader takes code points, as doccano's backend writes them).
//
//	{"id":…,"text":…,"label":[[start,end,"LABEL"],…]}
//
// and, for relation projects (written with Options.DoccanoRelations, always
// accepted on import):
//
//	{"id":…,"text":…,"entities":[{"id","label","start_offset","end_offset"}],
//	 "relations":[{"id","from_id","to_id","type"}]}

// doccanoLine is the shape of one doccano line: Label is set in the label
// shape, Entities and Relations in the relation-project shape.
type doccanoLine struct {
	ID        docID              `json:"id"`
	Text      *string            `json:"text"`
	Label     *[]doccanoLabel    `json:"label,omitempty"`
	Entities  *[]doccanoEntity   `json:"entities,omitempty"`
	Relations *[]doccanoRelation `json:"relations,omitempty"`
}

// doccanoLabel is one [start, end, "LABEL"] item of "label". It reads any
// JSON value so that the reader can name the item that is not a span: such
// an item holds one labelProblem instead of its three values.
type doccanoLabel []any

// labelProblem says what is wrong with a label item.
type labelProblem string

func (l *doccanoLabel) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if json.Unmarshal(b, &parts) != nil || len(parts) != 3 {
		*l = doccanoLabel{labelProblem(`is not [start, end, "LABEL"] (text-classification labels are not spans)`)}
		return nil
	}
	var sp annotate.Span
	if json.Unmarshal(parts[0], &sp.Start) != nil || json.Unmarshal(parts[1], &sp.End) != nil || json.Unmarshal(parts[2], &sp.Label) != nil {
		*l = doccanoLabel{labelProblem(`is not [start, end, "LABEL"]`)}
		return nil
	}
	*l = doccanoLabel{sp.Start, sp.End, sp.Label}
	return nil
}

// doccanoEntity and doccanoRelation ids are any JSON value when read;
// Tawsim writes positions.
type doccanoEntity struct {
	ID    json.RawMessage `json:"id"`
	Label string          `json:"label"`
	Start *int            `json:"start_offset"`
	End   *int            `json:"end_offset"`
}

type doccanoRelation struct {
	ID   json.RawMessage `json:"id"`
	From json.RawMessage `json:"from_id"`
	To   json.RawMessage `json:"to_id"`
	Type string          `json:"type"`
}

func rawInt(n int) json.RawMessage { return json.RawMessage(strconv.Itoa(n)) }

func encodeDoccano(w io.Writer, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	bw := newBufWriter(w)
	lines := newLineEncoder(bw)
	utf16, err := opts.utf16()
	if err != nil {
		return st, err
	}
	labels, ents, rels := []doccanoLabel{}, []doccanoEntity{}, []doccanoRelation{}
	var units []annotate.Span // spans counted in UTF-16 units
	for rec := range recs {
		layer, err := chosenLayer(&rec, &opts)
		if err != nil {
			return st, err
		}
		spans, lrels := layerParts(layer)
		if utf16 && len(spans) > 0 {
			if units, err = toUTF16(units[:0], &rec.Doc, spans); err != nil {
				return st, err
			}
			spans = units
		}
		dl := doccanoLine{ID: docID(rec.Doc.ID), Text: &rec.Doc.Text}
		if opts.DoccanoRelations {
			ents, rels = ents[:0], rels[:0]
			for i := range spans {
				sp := &spans[i]
				ents = append(ents, doccanoEntity{ID: rawInt(i), Label: sp.Label, Start: &sp.Start, End: &sp.End})
			}
			for i, r := range lrels {
				rels = append(rels, doccanoRelation{ID: rawInt(i), From: rawInt(r.Head), To: rawInt(r.Tail), Type: r.Label})
			}
			dl.Entities, dl.Relations = &ents, &rels
			st.Relations += len(lrels)
		} else {
			labels = labels[:0]
			for _, sp := range spans {
				labels = append(labels, doccanoLabel{sp.Start, sp.End, sp.Label})
			}
			dl.Label = &labels
			st.RelationsDropped += len(lrels)
		}
		if err := lines.write(&dl, &dl.Text, true); err != nil {
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

func decodeDoccano(r io.Reader, name string) ([]annotate.Record, []string, error) {
	return decodeJSONL(r, name, func(line []byte, lineNo int) (*annotate.Record, []string, error) {
		var dl doccanoLine
		err := json.Unmarshal(line, &dl)
		labelNotList := typeErrorAt(err, "label")
		if err != nil && !labelNotList {
			return nil, nil, lineErr(name, lineNo, "not a doccano JSON object: %v", jsonReason(err))
		}
		id := dl.ID.or(name, lineNo)
		if dl.Text == nil {
			return nil, nil, lineErr(name, lineNo, `document %q: missing "text"`, id)
		}
		if labelNotList {
			return nil, nil, lineErr(name, lineNo, `document %q: "label" must be a list of [start, end, "LABEL"]`, id)
		}
		var spans []annotate.Span
		var rels []annotate.Relation
		for i, it := range items(dl.Label) {
			if len(it) != 3 {
				return nil, nil, lineErr(name, lineNo, "document %q: label %d %s", id, i, it[0])
			}
			spans = append(spans, annotate.Span{Start: it[0].(int), End: it[1].(int), Label: it[2].(string)})
		}
		ents, drels := items(dl.Entities), items(dl.Relations)
		switch {
		case len(ents) > 0:
			if len(spans) > 0 {
				return nil, nil, lineErr(name, lineNo, `document %q: both "label" and "entities"`, id)
			}
			index := map[string]int{}
			for i, e := range ents {
				if e.Start == nil || e.End == nil {
					return nil, nil, lineErr(name, lineNo, "document %q: entity %d has no start_offset or end_offset", id, i)
				}
				key := string(bytes.TrimSpace(e.ID))
				if key == "" || key == "null" {
					key = "#" + strconv.Itoa(i)
				} else if _, dup := index[key]; dup {
					return nil, nil, lineErr(name, lineNo, "document %q: entity id %s used twice", id, key)
				}
				index[key] = i
				spans = append(spans, annotate.Span{Start: *e.Start, End: *e.End, Label: e.Label})
			}
			for i, rl := range drels {
				h, okh := index[string(bytes.TrimSpace(rl.From))]
				t, okt := index[string(bytes.TrimSpace(rl.To))]
				if !okh || !okt {
					return nil, nil, lineErr(name, lineNo, "document %q: relation %d does not name two entities of this line", id, i)
				}
				if rl.Type == "" {
					return nil, nil, lineErr(name, lineNo, "document %q: relation %d has no type", id, i)
				}
				rels = append(rels, annotate.Relation{Head: h, Tail: t, Label: rl.Type})
			}
		case len(drels) > 0:
			return nil, nil, lineErr(name, lineNo, `document %q: "relations" without "entities"`, id)
		}
		rec, err := BuildRecord(id, *dl.Text, "", nil, "", spans, rels)
		return &rec, nil, err
	})
}

// utf16 tells whether the offsets are to count UTF-16 units.
func (o *Options) utf16() (bool, error) {
	switch o.Offsets {
	case "", "codepoints":
		return false, nil
	case "utf16":
		return true, nil
	}
	return false, fmt.Errorf("offsets %q: want codepoints or utf16", o.Offsets)
}

// toUTF16 appends to dst the spans with their offsets in UTF-16 units.
func toUTF16(dst []annotate.Span, doc *annotate.Document, spans []annotate.Span) ([]annotate.Span, error) {
	off := annotate.NewOffsets(doc.Text)
	for _, sp := range spans {
		s, err := off.ToUTF16(sp.Start)
		e := 0
		if err == nil {
			e, err = off.ToUTF16(sp.End)
		}
		if err != nil {
			return dst, fmt.Errorf("export stopped: document %q: span [%d,%d): %v", doc.ID, sp.Start, sp.End, err)
		}
		sp.Start, sp.End = s, e
		dst = append(dst, sp)
	}
	return dst, nil
}
