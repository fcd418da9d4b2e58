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
	if levels, ok := rtlLevels(types, dir); ok {
		return levels, 1
	}
	levels, _ := fribidi.GetParEmbeddingLevels(types, brackets, &base)
	var par Level
	if base.IsRtl() {
		par = 1
	}
	return levels, par
}

// rtlLevels resolves the paragraphs of most Arabic news without fribidi's
// run list (two allocations per word): a paragraph of level 1 whose only
// strong types are R and AL, with numbers, separators, terminators and
// neutrals but no L, no explicit or isolate controls, no boundary neutrals
// and no paragraph separators. There is then a single isolating run
// sequence, with R at both ends, and
//   - the weak rules W1–W7 leave every character R, a neutral, EN or AN
//     (W7 finds no L);
//   - every neutral, bracket pairs included (N0–N2), lies between R or
//     numbers, which count as R, and resolves to R;
//   - I2 raises EN and AN to level 2, and R stays at 1.
//
// ok is false for any other paragraph (fribidi resolves it). The
// conformance suites run through it (TestBidiTest) and
// TestRTLLevelsIsFribidi compares it with fribidi on random paragraphs.
func rtlLevels(types []fribidi.CharType, dir ParDirection) (levels []Level, ok bool) {
	strongR, numbers := false, false
	for _, t := range types {
		switch t {
		case fribidi.RTL, fribidi.AL:
			strongR = true
		case fribidi.EN, fribidi.AN:
			numbers = true
		case fribidi.WS, fribidi.ON, fribidi.CS, fribidi.ES, fribidi.ET, fribidi.NSM, fribidi.SS:
		default:
			return nil, false
		}
	}
	if !(dir == AutoRTL || dir == ForceRTL || (dir == AutoLTR && strongR)) {
		return nil, false
	}
	levels = make([]Level, len(types))
	for i := range levels {
		levels[i] = 1
	}
	if !numbers {
		return levels, true
	}
	// The weak rules, each over the whole paragraph before the next, on the
	// classes reduced to what they tell apart: sos is R.
	const (
		wR = iota // R (AL after W3)
		wAL
		wEN
		wAN
		wES
		wCS
		wET
		wON // neutrals
	)
	cls := make([]int8, len(types))
	prev := int8(wR)
	for i, t := range types {
		c := prev // W1: a mark takes the class before it
		switch t {
		case fribidi.RTL:
			c = wR
		case fribidi.AL:
			c = wAL
		case fribidi.EN:
			c = wEN
		case fribidi.AN:
			c = wAN
		case fribidi.ES:
			c = wES
		case fribidi.CS:
			c = wCS
		case fribidi.ET:
			c = wET
		case fribidi.WS, fribidi.ON, fribidi.SS:
			c = wON
		}
		cls[i], prev = c, c
	}
	last := int8(wR) // W2, W3
	for i, c := range cls {
		switch c {
		case wR, wAL:
			last = c
			if c == wAL {
				cls[i] = wR
			}
		case wEN:
			if last == wAL {
				cls[i] = wAN
			}
		}
	}
	for i := 1; i+1 < len(cls); i++ { // W4
		a, c, b := cls[i-1], cls[i], cls[i+1]
		if (c == wES && a == wEN && b == wEN) || (c == wCS && a == b && (a == wEN || a == wAN)) {
			cls[i] = a
		}
	}
	for i := 0; i < len(cls); { // W5
		if cls[i] != wET {
			i++
			continue
		}
		j := i
		for j < len(cls) && cls[j] == wET {
			j++
		}
		if (i > 0 && cls[i-1] == wEN) || (j < len(cls) && cls[j] == wEN) {
			for k := i; k < j; k++ {
				cls[k] = wEN
			}
		}
		i = j
	}
	for i, c := range cls { // W6 leaves the rest neutral; I2
		if c == wEN || c == wAN {
			levels[i] = 2
		}
	}
	return levels, true
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
