package project

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"tawsim/annotate"
	"tawsim/storage"
)

// AnnotatorProgress is one annotator's row of the progress board.
type AnnotatorProgress struct {
	Annotator    string     `json:"annotator"`
	Assigned     int        `json:"assigned"`      // documents assigned
	AssignedDone int        `json:"assigned_done"` // of those, done
	InProgress   int        `json:"in_progress"`   // documents worked on (Worked), not done; assigned or not
	Done         int        `json:"done"`          // documents done, assigned or not
	Spans        int        `json:"spans"`
	Seconds      float64    `json:"seconds"` // time spent
	LastActivity *time.Time `json:"last_activity,omitempty"`
}

// Spent is the time spent, to the second.
func (a AnnotatorProgress) Spent() time.Duration {
	return time.Duration(a.Seconds * float64(time.Second)).Round(time.Second)
}

// DocProgress is one document's row of the progress board.
type DocProgress struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Assigned   []string `json:"assigned"`
	Overlap    bool     `json:"overlap"` // in the share assigned to everyone
	InProgress []string `json:"in_progress"`
	Done       []string `json:"done"`
	AllDone    bool     `json:"all_done"` // see AllDone
}

// Progress is the progress board: `tawsim progress` and Review ▸
// Progress… show it.
type Progress struct {
	Annotators []AnnotatorProgress `json:"annotators"`
	Documents  []DocProgress       `json:"documents"`
}

// AllDone says whether everyone expected on document d marked it done:
// its assigned annotators, or, when it has none, those who worked on it
// (and someone did).
func AllDone(d storage.DocInfo, assigned []string) bool {
	expected := assigned
	if len(expected) == 0 {
		for a := range d.Status {
			if a != storage.GoldLayer && Worked(d, a) {
				expected = append(expected, a)
			}
		}
		for a := range d.Spans {
			if _, counted := d.Status[a]; !counted && a != storage.GoldLayer && Worked(d, a) {
				expected = append(expected, a)
			}
		}
	}
	for _, a := range expected {
		if d.Status[a] != annotate.StatusDone {
			return false
		}
	}
	return len(expected) > 0
}

// AssignedByDoc is the plan in place as a map: document id → annotators.
func AssignedByDoc(st *storage.Store) (map[string][]string, map[string]bool, error) {
	plan, err := st.Assignments()
	if err != nil {
		return nil, nil, err
	}
	who, overlap := make(map[string][]string, len(plan)), map[string]bool{}
	for _, as := range plan {
		who[as.Doc], overlap[as.Doc] = as.Annotators, as.Overlap
	}
	return who, overlap, nil
}

// ProgressOf computes the progress board: every human annotator with an
// assignment, spans or a status row, by name, and every document, by id.
func ProgressOf(st *storage.Store) (*Progress, error) {
	docs, err1 := st.Documents()
	who, overlap, err2 := AssignedByDoc(st)
	acts, err3 := st.Activity()
	if err := cmp.Or(err1, err2, err3); err != nil {
		return nil, err
	}
	rows := map[string]*AnnotatorProgress{}
	row := func(a string) *AnnotatorProgress {
		if rows[a] == nil {
			rows[a] = &AnnotatorProgress{Annotator: a}
		}
		return rows[a]
	}
	for a, act := range acts {
		r := row(a)
		r.Seconds = act.Spent.Seconds()
		if !act.Last.IsZero() {
			r.LastActivity = &act.Last
		}
	}
	p := &Progress{Documents: make([]DocProgress, len(docs))}
	for i, d := range docs {
		dp := DocProgress{ID: d.ID, Title: d.Title, Assigned: who[d.ID], Overlap: overlap[d.ID], AllDone: AllDone(d, who[d.ID])}
		for _, a := range dp.Assigned {
			r := row(a)
			r.Assigned++
			if d.Status[a] == annotate.StatusDone {
				r.AssignedDone++
			}
		}
		for a, n := range d.Spans {
			if a != storage.GoldLayer {
				row(a).Spans += n
			}
		}
		for a, status := range d.Status {
			switch {
			case a == storage.GoldLayer: // its status is the adjudication's, kept apart
			case status == annotate.StatusDone:
				row(a).Done++
				dp.Done = append(dp.Done, a)
			case Worked(d, a): // spans on a document still todo are work begun
				row(a).InProgress++
				dp.InProgress = append(dp.InProgress, a)
			}
		}
		// Sorted, and [] rather than null in JSON.
		for _, names := range []*[]string{&dp.Assigned, &dp.InProgress, &dp.Done} {
			*names = append([]string{}, *names...)
			slices.Sort(*names)
		}
		p.Documents[i] = dp
	}
	for _, a := range slices.Sorted(maps.Keys(rows)) {
		p.Annotators = append(p.Annotators, *rows[a])
	}
	return p, nil
}
