package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"tawsim/annotate"
	"tawsim/annotate/agree"
	"tawsim/export"
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
		var docs []agree.Doc
		var annotators, excluded []string
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
			docs, annotators, excluded, err = agreeFromFiles(files, *allowMissing)
		default:
			return Usagef("give two or more JSONL files (one per annotator), or none for the project")
		}
		if err == nil && rep == nil {
			rep, err = agree.Compute(docs, annotators, opts)
		}
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetEscapeHTML(false)
			return enc.Encode(agreeResult{Report: rep, Excluded: excluded})
		}
		if len(excluded) > 0 {
			fmt.Fprintf(env.Stdout, "%d documents left out: %s\n\n", len(excluded), strings.Join(firstN(excluded, 10), ", "))
		}
		return agree.WriteText(env.Stdout, rep)
	}
}

func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(append([]string(nil), s[:n]...), fmt.Sprintf("… (%d more)", len(s)-n))
}

// agreeFromFiles reads one native JSONL file per annotator (in parallel)
// and matches documents by id.
func agreeFromFiles(files []string, allowMissing bool) ([]agree.Doc, []string, []string, error) {
	recs := make([][]annotate.Record, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fh, err := os.Open(f)
			if err != nil {
				errs[i] = err
				return
			}
			defer fh.Close()
			recs[i], errs[i] = export.ReadJSONL(fh, f)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, nil, err
		}
	}
	annotators := make([]string, len(files))
	for i, f := range files {
		name := ""
		for _, r := range recs[i] {
			for _, l := range r.Layers {
				if l.Annotator == "" {
					continue
				}
				if name != "" && l.Annotator != name {
					return nil, nil, nil, fmt.Errorf("%s:%d: annotator %q, but earlier lines are %q; give each annotator a file of their own", f, r.Line, l.Annotator, name)
				}
				name = l.Annotator
			}
		}
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		}
		for j := 0; j < i; j++ {
			if annotators[j] == name {
				return nil, nil, nil, fmt.Errorf("%s and %s are both annotator %q", files[j], f, name)
			}
		}
		annotators[i] = name
	}
	// Documents by id, in the first file's order.
	type entry struct {
		doc    agree.Doc
		in     int // how many files have it
		source string
	}
	byID := map[string]*entry{}
	var order []string
	for i, f := range files {
		for _, r := range recs[i] {
			e := byID[r.Doc.ID]
			if e == nil {
				e = &entry{doc: agree.Doc{ID: r.Doc.ID, Text: r.Doc.Text, Layers: map[string][]annotate.Span{}, Relations: map[string][]annotate.Relation{}}, source: f}
				byID[r.Doc.ID] = e
				order = append(order, r.Doc.ID)
			} else if e.doc.Text != r.Doc.Text {
				return nil, nil, nil, fmt.Errorf("document %q has a different text in %s (line %d) than in %s", r.Doc.ID, f, r.Line, e.source)
			}
			if _, seen := e.doc.Layers[annotators[i]]; seen {
				return nil, nil, nil, fmt.Errorf("%s:%d: document %q appears twice", f, r.Line, r.Doc.ID)
			}
			// One layer per line as a rule; several are joined, their
			// relations' ends shifted to index the joined spans.
			var spans []annotate.Span
			var rels []annotate.Relation
			for _, l := range r.Layers {
				for _, rel := range l.Relations {
					rel.Head += len(spans)
					rel.Tail += len(spans)
					rels = append(rels, rel)
				}
				spans = append(spans, l.Spans...)
			}
			e.doc.Layers[annotators[i]] = spans
			if len(rels) > 0 {
				e.doc.Relations[annotators[i]] = rels
			}
			e.in++
		}
	}
	var docs []agree.Doc
	var excluded []string
	for _, id := range order {
		e := byID[id]
		if e.in < len(files) {
			if !allowMissing {
				for i, f := range files {
					if _, ok := e.doc.Layers[annotators[i]]; !ok {
						return nil, nil, nil, fmt.Errorf("document %q is missing from %s (use --allow-missing to leave such documents out)", id, f)
					}
				}
			}
			excluded = append(excluded, id)
			continue
		}
		docs = append(docs, e.doc)
	}
	return docs, annotators, excluded, nil
}

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
		return nil, nil, Usagef("agreement needs two or more annotators with work (found: %s)", listOrNone(annotators))
	}
	return project.Agreement(st, annotators, project.AgreementSelection{OnlyDone: onlyDone, OnlyWorked: onlyWorked}, opts)
}
