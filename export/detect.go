package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Detect guesses the format of a file or folder, when that is unambiguous:
//
//   - a folder holding .ann files (or a .ann file) → brat
//   - a .conll, .conll03, .iob, .bio or .tsv file, or text whose first
//     line is -DOCSTART- or TOKEN<TAB>…TAG → conll
//   - a file starting with "[" → labelstudio
//   - JSONL, by the keys of its first line: "tokens"+"ner_tags" → hf,
//     "tokens"+"spans" → spacy, a "label" array or "entities" → doccano,
//     "spans", or just "id"+"text" → jsonl (native)
//
// Anything else is an error saying why.
func Detect(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		anns, _ := filepath.Glob(filepath.Join(path, "*.ann"))
		if len(anns) > 0 {
			return "brat", nil
		}
		return "", fmt.Errorf("%s: a folder without .ann files is no known format", path)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ann":
		return "brat", nil
	case ".conll", ".conll03", ".iob", ".bio", ".tsv":
		return "conll", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return detectReader(f, path)
}

func detectReader(r io.Reader, path string) (string, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var first []byte
	for {
		line, err := br.ReadBytes('\n')
		line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		if t := bytes.TrimSpace(line); len(t) > 0 {
			first = t
			break
		}
		if err != nil {
			return "", fmt.Errorf("%s: empty file, format unknown", path)
		}
	}
	switch first[0] {
	case '[':
		return "labelstudio", nil
	case '{':
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(first, &keys); err != nil {
			return "", fmt.Errorf("%s: the first line is not a whole JSON object (JSONL expected): %v", path, jsonReason(err))
		}
		has := func(k string) bool { _, ok := keys[k]; return ok }
		switch {
		case has("tokens") && has("ner_tags"):
			return "hf", nil
		case has("tokens") && has("spans"):
			return "spacy", nil
		case has("entities") || has("label") && bytes.HasPrefix(bytes.TrimSpace(keys["label"]), []byte("[")):
			return "doccano", nil
		case has("spans") || has("id") && has("text"):
			return "jsonl", nil
		}
		return "", fmt.Errorf("%s: JSONL with keys the known formats do not have", path)
	}
	if bytes.HasPrefix(first, []byte(docStart)) {
		return "conll", nil
	}
	cols := strings.Split(string(first), "\t")
	if len(cols) < 2 {
		cols = strings.Fields(string(first))
	}
	if len(cols) >= 2 {
		if _, _, err := parseTag(strings.TrimSpace(cols[len(cols)-1])); err == nil {
			return "conll", nil
		}
	}
	return "", fmt.Errorf("%s: format unknown (not JSON, JSONL, CoNLL or brat)", path)
}
