package cli

import (
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"

	"tawsim/export"
	"tawsim/project"
	"tawsim/storage"
)

// Version prints the program and database schema versions.
var Version = &Command{Name: "version", Summary: "print the version", Usage: "", NoArgs: true,
	Flags: func(fs *flag.FlagSet) func(*Env, []string) error {
		return func(env *Env, args []string) error {
			fmt.Fprintf(env.Stdout, "tawsim %s (database schema %d)\n", ProgramVersion, storage.SchemaVersion)
			return nil
		}
	}}

// Import imports files into a project, creating a --db that does not exist.
var Import = &Command{Name: "import", Summary: "import documents (.txt, folders, JSONL and other formats)",
	Usage: "[--annotator NAME] [--replace] [--replace-layers] [--add-labels] [--format F] [--id ID] [--max-mb N] [--encoding E] PATH...", DB: DefaultDB, CreateDB: true, Flags: importCmd}

// Docs lists a project's documents.
var Docs = &Command{Name: "docs", Summary: "list the documents with span counts, statuses and where their adjudication stands",
	Usage: "[--json]", DB: DefaultDB, NoArgs: true, Flags: docsCmd}

// Search finds a query in every document, or the spans of a label.
var Search = &Command{Name: "search", Summary: "find a name in every document (Arabic-aware: والأردن, بالأردن and الاردن match الأردن), or the spans of a label",
	Usage: "[--json] [--label L] [--annotator NAME] QUERY", DB: DefaultDB, Flags: searchCmd}

func importCmd(fs *flag.FlagSet) func(*Env, []string) error {
	var opt project.ImportOptions
	fs.StringVar(&opt.Annotator, "annotator", "", "put every imported span into this annotator's layer (overrides the files' \"annotator\")")
	fs.BoolVar(&opt.Replace, "replace", false, "replace the text of a document whose id exists with a different text")
	fs.BoolVar(&opt.ReplaceLayers, "replace-layers", false, "set each layer a file names to exactly the file's spans and relations (deleted spans go), instead of adding to it")
	fs.StringVar(&opt.Format, "format", "", "input format (default: .txt by extension, the others by content): txt, "+strings.Join(export.Names(), ", "))
	fs.IntVar(&opt.MaxMB, "max-mb", project.DefaultMaxMB, "largest line and largest document read, in `MB`: a file with a bigger one is refused")
	fs.BoolVar(&opt.AddLabels, "add-labels", false, "add the labels the files use and the project lacks (without it they refuse the file)")
	fs.StringVar(&opt.ID, "id", "", "document id for a single .txt file (default: the file name without extension)")
	fs.StringVar(&opt.Encoding, "encoding", "utf-8", "the files' text `ENCODING`, converted on import: "+strings.Join(export.EncodingNames(), ", "))
	return func(env *Env, args []string) error {
		if len(args) == 0 {
			return Usagef("name at least one file or folder to import")
		}
		if _, err := export.LookupEncoding(opt.Encoding); err != nil {
			return Usagef("--encoding: %v", err)
		}
		if opt.Format != "" && opt.Format != "txt" {
			if _, err := export.Lookup(opt.Format); err != nil {
				return Usagef("--format: %v", err)
			}
		}
		if opt.ID != "" && len(args) != 1 {
			return Usagef("--id names one document: give exactly one .txt file")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		bar := newProgress(env, "importing")
		results, err := project.Import(st, args, opt, bar.set)
		if errors.Is(err, project.ErrOneID) {
			return Usagef("--id: %v", err)
		}
		if err != nil {
			return err
		}
		for _, r := range results {
			for _, w := range r.Warnings {
				fmt.Fprintf(env.Stderr, "warning: %s\n", w)
			}
			if r.Skipped {
				continue
			}
			if r.Err != nil {
				fmt.Fprintf(env.Stdout, "refused  %s%s\n", r.Refusal(), importHint(r.Err))
				continue
			}
			fmt.Fprintf(env.Stdout, "imported %s: %s\n", r.File, describe(r.Result))
			for _, c := range r.Result.Conflicts {
				fmt.Fprintf(env.Stdout, "  conflict: %s\n", c)
			}
		}
		sum := project.SumImport(results)
		fmt.Fprintln(env.Stdout, sum)
		if sum.Refused > 0 {
			return exitError{1}
		}
		return nil
	}
}

// importHint says which flag lifts a refusal.
func importHint(err error) string {
	switch {
	case errors.Is(err, storage.ErrTextDiffers):
		return " (use --replace to replace it)"
	case errors.Is(err, storage.ErrNoAnnotator):
		return ": give --annotator NAME or an \"annotator\" field"
	}
	if u := (*storage.UnknownLabelsError)(nil); errors.As(err, &u) {
		if len(u.Labels) == 1 {
			return " (use --add-labels to add it)"
		}
		return " (use --add-labels to add them)"
	}
	return ""
}

// describe is the line of one imported file.
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
	if n := r.LayersReplaced + r.LayersUnchanged + len(r.Conflicts); n > 0 {
		parts = append(parts, fmt.Sprintf("layers: %d replaced, %d unchanged (same or older), %s", r.LayersReplaced, r.LayersUnchanged, storage.ConflictCount(len(r.Conflicts))))
	}
	return strings.Join(parts, ", ")
}

func docsCmd(fs *flag.FlagSet) func(*Env, []string) error {
	asJSON := fs.Bool("json", false, "print a JSON array")
	return func(env *Env, args []string) error {
		st, err := env.Store()
		if err != nil {
			return err
		}
		docs, err := st.Documents()
		if err != nil {
			return err
		}
		if err := project.OpenGroups(st, docs); err != nil {
			return err
		}
		if *asJSON {
			if docs == nil {
				docs = []storage.DocInfo{}
			}
			return writeJSON(env.Stdout, docs)
		}
		for _, d := range docs {
			fmt.Fprintf(env.Stdout, "%s\t%s\t%d\tspans: %s\tstatus: %s\tgold: %s, %d open groups, %d spans\n", d.ID, oneField.Replace(d.Title), d.Length,
				perAnnotator(d.Spans), perAnnotator(d.Status), d.Gold.Status, d.Gold.OpenGroups, d.Gold.GoldSpans)
		}
		return nil
	}
}

// oneField keeps a text in its column: a tab or line end would break it.
var oneField = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")

// writeJSON prints v as one line of JSON, Arabic as it is.
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

// ChooseAnnotator applies the --annotator default of the commands that
// read one layer: the only annotator who worked (project.Annotators), or a
// usage error listing the choices.
func ChooseAnnotator(st *storage.Store, name string) (string, error) {
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
		return "", Usagef("no annotator %q; the annotators are: %s", name, listOrNone(names))
	}
	names, err := project.Annotators(st)
	if err != nil {
		return "", err
	}
	switch len(names) {
	case 0:
		return "", nil // no work anywhere: the texts alone
	case 1:
		return names[0], nil
	}
	return "", Usagef("several annotators worked here; choose one with --annotator: %s (or gold, the adjudicated layer)", listOrNone(names))
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}
