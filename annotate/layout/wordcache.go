package layout

import (
	"slices"
	"sync"
	"unicode"
	"unsafe"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// Word shape cache. A news corpus repeats its words: the 100,000-code-point
// benchmark text has 15,872 words but only 1,156 distinct ones (with their
// trailing spaces; it is made of the sample articles' paragraphs). An item
// (one level, script and face) is therefore shaped word by word, each word
// with the spaces that follow it, and the shaped words are kept in a cache
// shared by every document of a Fonts. The item's glyphs are the
// concatenation of its words' glyphs (item.pieces: pointers to the cached
// shapes, not copies), which equals shaping the item as a whole because
//   - Arabic joining stops at a space (joining type U), and a word never
//     starts with a mark or a joiner (see unitEnd);
//   - no OpenType lookup of the face can match a space glyph (checked once
//     per face by spaceInLookups), so no kerning, ligature or contextual
//     rule reaches across the split;
//   - a word at an item edge that could join a letter outside the item
//     (joinsAcross) is shaped with the paragraph as context, and not cached.
// TestWordCacheIdentity checks the equality on the sample corpus. A word
// broken inside by an overlong-word break is not reshaped (nor was it
// before): the break falls between clusters of the shaped paragraph.
// Highlights never change shaping, so span boundaries do not split words.

// wordCacheSize is the number of shaped words the cache keeps (at most; it
// evicts the least recently used half at a time). The five sample articles
// need 1,144 entries, 0.7 MiB (TestWordCacheMemory): a word costs 72 bytes
// per glyph plus about 150, so a full cache takes about 10 MiB.
const wordCacheSize = 1 << 14

type wordKey struct {
	hash   uint64 // of the runes
	size   fixed.Int26_6
	script language.Script
	face   int8
	level  Level
}

// wordShape is a shaped word. The words shaped in one batch share one
// array of runes and one of glyphs (shapeBatch: two allocations, not two
// per word); a word promoted from the old generation gets arrays of its
// own (wordCache.get), so that a batch's arrays live no longer than the
// generation its words were put in, and the cache's memory stays that of
// the words it holds.
type wordShape struct {
	text   []rune
	glyphs []shaping.Glyph // ClusterIndex relative to the word
	line   shaping.Bounds  // LineBounds of the face at this size
	next   *wordShape      // same key, other text (hash collision)
}

// wordCache is a bounded map of shaped words, safe for concurrent use. It
// approximates LRU with two generations: hits in the old generation move
// to the new one, and when the new one holds half the capacity the old one
// is dropped.
type wordCache struct {
	mu       sync.Mutex
	cur, old map[wordKey]*wordShape
}

func newWordCache() *wordCache {
	return &wordCache{cur: map[wordKey]*wordShape{}, old: map[wordKey]*wordShape{}}
}

func findWord(w *wordShape, text []rune) *wordShape {
	for ; w != nil; w = w.next {
		if slices.Equal(w.text, text) {
			return w
		}
	}
	return nil
}

func (c *wordCache) get(k wordKey, text []rune) *wordShape {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := findWord(c.cur[k], text); w != nil {
		return w
	}
	w := findWord(c.old[k], text)
	if w != nil {
		w = &wordShape{text: slices.Clone(w.text), glyphs: slices.Clone(w.glyphs), line: w.line}
		c.insert(k, w)
	}
	return w
}

func (c *wordCache) put(k wordKey, w *wordShape) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if findWord(c.cur[k], w.text) == nil {
		c.insert(k, w)
	}
}

// insert adds w to the new generation (under mu).
func (c *wordCache) insert(k wordKey, w *wordShape) {
	if len(c.cur) >= wordCacheSize/2 {
		c.old, c.cur = c.cur, make(map[wordKey]*wordShape, wordCacheSize/2)
	}
	w.next = c.cur[k]
	c.cur[k] = w
}

// stats returns the number of cached words and an estimate of their memory
// in bytes (glyphs, runes, entries and map slots).
func (c *wordCache) stats() (words, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range []map[wordKey]*wordShape{c.cur, c.old} {
		for _, w := range m {
			for ; w != nil; w = w.next {
				words++
				bytes += cap(w.glyphs)*int(unsafe.Sizeof(shaping.Glyph{})) + cap(w.text)*4 + int(unsafe.Sizeof(*w)) + mapSlotBytes
			}
		}
	}
	return words, bytes
}

const (
	mapSlotBytes = 48 // key, pointer and map overhead
	hashOffset   = 14695981039346656037
	hashPrime    = 1099511628211
)

func hashRunes(rs []rune) uint64 {
	h := uint64(hashOffset)
	for _, r := range rs {
		h = (h ^ uint64(r)) * hashPrime
	}
	return h
}

