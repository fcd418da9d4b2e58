package export

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tawsim/annotate"
)

// ReadTextFile reads a plain-text document. Its id is id, or the file name
// without extension. An empty file is an error.
func ReadTextFile(path, id string) (annotate.Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return annotate.Record{}, err
	}
	return TextRecord(b, path, id)
}

// TextRecord is the document of a plain-text file's content b.
func TextRecord(b []byte, path, id string) (annotate.Record, error) {
	if len(b) == 0 {
		return annotate.Record{}, fmt.Errorf("%s: the file is empty", path)
	}
	text, err := annotate.NormalizeText(b)
	if err != nil {
		return annotate.Record{}, fmt.Errorf("%s:%v", path, strings.TrimPrefix(err.Error(), "line "))
	}
	if id == "" {
		id = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	return annotate.Record{Doc: annotate.Document{ID: id, Title: annotate.Title(text), Source: path, Text: text}}, nil
}
