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
// that every cluster has width.
type cluster struct {
	start, end int32 // paragraph-relative runes [start,end)
	g0, g1     int32 // glyphs [g0,g1) of items[item] (indices into its pieces, visual order)
	item       int32
	adv        float32       // pixels
	fadv       fixed.Int26_6 // the same, as the sum of the glyphs' advances
	space      bool          // only break spaces: hangs at a line end, allows a break after it
}

// shaped is the width-independent part of a paragraph's layout, cached.
type shaped struct {
	types  []fribidi.CharType
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
	// Scratch for shapeParagraph: each rune's face and script.
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
	sp := &shaped{}
	types, brackets := bidiClasses(text)
	sp.types = types
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
			c := cluster{start: int32(ci) + p.at, item: idx, adv: float32(adv) / 64, fadv: adv}
			if rtl {
				c.g0, c.g1 = p.g+int32(n-k2), p.g+int32(n-k)
			} else {
				c.g0, c.g1 = p.g+int32(k), p.g+int32(k2)
			}
			dst = append(dst, c)
			k = k2
		}
	}
	// Ends: the next cluster's start; the last one ends with the item.
	for i := first; i < len(dst); i++ {
		if i+1 < len(dst) {
			dst[i].end = dst[i+1].start
		} else {
			dst[i].end = int32(end)
		}
	}
	if len(dst) > first && dst[first].start > int32(start) {
		dst[first].start = int32(start) // runes before the first glyph (should not happen)
	}
	for i := first; i < len(dst); i++ {
		sp := true
		for _, r := range text[dst[i].start:dst[i].end] {
			if !isBreakSpace(r) {
				sp = false
				break
			}
		}
		dst[i].space = sp
	}
	// Merge zero-advance clusters into their logical predecessor (or, for
	// the item's first cluster, its successor), so that every character
	// range has width to hit and highlight. Spaces stay separate.
	w := first
	for i := first; i < len(dst); i++ {
		c := dst[i]
		if c.adv == 0 && w > first && !c.space && !dst[w-1].space {
			p := &dst[w-1]
			p.end = c.end
			p.g0, p.g1 = min(p.g0, c.g0), max(p.g1, c.g1)
			continue
		}
		dst[w] = c
		w++
	}
	dst = dst[:w]
	if w-first >= 2 && dst[first].adv == 0 && !dst[first].space && !dst[first+1].space {
		c := dst[first]
		nx := &dst[first+1]
		nx.start = c.start
		nx.g0, nx.g1 = min(nx.g0, c.g0), max(nx.g1, c.g1)
		copy(dst[first:], dst[first+1:])
		dst = dst[:len(dst)-1]
	}
	return dst
}
