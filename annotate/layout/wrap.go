package layout

import (
	"math"

	"github.com/benoitkugler/textlayout/fribidi"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// breakLines splits the clusters of a shaped paragraph into lines no wider
// than width (width <= 0: no limit). Lines break only where a space is
// followed by a non-space; spaces at a line's end hang (do not count). A
// word wider than the line is broken between clusters. It returns the first
// cluster index of each line.
func breakLines(clus []cluster, width float32) []int32 {
	starts := []int32{0}
	if width <= 0 || len(clus) == 0 {
		return starts
	}
	const eps = 1e-3
	ls := 0
	for ls < len(clus) {
		var w, pending float32 // content width; spaces not yet followed by content
		lastBreak := -1
		next := len(clus)
		for i := ls; i < len(clus); i++ {
			c := clus[i]
			if i > ls && clus[i-1].isSpace() && !c.isSpace() {
				lastBreak = i
			}
			if c.isSpace() {
				pending += c.adv()
				continue
			}
			nw := w + pending + c.adv()
			if nw > width+eps && i > ls {
				if lastBreak > ls {
					next = lastBreak
				} else {
					next = i // a word longer than the line: break by cluster
				}
				break
			}
			w, pending = nw, 0
		}
		if next >= len(clus) {
			break
		}
		starts = append(starts, int32(next))
		ls = next
	}
	return starts
}

// word is a unit of line breaking in a shaped paragraph: its content
// clusters [c0,c1) (none for spaces that open the paragraph), then the
// spaces up to the next word.
type word struct {
	c0, c1 int32
	w, max float32 // the content's width and its widest prefix
	spaces float32 // the spaces' width
}

// maxExactWidth bounds the paragraph widths (the sum of all advances) for
// which word sums are exact in float32: every advance is a multiple of
// 1/64 px, so sums below 2^24/64 px are exact in any order, and breakWords
// then gives what breakLines gives.
const maxExactWidth = 1 << 18

// wordsOf splits clusters into words; ok is false when the paragraph is too
// wide for exact sums.
func wordsOf(clus []cluster) (words []word, ok bool) {
	n := 0 // words start at 0 and after each space that a non-space follows
	for i := 1; i < len(clus); i++ {
		if clus[i-1].isSpace() && !clus[i].isSpace() {
			n++
		}
	}
	words = make([]word, 0, n+1)
	var total float32
	for i := 0; i < len(clus); {
		wd := word{c0: int32(i), max: float32(math.Inf(-1))}
		for ; i < len(clus) && !clus[i].isSpace(); i++ {
			adv := clus[i].adv()
			wd.w += adv
			wd.max = max(wd.max, wd.w)
			total += absf(adv)
		}
		wd.c1 = int32(i)
		for ; i < len(clus) && clus[i].isSpace(); i++ {
			adv := clus[i].adv()
			wd.spaces += adv
			total += absf(adv)
		}
		words = append(words, wd)
	}
	return words, total < maxExactWidth
}

// breakWords is breakLines word by word instead of cluster by cluster
// (about six times fewer steps); a word opening a line is still measured by
// cluster, since it is broken when wider than the line.
func breakWords(clus []cluster, words []word, width float32) []int32 {
	starts := []int32{0}
	if width <= 0 || len(clus) == 0 {
		return starts
	}
	const eps = 1e-3
	limit := width + eps
	ls, k := 0, 0 // the line's first cluster and its word
	for {
		wd := words[k]
		var w float32
		next := -1
		for i := ls; i < int(wd.c1); i++ {
			nw := w + clus[i].adv()
			if nw > limit && i > ls {
				next = i // a word longer than the line: break by cluster
				break
			}
			w = nw
		}
		if next < 0 {
			pending := wd.spaces
			for k++; k < len(words); k++ {
				if w+pending+words[k].max > limit {
					next = int(words[k].c0)
					break
				}
				w, pending = w+pending+words[k].w, words[k].spaces
			}
			if k == len(words) {
				return starts
			}
		}
		starts = append(starts, int32(next))
		ls = next
	}
}

// lineWidth is the width buildLine gives the line of clusters [c0,c1): the
// sum of their advances, exact in any order in a paragraph narrower than
// maxExactWidth (one with words), else summed in buildLine's visual order.
func lineWidth(sp *shaped, c0, c1 int) float32 {
	if sp.words == nil {
		_, total, _ := buildLine(sp, c0, c1, 0, nil)
		return total
	}
	var w float32
	for _, c := range sp.clus[c0:c1] {
		w += c.adv()
	}
	return w
}

// segment is a stretch of a line's clusters with one item and one level.
type segment struct {
	c0, c1 int // cluster indices [c0,c1) into shaped.clus
	item   int32
	level  Level
}

// buildLine makes the visual runs of the line made of clusters [c0,c1) of a
// shaped paragraph whose text starts at document offset base. Positions are
// relative to a line whose left edge is x = 0 (the caller aligns). The
// runs' clusters are appended to buf, which the caller sizes for the whole
// paragraph (one allocation instead of one per line), and buf is returned.
func buildLine(sp *shaped, c0, c1 int, base int, buf []Cluster) (runs []Run, total float32, _ []Cluster) {
	if c0 >= c1 {
		return nil, 0, buf
	}
	ls, le := int(sp.clus[c0].start), int(sp.end(c1-1))
	// Rule L1 as lineLevels applies it: trailing whitespace from ts on takes
	// the paragraph level.
	ts := le
	for ts > ls && trailingResettable(fribidi.GetBidiType(sp.text[ts-1])) {
		ts--
	}

	var segs []segment
	for i := c0; i < c1; i++ {
		c := sp.clus[i]
		lev := sp.par
		if int(c.start) < ts {
			lev = sp.levels[c.start]
		}
		if n := len(segs); n > 0 && segs[n-1].item == c.item() && segs[n-1].level == lev {
			segs[n-1].c1 = i + 1
			continue
		}
		segs = append(segs, segment{c0: i, c1: i + 1, item: c.item(), level: lev})
	}
	levels := make([]Level, len(segs))
	for i, s := range segs {
		levels[i] = s.level
	}
	order := visualOrder(levels)

	clusters := buf
	runs = make([]Run, 0, len(segs))
	var x float32
	for _, si := range order {
		s := segs[si]
		it := &sp.items[s.item]
		rtl := s.level%2 == 1
		first := len(clusters)
		var adv fixed.Int26_6
		x0 := x
		for k := s.c0; k < s.c1; k++ {
			ci := k
			if rtl {
				ci = s.c1 - 1 - (k - s.c0)
			}
			c := sp.clus[ci]
			a := c.adv()
			clusters = append(clusters, Cluster{Start: base + int(c.start), End: base + int(sp.end(ci)), X0: x, X1: x + a})
			x += a
			adv += c.fadv
		}
		out := it.out
		outRTL := out.Direction.Progression() == di.TowardTopLeft
		g0, _ := sp.glyphs(s.c0)
		_, g1 := sp.glyphs(s.c1 - 1)
		if outRTL {
			g0, _ = sp.glyphs(s.c1 - 1)
			_, g1 = sp.glyphs(s.c0)
		}
		if outRTL == rtl {
			out.Glyphs = it.appendGlyphs(make([]shaping.Glyph, 0, g1-g0), g0, g1)
		} else {
			// Only trailing spaces reset by rule L1 land here: rebuild the
			// glyphs in the run's visual cluster order.
			gl := make([]shaping.Glyph, 0, g1-g0)
			for k := s.c0; k < s.c1; k++ {
				ci := k
				if rtl {
					ci = s.c1 - 1 - (k - s.c0)
				}
				lo, hi := sp.glyphs(ci)
				gl = it.appendGlyphs(gl, lo, hi)
			}
			out.Glyphs = gl
		}
		out.RecalculateAll() // the run's own bounds
		out.Advance = adv
		out.Runes = shaping.Range{Offset: base + int(sp.clus[s.c0].start), Count: int(sp.end(s.c1-1) - sp.clus[s.c0].start)}
		out.VisualIndex = int32(len(runs))
		runs = append(runs, Run{Output: out, X: x0, Width: x - x0, Level: s.level, Clusters: clusters[first:len(clusters):len(clusters)]})
	}
	return runs, x, clusters
}
