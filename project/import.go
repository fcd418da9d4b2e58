package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"tawsim/annotate"
	"tawsim/export"
	"tawsim/storage"
)

// ImportOptions steers an import.
type ImportOptions struct {
	Format    string // "" = by extension / auto-detect
	Annotator string // overrides the annotator named in the files
	Replace   bool   // replace texts of existing ids
	ID        string // document id for a single .txt file
}

// FileResult is the outcome for one file.
type FileResult struct {
	File     string
	Result   *storage.ImportResult // nil when refused
	Err      error                 // why the file was refused
	Warnings []string
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
	files, err := collect(paths, opt.Format)
	if err != nil {
		return nil, err
	}
	if opt.ID != "" && len(files) != 1 {
		return nil, fmt.Errorf("%w, but %d files were given", ErrOneID, len(files))
	}
	out := make([]FileResult, 0, len(files))
	for i, f := range files {
		out = append(out, ImportFile(st, f, opt))
		if progress != nil {
			progress(i+1, len(files))
		}
	}
	return out, nil
}

// ImportFile imports one file (or one brat folder).
func ImportFile(st *storage.Store, path string, opt ImportOptions) FileResult {
	res := FileResult{File: path}
	recs, warnings, err := ReadFile(path, opt)
	res.Warnings = warnings
	if err != nil {
		res.Err = err
		return res
	}
	if len(recs) == 0 {
		res.Err = fmt.Errorf("%s: the file holds no documents", path)
		return res
	}
	r, err := st.Import(recs, storage.ImportOptions{File: path, Annotator: opt.Annotator, Replace: opt.Replace})
	if err != nil {
		res.Err = err
		return res
	}
	res.Result = r
	return res
}

// ReadFile parses one file into records without storing them.
func ReadFile(path string, opt ImportOptions) ([]annotate.Record, []string, error) {
	format := opt.Format
	if format == "" {
		var err error
		if format, err = formatOf(path); err != nil {
			return nil, nil, err
		}
	}
	if format == "txt" {
		rec, err := export.ReadTextFile(path, opt.ID)
		if err != nil {
			return nil, nil, err
		}
		return []annotate.Record{rec}, nil, nil
	}
	return readFormat(format, path)
}

// formatOf picks a reader: .txt by its extension, the dataset formats by
// export.Detect, which looks inside.
func formatOf(path string) (string, error) {
	if strings.EqualFold(filepath.Ext(path), ".txt") {
		return "txt", nil
	}
	return export.Detect(path)
}

// importable is what a folder walk picks up.
var importable = map[string]bool{".txt": true, ".jsonl": true, ".json": true, ".conll": true, ".conll03": true, ".iob": true, ".bio": true, ".tsv": true}

// collect lists the files to import: files as named, folders walked
// recursively (hidden entries skipped), in a stable order. A folder that is
// a brat collection (.ann files beside .txt) is one item.
func collect(paths []string, format string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, errors.Unwrap(err))
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		if format == "brat" || (format == "" && isBrat(p)) {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && importable[strings.ToLower(filepath.Ext(path))] {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no importable files (.txt, .jsonl, .json, .conll, .tsv) in this folder", p)
		}
		out = append(out, found...)
	}
	return out, nil
}

func isBrat(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.ann"))
	return len(m) > 0
}

// readFormat reads the files of the dataset formats.
func readFormat(format, path string) ([]annotate.Record, []string, error) {
	f, err := export.Lookup(format)
	if err != nil {
		return nil, nil, err
	}
	return f.Read(path)
}
