package annotate

import (
	"testing"
	"unicode"
)

func TestIsSpaceMatchesUnicode(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if IsSpace(r) != unicode.IsSpace(r) {
			t.Fatalf("IsSpace(%U) = %v", r, IsSpace(r))
		}
	}
}

func TestIsWordRuneTable(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if IsWordRune(r) != isWordSlow(r) {
			t.Fatalf("IsWordRune(%U) = %v", r, IsWordRune(r))
		}
	}
}
