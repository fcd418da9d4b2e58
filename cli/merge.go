package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"tawsim/storage"
)

// Merge brings other copies of the project into --db.
var Merge = &Command{Name: "merge", Summary: "merge other copies of the project (laptops, the lead's): new documents, definition changes and every newer layer; conflicts keep the other side as a version",
	Usage: "[--json] FILE...", DB: DefaultDB, Flags: mergeCmd}

// HandOut writes a project file for one annotator's laptop.
var HandOut = &Command{Name: "handout", Summary: "write a project file for one annotator's laptop: the documents, the definition and that annotator's own layers, nothing of the others",
	Usage: "--annotator NAME [--docs ID,ID|--assigned] [--force] --out FILE", DB: DefaultDB, NoArgs: true, Flags: handOutCmd}

func mergeCmd(fs *flag.FlagSet) func(*Env, []string) error {
	asJSON := fs.Bool("json", false, "print one JSON report per file, as a JSON array")
	return func(env *Env, args []string) error {
		if len(args) == 0 {
			return Usagef("name at least one project file to merge")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		var reps []*storage.MergeReport
		for _, f := range args {
			rep, err := st.MergeFile(f, storage.MergeOptions{})
			if err != nil {
				return fmt.Errorf("merging %s (nothing of it was merged): %w", f, err)
			}
			reps = append(reps, rep)
			if !*asJSON {
				printMerge(env.Stdout, f, rep)
			}
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetEscapeHTML(false)
			return enc.Encode(reps)
		}
		return nil
	}
}

func printMerge(w io.Writer, file string, r *storage.MergeReport) {
	fmt.Fprintf(w, "merged %s: %d documents added, definition %s, layers: %d replaced, %d unchanged, %d conflicts\n",
		file, len(r.DocumentsAdded), r.Definition, r.LayersReplaced, r.LayersUnchanged, len(r.Conflicts))
	if len(r.LabelsAdded) > 0 {
		fmt.Fprintf(w, "  labels added: %s\n", strings.Join(r.LabelsAdded, ", "))
	}
	if len(r.LabelsChanged) > 0 {
		fmt.Fprintf(w, "  labels changed: %s\n", strings.Join(r.LabelsChanged, ", "))
	}
	for _, c := range r.Conflicts {
		fmt.Fprintf(w, "  conflict: %s\n", c)
	}
}

func handOutCmd(fs *flag.FlagSet) func(*Env, []string) error {
	var opt storage.HandOutOptions
	fs.StringVar(&opt.Annotator, "annotator", "", "the annotator whose laptop the file is for (required)")
	docs := fs.String("docs", "", "only these documents (comma-separated ids; default: all)")
	assigned := fs.Bool("assigned", false, "only the documents assigned to the annotator (tawsim assign)")
	out := fs.String("out", "", "the project file to write (required)")
	fs.BoolVar(&opt.Force, "force", false, "replace --out if it exists")
	return func(env *Env, args []string) error {
		switch {
		case opt.Annotator == "":
			return Usagef("--annotator NAME is required")
		case *out == "":
			return Usagef("--out FILE is required")
		case *docs != "" && *assigned:
			return Usagef("give --docs or --assigned, not both")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		if *docs != "" {
			for _, id := range strings.Split(*docs, ",") {
				if id = strings.TrimSpace(id); id != "" {
					opt.Docs = append(opt.Docs, id)
				}
			}
		}
		if *assigned {
			if opt.Docs, err = st.AssignedDocs(opt.Annotator); err != nil {
				if errors.Is(err, storage.ErrNoAssignments) {
					return Usagef("--assigned: %v", err)
				}
				return err
			}
		}
		rep, err := st.HandOut(*out, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "handed out %d documents and %d layers of %s to %s\n", len(rep.DocumentsAdded), rep.LayersReplaced, opt.Annotator, *out)
		return nil
	}
}
