package annotate

import (
	"math/bits"
	"unicode/utf8"
)

// Cursor finds code-point offsets of a valid UTF-8 text in its bytes
// without a []rune copy of it (4 bytes a character). Spans come mostly in
// start order, so it walks forward from the previous one instead of
// indexing the whole text.
type Cursor struct {
	text    string
	cp, pos int // a code point offset and its byte position
}

// NewCursor starts a cursor at the beginning of text.
func NewCursor(text string) *Cursor { return &Cursor{text: text} }

// seek returns the byte position of code point offset cp, or -1 past the end.
func (c *Cursor) seek(cp int) int {
	if cp < c.cp {
		c.cp, c.pos = 0, 0
	}
	// A code point starts at every byte that is not a continuation byte
	// (10xxxxxx), so counting needs no decoding: eight bytes at a time
	// while the target is past them. c.cp counts the starts before c.pos,
	// which may then be inside a code point.
	t := c.text
	for c.pos+8 <= len(t) {
		w := uint64(t[c.pos]) | uint64(t[c.pos+1])<<8 | uint64(t[c.pos+2])<<16 | uint64(t[c.pos+3])<<24 |
			uint64(t[c.pos+4])<<32 | uint64(t[c.pos+5])<<40 | uint64(t[c.pos+6])<<48 | uint64(t[c.pos+7])<<56
		starts := 8 - bits.OnesCount64(w&^(w<<1)&0x8080808080808080)
		if c.cp+starts > cp {
			break
		}
		c.pos += 8
		c.cp += starts
	}
	for ; c.pos < len(t); c.pos++ {
		if t[c.pos]&0xC0 != 0x80 {
			if c.cp == cp {
				return c.pos
			}
			c.cp++
		}
	}
	if c.cp == cp {
		return c.pos
	}
	return -1
}

// Slice returns the text of code points [start, end), or ok=false when the
// range is empty, reversed or outside the text.
func (c *Cursor) Slice(start, end int) (string, bool) {
	if start < 0 || start >= end {
		return "", false
	}
	bs := c.seek(start)
	cp, pos := c.cp, c.pos
	be := c.seek(end)
	c.cp, c.pos = cp, pos // the next span starts at or after this one's start
	if bs < 0 || be < 0 {
		return "", false
	}
	return c.text[bs:be], true
}

// CheckSpan is CheckSpan on the cursor's text.
func (c *Cursor) CheckSpan(sp *Span) error {
	got, ok := c.Slice(sp.Start, sp.End)
	return checkSpanText(sp, got, ok, func() int { return utf8.RuneCountInString(c.text) })
}
