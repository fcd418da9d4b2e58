package layout

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"
	"github.com/go-text/typesetting/harfbuzz"
	"golang.org/x/text/unicode/norm"

	"tawsim/assets"
)

// Fonts is the font chain of the layout: an Arabic face (used for every
// character it has a glyph for), a Latin fallback face (Latin letters,
// ASCII punctuation the Arabic font lacks, ...) and optionally a symbol
// face for emoji and symbols neither has (🔴, 📍: common in news), which
// would otherwise be drawn as empty boxes.
// A Fonts is safe to share between documents and goroutines: the parsed
// fonts and the face table never change after NewFonts (the symbol face is
// parsed once, on first use, under a sync.Once), while the pool of shapers
// (each with its own font.Face objects, which are not safe for concurrent
// use) and the glyph cache grow under their own locks.
type Fonts struct {
	arabic      *font.Font
	fallbacks   [numFaces]*lazyFont // the faceLatin, faceSymbols and faceLatinCore fonts; nil: none
	low         [0x800]int8         // faceFor for runes below U+0800, precomputed
	mu          sync.Mutex
	shapers     []*shaper      // idle shapers: faces and HarfBuzz fonts are costly to build, reuse them
	glyphs      glyphCache     // rasterised glyphs, shared by every document
	words       *wordCache     // shaped words, shared by every document; nil: shape whole items
	unsafeSpace [numFaces]bool // per face: a lookup may match a space, shape whole items (a fallback's: once parsed)
}

// lazyFont is a fallback face of the chain, used only for the characters
// the Arabic face lacks: its character map is read up front, for faceFor,
// and the rest of the font on first use. go-text parses every glyph
// outline up front, which takes 6 ms for Symbola, most of the fonts' time,
// and most documents have no emoji.
type lazyFont struct {
	data []byte
	cmap font.Cmap
	once sync.Once
	font *font.Font
}

// newLazyFont reads the character map of data and checks the other tables
// font.NewFont requires (head, maxp), so that the parse on first use fails
// no more than font.ParseTTF would.
func newLazyFont(data []byte) (*lazyFont, error) {
	ld, err := ot.NewLoader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	raw, _ := ld.RawTable(ot.MustNewTag("OS/2"))
	os2, _, _ := tables.ParseOs2(raw)
	raw, err = ld.RawTable(ot.MustNewTag("cmap"))
	if err != nil {
		return nil, err
	}
	tb, _, err := tables.ParseCmap(raw)
	if err != nil {
		return nil, err
	}
	cmap, _, err := font.ProcessCmap(tb, os2.FontPage())
	if err != nil {
		return nil, err
	}
	if _, _, err := font.LoadHeadTable(ld, nil); err != nil {
		return nil, err
	}
	raw, err = ld.RawTable(ot.MustNewTag("maxp"))
	if err == nil {
		_, _, err = tables.ParseMaxp(raw)
	}
	if err != nil {
		return nil, err
	}
	return &lazyFont{data: data, cmap: cmap}, nil
}

// fontOf returns the font of face i, parsing a fallback on first use.
func (f *Fonts) fontOf(i int8) *font.Font {
	if i == faceArabic {
		return f.arabic
	}
	lf := f.fallbacks[i]
	lf.once.Do(func() { f.parseFallback(i) })
	if lf.font == nil { // newLazyFont checked what can fail: should not happen
		return f.arabic // .notdef from the primary face, as for a rune no face has
	}
	return lf.font
}

// parseFallback parses fallback i (under its sync.Once).
func (f *Fonts) parseFallback(i int8) error {
	lf := f.fallbacks[i]
	face, err := font.ParseTTF(bytes.NewReader(withoutGlyphNames(lf.data)))
	if err != nil {
		return err
	}
	lf.font = face.Font
	f.unsafeSpace[i] = spaceCheck(lf.data, lf.font)
	return nil
}

// Face indices in the chain.
const (
	faceArabic  = 0
	faceLatin   = 1
	faceSymbols = 2
	// faceLatinCore is the common part of the Latin font (Latin-1,
	// Latin Extended-A, punctuation: assets.SansCore). It is no rune's
	// face: an item of the Latin face is shaped in it when it has every
	// rune of the item, which gives the same glyphs, advances and clusters
	// (TestLatinCoreIdentity). Parsing Noto Sans' 3,300 outlines takes
	// 2 ms, the core's 650 0.3 ms, and few texts need more.
	faceLatinCore = 3
	numFaces      = 4
)

// NewFonts parses the two OpenType (TTF/OTF) fonts.
func NewFonts(arabic, latin []byte) (*Fonts, error) {
	return newFonts(arabic, latin, nil, nil)
}

// newFonts parses the fonts of the chain (the character maps only of the
// fallbacks parsed on first use); latinCore, a subset of latin, and symbols
// may be nil.
func newFonts(arabic, latin, latinCore, symbols []byte) (*Fonts, error) {
	f := &Fonts{words: newWordCache()}
	// The Arabic font on this goroutine, the fallbacks on another: half
	// the time of a first screen's fonts on two CPUs.
	fallbacks := make(chan error, 1)
	go func() { fallbacks <- f.readFallbacks(latin, latinCore, symbols) }()
	a, err := font.ParseTTF(bytes.NewReader(withoutGlyphNames(arabic)))
	if err == nil {
		f.arabic = a.Font
		f.unsafeSpace[faceArabic] = spaceCheck(arabic, a.Font)
	} else {
		err = fmt.Errorf("layout: Arabic font: %w", err)
	}
	if ferr := <-fallbacks; err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	for r := range f.low {
		f.low[r] = int8(f.lookupFace(rune(r)))
	}
	return f, nil
}

