package export

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/charmap"
)

// The check for U+FFFD holds when the converted text arrives a byte at a
// time (a replacement character split across reads), and counts lines.
func TestEncodingReaderByteByByte(t *testing.T) {
	enc, err := LookupEncoding("ISO-8859-6")
	if err != nil {
		t.Fatal(err)
	}
	good, err := charmap.ISO8859_6.NewEncoder().Bytes([]byte("سطر\nآخر\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tail := range [][]byte{nil, {0xA1}} {
		data := append(bytes.Clone(good), tail...)
		out, err := io.ReadAll(iotest.OneByteReader(enc.Reader(iotest.OneByteReader(bytes.NewReader(data)), "f.txt")))
		switch {
		case tail == nil && (err != nil || string(out) != "سطر\nآخر\n"):
			t.Errorf("valid: %q, %v", out, err)
		case tail != nil && (err == nil || !strings.HasPrefix(err.Error(), "f.txt:3: bytes that are not iso-8859-6 text")):
			t.Errorf("0xA1 on line 3: %v", err)
		}
	}
	if _, err := LookupEncoding("ebcdic"); err == nil || !strings.Contains(err.Error(), "windows-1256") {
		t.Errorf("unknown encoding: %v", err)
	}
	if e, _ := LookupEncoding(""); !e.UTF8() {
		t.Error(`"" is not UTF-8`)
	}
}
