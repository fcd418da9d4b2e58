package export

import (
	"bufio"
	"io"
	"path/filepath"
	"strconv"
)

// newBufWriter buffers w unless it already is a *bufio.Writer.
func newBufWriter(w io.Writer) *bufio.Writer {
	if bw, ok := w.(*bufio.Writer); ok {
		return bw
	}
	return bufio.NewWriterSize(w, 1<<16)
}

// fallbackID names a document that carries no id: base name of its file and
// the line it starts on, e.g. "data.jsonl:12".
func fallbackID(name string, line int) string {
	return filepath.Base(name) + ":" + strconv.Itoa(line)
}
