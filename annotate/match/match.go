// Package match is Tawsim's one rule for finding a name in Arabic text, the
// rule search, suggestions and the clitic tools share.
//
// Texts and queries are compared in a normal form (Fold) that the stored
// text never takes. A query is a run of words (runs of annotate.IsWordRune;
// anything else in it only separates words); it matches a run of as many
// words of the text, separated by white space (a line break included),
// when each text word folds to the query word, except that the first text
// word may first lose a proclitic prefix as annotate.ParseProclitics reads
// it: و or ف, then ب, ك or ل, or the ل of the contraction لل (للأمم
// matches الأمم). Suffixes are never stripped: الأردنية is not الأردن.
//
// A match is the span to label, in code points of the text: from after the
// stripped proclitics (لأمم in للأمم, as annotate.StripClitics leaves it)
// to the end of the last word.
package match

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tawsim/annotate"
)

// Fold is the normal form of r for matching, or -1 when matching ignores r:
// harakat (U+064B–U+065F, U+0670) and tatweel go; أ إ آ ٱ become ا, ى
// becomes ي and ة becomes ه; Arabic-Indic and Eastern Arabic-Indic digits
// become ASCII digits; other letters are lower-cased.
func Fold(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r < 0x600 || r > 0x6FF:
		return unicode.ToLower(r)
	case r >= 0x64B && r <= 0x65F, r == 0x670, r == 0x640:
		return -1
	case r == 'أ', r == 'إ', r == 'آ', r == 'ٱ':
		return 'ا'
	case r == 'ى':
		return 'ي'
	case r == 'ة':
		return 'ه'
	case r >= '٠' && r <= '٩':
		return '0' + r - '٠'
	case r >= '۰' && r <= '۹':
		return '0' + r - '۰'
	}
	return r
}

// Normalize is s in the normal form of Fold.
func Normalize(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if f := Fold(r); f >= 0 {
			out = append(out, f)
		}
	}
	return string(out)
}

// Match is a match's span in code points of the text, end exclusive.
type Match struct {
	Start, End int
	b, e       int // the same in bytes
}

// Text is the text a match covers, text[Start:End] in code points: text
// is the one searched.
func (x Match) Text(text string) string { return text[x.b:x.e] }

// Matcher finds one query in texts. It keeps scratch buffers: use one
// Matcher per goroutine.
type Matcher struct {
	words [][]rune // the query's words, folded
	// ends are the runes that fold to the query's last rune, in UTF-8: a
	// match ends with one of them (and marks Fold drops). Find looks for
	// them by byte search (index) and reads the words around each, so that
	// it runs at the speed of a byte search over most of a text.
	ends []string
	next []int // Find's scratch: the next offset of each of ends, or -1

	raw  []rune // the text word being read, as written
	norm []rune // raw folded
	at   []int  // at[i]: len(norm) before raw[i]; at[len(raw)] = len(norm)
}

// ErrNoWords refuses a query with no word in it.
var ErrNoWords = errors.New("the query has no word to search for")

// Compile prepares query for Find.
func Compile(query string) (*Matcher, error) {
	m := &Matcher{}
	for ws := (words{s: query}); ; {
		w, ok := ws.next()
		if !ok {
			break
		}
		var f []rune
		for _, r := range query[w.b:w.e] {
			if r = Fold(r); r >= 0 {
				f = append(f, r)
			}
		}
		if len(f) > 0 {
			m.words = append(m.words, f)
		}
	}
	if len(m.words) == 0 {
		return nil, ErrNoWords
	}
	q := m.words[len(m.words)-1]
	m.ends = preimages(q[len(q)-1])
	m.next = make([]int, len(m.ends))
	return m, nil
}

// preimages are the runes that Fold maps to f, in UTF-8: f, its case
// forms, and those of the Arabic and Latin blocks and the ASCII digits.
func preimages(f rune) []string {
	var out []string
	seen := map[rune]bool{}
	add := func(r rune) {
		if !seen[r] && Fold(r) == f {
			seen[r] = true
			out = append(out, string(r))
		}
	}
	add(f)
	for r := unicode.SimpleFold(f); r != f; r = unicode.SimpleFold(r) {
		add(r)
	}
	for r := rune(0); r < 0x250; r++ {
		add(r)
	}
	for r := rune(0x600); r < 0x700; r++ {
		add(r)
	}
	return out
}

// word is a word of a text, bytes [b,e), and whether only white space
// separates it from the word before (false for the first).
type word struct {
	b, e   int
	spaced bool
}

// words reads the words of s, one at a time.
type words struct {
	s      string
	b      int  // byte offset of the next rune
	spaced bool // only white space since the last word
}

