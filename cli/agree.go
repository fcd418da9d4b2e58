package cli

import (
	"flag"
	"fmt"
	"strings"

	"tawsim/annotate/agree"
	"tawsim/project"
)

// Agree computes inter-annotator agreement over a project or files.
var Agree = &Command{Name: "agree", Summary: "inter-annotator agreement: Cohen's and Fleiss' kappa, Krippendorff's alpha and unitizing alpha, span F1",
	Usage: "[--json] [--only-done] [--only-worked] ([--db PATH] [--annotators a,b,c] | FILE.jsonl FILE.jsonl [FILE.jsonl ...])",
	DB:    "compute over this project's annotators (`PATH`; default: the default project, when no files are given)", Flags: agreeCmd}

// agreeResult is the JSON report with what was left out.
type agreeResult struct {
	*agree.Report
	Excluded []string `json:"excluded_documents,omitempty"`
}

func agreeCmd(fs *flag.FlagSet) func(*Env, []string) error {
	names := fs.String("annotators", "", "with --db: the annotators, comma-separated, in this order (default: all who worked: spans or a status)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	onlyDone := fs.Bool("only-done", false, "with --db: leave out documents that not every annotator marked done")
	onlyWorked := fs.Bool("only-worked", false, "with --db: leave out documents that not every annotator has worked on (spans or a status)")
	allowMissing := fs.Bool("allow-missing", false, "with files: leave out (and count) documents missing from some file instead of failing")
	details := fs.Bool("details", false, "with --json: list every disagreement per document")
	return func(env *Env, files []string) error {
		var excluded []string
		var rep *agree.Report
		var err error
		opts := agree.Options{NoItems: !*details}
		switch {
		case env.DB != "" && len(files) > 0:
			return Usagef("give --db or files, not both")
		case env.DB != "" || len(files) == 0: // no files: the project (default or --db)
			rep, excluded, err = agreeFromStore(env, *names, *onlyDone, *onlyWorked, opts)
		case len(files) >= 2:
			if *onlyDone || *onlyWorked {
				return Usagef("--only-done and --only-worked need --db (files carry no status)")
			}
			if *names != "" {
				return Usagef("--annotators goes with --db; with files each file is one annotator")
			}
			rep, excluded, err = agreeFromFiles(files, *allowMissing, opts)
		default:
			return Usagef("give two or more JSONL files (one per annotator), or none for the project")
		}
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, agreeResult{Report: rep, Excluded: excluded})
		}
		if len(excluded) > 0 {
			fmt.Fprintf(env.Stdout, "%d documents left out: %s\n\n", len(excluded), strings.Join(firstN(excluded, 10), ", "))
		}
		return agree.WriteText(env.Stdout, rep)
	}
}

func firstN(s []string, n int) []string { return project.FirstN(s, n) }

// agreeFromStore computes the agreement of the named annotators, or of
// those who count by default (project.Annotators), over the project.
func agreeFromStore(env *Env, names string, onlyDone, onlyWorked bool, opts agree.Options) (*agree.Report, []string, error) {
	st, err := env.Store()
	if err != nil {
		return nil, nil, err
	}
	var annotators []string
	if names != "" {
		annotators = strings.Split(names, ",")
	} else if annotators, err = project.Annotators(st); err != nil {
		return nil, nil, err
	}
	if len(annotators) < 2 {
		if names != "" {
			return nil, nil, Usagef("--annotators %s: agreement needs two or more annotators", names)
		}
		return nil, nil, Usagef("agreement needs two or more annotators with work (found: %s)", listOrNone(annotators))
	}
	return project.Agreement(st, annotators, project.AgreementSelection{OnlyDone: onlyDone, OnlyWorked: onlyWorked}, opts)
}
