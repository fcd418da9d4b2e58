package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strings"

	"tawsim/export"
	"tawsim/importer"
	"tawsim/storage"
)

func init() {
	Add(&Command{Name: "version", Summary: "print the version", Usage: "",
		Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
			return func(env *Env, args []string) error {
				fmt.Fprintf(env.Stdout, "tawsim %s (database schema %d)\n", Version, storage.SchemaVersion)
				return nil
			}
		}})
	Add(&Command{Name: "import", Summary: "import documents (.txt, folders, JSONL and other formats)",
		Usage: "[--annotator NAME] [--replace] [--format F] [--id ID] PATH...", Flags: importCmd})
	Add(&Command{Name: "docs", Summary: "list the documents with span counts and statuses",
		Usage: "[--json]", Flags: docsCmd})
	Add(&Command{Name: "export", Summary: "export an annotation layer as a dataset",
		Usage: "--format F [--annotator NAME] [--only-done] [--split train=0.8,dev=0.1,test=0.1 [--seed N]] --out PATH|-", Flags: exportCmd})
}

func importCmd(fs *flag.FlagSet) func(*Env, []string) error {
	db := dbFlag(fs)
	var opt importer.Options
	fs.StringVar(&opt.Annotator, "annotator", "", "put every imported span into this annotator's layer (overrides the files' \"annotator\")")
	fs.BoolVar(&opt.Replace, "replace", false, "replace the text of a document whose id exists with a different text")
	fs.StringVar(&opt.Format, "format", "", "input format (default: .txt by extension, the others by content): txt, "+strings.Join(export.Names(), ", "))
	fs.StringVar(&opt.ID, "id", "", "document id for a single .txt file (default: the file name without extension)")
	return func(env *Env, args []string) error {
		if len(args) == 0 {
			return usageErr("name at least one file or folder to import")
		}
		if opt.Format != "" && opt.Format != "txt" {
			if _, err := export.Lookup(opt.Format); err != nil {
				return usageErr("--format: %v", err)
			}
		}
		if opt.ID != "" && len(args) != 1 {
			return usageErr("--id names one document: give exactly one .txt file")
		}
		st, err := createStore(*db)
		if err != nil {
			return err
		}
		defer st.Close()
		bar := newProgress(env, "importing")
		results, err := importer.Paths(st, args, opt, bar.set)
		if err != nil {
			return err
		}
		var added, skipped, replaced, refused, spans int
		for _, r := range results {
			for _, w := range r.Warnings {
				fmt.Fprintf(env.Stderr, "warning: %s\n", w)
			}
			if r.Err != nil {
				refused++
				msg := r.Err.Error()
				if !strings.HasPrefix(msg, r.File) {
					msg = r.File + ": " + msg
				}
				fmt.Fprintf(env.Stdout, "refused  %s\n", msg)
				continue
			}
			res := r.Result
			added += len(res.Added)
			skipped += len(res.Skipped)
			replaced += len(res.Replaced)
			spans += res.Spans
			fmt.Fprintf(env.Stdout, "imported %s: %s\n", r.File, describe(res))
		}
		fmt.Fprintf(env.Stdout, "%d added, %d skipped (already present), %d replaced, %d spans added; %d of %d files refused\n",
			added, skipped, replaced, spans, refused, len(results))
		if refused > 0 {
			return exitError{1}
		}
		return nil
	}
}

func describe(r *storage.ImportResult) string {
	parts := []string{
		fmt.Sprintf("%d added", len(r.Added)),
		fmt.Sprintf("%d skipped", len(r.Skipped)),
	}
	if len(r.Replaced) > 0 {
		parts = append(parts, fmt.Sprintf("%d replaced (%s; %d spans no longer matched and were removed)", len(r.Replaced), strings.Join(r.Replaced, ", "), r.SpansDropped))
	}
	parts = append(parts, fmt.Sprintf("%d spans added", r.Spans))
	if r.SpansPresent > 0 {
		parts = append(parts, fmt.Sprintf("%d spans already present", r.SpansPresent))
	}
	if r.Relations > 0 {
		parts = append(parts, fmt.Sprintf("%d relations added", r.Relations))
	}
	if len(r.NewLabels) > 0 {
		parts = append(parts, "new labels "+strings.Join(r.NewLabels, ", "))
	}
	return strings.Join(parts, ", ")
}

func docsCmd(fs *flag.FlagSet) func(*Env, []string) error {
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print a JSON array")
	return func(env *Env, args []string) error {
		if len(args) > 0 {
			return usageErr("docs takes no arguments")
		}
		st, err := OpenStore(*db)
		if err != nil {
			return err
		}
		defer st.Close()
		docs, err := st.Documents()
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetEscapeHTML(false)
			if docs == nil {
				docs = []storage.DocInfo{}
			}
			return enc.Encode(docs)
		}
		for _, d := range docs {
			fmt.Fprintf(env.Stdout, "%s\t%s\t%d\tspans: %s\tstatus: %s\n", d.ID, d.Title, d.Length, perAnnotator(d.Spans), perAnnotator(d.Status))
		}
		return nil
	}
}

func perAnnotator[V any](m map[string]V) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, m[k])
	}
	return strings.Join(parts, " ")
}

// chooseAnnotator applies the --annotator default: the only annotator, or
// an error listing the choices.
func chooseAnnotator(st *storage.Store, name string) (string, error) {
	if name != "" {
		names, err := st.Annotators()
		if err != nil {
			return "", err
		}
		if name == storage.GoldLayer {
			return name, nil
		}
		for _, n := range names {
			if n == name {
				return name, nil
			}
		}
		return "", usageErr("no annotator %q; the annotators are: %s", name, listOrNone(names))
	}
	// The default is the annotator with work: one who opened the app and
	// labelled nothing is no candidate.
	names, err := st.AnnotatorsWithSpans()
	if err != nil {
		return "", err
	}
	switch len(names) {
	case 0:
		return "", nil // no spans anywhere: the texts alone
	case 1:
		return names[0], nil
	}
	return "", usageErr("several annotators have spans here; choose one with --annotator: %s", listOrNone(names))
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}
