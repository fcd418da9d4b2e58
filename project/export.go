package project

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"tawsim/annotate"
	"tawsim/export"
	"tawsim/storage"
)

// ExportJob is one export of a project layer as a dataset file, optionally
// cut into splits.
type ExportJob struct {
	Format   string // a name of export.Names()
	Layer    string // annotator name, or storage.GoldLayer
	OnlyDone bool   // only documents the layer's annotator marked done
	Splits   string // "" or e.g. "train=0.8,dev=0.1,test=0.1" (export.ParseSplits)
	Seed     int64  // seed of export.SplitOf
	Scheme   string // "bio" or "bioes" for conll and hf; "" = bio
	Dest     string // file, or folder for folder formats (brat); "-" is stdout
	// IncludeUnfinished, for the gold layer, writes the documents whose
	// adjudication is not finished too, each with its GoldStatus. Without
	// it a gold export holds only finished documents.
	IncludeUnfinished bool

	DoccanoRelations bool   // doccano: the relation-project shape
	Offsets          string // doccano: "codepoints" (or "") or "utf16" (export.Options.Offsets)
}

// ExportOutput is one file (or folder) written.
type ExportOutput struct {
	Split string // "" without splits
	Path  string
	Stats export.Stats
	// LeftOut counts the documents of a gold export left out because
	// their adjudication is not finished, by status.
	LeftOut map[annotate.GoldStatus]int
}

// Unfinished is the total of LeftOut.
func (o ExportOutput) Unfinished() int {
	n := 0
	for _, c := range o.LeftOut {
		n += c
	}
	return n
}

// ErrNothingFinished is the error of a gold export that would hold no
// document: none (of a split) has a finished adjudication.
var ErrNothingFinished = errors.New("no document's adjudication is finished")

// goldSelection is which documents a gold export writes, with their
// statuses, and a refusal when a target would get none.
func goldSelection(st *storage.Store, job ExportJob, splitOf func(id string) string, targets []string) (map[string]storage.GoldState, error) {
	all, err := st.GoldStatuses()
	if err != nil {
		return nil, err
	}
	if job.IncludeUnfinished {
		return all, nil
	}
	finished := map[string]int{}
	left := map[annotate.GoldStatus]int{}
	for id, g := range all {
		if g.Status == annotate.GoldFinished {
			finished[splitOf(id)]++
		} else {
			left[g.Status]++
		}
	}
	for _, t := range targets {
		if finished[t] == 0 {
			where := ""
			if t != "" {
				where = " in split " + t
			}
			return nil, fmt.Errorf("%w%s: a gold export holds finished documents only, and %s; finish their adjudication first, or include the unfinished ones with their status",
				ErrNothingFinished, where, describeLeftOut(left, len(all)))
		}
	}
	return all, nil
}

// describeLeftOut says how many documents there are by status.
func describeLeftOut(left map[annotate.GoldStatus]int, total int) string {
	if total == 0 {
		return "the project has no documents"
	}
	return fmt.Sprintf("of the %d documents %d are to do and %d in progress", total, left[annotate.GoldTodo], left[annotate.GoldInProgress])
}

// SplitPath is where split name of an export to dest goes: for a folder
// format (no extension, brat) the sub-folder dest/name; into an existing
// folder dest/name.ext; otherwise the file name gets "-name" before its
// extension (out.jsonl → out-train.jsonl).
func SplitPath(f *export.Format, dest, name string) string {
	if f.Ext == "" {
		return filepath.Join(dest, name)
	}
	if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
		return filepath.Join(dest, name+f.Ext)
	}
	ext := filepath.Ext(dest)
	if ext == "" {
		ext = f.Ext
	}
	return strings.TrimSuffix(dest, filepath.Ext(dest)) + "-" + name + ext
}

