package export

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"tawsim/annotate"
)

// brat standoff: a folder with ID.txt (the document text, UTF-8, written as
// stored) and ID.ann per document:
//
//	T1<TAB>LABEL START END<TAB>covered text
//	R1<TAB>LABEL Arg1:T1 Arg2:T2
//
// Offsets are code points into the .txt (brat's server is Python). The file
// name is the document id with the characters that are unsafe in file names
// (/ \ : * ? " < > | %, control characters, a leading dot) written as %XX;
// the reader decodes them back. An annotation.conf listing the labels and
// relations is written too, so brat can display the collection.
//
// Discontinuous entities (T1<TAB>LABEL 0 5;9 12<TAB>…) are imported as one
// span per fragment, all with the entity's label, and reported as a warning;
// a relation naming such an entity links its first fragment. A line break
// inside a span is written as a space in the .ann text column (brat cannot
// hold it) and read back the same way. Attributes (A, M), normalizations
// (N), notes (#), events (E) and equivalences (*) are skipped with a warning.

// fileStem turns a document id into a safe file name stem.
func fileStem(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte(`/\:*?"<>|%`, c) >= 0 || (i == 0 && c == '.') {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// idFromStem decodes fileStem.
func idFromStem(stem string) string {
	if !strings.Contains(stem, "%") {
		return stem
	}
	var b []byte
	for i := 0; i < len(stem); i++ {
		if stem[i] == '%' && i+2 < len(stem) {
			if v, err := strconv.ParseUint(stem[i+1:i+3], 16, 8); err == nil {
				b = append(b, byte(v))
				i += 2
				continue
			}
		}
		b = append(b, stem[i])
	}
	return string(b)
}

func writeBrat(dest string, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	if dest == "" || dest == "-" {
		return st, errors.New("brat export needs a folder path")
	}
	if fi, err := os.Stat(dest); err == nil {
		if !fi.IsDir() {
			return st, fmt.Errorf("%s exists and is not a folder", dest)
		}
		if ents, _ := os.ReadDir(dest); len(ents) > 0 {
			return st, fmt.Errorf("folder %s is not empty", dest)
		}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dest)), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return st, err
	}
	st, err = encodeBratDir(tmp, recs, opts)
	if err == nil && opts.SourceErr != nil {
		err = opts.SourceErr()
	}
	if err == nil {
		os.Chmod(tmp, 0o755) // MkdirTemp makes it 0700
		os.Remove(dest)      // an empty folder, if any
		err = os.Rename(tmp, dest)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return st, err
	}
	return st, nil
}

func encodeBratDir(dir string, recs iter.Seq[annotate.Record], opts Options) (Stats, error) {
	var st Stats
	stems := map[string]string{}
	ents := map[string]bool{}
	relLabels := map[string]bool{}
	var ann []byte
	for rec := range recs {
		layer, err := chosenLayer(&rec, &opts)
		if err != nil {
			return st, err
		}
		if rec.Doc.ID == "" {
			return st, errors.New("export stopped: a document has no id")
		}
		stem := fileStem(rec.Doc.ID)
		if prev, dup := stems[strings.ToLower(stem)]; dup {
			return st, fmt.Errorf("export stopped: documents %q and %q would share the file name %s.txt", prev, rec.Doc.ID, stem)
		}
		stems[strings.ToLower(stem)] = rec.Doc.ID
		spans, rels := layerParts(layer)
		ann = encodeAnn(ann[:0], spans, rels)
		for _, sp := range spans {
			ents[sp.Label] = true
		}
		for _, r := range rels {
			relLabels[r.Label] = true
		}
		if err := writeString(filepath.Join(dir, stem+".txt"), rec.Doc.Text); err != nil {
			return st, err
		}
		if err := os.WriteFile(filepath.Join(dir, stem+".ann"), ann, 0o644); err != nil {
			return st, err
		}
		st.Documents++
		st.Spans += len(spans)
		st.Relations += len(rels)
	}
	return st, os.WriteFile(filepath.Join(dir, "annotation.conf"), bratConf(ents, relLabels), 0o644)
}

