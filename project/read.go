package project

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"tawsim/annotate"
	"tawsim/export"
)

// ReadFile parses one file into records without storing them. A file is
// opened and read once, even a pipe: the format is detected from the
// start of that one read. Lines and documents over opt.MaxMB refuse the
// file.
func ReadFile(path string, opt ImportOptions) ([]annotate.Record, []string, error) {
	var out []annotate.Record
	warns, err := ScanFile(path, opt, func(recs []annotate.Record) error {
		out = append(out, recs...)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, warns, nil
}

// ScanFile is ReadFile handing the records to fn in batches, in file
// order: native JSONL a few MB at a time (export.ScanJSONL), the other
// formats whole. fn's error stops the read and is returned; an error
// found later (a lone surrogate, a read error) comes after batches were
// handed on, so what fn did with them must be undone (ImportFile stores
// them in one transaction).
func ScanFile(path string, opt ImportOptions, fn func([]annotate.Record) error) ([]string, error) {
	format := opt.Format
	max := int64(opt.MaxMB) << 20
	if max <= 0 {
		max = DefaultMaxMB << 20
	}
	// Every document within the limit (a line-based reader saw at most
	// one line each).
	add := func(recs []annotate.Record) error {
		for _, r := range recs {
			if int64(len(r.Doc.Text)) > max {
				return fmt.Errorf("%s:%d: document %q has %d MB of text, over the limit of %d MB (raise it with --max-mb)", path, r.Line, r.Doc.ID, len(r.Doc.Text)>>20, max>>20)
			}
		}
		return fn(recs)
	}
	enc, err := export.LookupEncoding(opt.Encoding)
	if err != nil {
		return nil, err
	}
	if format == "brat" || format == "" && isDir(path) {
		recs, warns, err := readFolder(path, format, enc)
		if err == nil {
			err = add(recs)
		}
		return warns, err
	}
	var f *os.File
	if path == "-" {
		f = os.Stdin
	} else {
		if f, err = os.Open(path); err != nil {
			return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
		}
		defer f.Close()
	}
	lim := &limitReader{r: enc.Reader(f, path), name: path, max: max, line: 1}
	src := bufio.NewReaderSize(lim, 1<<16)
	if format == "" && strings.EqualFold(filepath.Ext(path), ".txt") {
		format = "txt"
	}
	if format == "txt" {
		b, err := io.ReadAll(io.LimitReader(src, max+1))
		if err == nil && int64(len(b)) > max {
			err = fmt.Errorf("%s: the text is larger than %d MB, the limit of one document (raise it with --max-mb)", path, max>>20)
		}
		if err != nil {
			return nil, lim.why(err)
		}
		rec, err := export.TextRecord(b, path, opt.ID)
		if err != nil {
			return nil, err
		}
		return nil, fn([]annotate.Record{rec})
	}
	var in io.Reader = src
	if fi, err := f.Stat(); format == "" && err == nil && fi.Mode().IsRegular() {
		// A file is read again from its start, not replayed from memory:
		// its first line may be a whole long text.
		if format, err = detect(src, path); err != nil {
			return nil, lim.why(err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		lim = &limitReader{r: enc.Reader(f, path), name: path, max: max, line: 1}
		src.Reset(lim)
	} else if format == "" { // a pipe is read once: what detection read is replayed
		var prefix bytes.Buffer
		if format, err = detect(io.TeeReader(src, &prefix), path); err != nil {
			return nil, lim.why(err)
		}
		in = io.MultiReader(&prefix, src)
	}
	fm, err := export.Lookup(format)
	if err != nil {
		return nil, err
	}
	var warns []string
	if fm.Name == "jsonl" {
		err = export.ScanJSONL(in, path, add)
	} else {
		var recs []annotate.Record
		if recs, warns, err = fm.DecodeFile(in, path, enc); err == nil {
			err = add(recs)
		}
	}
	if err != nil {
		return nil, lim.why(err)
	}
	if lim.err != nil { // a read error a reader took for the end
		return nil, lim.err
	}
	if lim.surrogate > 0 && !strings.HasPrefix(format, "conll") {
		return nil, fmt.Errorf("%s:%d: a lone UTF-16 surrogate escape (\\ud800–\\udfff without its pair) in a JSON string: the text is not valid Unicode", path, lim.surrogate)
	}
	return warns, nil
}

// detect picks the format of a file's content by its extension or, for
// the dataset formats, by what export.DetectReader sees in it.
func detect(r io.Reader, path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".conll", ".conll03", ".iob", ".bio", ".tsv":
		return "conll", nil
	}
	return export.DetectReader(r, path)
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// readFolder reads a folder format (brat), its files in enc.
func readFolder(path, format string, enc export.Encoding) ([]annotate.Record, []string, error) {
	if format == "" {
		var err error
		if format, err = export.Detect(path); err != nil {
			return nil, nil, err
		}
	}
	f, err := export.Lookup(format)
	if err != nil {
		return nil, nil, err
	}
	if f.Name == "brat" {
		return export.ReadBrat(path, enc)
	}
	return f.Read(path)
}

// importable is what a folder walk picks up.
var importable = map[string]bool{".txt": true, ".jsonl": true, ".json": true, ".conll": true, ".conll03": true, ".iob": true, ".bio": true, ".tsv": true}

// collect lists the files to import: files as named, folders walked
// recursively (hidden entries skipped), in a stable order; a symbolic link
// to a folder is walked like the folder. A folder that is a brat
// collection (.ann files beside .txt) is one item. What a walk cannot use
// comes back as notes: entries that are not files (skipped, with a
// warning) and folders that cannot be read (refused; the rest is read).
func collect(paths []string, format string) (files []string, notes []FileResult, err error) {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, errors.Unwrap(err))
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		if format == "brat" || (format == "" && isBrat(p)) {
			files = append(files, p)
			continue
		}
		found, n, err := walk(p)
		if err != nil {
			return nil, nil, err
		}
		notes = append(notes, n...)
		if len(found) == 0 && len(n) == 0 {
			return nil, nil, fmt.Errorf("%s: no importable files (.txt, .jsonl, .json, .conll, .tsv) in this folder", p)
		}
		files = append(files, found...)
	}
	return files, notes, nil
}

// walk lists the importable files under the folder p.
func walk(p string) (found []string, notes []FileResult, err error) {
	root, err := filepath.EvalSymlinks(p)
	if err != nil {
		return nil, nil, err
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		shown := p
		if rel, rerr := filepath.Rel(root, path); rerr == nil && rel != "." {
			shown = filepath.Join(p, rel)
		}
		if err != nil {
			if path == root {
				return err
			}
			notes = append(notes, FileResult{File: shown, Err: fmt.Errorf("%s: cannot read this folder: %w; the rest was imported", shown, errors.Unwrap(err))})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !importable[strings.ToLower(filepath.Ext(path))] {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			if fi, err := os.Stat(path); err == nil {
				mode = fi.Mode().Type()
			}
		}
		if !mode.IsRegular() {
			notes = append(notes, FileResult{File: shown, Skipped: true,
				Warnings: []string{fmt.Sprintf("%s: skipped, %s", shown, kindOf(mode))}})
			return nil
		}
		found = append(found, shown)
		return nil
	})
	sort.Strings(found)
	return besideData(found), notes, err
}

// besideData drops from files a labels.json that sits beside JSONL files:
// the tag list of an hf export, which the hf reader takes from beside its
// data, not a dataset of its own.
func besideData(files []string) []string {
	jsonl := map[string]bool{}
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ".jsonl") {
			jsonl[filepath.Dir(f)] = true
		}
	}
	return slices.DeleteFunc(files, func(f string) bool {
		return filepath.Base(f) == export.LabelsFile && jsonl[filepath.Dir(f)]
	})
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO), not a file"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device, not a file"
	case m&fs.ModeSocket != 0:
		return "a socket, not a file"
	case m&fs.ModeSymlink != 0:
		return "a broken symbolic link"
	case m.IsDir():
		return "a link to a folder (not followed inside a folder)"
	}
	return "not a regular file"
}

