package annotate

import (
	"strings"
	"unicode"
)

// Arabic proclitics: a conjunction (و "and", ف "so"), then a preposition
// (ب "in/with", ك "like", ل "for"), then the article ال. Entity spans in
// most Arabic NER conventions exclude the first two and keep the article:
// "والأردن" → "الأردن", "بتركيا" → "تركيا".

func isConj(r rune) bool { return r == 'و' || r == 'ف' }
func isPrep(r rune) bool { return r == 'ب' || r == 'ك' || r == 'ل' }

// CliticOptions steers StripClitics.
type CliticOptions struct {
	// DropArticle also strips the article ال (and the ل of "لل").
	DropArticle bool
	// Force strips a proclitic not followed by the article even when the
	// rest of the word is not known as a word of its own. The app never
	// forces (its strip command and strip-on-double-click share the
	// licensed-stem rule), so that "فيدان", "بلينكن" or "واشنطن" keep their
	// first letter.
	Force bool
	// Known reports whether a word occurs on its own (e.g. elsewhere in the
	// document); it licenses stripping "بتركيا" to "تركيا".
	Known func(word []rune) bool
}

// Proclitics is the proclitic prefix of a word as the code-point ends of
// its layers; a missing layer ends where the one before it does (Conj at 0).
type Proclitics struct {
	Conj    int  // after the conjunction و or ف
	Prep    int  // after the preposition ب, ك or ل
	Article int  // after the article ال, or (Fused) after the second ل of لل
	Fused   bool // لل: the preposition ل, then the article without its alef
}

// ParseProclitics reads the longest proclitic prefix of word:
// (و|ف)?(ب|ك|ل)?(ال)? or (و|ف)?لل. Diacritics and tatweel after a clitic
// letter go with it. It reads letters only: whether the rest is a word is
// for the caller to judge.
func ParseProclitics(word []rune) Proclitics {
	// next skips past letter i and any marks or tatweel that follow it.
	next := func(i int) int {
		i++
		for i < len(word) && IsMark(word[i]) {
			i++
		}
		return i
	}
	var p Proclitics
	if len(word) > 0 && isConj(word[0]) {
		p.Conj = next(0)
	}
	p.Prep = p.Conj
	if p.Prep < len(word) && isPrep(word[p.Prep]) {
		p.Prep = next(p.Prep)
	}
	p.Article = p.Prep
	switch j := p.Prep; {
	case j+1 < len(word) && word[j] == 'ا' && word[j+1] == 'ل':
		p.Article = next(next(j))
	case j > p.Conj && word[p.Conj] == 'ل' && j < len(word) && word[j] == 'ل':
		p.Article, p.Fused = next(j), true
	}
	return p
}

// IsProclitics reports whether s is a non-empty sequence of proclitics and
// nothing else (والـ, بال, لل, و, ...). Strip diacritics and tatweel first
// (StripMarks): a mark left in s makes it false.
func IsProclitics(s string) bool {
	if s == "" || strings.ContainsFunc(s, IsMark) {
		return false
	}
	w := []rune(s)
	return ParseProclitics(w).Article == len(w)
}

// StripMarks drops diacritics (non-spacing marks) and tatweel.
func StripMarks(s string) string {
	if !strings.ContainsFunc(s, IsMark) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsMark(r) {
			return -1
		}
		return r
	}, s)
}

// StripClitics returns how many leading code points of word are proclitics
// to leave out of a span (see ParseProclitics). The stem left is never
// shorter than two letters.
func StripClitics(word []rune, opt CliticOptions) int {
	letters := func(from int) int {
		n := 0
		for _, r := range word[from:] {
			if unicode.IsLetter(r) && r != 'ـ' {
				n++
			}
		}
		return n
	}
	p := ParseProclitics(word)
	if p.Article > p.Prep {
		// (و|ف)?(ب|ك)?ال keeps the article unless told otherwise, and so
		// does (و|ف)?لل its ل ("للأردن" → "لأردن").
		cut := p.Prep
		if opt.DropArticle {
			cut = p.Article
		}
		if cut > 0 && letters(cut) >= 2 {
			return cut
		}
	}
	// No article: (و|ف)?(ب|ك|ل)? before a bare stem, licensed by Force or
	// by the stem being a known word.
	// Evidence first, the longer strip first ("وبتركيا" → "تركيا"); a
	// forced strip without evidence takes the outermost layer only
	// ("ولبنان" → "لبنان").
	for _, cut := range []int{p.Prep, p.Conj} {
		if cut > 0 && letters(cut) >= 2 && opt.Known != nil && opt.Known(word[cut:]) {
			return cut
		}
	}
	if opt.Force {
		for _, cut := range []int{p.Conj, p.Prep} {
			if cut > 0 && letters(cut) >= 2 {
				return cut
			}
		}
	}
	return 0
}

// WordSet is the set of words (runs of IsWordRune) of a text, for
// CliticOptions.Known.
func WordSet(text []rune) map[string]bool {
	set := map[string]bool{}
	start := -1
	for i := 0; i <= len(text); i++ {
		in := i < len(text) && IsWordRune(text[i])
		if in && start < 0 {
			start = i
		} else if !in && start >= 0 {
			set[string(text[start:i])] = true
			start = -1
		}
	}
	return set
}
