package layout

import (
	"slices"
	"sort"
	"sync"

	"github.com/benoitkugler/textlayout/fribidi"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/harfbuzz"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// item is a maximal stretch of a paragraph with one bidi level, script and
// face, shaped as a unit (with the whole paragraph as context).
type item struct {
	start, end int // paragraph-relative runes
	level      Level
	out        shaping.Output // without its Glyphs, which are the pieces'
	// The item's glyphs in visual order, as pieces: mostly the cached
	// shapes of its words, shared and not copied (the glyphs of a run are
	// copied out when its line is built, appendGlyphs).
	pieces []piece
}

// piece is a stretch of an item's glyphs: w's glyphs (never modified), with
// at added to their ClusterIndex, the first at item glyph index g.
type piece struct {
	w     *wordShape
	at, g int32
}

// appendGlyphs appends the item's glyphs [g0,g1) to dst, with their
// ClusterIndex relative to the paragraph.
func (it *item) appendGlyphs(dst []shaping.Glyph, g0, g1 int32) []shaping.Glyph {
	ps := it.pieces
	k := sort.Search(len(ps), func(k int) bool { return ps[k].g+int32(len(ps[k].w.glyphs)) > g0 })
	for g := g0; g < g1 && k < len(ps); k++ {
		p := ps[k]
		gl := p.w.glyphs
		b := min(int32(len(gl)), g1-p.g)
		first := len(dst)
		dst = append(dst, gl[g-p.g:b]...)
		for i := first; i < len(dst); i++ {
			dst[i].ClusterIndex += int(p.at)
		}
		g = p.g + b
	}
	return dst
}

// maskFlags keeps only the glyph flags in the glyphs' Mask: HarfBuzz leaves
// its private feature bits there unless some glyph of the run has a flag,
// so the rest depends on the whole run and would differ between word
// shapes and item shapes.
func maskFlags(gl []shaping.Glyph) {
	for i := range gl {
		gl[i].Mask &= glyphFlags
	}
}

// cluster is one glyph cluster of a shaped paragraph, in logical order.
// Zero-advance clusters (the alef of Noto Naskh's lam-alef) are merged into
// their logical predecessor (the first of an item into its successor) so
// that every cluster has width. It keeps 16 bytes, one per code point of a
// document held for the document's life: where it ends and its last glyph
// follow from the next cluster (shaped.end, shaped.glyphs), its width in
// pixels from its 26.6 one (adv).
type cluster struct {
	start int32 // paragraph-relative rune; it ends where the next cluster starts
	// g is the first glyph of the cluster in logical order, an index into
	// items[item]'s glyphs (its pieces, visual order): of a left-to-right
	// item, the cluster's first glyph; of a right-to-left one, one past its
	// last.
	g    int32
	kind int32         // the item's index << 1 | 1 for break spaces (isSpace)
	fadv fixed.Int26_6 // the sum of the glyphs' advances
}

// adv is the cluster's advance in pixels (exact: 26.6 values are multiples
// of 1/64 well within float32's precision).
func (c cluster) adv() float32 { return float32(c.fadv) * (1.0 / 64) }

// item is the index of the cluster's item.
func (c cluster) item() int32 { return c.kind >> 1 }

// isSpace reports whether the cluster is only break spaces: it hangs at a
// line end and allows a break after it.
func (c cluster) isSpace() bool { return c.kind&1 == 1 }

// end is where cluster i ends: the next one's start, the last one's at the
// paragraph's end.
func (sp *shaped) end(i int) int32 {
	if i+1 < len(sp.clus) {
		return sp.clus[i+1].start
	}
	return int32(len(sp.text))
}

// glyphs returns cluster i's glyphs [g0,g1) in its item: up to the next
// cluster of the item in logical order, or the item's edge.
func (sp *shaped) glyphs(i int) (g0, g1 int32) {
	c := sp.clus[i]
	it := &sp.items[c.item()]
	rtl := it.out.Direction.Progression() == di.TowardTopLeft
	var next int32 // the item's edge: its glyphs' end, or (right to left) 0
	if !rtl {
		next = it.glyphCount()
	}
	if i+1 < len(sp.clus) && sp.clus[i+1].item() == c.item() {
		next = sp.clus[i+1].g
	}
	if rtl {
		return next, c.g
	}
	return c.g, next
}

// shaped is the width-independent part of a paragraph's layout, cached.
type shaped struct {
	text   []rune // the paragraph's, shared with the document
	levels []Level
	par    Level
	items  []item
	clus   []cluster
	words  []word // for breakWords; nil: break with breakLines
}

// lineStarts returns the first cluster of each line at width.
func (sp *shaped) lineStarts(width float32) []int32 {
	if sp.words == nil {
		return breakLines(sp.clus, width)
	}
	return breakWords(sp.clus, sp.words, width)
}

// isBreakSpace reports whether r is a space after which a line may break.
// No-break spaces (U+00A0, U+2007, U+202F) are not.
func isBreakSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\u1680', '\u205F', '\u3000', '\u200B':
		return true
	case '\u2007':
		return false
	}
	return r >= '\u2000' && r <= '\u200A'
}

