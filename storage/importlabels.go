package storage

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"tawsim/annotate"
)

// UnknownLabelsError refuses an import whose spans carry labels the
// project does not have (without ImportOptions.AddLabels). It lists every
// such label of the file, so the user (or the app's question) can add them
// all at once or fix the file.
type UnknownLabelsError struct {
	File   string
	Labels []UnknownLabel // in the order the file first uses them
}

// UnknownLabel is one label a file uses that the project lacks.
type UnknownLabel struct {
	Name  string
	Line  int // the first line (record) that uses it; 0 if unknown
	Spans int // the spans of the file that carry it
}

func (e *UnknownLabelsError) Error() string {
	parts := make([]string, len(e.Labels))
	for i, l := range e.Labels {
		parts[i] = fmt.Sprintf("%q (%s", l.Name, plural(l.Spans, "span"))
		if l.Line > 0 {
			parts[i] += fmt.Sprintf(", first at line %d", l.Line)
		}
		parts[i] += ")"
	}
	first := 0
	if len(e.Labels) > 0 {
		first = e.Labels[0].Line
	}
	noun := "label"
	if len(e.Labels) > 1 {
		noun = "labels"
	}
	return fmt.Sprintf("%s%s not in the project's label set: %s", where(ImportOptions{File: e.File}, first), noun, strings.Join(parts, ", "))
}

// Names lists the unknown labels' names.
func (e *UnknownLabelsError) Names() []string {
	out := make([]string, len(e.Labels))
	for i, l := range e.Labels {
		out[i] = l.Name
	}
	return out
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// countUnknown notes the spans of recs whose labels the project lacks,
// unless the import adds them.
func (st *importState) countUnknown(tx *gorm.DB, recs []annotate.Record) error {
	if st.opt.AddLabels {
		return nil
	}
	if st.labels == nil {
		var names []string
		if err := tx.Model(&labelType{}).Pluck("name", &names).Error; err != nil {
			return err
		}
		st.labels = make(map[string]bool, len(names))
		for _, n := range names {
			st.labels[n] = true
		}
	}
	for i := range recs {
		for _, l := range recs[i].Layers {
			for _, sp := range l.Spans {
				if !st.labels[sp.Label] {
					st.noteUnknown(sp.Label, recs[i].Line)
				}
			}
		}
	}
	return nil
}

func (st *importState) noteUnknown(label string, line int) {
	if st.unknown == nil {
		st.unknown = &UnknownLabelsError{File: st.opt.File}
	}
	for i := range st.unknown.Labels {
		if st.unknown.Labels[i].Name == label {
			st.unknown.Labels[i].Spans++
			return
		}
	}
	st.unknown.Labels = append(st.unknown.Labels, UnknownLabel{Name: label, Line: line, Spans: 1})
}

// unknownErr is the refusal of the labels counted, if any (returned as an
// error interface only when there is one).
func (st *importState) unknownErr() error {
	if st.unknown == nil {
		return nil
	}
	return st.unknown
}
