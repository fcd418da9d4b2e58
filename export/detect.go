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

// longLine is the length from which detection reads a first line's keys
// as it goes instead of holding the line (a whole document's text).
const longLine = 1 << 20

func detectReader(r io.Reader, path string) (string, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var first []byte
	for {
		line, err := readUpTo(br, longLine)
		line = bytes.TrimPrefix(line, []byte("\uFEFF"))
		if t := bytes.TrimSpace(line); len(t) > 0 {
			first = t
			if len(line) >= longLine && first[0] == '{' {
				keys, err := objectKeys(io.MultiReader(bytes.NewReader(first), br))
				if err != nil {
					return "", fmt.Errorf("%s: the first line is not a whole JSON object (JSONL expected): %v", path, err)
				}
				return jsonlFormat(path, keys)
			}
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
		return jsonlFormat(path, keys)
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

// jsonlFormat names the JSONL format of a first line by its keys (of a
// long line, only the first byte of each value is known).
func jsonlFormat(path string, keys map[string]json.RawMessage) (string, error) {
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

// readUpTo reads a line (with its newline) or, of a longer one, its first
// max bytes or more.
func readUpTo(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if err != bufio.ErrBufferFull || len(line) >= max {
			if err == bufio.ErrBufferFull {
				err = nil
			}
			return line, err
		}
	}
}

// objectKeys reads one JSON object up to its end and returns its keys,
// each with the first byte of its value: values are passed over, not kept.
// The syntax is checked only as far as finding the keys needs.
func objectKeys(r io.Reader) (map[string]json.RawMessage, error) {
	br := bufio.NewReader(r)
	keys := map[string]json.RawMessage{}
	next := func() (byte, error) { // the next byte that is not white space
		for {
			c, err := br.ReadByte()
			if err != nil || c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				return c, err
			}
		}
	}
	// str reads a string after its opening quote; keep says whether to
	// return it.
	str := func(keep bool) ([]byte, error) {
		out := []byte{'"'}
		for {
			c, err := br.ReadByte()
			if err != nil {
				return nil, err
			}
			if keep {
				out = append(out, c)
			}
			switch {
			case c == '"':
				return out, nil
			case c == '\\':
				c, err := br.ReadByte()
				if err != nil {
					return nil, err
				}
				if keep {
					out = append(out, c)
				}
			}
		}
	}
	// skip passes over the rest of a value whose first byte c was read: a
	// string, object or array up to its close, a number or literal up to
	// the byte after it.
	skip := func(c byte) error {
		switch c {
		case '"':
			_, err := str(false)
			return err
		case '{', '[':
			for depth := 1; depth > 0; {
				c, err := br.ReadByte()
				if err != nil {
					return err
				}
				switch c {
				case '"':
					if _, err := str(false); err != nil {
						return err
					}
				case '{', '[':
					depth++
				case '}', ']':
					depth--
				}
			}
			return nil
		}
		for {
			c, err := br.ReadByte()
			if err != nil {
				return err
			}
			switch c {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return br.UnreadByte()
			}
		}
	}
	if c, err := next(); err != nil || c != '{' {
		return nil, fmt.Errorf("no object")
	}
	for {
		c, err := next()
		if err != nil {
			return nil, err
		}
		if c == '}' && len(keys) == 0 {
			return keys, nil
		}
		if c != '"' {
			return nil, fmt.Errorf("a key expected, found %q", c)
		}
		raw, err := str(true)
		if err != nil {
			return nil, err
		}
		var key string
		if err := json.Unmarshal(raw, &key); err != nil {
			return nil, err
		}
		if c, err = next(); err != nil || c != ':' {
			return nil, fmt.Errorf("':' expected after key %q", key)
		}
		if c, err = next(); err != nil {
			return nil, err
		}
		keys[key] = json.RawMessage{c}
		if err := skip(c); err != nil {
			return nil, err
		}
		if c, err = next(); err != nil {
			return nil, err
		}
		if c == '}' {
			return keys, nil
		}
		if c != ',' {
			return nil, fmt.Errorf("',' or '}' expected after the value of %q", key)
		}
	}
}