// shaper bundles what one goroutine needs to shape.
type shaper struct {
	fonts *Fonts
	faces faceSet
	hb    shaping.HarfbuzzShaper
	size  fixed.Int26_6
	units []unit // scratch for shapeItem
	// Scratch for shapeBatch: the new words of an item, one after the other.
	batch      []rune
	batchUnits []unit
	// Scratch for shapeParagraph: each rune's bidi class, face and script.
	types       []fribidi.CharType
	runeFaces   []int8
	runeScripts []language.Script
}

// lowScripts is language.LookupScript for the runes below U+0800 (Arabic
// and Latin among them), precomputed: the lookup is a binary search.
var lowScripts = sync.OnceValue(func() *[0x800]language.Script {
	var t [0x800]language.Script
	for r := range t {
		t[r] = language.LookupScript(rune(r))
	}
	return &t
})

func lookupScript(r rune, low *[0x800]language.Script) language.Script {
	if r >= 0 && r < rune(len(low)) {
		return low[r]
	}
	return language.LookupScript(r)
}

// face returns the shaper's face i, making a fallback's on first use.
func (s *shaper) face(i int8) *font.Face {
	if s.faces[i] == nil {
		s.faces[i] = font.NewFace(s.fonts.fontOf(i))
	}
	return s.faces[i]
}

var langArabic = language.NewLanguage("ar")

const glyphFlags = uint32(harfbuzz.GlyphUnsafeToBreak | harfbuzz.GlyphUnsafeToConcat | harfbuzz.GlyphSafeToInsertTatweel)

// shapeParagraph resolves bidi levels, itemizes and shapes one paragraph.
func (s *shaper) shapeParagraph(text []rune) *shaped {
	sp := &shaped{text: text}
	types, brackets := bidiClasses(text, s.types)
	s.types = types
	sp.levels, sp.par = resolveLevels(types, brackets, AutoRTL)
	n := len(text)
	if n == 0 {
		return sp
	}

	// Per-rune face and script, with "follow the neighbours" resolved.
	s.runeFaces = slices.Grow(s.runeFaces[:0], n)[:n]
	s.runeScripts = slices.Grow(s.runeScripts[:0], n)[:n]
	faces, scripts := s.runeFaces, s.runeScripts
	low := lowScripts()
	lastFace, lastScript := -1, language.Script(0)
	for i, r := range text {
		f := s.fonts.faceFor(r)
		if f < 0 {
			f = lastFace
			// A neutral follows its neighbour's face only where that face
			// has it: the symbol subset has no space, which after an emoji
			// would otherwise be drawn as .notdef.
			if f > faceArabic && !s.fonts.fallbacks[f].has(r) {
				f = -1
			}
		}
		faces[i] = int8(f)
		lastFace = f
		sc := lookupScript(r, low)
		if sc == language.Common || sc == language.Inherited || sc == language.Unknown {
			sc = lastScript
		}
		scripts[i] = sc
		lastScript = sc
	}
	// Leading runes that had nothing to follow take the next known value.
	nextFace, nextScript := int8(faceArabic), language.Script(0)
	for i := n - 1; i >= 0; i-- {
		if faces[i] < 0 {
			faces[i] = nextFace
			if nextFace > faceArabic && !s.fonts.fallbacks[nextFace].has(text[i]) {
				faces[i] = faceArabic
			}
		} else {
			nextFace = faces[i]
		}
		if scripts[i] == 0 {
			scripts[i] = nextScript
		} else {
			nextScript = scripts[i]
		}
	}

	sp.clus = make([]cluster, 0, n) // at most one cluster per rune
	for start := 0; start < n; {
		end := start + 1
		for end < n && sp.levels[end] == sp.levels[start] && faces[end] == faces[start] && scripts[end] == scripts[start] {
			end++
		}
		lev := sp.levels[start]
		script := scripts[start]
		if script == 0 {
			script = language.Common
		}
		face := s.fonts.itemFace(faces[start], text[start:end])
		in := shaping.Input{
			Text:      text,
			RunStart:  start,
			RunEnd:    end,
			Direction: di.DirectionLTR,
			Face:      s.face(face),
			Size:      s.size,
			Script:    script,
		}
		if lev%2 == 1 {
			in.Direction = di.DirectionRTL
		}
		if script == language.Arabic {
			in.Language = langArabic
		}
		sp.items = append(sp.items, s.shapeItem(in, face, lev))
		sp.clus = appendClusters(sp.clus, text, &sp.items[len(sp.items)-1], int32(len(sp.items)-1))
		start = end
	}
	if words, ok := wordsOf(sp.clus); ok {
		sp.words = words
	}
	return sp
}

