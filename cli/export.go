package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"tawsim/annotate"
	"tawsim/export"
	"tawsim/project"
	"tawsim/storage"
)

// Export writes a layer as a dataset.
var Export = &Command{Name: "export", Summary: "export an annotation layer as a dataset",
	Usage: "--format F [--annotator NAME | --gold [--include-unfinished]] [--only-done] [--split train=0.8,dev=0.1,test=0.1 [--seed N]] --out PATH|-", DB: DefaultDB, NoArgs: true, Flags: exportCmd}

func exportCmd(fs *flag.FlagSet) func(*Env, []string) error {
	format := fs.String("format", "jsonl", "output format: "+strings.Join(export.Names(), ", "))
	ann := fs.String("annotator", "", "the layer to export: an annotator's name or \"gold\" (default: the only annotator)")
	gold := fs.Bool("gold", false, "export the gold layer (same as --annotator gold): the documents whose adjudication is finished")
	unfinished := fs.Bool("include-unfinished", false, "gold: write the documents whose adjudication is not finished too, each with its \"gold_status\" (jsonl)")
	onlyDone := fs.Bool("only-done", false, "export only the documents this annotator marked done")
	out := fs.String("out", "", "output `PATH` (a folder for brat), or - for standard output")
	splitSpec := fs.String("split", "", "write one output per split, e.g. train=0.8,dev=0.1,test=0.1 (stable per document id and seed)")
	seed := fs.Int64("seed", 0, "seed of the split assignment")
	scheme := fs.String("scheme", "bio", "tag scheme of conll and hf: bio or bioes")
	relations := fs.Bool("doccano-relations", false, "doccano: write the relation-project shape (entities and relations)")
	offsets := fs.String("offsets", "codepoints", "doccano: count offsets in codepoints (doccano's backend) or utf16 (doccano's web UI)")
	return func(env *Env, args []string) error {
		if *out == "" {
			return Usagef("--out PATH (or --out -) is required")
		}
		f, err := export.Lookup(*format)
		if err != nil {
			return Usagef("%v", err)
		}
		if *offsets != "codepoints" && (f.Name != "doccano" || *offsets != "utf16") {
			return Usagef("--offsets: codepoints, or utf16 for the doccano format")
		}
		if *out == "-" && f.Folder {
			return Usagef("%s writes a folder or several files; give --out PATH", f.Name)
		}
		if *splitSpec != "" {
			if _, err := export.ParseSplits(*splitSpec); err != nil {
				return Usagef("--split: %v", err)
			}
			if *out == "-" {
				return Usagef("--split writes one output per split; give --out PATH")
			}
		}
		if *gold {
			*ann = storage.GoldLayer
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		name, err := ChooseAnnotator(st, *ann)
		if err != nil {
			return err
		}
		if *onlyDone && name == "" {
			return Usagef("--only-done needs an annotator")
		}
		if *unfinished && name != storage.GoldLayer {
			return Usagef("--include-unfinished is for the gold layer: add --gold")
		}
		job := project.ExportJob{Format: f.Name, Layer: name, OnlyDone: *onlyDone, Splits: *splitSpec,
			Seed: *seed, Scheme: *scheme, Dest: *out, DoccanoRelations: *relations, Offsets: *offsets, IncludeUnfinished: *unfinished}
		bar := newProgress(env, "exporting")
		outs, err := project.ExportProject(st, job, bar.set)
		for _, o := range outs {
			report(env, o, name)
		}
		if errors.Is(err, project.ErrNothingFinished) {
			return fmt.Errorf("%w (tawsim adjudicate --finish or --finish-docs; or export with --include-unfinished)", err)
		}
		return err
	}
}

func report(env *Env, o project.ExportOutput, layer string) {
	s, dest := o.Stats, o.Path
	for _, w := range s.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
	msg := fmt.Sprintf("exported %d documents, %d spans", s.Documents, s.Spans)
	if s.Relations > 0 {
		msg += fmt.Sprintf(", %d relations", s.Relations)
	}
	msg += fmt.Sprintf(" (layer %q)", layer)
	if dest != "-" {
		msg += " to " + dest
	}
	if s.Dropped > 0 {
		msg += fmt.Sprintf("; %d overlapping spans dropped (the format cannot hold them: the longest span wins, then the earliest)", s.Dropped)
	}
	if s.RelationsDropped > 0 {
		msg += fmt.Sprintf("; %d relations dropped (the format has none)", s.RelationsDropped)
	}
	if n := o.Unfinished(); n > 0 {
		msg += fmt.Sprintf("; %d documents left out, their adjudication not finished (%d to do, %d in progress)",
			n, o.LeftOut[annotate.GoldTodo], o.LeftOut[annotate.GoldInProgress])
	}
	fmt.Fprintln(env.Stderr, msg)
}