// ExportProject writes a layer of st with job.Format. With splits each
// split gets its own output (see SplitPath) holding the documents
// export.SplitOf assigns to it; records are streamed from the store, one
// pass per output. progress, if set, is called with documents visited and
// the total of visits.
func ExportProject(st *storage.Store, job ExportJob, progress func(done, total int)) ([]ExportOutput, error) {
	f, err := export.Lookup(job.Format)
	if err != nil {
		return nil, err
	}
	// An empty Layer exports the texts without spans.
	if strings.TrimSpace(job.Dest) == "" {
		return nil, errors.New("choose where to write the export")
	}
	var splits []export.Split
	if strings.TrimSpace(job.Splits) != "" {
		if splits, err = export.ParseSplits(job.Splits); err != nil {
			return nil, err
		}
	}
	labels, err := st.Labels()
	if err != nil {
		return nil, err
	}
	if job.Dest == "-" && (f.Folder || strings.TrimSpace(job.Splits) != "") {
		return nil, errors.New("this export writes several files or a folder: give a path, not standard output")
	}
	opts := export.Options{Scheme: job.Scheme, Annotator: job.Layer, DoccanoRelations: job.DoccanoRelations, Offsets: job.Offsets}
	for _, l := range labels {
		opts.Labels = append(opts.Labels, l.Name)
	}
	splitOf := func(id string) string {
		if len(splits) == 0 {
			return ""
		}
		return export.SplitOf(id, job.Seed, splits)
	}
	gold := job.Layer == storage.GoldLayer
	var statuses map[string]storage.GoldState
	if gold {
		names := []string{""}
		if len(splits) > 0 {
			names = names[:0]
			for _, s := range splits {
				names = append(names, s.Name)
			}
		}
		if statuses, err = goldSelection(st, job, splitOf, names); err != nil {
			return nil, err
		}
		job.OnlyDone = false // the adjudication status selects the gold documents
	}
	// perPass counts the documents of one pass for the progress bar: the
	// whole listing (span counts, statuses) is read only when statuses
	// select them.
	var perPass int
	if job.OnlyDone {
		infos, err := st.Documents()
		if err != nil {
			return nil, err
		}
		for _, d := range infos {
			if d.Status[job.Layer] == annotate.StatusDone {
				perPass++
			}
		}
	} else if perPass, err = st.DocumentCount(); err != nil {
		return nil, err
	}
	type target struct{ split, path string }
	targets := []target{{"", job.Dest}}
	if len(splits) > 0 {
		targets = targets[:0]
		if f.Ext == "" {
			if err := os.MkdirAll(job.Dest, 0o755); err != nil {
				return nil, err
			}
		}
		for _, s := range splits {
			targets = append(targets, target{s.Name, SplitPath(f, job.Dest, s.Name)})
		}
	}
	total := perPass * len(targets)
	visited := 0
	var out []ExportOutput
	for _, t := range targets {
		var left map[annotate.GoldStatus]int
		if gold && !job.IncludeUnfinished {
			left = map[annotate.GoldStatus]int{}
		}
		var iterErr error
		errStop := errors.New("stop")
		recs := iter.Seq[annotate.Record](func(yield func(annotate.Record) bool) {
			err := st.EachRecord(job.Layer, job.OnlyDone, func(rec *annotate.Record) error {
				visited++
				if progress != nil && (visited%16 == 0 || visited == total) {
					progress(visited, total)
				}
				if t.split != "" && splitOf(rec.Doc.ID) != t.split {
					return nil
				}
				if gold {
					g := statuses[rec.Doc.ID].Status
					if g == "" {
						g = annotate.GoldTodo // imported since the statuses were read
					}
					if left != nil && g != annotate.GoldFinished {
						left[g]++
						return nil
					}
					if job.IncludeUnfinished {
						rec.Layers[0].GoldStatus = g
					}
				}
				if !yield(*rec) {
					return errStop
				}
				return nil
			})
			if err != nil && err != errStop {
				iterErr = err
			}
		})
		// A failure to read the store reaches the writer, which then
		// leaves t.path as it was instead of putting a partial file there.
		o := opts
		o.SourceErr = func() error { return iterErr }
		stats, err := f.Write(t.path, recs, o)
		if err != nil {
			if t.split != "" {
				// All splits or none: a train split without its test split
				// would pass for a whole dataset.
				for _, w := range out {
					os.RemoveAll(w.Path)
				}
				err = fmt.Errorf("split %s (%s): %w; the splits written before it were removed", t.split, t.path, err)
				out = nil
			}
			return out, err
		}
		if job.IncludeUnfinished && gold && f.Name != "jsonl" {
			stats.Warnings = append(stats.Warnings, fmt.Sprintf("%s has no per-document field for the adjudication status (only jsonl carries \"gold_status\"): the unfinished documents look like finished ones", f.Name))
		}
		out = append(out, ExportOutput{Split: t.split, Path: t.path, Stats: stats, LeftOut: left})
	}
	if progress != nil {
		progress(total, total)
	}
	return out, nil
}