// appendClusters appends the clusters of shaped item it (number idx) in
// logical order.
func appendClusters(dst []cluster, text []rune, it *item, idx int32) []cluster {
	start, end := it.start, it.end
	rtl := it.out.Direction.Progression() == di.TowardTopLeft
	first := len(dst)
	// Walk the glyphs in logical order, grouping by cluster index. The
	// pieces cover disjoint runes, so no cluster spans two of them.
	for pk := range it.pieces {
		if rtl {
			pk = len(it.pieces) - 1 - pk
		}
		p := it.pieces[pk]
		gl := p.w.glyphs
		n := len(gl)
		for k := 0; k < n; {
			i := k
			if rtl {
				i = n - 1 - k
			}
			ci := gl[i].ClusterIndex
			var adv fixed.Int26_6
			k2 := k
			for k2 < n {
				j := k2
				if rtl {
					j = n - 1 - k2
				}
				if gl[j].ClusterIndex != ci {
					break
				}
				adv += gl[j].XAdvance
				k2++
			}
			c := cluster{start: int32(ci) + p.at, kind: idx << 1, fadv: adv, g: p.g + int32(k)}
			if rtl {
				c.g = p.g + int32(n-k)
			}
			dst = append(dst, c)
			k = k2
		}
	}
	if len(dst) > first && dst[first].start > int32(start) {
		dst[first].start = int32(start) // runes before the first glyph (should not happen)
	}
	for i := first; i < len(dst); i++ {
		e := int32(end)
		if i+1 < len(dst) {
			e = dst[i+1].start
		}
		if allBreakSpaces(text[dst[i].start:e]) {
			dst[i].kind |= 1
		}
	}
	// Merge zero-advance clusters into their logical predecessor (or, for
	// the item's first cluster, its successor), so that every character
	// range has width to hit and highlight. Spaces stay separate. The
	// merged cluster's runes and glyphs are the neighbour's then (see
	// shaped.end and shaped.glyphs); the successor takes over the first's
	// start and first glyph.
	w := first
	for i := first; i < len(dst); i++ {
		c := dst[i]
		if c.fadv == 0 && w > first && !c.isSpace() && !dst[w-1].isSpace() {
			continue
		}
		dst[w] = c
		w++
	}
	dst = dst[:w]
	if w-first >= 2 && dst[first].fadv == 0 && !dst[first].isSpace() && !dst[first+1].isSpace() {
		c := dst[first]
		nx := &dst[first+1]
		nx.start, nx.g = c.start, c.g
		copy(dst[first:], dst[first+1:])
		dst = dst[:len(dst)-1]
	}
	return dst
}

// allBreakSpaces reports whether every rune of rs is a break space.
func allBreakSpaces(rs []rune) bool {
	for _, r := range rs {
		if !isBreakSpace(r) {
			return false
		}
	}
	return true
}

// glyphCount is the number of the item's glyphs.
func (it *item) glyphCount() int32 {
	if len(it.pieces) == 0 {
		return 0
	}
	p := it.pieces[len(it.pieces)-1]
	return p.g + int32(len(p.w.glyphs))
}
