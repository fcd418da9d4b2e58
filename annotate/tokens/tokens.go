// Package tokens splits Tawsim texts into the tokens and sentences that the
// token-based dataset formats (CoNLL, Hugging Face, spaCy/Prodigy) need.
//
// A token is a maximal run of word runes (annotate.IsWordRune: letters,
// marks and digits; tatweel, ZWNJ and ZWJ join a run), or any other single
// non-space character (punctuation, symbols, emoji, each a token of its
// own). Space characters (unicode.IsSpace) separate tokens and belong to
// none. A token is also split at every cut position given by the
// caller (the starts and ends of spans), so a span on الأردن inside والأردن
// yields the tokens و and الأردن.
//
// A sentence ends after a token that is one of . ؟ ! ? ؛ and at every line
// end (a newline between two tokens).
//
// All offsets are Unicode code points, end exclusive.
package tokens

import (
	"unicode/utf8"

	"tawsim/annotate"
)

// Token is one token of a text.
type Token struct {
	Start, End int    // code points, end exclusive
	Text       string // the covered text
	WS         bool   // followed by a space character
	SentEnd    bool   // the last token of its sentence
}

// IsSentenceEnd reports whether a token made of r ends a sentence.
func IsSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '\u061F', '\u061B': // . ! ? ؟ ؛
		return true
	}
	return false
}

// Tokenize splits text into tokens. cuts are code-point offsets, ascending
// (duplicates allowed), where a token must end and the next begin. The
// result is appended to dst (which may be nil) and returned.
func Tokenize(dst []Token, text string, cuts []int) []Token {
	var s Scanner
	s.Reset(text, cuts)
	for t, ok := s.Next(); ok; t, ok = s.Next() {
		dst = append(dst, t)
	}
	return dst
}

// Scanner yields the tokens of a text one at a time, as Tokenize splits
// them, holding none but the next: a long text is tokenized in constant
// memory. The zero Scanner has no tokens; Reset gives it a text.
type Scanner struct {
	text    string
	cuts    []int
	ci      int   // next cut to consider
	b, cp   int   // byte and code point offset of the next rune
	pend    Token // the last token found: its WS and SentEnd are not known yet
	has     bool  // pend holds a token
	newline bool  // a newline follows pend
}

// Reset starts s on text with cuts (as for Tokenize).
func (s *Scanner) Reset(text string, cuts []int) {
	*s = Scanner{text: text, cuts: cuts}
}

// Next returns the next token, or false after the last.
func (s *Scanner) Next() (Token, bool) {
	for {
		t, ok := s.scan()
		if !ok {
			if !s.has {
				return Token{}, false
			}
			s.has = false
			s.pend.SentEnd = true
			return s.pend, true
		}
		prev, had := s.pend, s.has
		s.pend, s.has = t, true
		if had {
			return prev, true
		}
	}
}

// scan finds the token after pend, marking pend's WS and SentEnd on the
// way. A word token ends before the rune that ends it, which is read again.
func (s *Scanner) scan() (Token, bool) {
	tokStart, tokByte := -1, 0 // the open word token
	for s.b < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[s.b:])
		for s.ci < len(s.cuts) && s.cuts[s.ci] < s.cp {
			s.ci++
		}
		cutHere := s.ci < len(s.cuts) && s.cuts[s.ci] == s.cp
		word := annotate.IsWordRune(r)
		if tokStart >= 0 && (cutHere || !word) {
			return Token{Start: tokStart, End: s.cp, Text: s.text[tokByte:s.b]}, true
		}
		b, cp := s.b, s.cp
		s.b += n
		s.cp++
		switch {
		case word:
			s.lineEnd()
			if tokStart < 0 {
				tokStart, tokByte = cp, b
			}
		case annotate.IsSpace(r):
			if s.has {
				if s.pend.End == cp {
					s.pend.WS = true
				}
				if r == '\n' {
					s.newline = true
				}
			}
		default:
			s.lineEnd()
			// Invalid bytes stay as they are, one token per byte.
			return Token{Start: cp, End: cp + 1, Text: s.text[b : b+n], SentEnd: IsSentenceEnd(r)}, true
		}
	}
	if tokStart >= 0 {
		return Token{Start: tokStart, End: s.cp, Text: s.text[tokByte:]}, true
	}
	return Token{}, false
}

// lineEnd ends pend's sentence when a newline came after it.
func (s *Scanner) lineEnd() {
	if s.newline {
		s.pend.SentEnd = true
		s.newline = false
	}
}

// Sentences returns the [from,to) token index ranges of the sentences of
// toks (as marked by SentEnd).
func Sentences(toks []Token) [][2]int {
	var out [][2]int
	from := 0
	for i := range toks {
		if toks[i].SentEnd {
			out = append(out, [2]int{from, i + 1})
			from = i + 1
		}
	}
	if from < len(toks) {
		out = append(out, [2]int{from, len(toks)})
	}
	return out
}
