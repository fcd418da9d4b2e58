package score

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"tawsim/annotate"
	"tawsim/annotate/relmatch"
)

// Layers chooses which annotation layer of a record is gold and which is the
// prediction, by annotator name.
//
// An empty name means "the document's only layer": a document with no layer
// has no spans, a document with two or more layers is an error asking for a
// name. A non-empty name picks the layer by that annotator; two such layers
// on one document are an error. A gold document without the named layer is
// an error (scoring it as a document without gold spans would count every
// prediction on it as spurious; dropping it would hide it); a predicted
// document without the named layer has no predictions.
type Layers struct {
	Gold string // annotator of the gold layer, "" for the only layer
	Pred string // annotator of the predicted layer, "" for the only layer
}

type group struct {
	id     string
	text   string
	layers []*annotate.Layer
}

// groupRecords merges records by document id (a native JSONL file carries
// one line per document and layer). Records of one id must have the same
// text.
func groupRecords(recs []annotate.Record, side string) ([]*group, map[string]*group, error) {
	var order []*group
	byID := make(map[string]*group, len(recs))
	for i := range recs {
		rec := &recs[i]
		g := byID[rec.Doc.ID]
		if g == nil {
			g = &group{id: rec.Doc.ID, text: rec.Doc.Text}
			byID[g.id] = g
			order = append(order, g)
		} else if g.text != rec.Doc.Text {
			return nil, nil, fmt.Errorf("%s document %q appears twice with different texts (%s)", side, g.id, firstDiff(g.text, rec.Doc.Text))
		}
		for j := range rec.Layers {
			g.layers = append(g.layers, &rec.Layers[j])
		}
	}
	return order, byID, nil
}

// pick selects one layer of g by annotator name (see Layers).
func (g *group) pick(name, side string, required bool) (*annotate.Layer, error) {
	if name == "" {
		switch len(g.layers) {
		case 0:
			return nil, nil
		case 1:
			return g.layers[0], nil
		}
		names := make([]string, len(g.layers))
		for i, l := range g.layers {
			names[i] = fmt.Sprintf("%q", l.Annotator)
		}
		return nil, fmt.Errorf("%s document %q has %d layers (annotators %s): choose one by annotator", side, g.id, len(g.layers), strings.Join(names, ", "))
	}
	var found *annotate.Layer
	for _, l := range g.layers {
		if l.Annotator == name {
			if found != nil {
				return nil, fmt.Errorf("%s document %q has two layers by annotator %q", side, g.id, name)
			}
			found = l
		}
	}
	if found == nil && required {
		return nil, fmt.Errorf("%s document %q has no layer by annotator %q", side, g.id, name)
	}
	return found, nil
}

// Match pairs gold and predicted records by document id into the documents
// to score, in the order of the gold records.
//
//   - Records with the same id on one side are merged (their texts must be
//     identical); layers are then chosen as Layers says.
//   - A document in gold and in the predictions must have the identical
//     stored text on both sides, otherwise the error names the document and
//     the first differing code point.
//   - A gold document missing from the predictions is scored with no
//     predictions (its spans count as MIS).
//   - A document only in the predictions is an error naming it: its spans
//     could be neither correct nor missed, and it usually means the wrong
//     files were given.
//   - Every span must have 0 <= Start < End <= text length and a label,
//     otherwise the error names document, side and span; every relation
//     must have a label and name two spans of its side.
//
// The Docs share the span slices of the records.
func Match(gold, pred []annotate.Record, layers Layers) ([]Doc, error) {
	gOrder, gByID, err := groupRecords(gold, "gold")
	if err != nil {
		return nil, err
	}
	pOrder, pByID, err := groupRecords(pred, "predicted")
	if err != nil {
		return nil, err
	}
	var extra []string
	for _, p := range pOrder {
		if gByID[p.id] == nil {
			extra = append(extra, p.id)
		}
	}
	if len(extra) > 0 {
		more := ""
		if len(extra) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(extra)-1)
		}
		return nil, fmt.Errorf("predicted document %q%s is not in the gold data", extra[0], more)
	}

	docs := make([]Doc, 0, len(gOrder))
	for _, g := range gOrder {
		d := Doc{ID: g.id, Text: g.text}
		gl, err := g.pick(layers.Gold, "gold", true)
		if err != nil {
			return nil, err
		}
		if gl != nil {
			d.Gold, d.GoldRel = gl.Spans, gl.Relations
		}
		if p := pByID[g.id]; p != nil {
			if p.text != g.text {
				return nil, fmt.Errorf("document %q: the predicted text differs from the gold text (%s)", g.id, firstDiff(g.text, p.text))
			}
			pl, err := p.pick(layers.Pred, "predicted", false)
			if err != nil {
				return nil, err
			}
			if pl != nil {
				d.Pred, d.PredRel = pl.Spans, pl.Relations
			}
		}
		n := -1 // code points of the text, counted at most once
		if err := checkSpans(&d, d.Gold, "gold", &n); err != nil {
			return nil, err
		}
		if err := checkSpans(&d, d.Pred, "predicted", &n); err != nil {
			return nil, err
		}
		for _, side := range [...]struct {
			name  string
			spans []annotate.Span
			rels  []annotate.Relation
		}{{"gold", d.Gold, d.GoldRel}, {"predicted", d.Pred, d.PredRel}} {
			if err := relmatch.Check(len(side.spans), side.rels); err != nil {
				return nil, fmt.Errorf("document %q: %s %w", d.ID, side.name, err)
			}
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// checkSpans checks offsets and labels. The text's code-point count is only
// computed when a span ends past len(text)/4, the fewest code points a text
// of that many bytes can have.
func checkSpans(d *Doc, spans []annotate.Span, side string, np *int) error {
	for i := range spans {
		sp := &spans[i]
		if sp.Start < 0 || sp.Start >= sp.End {
			return fmt.Errorf("document %q: %s span %d [%d,%d) %s is empty or negative", d.ID, side, i, sp.Start, sp.End, sp.Label)
		}
		if sp.Label == "" {
			return fmt.Errorf("document %q: %s span %d [%d,%d) has no label", d.ID, side, i, sp.Start, sp.End)
		}
		if sp.End > len(d.Text)/utf8.UTFMax {
			if *np < 0 {
				*np = utf8.RuneCountInString(d.Text)
			}
			if sp.End > *np {
				return fmt.Errorf("document %q: %s span %d [%d,%d) %s ends past the text (length %d)", d.ID, side, i, sp.Start, sp.End, sp.Label, *np)
			}
		}
	}
	return nil
}

// firstDiff describes where two texts first differ, in code points.
func firstDiff(a, b string) string {
	i, cp := 0, 0
	for i < len(a) && i < len(b) {
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, _ := utf8.DecodeRuneInString(b[i:])
		if ra != rb {
			break
		}
		i += na
		cp++
	}
	return fmt.Sprintf("first difference at code point %d; lengths %d and %d", cp, utf8.RuneCountInString(a), utf8.RuneCountInString(b))
}
