package layout

import (
	"slices"
	"sync"
	"unsafe"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype/tables"

	"tawsim/assets"
)

// breakSpaceRunes are the runes after which shapeItem splits words
// (splitsWords); their
// glyphs must not take part in any lookup that spans several glyphs.
var breakSpaceRunes = []rune{' ', '\t', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005',
	'\u2006', '\u2008', '\u2009', '\u200A', '\u205F', '\u3000'}

// spaceChecks remembers spaceInLookups per font file (its bytes' address
// and length): the check walks every kerning pair, about 1 ms, and
// DefaultFonts parses the same embedded files each time.
var spaceChecks sync.Map // fontFile -> bool

type fontFile struct {
	data *byte
	n    int
}

// shippedSpaceChecks are the answers for the fonts DefaultFonts ships
// (TestShippedSpaceChecks recomputes them): a fresh process would spend
// ~1 ms on Noto Sans's kerning pairs before its first screen.
var shippedSpaceChecks = []struct {
	data   []byte
	unsafe bool
}{{assets.NaskhRegular, false}, {assets.SansRegular, false}, {assets.Symbols, false}}

func init() {
	for _, c := range shippedSpaceChecks {
		spaceChecks.Store(fontFile{unsafe.SliceData(c.data), len(c.data)}, c.unsafe)
	}
}

func spaceCheck(data []byte, f *font.Font) bool {
	k := fontFile{unsafe.SliceData(data), len(data)}
	if v, ok := spaceChecks.Load(k); ok {
		return v.(bool)
	}
	v := spaceInLookups(f)
	spaceChecks.Store(k, v)
	return v
}

// spaceInLookups reports whether a GSUB or GPOS lookup of f that matches
// several glyphs (ligature, contextual, chained, pair kerning, cursive) could
// match a break-space glyph, or f has AAT tables HarfBuzz would apply: then
// words cannot be shaped apart from their neighbours (like Blink's
// HasSpaceInLigaturesOrKerning). Single-glyph lookups do not matter, nor do
// mark attachments: a word never starts with a mark. The check is
// conservative: a class-based rule that could match class 0 counts.
func spaceInLookups(f *font.Font) bool {
	if len(f.Kern) > 0 || len(f.Morx) > 0 {
		return true
	}
	return lookupsMatch(f, breakSpaceRunes)
}

// lookupsMatch reports whether a multi-glyph lookup of f could match the
// glyph of one of rs.
func lookupsMatch(f *font.Font, rs []rune) bool {
	var spaces []tables.GlyphID
	for _, r := range rs {
		if g, ok := f.NominalGlyph(r); ok {
			spaces = append(spaces, tables.GlyphID(g))
		}
	}
	if len(spaces) == 0 {
		return false
	}
	slices.Sort(spaces)
	spaces = slices.Compact(spaces) // the spaces share few glyphs
	for _, lk := range f.GSUB.Lookups {
		for _, st := range lk.Subtables {
			if gsubHasSpace(st, spaces) {
				return true
			}
		}
	}
	for _, lk := range f.GPOS.Lookups {
		for _, st := range lk.Subtables {
			if gposHasSpace(st, spaces) {
				return true
			}
		}
	}
	return false
}

func covHas(c tables.Coverage, gs []tables.GlyphID) bool {
	if c == nil {
		return false
	}
	for _, g := range gs {
		if _, ok := c.Index(g); ok {
			return true
		}
	}
	return false
}

func anyCovHas(cs []tables.Coverage, gs []tables.GlyphID) bool {
	return slices.ContainsFunc(cs, func(c tables.Coverage) bool { return covHas(c, gs) })
}

func glyphsHave(seq, gs []tables.GlyphID) bool {
	return slices.ContainsFunc(seq, func(g tables.GlyphID) bool { return slices.Contains(gs, g) })
}

// classesOf returns the classes the glyphs gs have in cd (0 when unlisted).
func classesOf(cd tables.ClassDef, gs []tables.GlyphID) []tables.GlyphID {
	var cls []tables.GlyphID
	for _, g := range gs {
		var c uint16
		if cd != nil {
			c, _ = cd.Class(g)
		}
		cls = append(cls, tables.GlyphID(c))
	}
	return cls
}