func isBrat(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.ann"))
	return len(m) > 0
}

// limitReader passes a file's bytes on, refusing a line longer than max
// (the readers would hold it whole) and noting the first lone UTF-16
// surrogate escape (encoding/json turns it silently into U+FFFD).
type limitReader struct {
	r    io.Reader
	name string
	max  int64
	line int
	run  int64 // bytes of the current line so far
	err  error

	surrogate int // line of the first lone surrogate escape, or 0
	esc       escState
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		seg := b
		if i >= 0 {
			seg = b[:i]
		}
		if l.run+int64(len(seg)) > l.max {
			l.err = fmt.Errorf("%s:%d: a line longer than %d MB, the limit (raise it with --max-mb)", l.name, l.line, l.max>>20)
			return 0, l.err
		}
		if l.esc.scan(seg) && l.surrogate == 0 {
			l.surrogate = l.line
		}
		if i < 0 {
			l.run += int64(len(seg))
			break
		}
		l.esc.scan(b[i : i+1])
		l.line++
		l.run = 0
		b = b[i+1:]
	}
	var named *export.LineError // a conversion error names file and line already
	if errors.As(err, &named) {
		l.err = err
	} else if err != nil && err != io.EOF {
		l.err = fmt.Errorf("%s: %w", l.name, err)
	}
	return n, err
}

