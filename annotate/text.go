package annotate

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// NormalizeText turns imported bytes into stored text: it checks that they
// are valid UTF-8, drops one leading byte-order mark and turns CRLF and lone
// CR into LF. Nothing else is changed. An invalid byte is reported with its
// 1-based line and byte offset.
func NormalizeText(b []byte) (string, error) { return NormalizeString(string(b)) }

// NormalizeString is NormalizeText for a string; it copies nothing when the
// text needs no change.
func NormalizeString(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ValidUTF8([]byte(s))
	}
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s, nil
}

// ValidUTF8 reports the first invalid byte of b with its 1-based line and
// byte offset, or nil when b is valid UTF-8 (checked at the speed of
// utf8.Valid; the line count is only made for invalid input).
func ValidUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	line := 1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return fmt.Errorf("line %d: invalid UTF-8 byte 0x%02x at byte offset %d", line, b[i], i)
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return nil
}

// Title picks a display title from a text: among its first five non-blank
// lines, the first with at least four words (scraped articles often open
// with a breadcrumb such as "أخبار سوريا"), else the first non-blank line;
// trimmed and cut to 120 code points.
func Title(text string) string {
	first := ""
	for seen := 0; seen < 5 && text != ""; {
		l := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			l, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if first == "" {
			first = l
		}
		if hasWords(l, 4) {
			return cut(l)
		}
		seen++
	}
	return cut(first)
}

// hasWords reports whether l has at least n words, reading no further
// than the n-th (a scraped "line" may be a whole article).
func hasWords(l string, n int) bool {
	in := false
	for _, r := range l {
		if IsSpace(r) {
			in = false
		} else if !in {
			in = true
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}

// cut keeps the first 120 code points.
func cut(l string) string {
	n := 0
	for i := range l {
		if n == 120 {
			return l[:i] + "…"
		}
		n++
	}
	return l
}