// writeString writes s to a new file at path; os.WriteFile would take a
// copy of a long text as bytes.
func writeString(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// encodeAnn appends the .ann lines of one layer.
func encodeAnn(b []byte, spans []annotate.Span, rels []annotate.Relation) []byte {
	for i, sp := range spans {
		b = append(b, 'T')
		b = appendInt(b, i+1)
		b = append(b, '\t')
		b = append(b, sp.Label...)
		b = append(b, ' ')
		b = appendInt(b, sp.Start)
		b = append(b, ' ')
		b = appendInt(b, sp.End)
		b = append(b, '\t')
		b = append(b, annText(sp.Text)...)
		b = append(b, '\n')
	}
	for i, r := range rels {
		b = append(b, 'R')
		b = appendInt(b, i+1)
		b = append(b, '\t')
		b = append(b, r.Label...)
		b = append(b, " Arg1:T"...)
		b = appendInt(b, r.Head+1)
		b = append(b, " Arg2:T"...)
		b = appendInt(b, r.Tail+1)
		b = append(b, '\n')
	}
	return b
}

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }

var annTextReplacer = strings.NewReplacer("\n", " ", "\r", " ")

func annText(s string) string {
	if strings.ContainsAny(s, "\n\r") {
		return annTextReplacer.Replace(s)
	}
	return s
}

func bratConf(ents, rels map[string]bool) []byte {
	sorted := func(m map[string]bool) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	var b bytes.Buffer
	b.WriteString("[entities]\n")
	for _, l := range sorted(ents) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n[relations]\n")
	for _, l := range sorted(rels) {
		b.WriteString(l + "\tArg1:<ENTITY>, Arg2:<ENTITY>\n")
	}
	b.WriteString("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n")
	b.WriteString("\n[events]\n\n[attributes]\n")
	return b.Bytes()
}

func readBrat(path string) ([]annotate.Record, []string, error) { return ReadBrat(path, Encoding{}) }

// ReadBrat reads a brat folder (or one pair) whose files are in enc.
func ReadBrat(path string, enc Encoding) ([]annotate.Record, []string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, &LineError{File: path, Reason: err.Error()}
	}
	if !fi.IsDir() {
		if strings.HasSuffix(path, ".ann") || strings.HasSuffix(path, ".txt") {
			path = strings.TrimSuffix(strings.TrimSuffix(path, ".ann"), ".txt")
			return readBratPair(path, enc)
		}
		return nil, nil, &LineError{File: path, Reason: "brat import needs a folder of .txt/.ann pairs"}
	}
	anns, err := filepath.Glob(filepath.Join(path, "*.ann"))
	if err != nil {
		return nil, nil, &LineError{File: path, Reason: err.Error()}
	}
	if len(anns) == 0 {
		return nil, nil, &LineError{File: path, Reason: "no .ann files in the folder"}
	}
	sort.Strings(anns)
	var out []annotate.Record
	var warns []string
	for _, a := range anns {
		recs, w, err := readBratPair(strings.TrimSuffix(a, ".ann"), enc)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, recs...)
		warns = append(warns, w...)
	}
	return out, warns, nil
}

func readBratPair(base string, enc Encoding) ([]annotate.Record, []string, error) {
	txtName, annName := base+".txt", base+".ann"
	txt, err := os.ReadFile(txtName)
	if err != nil {
		return nil, nil, &LineError{File: annName, Reason: "no matching .txt: " + err.Error()}
	}
	ann, err := os.ReadFile(annName)
	if err != nil {
		return nil, nil, &LineError{File: annName, Reason: err.Error()}
	}
	if txt, err = enc.Bytes(txt, txtName); err != nil {
		return nil, nil, err
	}
	if ann, err = enc.Bytes(ann, annName); err != nil {
		return nil, nil, err
	}
	rec, warns, err := parseBrat(idFromStem(filepath.Base(base)), txtName, txt, annName, ann)
	if err != nil {
		return nil, nil, err
	}
	return []annotate.Record{rec}, warns, nil
}

