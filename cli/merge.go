package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"tawsim/storage"
)

// Merge brings other copies of the project into --db.
var Merge = &Command{Name: "merge", Summary: "merge other copies of the project (laptops, the lead's; files or postgres:// DSNs): new documents, definition changes and every newer layer; conflicts keep the other side as a version",
	Usage: "[--json] FILE|DSN...", DB: DefaultDB, Flags: mergeCmd}

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
		// Every file is merged on its own, all or nothing: one refused
		// file does not keep the others out.
		type result struct {
			*storage.MergeReport
			Error string `json:"error,omitempty"`
		}
		var reps []result
		refused := 0
		for _, f := range args {
			rep, err := st.MergeFile(f, storage.MergeOptions{})
			name := storage.RedactDSN(f) // a DSN's password stays out of the output
			if err != nil {
				refused++
				reps = append(reps, result{&storage.MergeReport{From: name}, err.Error()})
				fmt.Fprintf(env.Stderr, "refused %s (nothing of it was merged): %v\n", name, err)
				continue
			}
			reps = append(reps, result{MergeReport: rep})
			if !*asJSON {
				printMerge(env.Stdout, name, rep)
			}
		}
		if *asJSON {
			if err := writeJSON(env.Stdout, reps); err != nil {
				return err
			}
		}
		if refused > 0 {
			return exitError{1}
		}
		return nil
	}
}

func printMerge(w io.Writer, file string, r *storage.MergeReport) {
	fmt.Fprintf(w, "merged %s: %s\n", file, r)
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

// Copy moves a whole project to another file or PostgreSQL database.
var Copy = &Command{Name: "copy", Summary: "move a whole project to another file or postgres:// DSN, exactly (every document, layer, revision and kept version; the same project, not a new copy to edit beside it)",
	Usage: "--to FILE|DSN [--force]", DB: DefaultDB, NoArgs: true, Flags: copyCmd}

func copyCmd(fs *flag.FlagSet) func(*Env, []string) error {
	to := fs.String("to", "", "the `FILE|DSN` to copy the project to (a postgres:// DSN): a new file or a database holding no project (required)")
	var opt storage.CopyOptions
	fs.BoolVar(&opt.Force, "force", false, "copy over a project that has no documents")
	return func(env *Env, args []string) error {
		if *to == "" {
			return Usagef("--to FILE|DSN is required")
		}
		src := env.DB
		if src == "" {
			var err error
			if src, err = storage.DefaultPath(); err != nil {
				return err
			}
		}
		rep, err := storage.Copy(src, *to, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "copied %s to %s: %s\n", rep.From, rep.To, rep)
		return nil
	}
}

// Versions lists the kept versions of layers (what a merge or an import
// decided against) and restores one.
var Versions = &Command{Name: "versions", Summary: "list the kept versions of layers (the other side of each merge or import conflict), or restore one",
	Usage: "[--doc ID] [--annotator NAME] [--json] | --restore ID", DB: DefaultDB, NoArgs: true, Flags: versionsCmd}

// versionJSON is one version in `tawsim versions --json`.
type versionJSON struct {
	ID        int64  `json:"id"`
	Doc       string `json:"doc"`
	Annotator string `json:"annotator"`
	Revision  int64  `json:"revision"`
	Modified  string `json:"modified,omitempty"`
	Kept      string `json:"kept"`
	Reason    string `json:"reason"`
	Status    string `json:"status"`
	Spans     int    `json:"spans"`
	Relations int    `json:"relations"`
}

func versionsCmd(fs *flag.FlagSet) func(*Env, []string) error {
	doc := fs.String("doc", "", "only the versions of this document")
	who := fs.String("annotator", "", "only the versions of this annotator's layers")
	asJSON := fs.Bool("json", false, "print a JSON array")
	restore := fs.Int64("restore", 0, "make version `ID` its layer's current state (the state it replaces is kept as another version)")
	return func(env *Env, args []string) error {
		st, err := env.Store()
		if err != nil {
			return err
		}
		if *restore != 0 {
			if *doc != "" || *who != "" || *asJSON {
				return Usagef("--restore takes no other option")
			}
			kept, err := st.RestoreVersion(*restore)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "restored version %d; the state it replaced is version %d\n", *restore, kept)
			return nil
		}
		vs, err := st.LayerVersions(*doc, *who)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeVersionsJSON(env.Stdout, vs)
		}
		if len(vs) == 0 {
			fmt.Fprintln(env.Stdout, "no kept versions")
		}
		for _, v := range vs {
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s\trevision %d\tmodified %s\t%d spans, %d relations, %s\t%s\n", v.ID, v.Doc, v.Annotator, v.Revision,
				stamp(v.Modified), len(v.Layer.Spans), len(v.Layer.Relations), v.Layer.Status, v.Reason)
		}
		return nil
	}
}

func writeVersionsJSON(w io.Writer, vs []storage.LayerVersion) error {
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = versionJSON{ID: v.ID, Doc: v.Doc, Annotator: v.Annotator, Revision: v.Revision, Modified: stamp(v.Modified),
			Kept: stamp(v.Created), Reason: v.Reason, Status: string(v.Layer.Status), Spans: len(v.Layer.Spans), Relations: len(v.Layer.Relations)}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// stamp is a time for people and scripts alike ("" for none).
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
