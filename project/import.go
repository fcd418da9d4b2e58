package project

import (
	"errors"
	"fmt"
	"runtime/debug"

	"tawsim/annotate"
	"tawsim/storage"
)

// ImportOptions steers an import.
type ImportOptions struct {
	Format    string // "" = by extension / auto-detect
	Annotator string // overrides the annotator named in the files
	Replace   bool   // replace texts of existing ids
	// ReplaceLayers sets each layer a file names to exactly its spans.
	ReplaceLayers bool
	ID            string // document id for a single .txt file
	AddLabels     bool   // add unknown labels instead of refusing the file (storage.ImportOptions.AddLabels)
	// MaxMB is the largest line and the largest document read, in MB
	// (DefaultMaxMB when 0): a bigger one refuses the file instead of
	// growing without end (import /dev/zero).
	MaxMB int
	// Encoding is the files' text encoding (export.EncodingNames; "" is
	// UTF-8): they are converted before anything reads them, so offsets
	// count over the converted text.
	Encoding string
}

// DefaultMaxMB is ImportOptions.MaxMB by default.
const DefaultMaxMB = 64

// FileResult is the outcome for one file.
type FileResult struct {
	File     string
	Result   *storage.ImportResult // nil when refused or skipped
	Err      error                 // why the file was refused
	Warnings []string
	// Skipped is an entry of a folder that is not a file (a pipe, a
	// device): not read, with a warning.
	Skipped bool
}

// ErrOneID is the error of an import that gives a document id (ImportOptions.ID)
// for more than one file.
var ErrOneID = errors.New("a document id names one document")

// Import brings every file named or found (recursively) under paths into
// the project, each read with its format's reader and stored in a
// transaction of its own: a file is imported whole or not at all. progress,
// if set, is called after each file.
func Import(st *storage.Store, paths []string, opt ImportOptions, progress func(done, total int)) ([]FileResult, error) {
	if st.ReadOnly() {
		return nil, fmt.Errorf("%s: %w: nothing can be imported into it", st.Path(), storage.ErrReadOnly)
	}
	files, notes, err := collect(paths, opt.Format)
	if err != nil {
		return nil, err
	}
	if opt.ID != "" && len(files) != 1 {
		return nil, fmt.Errorf("%w, but %d files were given", ErrOneID, len(files))
	}
	out := make([]FileResult, 0, len(files)+len(notes))
	out = append(out, notes...)
	for i, f := range files {
		out = append(out, ImportFile(st, f, opt))
		if progress != nil {
			progress(i+1, len(files))
		}
	}
	return out, nil
}

// ImportFile imports one file (or one brat folder), streamed: native
// JSONL is stored a batch at a time in one transaction, all or nothing.
func ImportFile(st *storage.Store, path string, opt ImportOptions) FileResult {
	res := FileResult{File: path}
	r, err := st.ImportStream(func(add func([]annotate.Record) error) error {
		docs := 0
		warnings, err := ScanFile(path, opt, func(recs []annotate.Record) error {
			docs += len(recs)
			releaseAfterLong(recs)
			return add(recs)
		})
		res.Warnings = warnings
		if err == nil && docs == 0 {
			err = fmt.Errorf("%s: the file holds no documents", path)
		}
		return err
	}, storage.ImportOptions{File: path, Annotator: opt.Annotator, Replace: opt.Replace, AddLabels: opt.AddLabels, ReplaceLayers: opt.ReplaceLayers})
	if err != nil {
		res.Err = err
		return res
	}
	res.Result = r
	return res
}

// releaseAfterLong gives the memory of a long line's reading back to the
// system before the store makes its own copies of the text (SQLite holds
// the bound value and the row it builds), which keeps the peak of a 100 MB
// line near three times the line.
func releaseAfterLong(recs []annotate.Record) {
	n := 0
	for i := range recs {
		n += len(recs[i].Doc.Text)
	}
	if n >= 16<<20 {
		debug.FreeOSMemory()
	}
}