// parseBrat reads one .txt/.ann pair. Errors are *LineError naming the .ann
// line (or the .txt line of an invalid UTF-8 byte).
func parseBrat(id, txtName string, txt []byte, annName string, ann []byte) (annotate.Record, []string, error) {
	if err := checkUTF8(txt, txtName, 1); err != nil {
		return annotate.Record{}, nil, err
	}
	if err := checkUTF8(ann, annName, 1); err != nil {
		return annotate.Record{}, nil, err
	}
	text := string(txt)
	runes := []rune(text)
	var spans []annotate.Span
	var rels []annotate.Relation
	var relLines []int
	var relArgs [][2]string
	first := map[string]int{} // T id -> index of its first span
	var warns []string
	skipped := map[byte]int{}
	lines := bytes.Split(ann, []byte("\n"))
	for i, raw := range lines {
		lineNo := i + 1
		l := strings.TrimRight(string(raw), "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		fields := strings.SplitN(l, "\t", 3)
		bid := fields[0]
		if bid == "" {
			return annotate.Record{}, nil, lineErr(annName, lineNo, "line starts with no annotation id")
		}
		switch bid[0] {
		case 'T':
			if len(fields) < 2 {
				return annotate.Record{}, nil, lineErr(annName, lineNo, "%s: expected T<TAB>LABEL START END<TAB>TEXT", bid)
			}
			if _, dup := first[bid]; dup {
				return annotate.Record{}, nil, lineErr(annName, lineNo, "%s defined twice", bid)
			}
			sp := strings.IndexByte(fields[1], ' ')
			if sp <= 0 {
				return annotate.Record{}, nil, lineErr(annName, lineNo, "%s: expected LABEL START END", bid)
			}
			label := fields[1][:sp]
			frags := strings.Split(fields[1][sp+1:], ";")
			var parts []string
			for fi, fr := range frags {
				se := strings.Fields(fr)
				if len(se) != 2 {
					return annotate.Record{}, nil, lineErr(annName, lineNo, "%s: fragment %q is not START END", bid, fr)
				}
				s, err1 := strconv.Atoi(se[0])
				e, err2 := strconv.Atoi(se[1])
				if err1 != nil || err2 != nil {
					return annotate.Record{}, nil, lineErr(annName, lineNo, "%s: offsets %q are not numbers", bid, fr)
				}
				span := annotate.Span{Start: s, End: e, Label: label}
				if err := annotate.CheckSpan(runes, &span); err != nil {
					return annotate.Record{}, nil, lineErr(annName, lineNo, "%s fragment %d: %v", bid, fi+1, err)
				}
				if fi == 0 {
					first[bid] = len(spans)
				}
				parts = append(parts, annText(span.Text))
				spans = append(spans, span)
			}
			if len(fields) == 3 {
				if want := strings.Join(parts, " "); fields[2] != want {
					return annotate.Record{}, nil, lineErr(annName, lineNo, "%s %s %s: text %q does not match the .txt's %q", bid, label, fields[1][sp+1:], fields[2], want)
				}
			}
			if len(frags) > 1 {
				warns = append(warns, warnf(annName, lineNo, "%s %s is discontinuous (%d fragments): imported as %d spans labelled %s", bid, label, len(frags), len(frags), label))
			}
		case 'R':
			if len(fields) < 2 {
				return annotate.Record{}, nil, lineErr(annName, lineNo, "%s: expected R<TAB>LABEL Arg1:T1 Arg2:T2", bid)
			}
			f := strings.Fields(fields[1])
			if len(f) != 3 {
				return annotate.Record{}, nil, lineErr(annName, lineNo, "%s: expected LABEL Arg1:T1 Arg2:T2", bid)
			}
			var args [2]string
			for k := 0; k < 2; k++ {
				c := strings.IndexByte(f[k+1], ':')
				if c < 0 {
					return annotate.Record{}, nil, lineErr(annName, lineNo, "%s: argument %q is not ROLE:ID", bid, f[k+1])
				}
				args[k] = f[k+1][c+1:]
			}
			rels = append(rels, annotate.Relation{Label: f[0]})
			relLines = append(relLines, lineNo)
			relArgs = append(relArgs, args)
		case 'A', 'M', 'N', '#', 'E', '*':
			skipped[bid[0]]++
		default:
			return annotate.Record{}, nil, lineErr(annName, lineNo, "unknown annotation %q", clip(bid))
		}
	}
	for i := range rels {
		h, okh := first[relArgs[i][0]]
		t, okt := first[relArgs[i][1]]
		if !okh || !okt {
			return annotate.Record{}, nil, lineErr(annName, relLines[i], "relation arguments %s, %s are not entities of this file", relArgs[i][0], relArgs[i][1])
		}
		rels[i].Head, rels[i].Tail = h, t
	}
	for _, k := range []byte{'A', 'M', 'N', '#', 'E', '*'} {
		if n := skipped[k]; n > 0 {
			warns = append(warns, warnf(annName, 0, "%d %q annotations skipped (Tawsim keeps spans and relations only)", n, string(k)))
		}
	}
	rec, err := BuildRecord(id, text, "", nil, "", spans, rels)
	if err != nil {
		return annotate.Record{}, nil, lineErr(annName, 1, "%v", err)
	}
	rec.Line = 1
	return rec, warns, nil
}
