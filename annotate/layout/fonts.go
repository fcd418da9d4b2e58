package layout

import (
	"bytes"
	"fmt"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/harfbuzz"

	"tawsim/assets"
)

// Fonts is the font chain of the layout: an Arabic face (used for every
// character it has a glyph for), a Latin fallback face (Latin letters,
// ASCII punctuation the Arabic font lacks, ...) and optionally a symbol
// face for emoji and symbols neither has (🔴, 📍: common in news), which
// would otherwise be drawn as empty boxes.
// A Fonts is safe to share between documents and goroutines: the parsed
// fonts and the face table never change after NewFonts, while the pool of
// shapers (each with its own font.Face objects, which are not safe for
// concurrent use) and the glyph cache grow under their own locks.
type Fonts struct {
	arabic, latin *font.Font
	symbols       *font.Font  // nil when the chain has no symbol face
	low           [0x800]int8 // faceFor for runes below U+0800, precomputed
	mu            sync.Mutex
	shapers       []*shaper  // idle shapers: faces and HarfBuzz fonts are costly to build, reuse them
	glyphs        glyphCache // rasterised glyphs, shared by every document
	words         *wordCache // shaped words, shared by every document; nil: shape whole items
	unsafeSpace   [3]bool    // per face: a lookup may match a space, shape whole items
}

// Face indices in the chain.
const (
	faceArabic  = 0
	faceLatin   = 1
	faceSymbols = 2
)

// NewFonts parses the two OpenType (TTF/OTF) fonts.
func NewFonts(arabic, latin []byte) (*Fonts, error) {
	return newFonts(arabic, latin, nil)
}

// newFonts parses the fonts of the chain; symbols may be nil.
func newFonts(arabic, latin, symbols []byte) (*Fonts, error) {
	a, err := font.ParseTTF(bytes.NewReader(arabic))
	if err != nil {
		return nil, fmt.Errorf("layout: Arabic font: %w", err)
	}
	l, err := font.ParseTTF(bytes.NewReader(latin))
	if err != nil {
		return nil, fmt.Errorf("layout: Latin font: %w", err)
	}
	f := &Fonts{arabic: a.Font, latin: l.Font, words: newWordCache()}
	f.unsafeSpace[faceArabic] = spaceCheck(arabic, a.Font)
	f.unsafeSpace[faceLatin] = spaceCheck(latin, l.Font)
	if symbols != nil {
		sym, err := font.ParseTTF(bytes.NewReader(symbols))
		if err != nil {
			return nil, fmt.Errorf("layout: symbol font: %w", err)
		}
		f.symbols = sym.Font
		f.unsafeSpace[faceSymbols] = spaceCheck(symbols, sym.Font)
	}
	for r := range f.low {
		f.low[r] = int8(f.lookupFace(rune(r)))
	}
	return f, nil
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
	s := &shaper{fonts: f, faces: f.newFaceSet()}
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
// Noto Sans, then Symbola's emoji and symbols.
func DefaultFonts() (*Fonts, error) {
	return newFonts(assets.NaskhRegular, assets.SansRegular, assets.Symbols)
}

// faceSet is one goroutine's faces (font.Face is not safe for concurrent
// use), indexed by faceArabic, faceLatin, faceSymbols.
type faceSet [3]*font.Face

func (f *Fonts) newFaceSet() faceSet {
	fs := faceSet{font.NewFace(f.arabic), font.NewFace(f.latin)}
	if f.symbols != nil {
		fs[faceSymbols] = font.NewFace(f.symbols)
	}
	return fs
}

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
	if _, ok := f.latin.NominalGlyph(r); ok {
		return faceLatin
	}
	if f.symbols != nil {
		if _, ok := f.symbols.NominalGlyph(r); ok {
			return faceSymbols
		}
	}
	return faceArabic // .notdef from the primary face
}