// why prefers the limit's error to what a reader made of it.
func (l *limitReader) why(err error) error {
	if l.err != nil {
		return l.err
	}
	return err
}

// escState finds \uD800–\uDFFF escapes that are not a high surrogate
// followed at once by a low one, across the reads.
type escState struct {
	odd  bool // after an odd run of backslashes: the next byte is escaped
	inU  bool // reading the digits of a \u escape
	hex  [4]byte
	n    int
	low  bool // the escape being read must be a low surrogate
	want int  // after a high surrogate: 1 = its pair's '\\' must follow, 2 = its 'u'
}

// scan reads b and reports a lone surrogate.
func (e *escState) scan(b []byte) (bad bool) {
	for i := 0; i < len(b); i++ {
		if !e.odd && !e.inU && e.want == 0 {
			// Nothing pending: only a backslash can start anything.
			j := bytes.IndexByte(b[i:], '\\')
			if j < 0 {
				return bad
			}
			i += j
		}
		c := b[i]
		if e.inU {
			e.hex[e.n] = c
			if e.n++; e.n < 4 {
				continue
			}
			e.inU, e.n = false, 0
			hi, lo := surrogate(e.hex)
			if e.low {
				bad = bad || !lo
			} else {
				bad = bad || lo
			}
			e.low = false
			if hi {
				e.want = 1
			}
			continue
		}
		if e.want > 0 {
			if e.want == 1 && c == '\\' {
				e.want = 2
				continue
			}
			if e.want == 2 && c == 'u' {
				e.want, e.inU, e.low = 0, true, true
				continue
			}
			bad = true
			escaped := e.want == 2 // c is the escaped byte of \n, \" …
			e.want = 0
			if escaped {
				continue
			}
		}
		if e.odd {
			e.odd, e.inU = false, c == 'u'
			continue
		}
		e.odd = c == '\\'
	}
	return bad
}

// surrogate says whether the hex digits of a \u escape are a high or a low
// surrogate (D800–DBFF, DC00–DFFF).
func surrogate(h [4]byte) (hi, lo bool) {
	if h[0] != 'd' && h[0] != 'D' {
		return false, false
	}
	switch h[1] {
	case '8', '9', 'a', 'b', 'A', 'B':
		return true, false
	case 'c', 'd', 'e', 'f', 'C', 'D', 'E', 'F':
		return false, true
	}
	return false, false
}
