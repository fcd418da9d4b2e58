package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"tawsim/annotate"
	"tawsim/export"
	"tawsim/storage"
)

func exportCmd(fs *flag.FlagSet) func(*Env, []string) error {
	db := dbFlag(fs)
	format := fs.String("format", "jsonl", "output format: jsonl")
	ann := fs.String("annotator", "", "the layer to export: an annotator's name or \"gold\" (default: the only annotator)")
	gold := fs.Bool("gold", false, "export the gold layer (same as --annotator gold)")
	onlyDone := fs.Bool("only-done", false, "export only the documents this annotator marked done")
	out := fs.String("out", "", "output `PATH`, or - for standard output")
	return func(env *Env, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q", args[0])
		}
		if *out == "" {
			return usageErr("--out PATH (or --out -) is required")
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
		if *format != "jsonl" {
			return usageErr("unknown format %q", *format)
		}
		n, err := writeJSONL(env, st, name, *onlyDone, *out)
		if err != nil {
			return err
		}
		if *out != "-" {
			fmt.Fprintf(env.Stderr, "exported %d documents (layer %q) to %s\n", n, name, *out)
		}
		return nil
	}
}

// atomicFile writes to a temporary file beside path and renames it into
// place only when everything was written: a failed export leaves no
// half-written dataset behind.
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

func writeJSONL(env *Env, st *storage.Store, layer string, onlyDone bool, out string) (int, error) {
	var w *export.JSONLWriter
	var af *atomicFile
	if out == "-" {
		w = export.NewJSONLWriter(env.Stdout)
	} else {
		var err error
		if af, err = createAtomic(out); err != nil {
			return 0, err
		}
		w = export.NewJSONLWriter(af)
	}
	total := 0
	if env.Terminal {
		docs, _ := st.Documents()
		total = len(docs)
	}
	bar := newProgress(env, "exporting")
	n := 0
	err := st.EachRecord(layer, onlyDone, func(rec *annotate.Record) error {
		var l *annotate.Layer
		if len(rec.Layers) > 0 {
			l = &rec.Layers[0]
		}
		n++
		bar.set(n, max(total, n))
		return w.Write(&rec.Doc, l)
	})
	if err == nil {
		err = w.Flush()
	}
	if af != nil {
		if err != nil {
			af.abort()
			return 0, err
		}
		return n, af.commit()
	}
	return n, err
}