// unitEnd returns the end of the shaping unit (a word and the break spaces
// after it) that starts at i, within [i, end). A unit does not end before
// a character HarfBuzz clusters with the one before it (a mark or ZWJ after
// a space): the unit then runs on to the next word's end.
func unitEnd(text []rune, i, end int) int {
	for {
		for i < end && !splitsWords(text[i]) {
			i++
		}
		for i < end && splitsWords(text[i]) {
			i++
		}
		if i == end || !isContinuation(text[i]) {
			return i
		}
	}
}

// splitsWords reports whether r is a break space that also stops cursive
// joining: not U+200B, which HarfBuzz treats as transparent (the only
// break space of class Cf, TestSplitsWords).
func splitsWords(r rune) bool { return isBreakSpace(r) && r != '\u200B' }

// isContinuation is HarfBuzz's grapheme continuation (setUnicodeProps):
// marks, ZWJ, emoji modifiers, halfwidth sound marks and tags.
func isContinuation(r rune) bool {
	return r == '\u200D' || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) || (r >= 0x1F3FB && r <= 0x1F3FF) ||
		(r >= 0xFF9E && r <= 0xFF9F) || (r >= 0xE0020 && r <= 0xE007F)
}

// joinsAcross reports whether cursive joining could connect the letters on
// either side of text offset i (an item edge), so that shaping on one side
// depends on the other: HarfBuzz's Arabic joining looks past an item's ends,
// skipping transparent characters (marks and format controls), and only
// letters of the joining scripts and ZWJ can join. Outside them (spaces,
// punctuation, Latin, digits) a word's shape does not depend on its
// neighbours.
func joinsAcross(text []rune, i int) bool {
	before, after := -1, -1
	for k := i - 1; k >= 0; k-- {
		if !isTransparent(text[k]) {
			before = k
			break
		}
	}
	for k := i; k < len(text); k++ {
		if !isTransparent(text[k]) {
			after = k
			break
		}
	}
	return before >= 0 && after >= 0 && mayJoin(text[before]) && mayJoin(text[after])
}

// isTransparent is joining type T: non-spacing and enclosing marks and
// format controls other than the joiners.
func isTransparent(r rune) bool {
	return r != '\u200C' && r != '\u200D' && unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf)
}

// mayJoin is a superset of the runes with a joining type other than U and
// T: ZWJ and the blocks of the cursive scripts HarfBuzz joins (Arabic and
// its supplements and extensions, Syriac, N'Ko, Mongolian, Phags-pa and the
// historic scripts of the SMP).
func mayJoin(r rune) bool {
	switch {
	case r == '\u200D':
		return true
	case r >= '\u0600' && r <= '\u08FF', r >= '\u1800' && r <= '\u18AF', r >= '\uA840' && r <= '\uA87F',
		r >= '\uFB50' && r <= '\uFDFF', r >= '\uFE70' && r <= '\uFEFF':
		return true
	case r >= 0x10AC0 && r <= 0x10FFF, r >= 0x1E900 && r <= 0x1E95F:
		return true
	}
	return false
}

// shapeItem shapes in (an item of a paragraph) like s.hb.Shape(in), from
// the fonts' cached word shapes when the face allows it. Words missing from
// the cache are shaped alone, or, when they are many, together in one
// HarfBuzz call (shapeBatch). A word that could join across the item's edge
// (joinsAcross) is shaped with the paragraph as context and not cached.
func (s *shaper) shapeItem(in shaping.Input, face int8, lev Level) item {
	it := item{start: in.RunStart, end: in.RunEnd, level: lev}
	words := s.fonts.words
	if words == nil || s.fonts.unsafeSpace[face] {
		it.out = s.hb.Shape(in)
		maskFlags(it.out.Glyphs)
		it.pieces = []piece{{w: &wordShape{glyphs: it.out.Glyphs}}}
		it.out.Glyphs = nil
		return it
	}
	text := in.Text
	s.units = s.units[:0]
	misses := 0
	for u0 := in.RunStart; u0 < in.RunEnd; {
		u := unit{start: u0, end: unitEnd(text, u0, in.RunEnd)}
		if !(u.start == in.RunStart && joinsAcross(text, u.start)) && !(u.end == in.RunEnd && joinsAcross(text, u.end)) {
			u.key = wordKey{hash: hashRunes(text[u.start:u.end]), size: in.Size, script: in.Script, face: face, level: lev}
			u.cacheable = true
			u.w = words.get(u.key, text[u.start:u.end])
		}
		if u.w == nil {
			misses++
		}
		s.units = append(s.units, u)
		u0 = u.end
	}
	if misses > len(s.units)/4 {
		// Mostly new words (a new text): one HarfBuzz call is cheaper than
		// one per word.
		s.shapeBatch(in)
	}
	for k := range s.units {
		u := &s.units[k]
		if u.w == nil {
			u.w = s.shapeUnit(in, u.start, u.end, !u.cacheable)
			if u.cacheable {
				words.put(u.key, u.w)
			}
		}
	}
	it.pieces = make([]piece, 0, len(s.units))
	rtl := in.Direction.Progression() == di.TowardTopLeft
	var g int32
	for k := range s.units {
		if rtl {
			k = len(s.units) - 1 - k // visual order: the last word first
		}
		u := s.units[k]
		it.pieces = append(it.pieces, piece{w: u.w, at: int32(u.start), g: g})
		g += int32(len(u.w.glyphs))
	}
	it.out = shaping.Output{Direction: in.Direction, Face: in.Face, Size: in.Size,
		Runes: shaping.Range{Offset: in.RunStart, Count: in.RunEnd - in.RunStart}, LineBounds: s.units[0].w.line}
	return it
}

