package export

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding is a text encoding files are converted from on import (Arabic
// text files still come in Windows-1256). The converted text is what is
// stored and what offsets count over.
type Encoding struct {
	Name string
	dec  encoding.Encoding // nil: UTF-8, read as is
}

// encodings is every encoding import reads, the default first. "utf-16"
// follows a byte-order mark and is little-endian without one (as Windows
// writes it); "utf-16le" and "utf-16be" take a leading BOM for text, which
// import drops like a UTF-8 one.
var encodings = []Encoding{
	{Name: "utf-8"},
	{Name: "windows-1256", dec: charmap.Windows1256},
	{Name: "iso-8859-6", dec: charmap.ISO8859_6},
	{Name: "utf-16", dec: unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)},
	{Name: "utf-16le", dec: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)},
	{Name: "utf-16be", dec: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)},
}

// EncodingNames lists the encodings import reads, the default (utf-8) first.
func EncodingNames() []string {
	out := make([]string, len(encodings))
	for i, e := range encodings {
		out[i] = e.Name
	}
	return out
}

// LookupEncoding finds an encoding by name ("" is utf-8; case and the
// spellings cp1256, utf8, utf16 are forgiven).
func LookupEncoding(name string) (Encoding, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	switch key {
	case "", "utf8":
		key = "utf-8"
	case "cp1256":
		key = "windows-1256"
	case "utf16":
		key = "utf-16"
	}
	for _, e := range encodings {
		if e.Name == key {
			return e, nil
		}
	}
	return Encoding{}, fmt.Errorf("unknown encoding %q (known: %s)", name, strings.Join(EncodingNames(), ", "))
}

// UTF8 reports whether e reads files as they are.
func (e Encoding) UTF8() bool { return e.dec == nil }

// Reader converts the content r of file to UTF-8. A byte sequence the
// encoding does not define (ISO-8859-6 leaves many bytes unassigned, UTF-16
// has lone surrogates) is refused with its file and line, not turned into
// U+FFFD: the replacement character is refused with it.
func (e Encoding) Reader(r io.Reader, file string) io.Reader {
	if e.dec == nil {
		return r
	}
	return &strictReader{r: transform.NewReader(r, e.dec.NewDecoder()), file: file, enc: e.Name, line: 1}
}

// Bytes is Reader for a file read whole.
func (e Encoding) Bytes(b []byte, file string) ([]byte, error) {
	if e.dec == nil {
		return b, nil
	}
	return io.ReadAll(e.Reader(bytes.NewReader(b), file))
}

// strictReader passes converted text on and fails at the first U+FFFD,
// the mark of bytes the decoder could not convert.
type strictReader struct {
	r         io.Reader
	file, enc string
	line      int
	err       error
	tail      []byte // the last bytes read: a U+FFFD may straddle two reads
}

var replacement = []byte(string(utf8.RuneError))

func (s *strictReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	b := p[:n]
	at := bytes.Index(b, replacement)
	if at < 0 && len(s.tail) > 0 {
		joint := append(s.tail, b[:min(len(b), len(replacement)-1)]...)
		if bytes.Contains(joint, replacement) {
			at = 0
		}
	}
	if at >= 0 {
		s.line += bytes.Count(b[:at], []byte{'\n'})
		s.err = &LineError{File: s.file, Line: s.line, Reason: fmt.Sprintf(
			"bytes that are not %s text (or a U+FFFD replacement character, the mark of an earlier failed conversion); check the file's encoding (--encoding: %s)",
			s.enc, strings.Join(EncodingNames(), ", "))}
		return 0, s.err
	}
	s.line += bytes.Count(b, []byte{'\n'})
	keep := len(replacement) - 1
	if n >= keep {
		s.tail = append(s.tail[:0], b[n-keep:]...)
	} else if s.tail = append(s.tail, b...); len(s.tail) > keep {
		s.tail = s.tail[len(s.tail)-keep:]
	}
	return n, err
}

// encodingHint is what an invalid UTF-8 error adds: the encoding option,
// utf-16 for data that starts, on the file's first line, with a UTF-16
// byte-order mark, windows-1256 otherwise (the common one for Arabic).
func encodingHint(data []byte, first int) string {
	if first == 1 && (bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})) {
		return "; the file starts with a UTF-16 byte-order mark: import it with --encoding utf-16 (Encoding in the Import dialog)"
	}
	return "; if the file is in a legacy encoding, import it with --encoding windows-1256 (or iso-8859-6, utf-16; Encoding in the Import dialog)"
}
