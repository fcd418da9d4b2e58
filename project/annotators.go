package project

import (
	"tawsim/annotate"
	"tawsim/storage"
)

// Worked reports whether annotator a has worked on document d: put a span
// on it, or given it a status past todo (marking a document without any
// entity done is work too: that annotator's layer there is all "O").
func Worked(d storage.DocInfo, a string) bool {
	st := d.Status[a]
	return d.Spans[a] > 0 || st == annotate.StatusInProgress || st == annotate.StatusDone
}

// Annotators lists, by name, the human annotators who worked on some
// document of the project: the annotators who count by default, in
// `tawsim agree`, `tawsim adjudicate`, the default layer of `tawsim export`
// and the app's Agreement and Adjudication windows alike. One who opened
// the app and labelled nothing is not among them.
func Annotators(st *storage.Store) ([]string, error) {
	all, err := st.Annotators()
	if err != nil {
		return nil, err
	}
	infos, err := st.Documents()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range all {
		for _, d := range infos {
			if Worked(d, a) {
				out = append(out, a)
				break
			}
		}
	}
	return out, nil
}
