package annotate

import "unicode"

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
	// rest of the word is not known as a word of its own. An explicit
	// "strip clitics" command forces; stripping on double-click does not,
	// so that "فيدان" or "بلينكن" keep their first letter.
	Force bool
	// Known reports whether a word occurs on its own (e.g. elsewhere in the
	// document); it licenses stripping "بتركيا" to "تركيا".
	Known func(word []rune) bool
}

// StripClitics returns how many leading code points of word are proclitics
// to leave out of a span. Diacritics and tatweel after a clitic letter go
// with it. The stem left is never shorter than two letters.
func StripClitics(word []rune, opt CliticOptions) int {
	// skip past letter i and any marks or tatweel that follow it
	next := func(i int) int {
		i++
		for i < len(word) && (unicode.Is(unicode.Mn, word[i]) || word[i] == 'ـ') {
			i++
		}
		return i
	}
	letters := func(from int) int {
		n := 0
		for _, r := range word[from:] {
			if unicode.IsLetter(r) && r != 'ـ' {
				n++
			}
		}
		return n
	}
	at := func(i int, f func(rune) bool) bool { return i < len(word) && f(word[i]) }
	isArticle := func(i int) bool {
		return i+1 < len(word) && word[i] == 'ا' && word[i+1] == 'ل'
	}

	// The longest proclitic sequence before the article: (و|ف)?(ب|ك)?ال or (و|ف)?لل.
	i := 0
	if at(i, isConj) {
		i = next(i)
	}
	j := i
	if at(j, isPrep) {
		j = next(j)
	}
	if isArticle(j) {
		// (و|ف)?(ب|ك)?ال: keep the article unless told otherwise.
		cut := j
		if opt.DropArticle {
			cut = next(next(j))
		}
		if cut > 0 && letters(cut) >= 2 {
			return cut
		}
	}
	if j > i && word[i] == 'ل' && at(j, func(r rune) bool { return r == 'ل' }) {
		// (و|ف)?لل: ل + the article whose alef is not written ("للأردن").
		cut := j
		if opt.DropArticle {
			cut = next(j)
		}
		if letters(cut) >= 2 {
			return cut
		}
	}
	// No article: (و|ف)?(ب|ك|ل)? before a bare stem, licensed by Force or
	// by the stem being a known word.
	// Evidence first, the longer strip first ("وبتركيا" → "تركيا"); a
	// forced strip without evidence takes the outermost layer only
	// ("ولبنان" → "لبنان").
	for _, cut := range []int{j, i} {
		if cut > 0 && letters(cut) >= 2 && opt.Known != nil && opt.Known(word[cut:]) {
			return cut
		}
	}
	if opt.Force {
		for _, cut := range []int{i, j} {
			if cut > 0 && letters(cut) >= 2 {
				return cut
			}
		}
	}
	return 0
}

// WordSet is the set of words of a text, for CliticOptions.Known.
func WordSet(text []rune) map[string]bool {
	set := map[string]bool{}
	start := -1
	for i := 0; i <= len(text); i++ {
		in := i < len(text) && (unicode.IsLetter(text[i]) || unicode.Is(unicode.Mn, text[i]))
		if in && start < 0 {
			start = i
		} else if !in && start >= 0 {
			set[string(text[start:i])] = true
			start = -1
		}
	}
	return set
}
