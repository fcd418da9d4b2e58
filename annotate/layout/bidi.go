package layout

import (
	"slices"

	"github.com/benoitkugler/textlayout/fribidi"
)

// Level is a resolved bidi embedding level (UAX #9): even is left-to-right,
// odd is right-to-left.
type Level = fribidi.Level

// ParDirection selects how a paragraph's base direction is found.
type ParDirection int

const (
	// AutoRTL takes the direction of the first strong character (rules
	// P2–P3) and falls back to right-to-left when there is none. It is the
	// layout's default: the application is Arabic-first.
	AutoRTL ParDirection = iota
	// AutoLTR is like AutoRTL but falls back to left-to-right (UAX #9's
	// default, used by the conformance suites).
	AutoLTR
	// ForceLTR forces paragraph level 0.
	ForceLTR
	// ForceRTL forces paragraph level 1.
	ForceRTL
)

// bidiClasses fills the bidi class and paired-bracket type of each rune, as
// fribidi expects them (bracket types only for class ON, rule BD14–BD16).
// brackets is nil when the text has no paired bracket: fribidi reads none
// then, and most paragraphs have none. The classes are written into buf
// when it is large enough (a shaper's scratch: fribidi keeps no reference).
func bidiClasses(text []rune, buf []fribidi.CharType) ([]fribidi.CharType, []fribidi.BracketType) {
	types := slices.Grow(buf[:0], len(text))[:len(text)]
	var brackets []fribidi.BracketType
	for i, r := range text {
		t := fribidi.GetBidiType(r)
		types[i] = t
		if t != fribidi.ON {
			continue
		}
		if b := fribidi.GetBracket(r); b != fribidi.NoBracket {
			if brackets == nil {
				brackets = make([]fribidi.BracketType, len(text))
			}
			brackets[i] = b
		}
	}
	return types, brackets
}

// resolveLevels runs UAX #9 rules P2–P3, X1–X10, W1–W7, N0–N2, I1–I2 and L1
// parts 1–3 (and part 4 for the paragraph's end) on one paragraph. brackets
// may be nil (no bracket pairs). It returns one level per input element and
// the paragraph embedding level.
func resolveLevels(types []fribidi.CharType, brackets []fribidi.BracketType, dir ParDirection) ([]Level, Level) {
	var base fribidi.ParType
	switch dir {
	case AutoRTL:
		base = fribidi.WRTL
	case AutoLTR:
		base = fribidi.WLTR
	case ForceLTR:
		base = fribidi.LTR
	case ForceRTL:
		base = fribidi.RTL
	}
	if len(types) == 0 {
		if base.IsRtl() {
			return nil, 1
		}
		return nil, 0
	}
	if allRTL(types, dir) {
		levels := make([]Level, len(types))
		for i := range levels {
			levels[i] = 1
		}
		return levels, 1
	}
	levels, _ := fribidi.GetParEmbeddingLevels(types, brackets, &base)
	var par Level
	if base.IsRtl() {
		par = 1
	}
	return levels, par
}

// allRTL reports whether every character of a paragraph gets level 1 (and
// the paragraph too), which holds for most Arabic paragraphs without digits
// or Latin: its paragraph level is 1, and its only strong types are R and
// AL, with no numbers, explicit or isolate controls, boundary neutrals or
// paragraph separators, so that every weak type resolves to R or a neutral
// (W1, W4–W7) and every neutral, between R on both sides (the sos and eos
// of level 1 included), to R (N0–N2). It spares fribidi's run list (two
// allocations per word).
func allRTL(types []fribidi.CharType, dir ParDirection) bool {
	strongR := false
	for _, t := range types {
		switch t {
		case fribidi.RTL, fribidi.AL:
			strongR = true
		case fribidi.WS, fribidi.ON, fribidi.CS, fribidi.ES, fribidi.ET, fribidi.NSM, fribidi.SS:
		default:
			return false
		}
	}
	return dir == AutoRTL || dir == ForceRTL || (dir == AutoLTR && strongR)
}

// removedByX9 reports whether a character of class t is removed by rule X9
// (explicit embedding controls and boundary neutrals): it has no level of its
// own in the conformance suites and takes no part in reordering there.
func removedByX9(t fribidi.CharType) bool {
	switch t {
	case fribidi.LRE, fribidi.RLE, fribidi.LRO, fribidi.RLO, fribidi.PDF, fribidi.BN:
		return true
	}
	return false
}

// trailingResettable reports whether rule L1 part 4 resets a character of
// class t at the end of a line: whitespace, isolate controls and the
// characters removed by X9.
func trailingResettable(t fribidi.CharType) bool {
	switch t {
	case fribidi.WS, fribidi.LRI, fribidi.RLI, fribidi.FSI, fribidi.PDI:
		return true
	}
	return removedByX9(t)
}

// lineLevels copies the paragraph levels of the line [start,end) and applies
// rule L1 part 4: trailing whitespace and isolate controls take the paragraph
// level.
func lineLevels(types []fribidi.CharType, levels []Level, start, end int, par Level) []Level {
	out := make([]Level, end-start)
	copy(out, levels[start:end])
	for i := end - 1; i >= start && trailingResettable(types[i]); i-- {
		out[i-start] = par
	}
	return out
}

// visualOrder applies rule L2 to a sequence of levels (of characters or of
// runs) and returns the logical indices in visual, left-to-right order: from
// the highest level down to the lowest odd level, every maximal sequence at
// that level or higher is reversed.
func visualOrder(levels []Level) []int {
	order := make([]int, len(levels))
	for i := range order {
		order[i] = i
	}
	if len(levels) == 0 {
		return order
	}
	hi, lo := levels[0], levels[0]
	for _, l := range levels {
		if l > hi {
			hi = l
		}
		if l < lo {
			lo = l
		}
	}
	if lo%2 == 0 {
		lo++
	}
	for lev := hi; lev >= lo; lev-- {
		for i := 0; i < len(levels); {
			if levels[order[i]] < lev {
				i++
				continue
			}
			j := i
			for j < len(levels) && levels[order[j]] >= lev {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				order[a], order[b] = order[b], order[a]
			}
			i = j
		}
	}
	return order
}
