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
	base := len(dst)
	cp := 0        // code point index of the current rune
	tokStart := -1 // code point start of the open word token, -1 if none
	tokByte := 0   // byte start of the open word token
	ci := 0        // next cut to consider
	newline := false
	closeTok := func(endCP, endByte int) {
		dst = append(dst, Token{Start: tokStart, End: endCP, Text: text[tokByte:endByte]})
		tokStart = -1
	}
	for b, r := range text {
		for ci < len(cuts) && cuts[ci] < cp {
			ci++
		}
		cutHere := ci < len(cuts) && cuts[ci] == cp
		word := annotate.IsWordRune(r)
		if tokStart >= 0 && (cutHere || !word) {
			closeTok(cp, b)
		}
		switch {
		case word:
			if newline {
				dst[len(dst)-1].SentEnd = true
				newline = false
			}
			if tokStart < 0 {
				tokStart, tokByte = cp, b
			}
		case annotate.IsSpace(r):
			if n := len(dst); n > base {
				if dst[n-1].End == cp {
					dst[n-1].WS = true
				}
				if r == '\n' {
					newline = true
				}
			}
		default:
			if newline {
				dst[len(dst)-1].SentEnd = true
				newline = false
			}
			n := utf8.RuneLen(r)
			if r == utf8.RuneError {
				// Keep invalid bytes as they are (one token per byte).
				_, n = utf8.DecodeRuneInString(text[b:])
			}
			dst = append(dst, Token{Start: cp, End: cp + 1, Text: text[b : b+n], SentEnd: IsSentenceEnd(r)})
		}
		cp++
	}
	if tokStart >= 0 {
		closeTok(cp, len(text))
	}
	if n := len(dst); n > base {
		dst[n-1].SentEnd = true
	}
	return dst
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
