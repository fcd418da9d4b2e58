package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tawsim/dataset"
	"tawsim/export"
	"tawsim/storage"
)

func exportCmd(fs *flag.FlagSet) func(*Env, []string) error {
	db := dbFlag(fs)
	format := fs.String("format", "jsonl", "output format: "+strings.Join(export.Names(), ", "))
	ann := fs.String("annotator", "", "the layer to export: an annotator's name or \"gold\" (default: the only annotator)")
	gold := fs.Bool("gold", false, "export the gold layer (same as --annotator gold)")
	onlyDone := fs.Bool("only-done", false, "export only the documents this annotator marked done")
	out := fs.String("out", "", "output `PATH` (a folder for brat), or - for standard output")
	splitSpec := fs.String("split", "", "write one output per split, e.g. train=0.8,dev=0.1,test=0.1 (stable per document id and seed)")
	seed := fs.Int64("seed", 0, "seed of the split assignment")
	scheme := fs.String("scheme", "bio", "tag scheme of conll and hf: bio or bioes")
	relations := fs.Bool("doccano-relations", false, "doccano: write the relation-project shape (entities and relations)")
	return func(env *Env, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q", args[0])
		}
		if *out == "" {
			return usageErr("--out PATH (or --out -) is required")
		}
		f, err := export.Lookup(*format)
		if err != nil {
			return usageErr("%v", err)
		}
		if *out == "-" && f.Folder {
			return usageErr("%s writes a folder or several files; give --out PATH", f.Name)
		}
		if *splitSpec != "" {
			if _, err := export.ParseSplits(*splitSpec); err != nil {
				return usageErr("--split: %v", err)
			}
			if *out == "-" {
				return usageErr("--split writes one output per split; give --out PATH")
			}
		}
		if *gold {
			*ann = storage.GoldLayer
		}
		st, err := OpenStore(*db)
		if err != nil {
			return err
		}
		defer st.Close()
		name, err := chooseAnnotator(st, *ann)
		if err != nil {
			return err
		}
		if *onlyDone && name == "" {
			return usageErr("--only-done needs an annotator")
		}
		job := dataset.ExportJob{Format: f.Name, Layer: name, OnlyDone: *onlyDone, Splits: *splitSpec,
			Seed: *seed, Scheme: *scheme, Dest: *out, DoccanoRelations: *relations}
		bar := newProgress(env, "exporting")
		outs, err := dataset.ExportProject(st, job, bar.set)
		for _, o := range outs {
			report(env, o.Stats, name, o.Path)
		}
		return err
	}
}

func report(env *Env, s export.Stats, layer, dest string) {
	for _, w := range s.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w)
	}
	msg := fmt.Sprintf("exported %d documents, %d spans (layer %q)", s.Documents, s.Spans, layer)
	if s.Dropped > 0 {
		msg += fmt.Sprintf("; %d overlapping spans dropped (the format cannot hold them: the longest span wins, then the earliest)", s.Dropped)
	}
	if s.RelationsDropped > 0 {
		msg += fmt.Sprintf("; %d relations dropped (the format has none)", s.RelationsDropped)
	}
	if dest != "-" {
		msg += " to " + dest
	}
	fmt.Fprintln(env.Stderr, msg)
}

// atomicFile writes to a temporary file beside path and renames it into
// place only when everything was written: a failed write leaves no
// half-written file behind.
type atomicFile struct {
	*os.File
	path string
}

func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

func (a *atomicFile) commit() error {
	if err := a.File.Close(); err != nil {
		os.Remove(a.File.Name())
		return err
	}
	return os.Rename(a.File.Name(), a.path)
}

func (a *atomicFile) abort() {
	a.File.Close()
	os.Remove(a.File.Name())
}
