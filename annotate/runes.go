package annotate

import "unicode"

// IsWordRune reports whether r belongs to a word: a letter, a mark or a
// digit (unicode.IsLetter, IsMark, IsDigit; tatweel U+0640 is a letter),
// or ZWNJ U+200C or ZWJ U+200D, which join the letters around them. Tokens
// of the dataset formats, the words of WordSet and the word a double-click
// selects are runs of such runes.
func IsWordRune(r rune) bool {
	if uint32(r) < 0x10000 {
		return bmpWord[r>>6]&(1<<(r&63)) != 0
	}
	return isWordSlow(r)
}

func isWordSlow(r rune) bool {
	return r == 0x200C || r == 0x200D ||
		unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// bmpWord is IsWordRune over the BMP as a bit set: tokenizing and word
// lookups run over whole corpora.
var bmpWord = func() (set [0x10000 / 64]uint64) {
	for r := rune(0); r < 0x10000; r++ {
		if isWordSlow(r) {
			set[r>>6] |= 1 << (r & 63)
		}
	}
	return set
}()

// IsSpace is unicode.IsSpace with a fast path: no white space lies between
// U+0100 and U+167F (Arabic is U+0600–U+06FF).
func IsSpace(r rune) bool {
	if r >= 0x100 && r < 0x1680 {
		return false
	}
	return unicode.IsSpace(r)
}

// IsMark reports whether r is a diacritic (a non-spacing mark) or tatweel:
// in Arabic words both go with the letter before them.
func IsMark(r rune) bool { return r == 'ـ' || unicode.Is(unicode.Mn, r) }