// unit is a word of the item being shaped: runes [start,end) of the
// paragraph (of shaper.batch in shaper.batchUnits), its cache key and, once
// known, its shape.
type unit struct {
	start, end int
	key        wordKey
	cacheable  bool
	w          *wordShape
}

// shapeBatch shapes the distinct cacheable words of s.units missing from
// the cache in one HarfBuzz call, on a text made of them one after the
// other, cuts their shapes out of the result, caches them and sets them in
// s.units. This shapes each new word once, where shaping the whole item
// would shape a repeated word each time. Words are independent of their
// neighbours across a space (see the top of this file), so a word shapes
// the same in the batch as in its item; the batch keeps a space after
// every word but the last (only an item's last word can lack one).
func (s *shaper) shapeBatch(in shaping.Input) {
	s.batch, s.batchUnits = s.batch[:0], s.batchUnits[:0]
	last := -1 // the word without a trailing space, if any
	for k := range s.units {
		u := &s.units[k]
		if u.w != nil || !u.cacheable || s.batched(u, in.Text) != nil {
			continue
		}
		if !splitsWords(in.Text[u.end-1]) {
			last = k
			continue
		}
		s.addToBatch(u, in.Text)
	}
	if last >= 0 {
		s.addToBatch(&s.units[last], in.Text)
	}
	if len(s.batchUnits) == 0 {
		return
	}
	text := in.Text
	in.Text, in.RunStart, in.RunEnd = s.batch, 0, len(s.batch)
	out := s.hb.Shape(in)
	gl := out.Glyphs
	rtl := out.Direction.Progression() == di.TowardTopLeft
	g := 0
	runes := slices.Clone(s.batch) // the words' runes, and shapes, glyphs: gl
	shapes := make([]wordShape, len(s.batchUnits))
	for k := range s.batchUnits {
		if rtl {
			k = len(s.batchUnits) - 1 - k
		}
		b := &s.batchUnits[k]
		g0 := g
		for g < len(gl) && gl[g].ClusterIndex >= b.start && gl[g].ClusterIndex < b.end {
			g++
		}
		if g == g0 {
			return // not in blocks: the words are shaped alone
		}
		glyphs := gl[g0:g:g]
		maskFlags(glyphs)
		for i := range glyphs {
			glyphs[i].ClusterIndex -= b.start
		}
		shapes[k] = wordShape{text: runes[b.start:b.end:b.end], glyphs: glyphs, line: out.LineBounds}
		b.w = &shapes[k]
	}
	words := s.fonts.words
	for _, b := range s.batchUnits {
		words.put(b.key, b.w)
	}
	for k := range s.units {
		if u := &s.units[k]; u.w == nil && u.cacheable {
			u.w = s.batched(u, text).w
		}
	}
}

// addToBatch appends the word u of text (the paragraph) to the batch.
func (s *shaper) addToBatch(u *unit, text []rune) {
	start := len(s.batch)
	s.batch = append(s.batch, text[u.start:u.end]...)
	s.batchUnits = append(s.batchUnits, unit{start: start, end: len(s.batch), key: u.key})
}

// batched returns the batch's word equal to the word u of text, or nil.
func (s *shaper) batched(u *unit, text []rune) *unit {
	word := text[u.start:u.end]
	for k := range s.batchUnits {
		if b := &s.batchUnits[k]; b.key == u.key && slices.Equal(s.batch[b.start:b.end], word) {
			return b
		}
	}
	return nil
}

// shapeUnit shapes runes [u0,u1) of the item in, alone or (context) with
// the paragraph around it; its glyphs' clusters are relative to u0.
func (s *shaper) shapeUnit(in shaping.Input, u0, u1 int, context bool) *wordShape {
	word := in.Text[u0:u1]
	if context {
		in.RunStart, in.RunEnd = u0, u1
	} else {
		in.Text, in.RunStart, in.RunEnd = word, 0, len(word)
	}
	out := s.hb.Shape(in)
	maskFlags(out.Glyphs)
	if context {
		for i := range out.Glyphs {
			out.Glyphs[i].ClusterIndex -= u0
		}
	} else {
		word = slices.Clip(slices.Clone(word))
	}
	return &wordShape{text: word, glyphs: slices.Clip(out.Glyphs), line: out.LineBounds}
}
