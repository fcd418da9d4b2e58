// Package assets holds the files Tawsim ships inside its binary: the fonts
// (Noto Naskh Arabic for Arabic, Noto Sans for Latin, both OFL — see
// fonts/OFL.txt; a subset of Symbola for emoji and symbols, free for any
// use — see fonts/Symbola-LICENSE.txt), the application icon and the sample
// corpus, and the interface translations.
package assets

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed fonts/NotoNaskhArabic-Regular.ttf
var NaskhRegular []byte

//go:embed fonts/NotoNaskhArabic-Bold.ttf
var NaskhBold []byte

//go:embed fonts/NotoSans-Regular.ttf
var SansRegular []byte

// SansCore is Noto Sans cut to its common Latin characters and
// punctuation (scripts/latin-font.sh): parsed at start-up, where the whole
// font is parsed only when a text needs it.
//
//go:embed fonts/NotoSans-Core.ttf
var SansCore []byte

//go:embed fonts/OFL.txt
var FontLicence string

// Symbols is the emoji and symbol fallback font (monochrome outlines),
// made by scripts/emoji-font.sh.
//
//go:embed fonts/Symbola-subset.ttf
var Symbols []byte

//go:embed icon.png
var Icon []byte

//go:embed corpus/*.txt
var corpus embed.FS

// SampleFile is one article of the embedded sample corpus.
type SampleFile struct {
	Name string // file name, e.g. "000_8e17720d02d992ee.txt"
	Data []byte
}

// SampleCorpus returns the embedded sample articles in file-name order.
func SampleCorpus() []SampleFile {
	entries, err := fs.ReadDir(corpus, "corpus")
	if err != nil {
		panic(err) // embedded at build time; cannot fail
	}
	var out []SampleFile
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		b, err := corpus.ReadFile(path.Join("corpus", e.Name()))
		if err != nil {
			panic(err)
		}
		out = append(out, SampleFile{Name: e.Name(), Data: b})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Translations holds the interface's translation files, translations/en.json
// and translations/ar.json (go-i18n JSON, as Fyne's lang package reads
// them: the English text is the key).
//
//go:embed translations/*.json
var Translations embed.FS