// next returns the next word, or false after the last.
func (ws *words) next() (w word, ok bool) {
	for ws.b < len(ws.s) {
		r, n := utf8.DecodeRuneInString(ws.s[ws.b:])
		if annotate.IsWordRune(r) {
			break
		}
		if !annotate.IsSpace(r) {
			ws.spaced = false
		}
		ws.b += n
	}
	if ws.b == len(ws.s) {
		return word{}, false
	}
	w = word{b: ws.b, spaced: ws.spaced}
	ws.b = wordEnd(ws.s, ws.b)
	w.e, ws.spaced = ws.b, true
	return w, true
}

// wordEnd is the end of the run of word runes at b in s.
func wordEnd(s string, b int) int {
	for b < len(s) {
		r, n := utf8.DecodeRuneInString(s[b:])
		if !annotate.IsWordRune(r) {
			break
		}
		b += n
	}
	return b
}

// wordStart is the start of the run of word runes that ends at e in s.
func wordStart(s string, e int) int {
	for e > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:e])
		if !annotate.IsWordRune(r) {
			break
		}
		e -= n
	}
	return e
}

// Find calls fn with each match in text, in order, until fn returns false.
// Matches do not overlap: the search goes on after each one.
func (m *Matcher) Find(text string, fn func(Match) bool) {
	for i, e := range m.ends {
		m.next[i] = index(text, 0, e)
	}
	after := 0                // the byte where the last match ended
	cb, cp := 0, 0            // a byte offset and its code point offset
	toCP := func(b int) int { // b ≥ cb: matches come in order
		cp += countRunes(text[cb:b])
		cb = b
		return cp
	}
	for {
		i := -1 // the earliest of the ends ahead
		for j, p := range m.next {
			if p >= 0 && (i < 0 || p < m.next[i]) {
				i = j
			}
		}
		if i < 0 {
			return
		}
		e := m.next[i] + len(m.ends[i])
		m.next[i] = index(text, e, m.ends[i])
		// The last rune of a match, once marks are passed, ends a word.
		for e < len(text) {
			r, n := decode(text[e:])
			if !annotate.IsWordRune(r) {
				break
			}
			if Fold(r) >= 0 {
				e = -1
				break
			}
			e += n
		}
		if e < 0 {
			continue
		}
		b, cut, ok := m.endingAt(text, e)
		if !ok || b < after {
			continue
		}
		sb := b // the start in bytes, after the proclitics
		for range cut {
			_, n := utf8.DecodeRuneInString(text[sb:])
			sb += n
		}
		if !fn(Match{toCP(b) + cut, toCP(e), sb, e}) {
			return
		}
		after = e
	}
}

// countRunes is utf8.RuneCountInString for valid UTF-8 (the stored text
// is): the bytes that do not continue a sequence, counted eight at a time.
func countRunes(s string) int {
	n := len(s)
	for ; len(s) >= 8; s = s[8:] {
		x := binary.LittleEndian.Uint64([]byte(s[:8]))
		n -= bits.OnesCount64(x &^ (x << 1) & 0x8080808080808080) // 10xxxxxx
	}
	for i := 0; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			n--
		}
	}
	return n
}

// index is the offset of the first needle in s at or after from, or -1.
// It looks for the needle's last byte: in UTF-8 the byte that continues
// a sequence sets an Arabic letter apart from the others, where the first
// byte is the same for half the alphabet.
func index(s string, from int, needle string) int {
	k := len(needle) - 1
	c := needle[k]
	for from += k; from < len(s); {
		j := strings.IndexByte(s[from:], c)
		if j < 0 {
			return -1
		}
		j += from
		if s[j-k:j+1] == needle {
			return j - k
		}
		from = j + 1
	}
	return -1
}

// endingAt reports whether the words of text before byte e, which ends a
// word, are a match: the byte offset of its first word and the code
// points of the proclitics left out there.
func (m *Matcher) endingAt(text string, e int) (b, cut int, ok bool) {
	for k := len(m.words) - 1; k > 0; k-- {
		// This word is the query's k-th, all of it.
		if b, ok = whole(text, e, m.words[k]); !ok {
			return 0, 0, false
		}
		// The word before, after white space only.
		for e = b; e > 0; {
			r, n := decodeLast(text[:e])
			if annotate.IsWordRune(r) {
				break
			}
			if !annotate.IsSpace(r) {
				return 0, 0, false
			}
			e -= n
		}
		if e == 0 {
			return 0, 0, false
		}
	}
	if b, ok = whole(text, e, m.words[0]); ok { // the commonest case
		return b, 0, true
	}
	// The first word ends as the query's first does, after a first letter.
	if b, ok = suffix(text, e, m.words[0][1:]); !ok {
		return 0, 0, false
	}
	b = wordStart(text, b)
	cut, ok = m.first(text[b:e])
	return b, cut, ok
}

