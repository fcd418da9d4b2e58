package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"tawsim/annotate"
)

// newEncoder is the JSON encoder of every writer: it leaves <, > and & as
// they are (the output is data, not HTML) and ends each value with a
// newline, which makes it a JSONL line.
func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// docID is a document id: written as a JSON string, read from a string or a
// number (other tools number their documents); null reads as no id.
type docID string

var errDocID = errors.New(`"id" must be a string or a number`)

func (id *docID) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
	case b[0] == '"':
		return json.Unmarshal(b, (*string)(id))
	case b[0] == '-' || '0' <= b[0] && b[0] <= '9':
		*id = docID(b)
	default:
		return errDocID
	}
	return nil
}

// or returns the id, or "FILE:LINE" (the file's base name) when it is blank.
func (id docID) or(name string, line int) string {
	if strings.TrimSpace(string(id)) == "" {
		return fallbackID(name, line)
	}
	return string(id)
}

// storedMeta returns the metadata of doc for writing, or nil when it has
// none. Metadata that is not JSON stops the export.
func storedMeta(doc *annotate.Document) (json.RawMessage, error) {
	if len(doc.Meta) == 0 {
		return nil, nil
	}
	if !json.Valid(doc.Meta) {
		var c bytes.Buffer
		return nil, fmt.Errorf("document %q: stored metadata is not JSON: %v", doc.ID, json.Compact(&c, doc.Meta))
	}
	return doc.Meta, nil // the encoder compacts it
}

// jsonReason words an encoding/json error for a reader's message.
func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q should be %s, not %s", te.Field, kindName(te.Type), te.Value)
	}
	return err.Error()
}

// kindName names a Go type as the JSON value it reads.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return kindName(t.Elem())
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "an integer"
	}
	return t.String()
}

// typeErrorAt reports whether err is an UnmarshalTypeError of field (a
// dotted path such as "data.title").
func typeErrorAt(err error, field string) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te) && te.Field == field
}

// items is the list behind an optional list field (nil when absent).
func items[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}
