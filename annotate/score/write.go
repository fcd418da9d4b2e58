package score

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"unicode/utf8"
)

// WriteJSON writes the report (without the error list) as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteErrors writes the report's error lists as JSONL, one object per
// line: the span errors
// {"document","kind","gold":{"start","end","label","text"}|null,"pred":…|null},
// then the relation errors
// {"document","kind":"missing_relation"|"spurious_relation","relation","head":{…},"tail":{…}}.
func WriteErrors(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := encodeEach(enc, r.Errors); err != nil {
		return err
	}
	if err := encodeEach(enc, r.RelationErrors); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteText writes the report as readable tables: the micro counts and
// scores per scheme, the same per label, the macro averages, then the
// relations (strict and boundary, strict per relation label).
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "documents %d   gold spans %d   predicted spans %d   strict errors %d\n\n",
		r.Documents, r.GoldSpans, r.PredSpans, r.ErrorCount)

	width := len("micro")
	for _, l := range r.Labels {
		width = max(width, utf8.RuneCountInString(l))
	}
	header := func(first string) {
		fmt.Fprintf(bw, "%s  %-7s %7s %7s %7s %7s %7s %7s %7s %7s\n",
			pad(first, width), "scheme", "COR", "INC", "PAR", "MIS", "SPU", "P", "R", "F1")
	}
	rows := func(first string, res *Result) {
		for i, s := range AllSchemes {
			c := res.Get(s)
			name := first
			if i > 0 {
				name = ""
			}
			fmt.Fprintf(bw, "%s  %-7s %7d %7d %7d %7d %7d %7.4f %7.4f %7.4f\n",
				pad(name, width), s, c.Cor, c.Inc, c.Par, c.Mis, c.Spu, c.Precision, c.Recall, c.F1)
		}
	}

	header("")
	rows("micro", &r.Micro)
	if len(r.Labels) > 0 {
		bw.WriteString("\n")
		header("label")
		for _, l := range r.Labels {
			res := r.PerLabel[l]
			rows(l, &res)
		}
	}
	bw.WriteString("\n")
	fmt.Fprintf(bw, "%s  %-7s %7s %7s %7s\n", pad("", width), "scheme", "P", "R", "F1")
	for i, s := range AllSchemes {
		m := r.Macro.Get(s)
		name := "macro"
		if i > 0 {
			name = ""
		}
		fmt.Fprintf(bw, "%s  %-7s %7.4f %7.4f %7.4f\n", pad(name, width), s, m.Precision, m.Recall, m.F1)
	}
	r.writeRelations(bw)
	return bw.Flush()
}

// writeRelations writes the relation table.
func (r *Report) writeRelations(w io.Writer) {
	rel := &r.Relations
	labels := slices.Sorted(maps.Keys(rel.PerLabel))
	width := len("relations")
	for _, l := range labels {
		width = max(width, utf8.RuneCountInString(l))
	}
	fmt.Fprintf(w, "\n%s  %-8s %7s %7s %7s %7s %7s %7s\n", pad("relations", width), "scheme", "COR", "MIS", "SPU", "P", "R", "F1")
	row := func(first, scheme string, c RelCounts) {
		fmt.Fprintf(w, "%s  %-8s %7d %7d %7d %7.4f %7.4f %7.4f\n", pad(first, width), scheme, c.Cor, c.Mis, c.Spu, c.Precision, c.Recall, c.F1)
	}
	row("all", "strict", rel.Strict)
	row("", "boundary", rel.Boundary)
	for _, l := range labels {
		row(l, "strict", rel.PerLabel[l])
	}
	if n := r.RelationErrorCount; n > 0 {
		fmt.Fprintf(w, "relation errors (strict) %d\n", n)
	}
}

// pad left-aligns s in width code points (Arabic labels count by code point).
func pad(s string, width int) string {
	n := utf8.RuneCountInString(s)
	if n >= width {
		return s
	}
	b := make([]byte, 0, len(s)+width-n)
	b = append(b, s...)
	for ; n < width; n++ {
		b = append(b, ' ')
	}
	return string(b)
}