// readFallbacks reads the fallbacks' character maps and parses the Latin
// core (or, without one, the Latin font): every sample article takes
// quotes, brackets or Latin letters from it, most on the first screen.
func (f *Fonts) readFallbacks(latin, latinCore, symbols []byte) error {
	var err error
	if f.fallbacks[faceLatin], err = newLazyFont(latin); err != nil {
		return fmt.Errorf("layout: Latin font: %w", err)
	}
	eager, what := int8(faceLatin), "Latin font"
	if latinCore != nil {
		eager, what = faceLatinCore, "Latin core font"
		if f.fallbacks[faceLatinCore], err = newLazyFont(latinCore); err != nil {
			return fmt.Errorf("layout: %s: %w", what, err)
		}
	}
	if f.fallbacks[eager].once.Do(func() { err = f.parseFallback(eager) }); err != nil {
		return fmt.Errorf("layout: %s: %w", what, err)
	}
	if symbols != nil {
		if f.fallbacks[faceSymbols], err = newLazyFont(symbols); err != nil {
			return fmt.Errorf("layout: symbol font: %w", err)
		}
	}
	return nil
}

// has reports whether the font maps r to a glyph.
func (lf *lazyFont) has(r rune) bool {
	_, ok := lf.cmap.Lookup(r)
	return ok
}

// getShaper takes a shaper (own faces and HarfBuzz font cache) from the
// pool; putShaper returns it.
func (f *Fonts) getShaper() *shaper {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.shapers); n > 0 {
		s := f.shapers[n-1]
		f.shapers = f.shapers[:n-1]
		return s
	}
	s := &shaper{fonts: f, faces: faceSet{font.NewFace(f.arabic)}}
	// One HarfBuzz font per face: the default cache size, 0, rebuilds the
	// font (and its Arabic fallback plan) on every call.
	s.hb.SetFontCacheSize(len(s.faces))
	return s
}

func (f *Fonts) putShaper(s *shaper) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.shapers) < 8 {
		f.shapers = append(f.shapers, s)
	}
}

// DefaultFonts is the chain shipped with Tawsim: Noto Naskh Arabic, then
// Noto Sans (its core first), then Symbola's emoji and symbols.
func DefaultFonts() (*Fonts, error) {
	return newFonts(assets.NaskhRegular, assets.SansRegular, assets.SansCore, assets.Symbols)
}

// itemFace is the face an item of the paragraph's face i is shaped in: the
// Latin core when it has each of the item's runes that the whole Latin font
// has (a rune neither has is drawn or hidden alike by both), and each of the
// characters its combining marks compose into: HarfBuzz draws h+U+0323 as
// the whole font's ḥ, one glyph, where the core has only h and the dot.
func (f *Fonts) itemFace(i int8, runes []rune) int8 {
	core, whole := f.fallbacks[faceLatinCore], f.fallbacks[faceLatin]
	if i != faceLatin || core == nil {
		return i
	}
	marks := false
	for _, r := range runes {
		if !core.has(r) && whole.has(r) {
			return faceLatin
		}
		marks = marks || unicode.Is(unicode.Mn, r)
	}
	if marks {
		for _, r := range norm.NFC.String(string(runes)) {
			if !core.has(r) && whole.has(r) {
				return faceLatin
			}
		}
	}
	return faceLatinCore
}

// faceSet is one goroutine's faces (font.Face is not safe for concurrent
// use), indexed by faceArabic, faceLatin, faceSymbols; the fallbacks' are
// made on first use (shaper.face).
type faceSet [numFaces]*font.Face

// faceFor picks the face index for r, or -1 when r should not change the
// face (spaces, controls, default ignorables, combining marks: they follow
// their neighbours, as in Pango and go-text).
func (f *Fonts) faceFor(r rune) int {
	if r >= 0 && r < rune(len(f.low)) {
		return int(f.low[r])
	}
	return f.lookupFace(r)
}

func (f *Fonts) lookupFace(r rune) int {
	if unicode.Is(unicode.Cc, r) || (unicode.Is(unicode.Zs, r) && r != '\u1680') ||
		unicode.In(r, unicode.Zl, unicode.Zp, unicode.Mn, unicode.Me) || harfbuzz.IsDefaultIgnorable(r) {
		return -1
	}
	if _, ok := f.arabic.NominalGlyph(r); ok {
		return faceArabic
	}
	for i, lf := range f.fallbacks[:faceLatinCore] {
		if lf != nil {
			if _, ok := lf.cmap.Lookup(r); ok {
				return i
			}
		}
	}
	return faceArabic // .notdef from the primary face
}

// withoutGlyphNames is a copy of the OpenType font data whose post table is
// version 3.0: the same header (underline, fixed pitch) without the glyph
// names, which layout never reads and go-text would otherwise decode for
// every glyph (a sixth of the fonts' parse, in every fresh process). Data
// that is no such font, or names no glyph, is returned as it is.
func withoutGlyphNames(data []byte) []byte {
	const postHeader = 32
	if len(data) < 12 {
		return data
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(data) {
			return data
		}
		if string(data[rec:rec+4]) != "post" {
			continue
		}
		off, length := int(binary.BigEndian.Uint32(data[rec+8:])), binary.BigEndian.Uint32(data[rec+12:])
		if length <= postHeader || off+postHeader > len(data) || binary.BigEndian.Uint32(data[off:]) != 0x00020000 {
			return data
		}
		out := bytes.Clone(data)
		binary.BigEndian.PutUint32(out[off:], 0x00030000)
		binary.BigEndian.PutUint32(out[rec+12:], postHeader)
		return out
	}
	return data
}