// whole reports whether the word of text that ends at byte e folds to f,
// and where it starts.
func whole(text string, e int, f []rune) (int, bool) {
	b, ok := suffix(text, e, f)
	for ok && b > 0 {
		r, n := decodeLast(text[:b])
		if !annotate.IsWordRune(r) {
			break
		}
		ok, b = Fold(r) < 0, b-n
	}
	return b, ok
}

// suffix reports whether the word of text that ends at byte e ends with
// runes that fold to f, and where they start.
func suffix(text string, e int, f []rune) (int, bool) {
	for i := len(f) - 1; i >= 0; i-- {
		for {
			if e == 0 {
				return 0, false
			}
			r, n := decodeLast(text[:e])
			if !annotate.IsWordRune(r) {
				return 0, false
			}
			e -= n
			if r = Fold(r); r >= 0 {
				if r != f[i] {
					return 0, false
				}
				break
			}
		}
	}
	return e, true
}

// decode and decodeLast are utf8.DecodeRuneInString and
// utf8.DecodeLastRuneInString with fast paths for ASCII and for the two
// bytes of an Arabic letter: a search reads every word ending as its query.
func decode(s string) (rune, int) {
	c := s[0]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xC2 && c < 0xE0 && len(s) > 1 && s[1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s)
}

func decodeLast(s string) (rune, int) {
	n := len(s)
	if c := s[n-1]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	if n > 1 && s[n-1]&0xC0 == 0x80 && s[n-2] >= 0xC2 && s[n-2] < 0xE0 {
		return rune(s[n-2]&0x1F)<<6 | rune(s[n-1]&0x3F), 2
	}
	return utf8.DecodeLastRuneInString(s)
}

// All is the matches of text, appended to dst.
func (m *Matcher) All(dst []Match, text string) []Match {
	m.Find(text, func(x Match) bool { dst = append(dst, x); return true })
	return dst
}

// Whole reports whether text is a match and nothing more: its words are
// the query's (the first with proclitics allowed), as a span's text.
func (m *Matcher) Whole(text string) bool {
	i := 0
	for ws := (words{s: text}); ; i++ {
		w, ok := ws.next()
		switch {
		case !ok:
			return i == len(m.words)
		case i == len(m.words):
			return false
		case i == 0:
			if _, ok := m.first(text[w.b:w.e]); !ok {
				return false
			}
		case !w.spaced || !equal(text[w.b:w.e], m.words[i]):
			return false
		}
	}
}

// equal reports whether s folds to f.
func equal(s string, f []rune) bool {
	i := 0
	for _, r := range s {
		if r = Fold(r); r < 0 {
			continue
		}
		if i == len(f) || f[i] != r {
			return false
		}
		i++
	}
	return i == len(f)
}

// first reports whether w, a text word, is the query's first word once a
// proclitic prefix is removed, and the code points of that prefix.
func (m *Matcher) first(w string) (int, bool) {
	q := m.words[0]
	// Every way to match ends with q[1:]: check that before reading the
	// word's proclitics.
	tail := q[1:]
	s := w
	for i := len(tail) - 1; i >= 0; i-- {
		r := rune(-1)
		for r < 0 {
			if s == "" {
				return 0, false
			}
			c, n := utf8.DecodeLastRuneInString(s)
			s, r = s[:len(s)-n], Fold(c)
		}
		if r != tail[i] {
			return 0, false
		}
	}
	m.raw, m.norm, m.at = m.raw[:0], m.norm[:0], m.at[:0]
	for _, r := range w {
		m.raw = append(m.raw, r)
		m.at = append(m.at, len(m.norm))
		if f := Fold(r); f >= 0 {
			m.norm = append(m.norm, f)
		}
	}
	m.at = append(m.at, len(m.norm))
	if slices.Equal(m.norm, q) {
		return 0, true
	}
	p := annotate.ParseProclitics(m.raw)
	for _, cut := range [2]int{p.Conj, p.Prep} {
		if cut > 0 && slices.Equal(m.norm[m.at[cut]:], q) {
			return cut, true
		}
	}
	// لل: the preposition ل and the article ال without its alef.
	if p.Fused && q[0] == 'ا' && slices.Equal(m.norm[m.at[p.Prep]:], tail) {
		return p.Prep, true
	}
	return 0, false
}
