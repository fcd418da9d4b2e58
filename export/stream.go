package export

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"tawsim/annotate"
)

// DetectReader is Detect for the content of a file already open: it reads
// r up to the first non-blank line. name is used in errors.
func DetectReader(r io.Reader, name string) (string, error) { return detectReader(r, name) }

// DecodeFile reads r, the content of the file path already converted from
// enc, as f.Read(path) would, so that a pipe is read once: hf takes its tag
// names from the labels.json beside path, read in enc too. Folder formats
// (brat) have no stream to decode.
func (f *Format) DecodeFile(r io.Reader, path string, enc Encoding) ([]annotate.Record, []string, error) {
	if f.Name == "hf" {
		return decodeHFBeside(r, path, enc)
	}
	if f.Decode == nil {
		return nil, nil, fmt.Errorf("%s: %s reads a folder, not a file", path, f.Name)
	}
	return f.Decode(r, path)
}

// decodeHFBeside decodes hf data with the tag names of the labels.json
// beside path, if there is one, in enc like the data.
func decodeHFBeside(r io.Reader, path string, enc Encoding) ([]annotate.Record, []string, error) {
	var names []string
	lp := filepath.Join(filepath.Dir(path), LabelsFile)
	if b, err := os.ReadFile(lp); err == nil {
		if b, err = enc.Bytes(b, lp); err != nil {
			return nil, nil, err
		}
		if names, err = parseLabelsFile(b, lp); err != nil {
			return nil, nil, err
		}
	}
	return decodeHF(r, path, names)
}
