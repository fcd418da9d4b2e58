package export

import (
	"fmt"
	"path/filepath"
	"strings"

	"tawsim/annotate"
)

// TextRecord is the document of a plain-text file's content b.
func TextRecord(b []byte, path, id string) (annotate.Record, error) {
	if len(b) == 0 {
		return annotate.Record{}, fmt.Errorf("%s: the file is empty", path)
	}
	if err := checkUTF8(b, path, 1); err != nil {
		return annotate.Record{}, err
	}
	text, err := annotate.NormalizeText(b)
	if err != nil {
		return annotate.Record{}, err
	}
	if id == "" {
		id = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return annotate.Record{Doc: annotate.Document{ID: id, Title: annotate.Title(text), Source: path, Text: text}}, nil
}