func gsubHasSpace(st tables.GSUBLookup, gs []tables.GlyphID) bool {
	switch st := st.(type) {
	case tables.LigatureSubs:
		if covHas(st.Coverage, gs) {
			return true
		}
		for _, set := range st.LigatureSets {
			for _, l := range set.Ligatures {
				if glyphsHave(l.ComponentGlyphIDs, gs) {
					return true
				}
			}
		}
	case tables.ContextualSubs:
		return contextHasSpace(st.Data, gs)
	case tables.ChainedContextualSubs:
		return chainedHasSpace(st.Data, gs)
	case tables.ReverseChainSingleSubs:
		return covHas(st.Cov(), gs) || anyCovHas(st.BacktrackCoverages, gs) || anyCovHas(st.LookaheadCoverages, gs)
	}
	return false
}

func gposHasSpace(st tables.GPOSLookup, gs []tables.GlyphID) bool {
	switch st := st.(type) {
	case tables.PairPos:
		if covHas(st.Cov(), gs) {
			return true
		}
		switch d := st.Data.(type) {
		case tables.PairPosData1:
			for _, set := range d.PairSets {
				for _, g := range gs {
					if _, ok := set.FindGlyph(g); ok {
						return true
					}
				}
			}
		case tables.PairPosData2:
			n1 := max(d.ClassDef1.Extent(), 1)
			for _, c2 := range classesOf(d.ClassDef2, gs) {
				for c1 := range n1 {
					r := d.Record(uint16(c1), uint16(c2))
					if !zeroValue(r.ValueRecord1) || !zeroValue(r.ValueRecord2) {
						return true
					}
				}
			}
		}
	case tables.CursivePos:
		return covHas(st.Cov(), gs)
	case tables.ContextualPos:
		return contextHasSpace(st.Data, gs)
	case tables.ChainedContextualPos:
		return chainedHasSpace(st.Data, gs)
	}
	return false
}

func zeroValue(v tables.ValueRecord) bool {
	return v.XPlacement == 0 && v.YPlacement == 0 && v.XAdvance == 0 && v.YAdvance == 0 &&
		v.XPlaDevice == nil && v.YPlaDevice == nil && v.XAdvDevice == nil && v.YAdvDevice == nil
}

// contextHasSpace handles the three formats of a (GSUB or GPOS) sequence
// context subtable.
func contextHasSpace(d interface{ Cov() tables.Coverage }, gs []tables.GlyphID) bool {
	if covHas(d.Cov(), gs) {
		return true
	}
	switch p := d.(type) { // GPOS shares the GSUB formats
	case tables.ContextualPos1:
		d = tables.ContextualSubs1(p)
	case tables.ContextualPos2:
		d = tables.ContextualSubs2(p)
	case tables.ContextualPos3:
		d = tables.ContextualSubs3(p)
	}
	var sets []tables.SequenceRuleSet
	cls := gs // format 1: the rules list glyphs
	switch d := d.(type) {
	case tables.ContextualSubs1:
		sets = d.SeqRuleSet
	case tables.ContextualSubs2:
		sets, cls = d.ClassSeqRuleSet, classesOf(d.ClassDef, gs)
	case tables.ContextualSubs3:
		return anyCovHas(d.Coverages, gs)
	}
	for _, set := range sets {
		for _, r := range set.SeqRule {
			if glyphsHave(r.InputSequence, cls) {
				return true
			}
		}
	}
	return false
}

// chainedHasSpace handles the three formats of a chained sequence context.
func chainedHasSpace(d interface{ Cov() tables.Coverage }, gs []tables.GlyphID) bool {
	if covHas(d.Cov(), gs) {
		return true
	}
	switch p := d.(type) {
	case tables.ChainedContextualPos1:
		d = tables.ChainedContextualSubs1(p)
	case tables.ChainedContextualPos2:
		d = tables.ChainedContextualSubs2(p)
	case tables.ChainedContextualPos3:
		d = tables.ChainedContextualSubs3(p)
	}
	var sets []tables.ChainedSequenceRuleSet
	back, in, ahead := gs, gs, gs // format 1: the rules list glyphs
	switch d := d.(type) {
	case tables.ChainedContextualSubs1:
		sets = d.ChainedSeqRuleSet
	case tables.ChainedContextualSubs2:
		sets = d.ChainedClassSeqRuleSet
		back, in, ahead = classesOf(d.BacktrackClassDef, gs), classesOf(d.InputClassDef, gs), classesOf(d.LookaheadClassDef, gs)
	case tables.ChainedContextualSubs3:
		return anyCovHas(d.BacktrackCoverages, gs) || anyCovHas(d.InputCoverages, gs) || anyCovHas(d.LookaheadCoverages, gs)
	}
	for _, set := range sets {
		for _, r := range set.ChainedSeqRules {
			if glyphsHave(r.BacktrackSequence, back) || glyphsHave(r.InputSequence, in) || glyphsHave(r.LookaheadSequence, ahead) {
				return true
			}
		}
	}
	return false
}
