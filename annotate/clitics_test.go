package annotate

import "testing"

func TestStripClitics(t *testing.T) {
	known := WordSet([]rune("زار تركيا والأردن ثم سوريا"))
	opt := CliticOptions{Known: func(w []rune) bool { return known[string(w)] }}
	cases := []struct {
		word string
		opt  CliticOptions
		want string
	}{
		{"والأردن", opt, "الأردن"},
		{"بالعاصمة", opt, "العاصمة"},
		{"وبالأردن", opt, "الأردن"},
		{"فالحكومة", opt, "الحكومة"},
		{"كالأسد", opt, "الأسد"},
		{"والأردن", CliticOptions{DropArticle: true}, "أردن"},
		{"الأردن", opt, "الأردن"},
		{"الأردن", CliticOptions{DropArticle: true}, "أردن"},
		{"للأردن", opt, "لأردن"},
		{"وللأردن", CliticOptions{DropArticle: true}, "أردن"},
		{"بتركيا", opt, "تركيا"},                           // known word
		{"وسوريا", opt, "سوريا"},                           // known word
		{"فيدان", opt, "فيدان"},                            // ف is part of the name
		{"بلينكن", opt, "بلينكن"},                          // ب is part of the name
		{"وزير", opt, "وزير"},                              // و is part of the word
		{"بتركيا", CliticOptions{Force: true}, "تركيا"},    // explicit command
		{"ولبنان", CliticOptions{Force: true}, "لبنان"},    // forced: the outermost layer only
		{"وبتركيا", opt, "تركيا"},                          // both layers, licensed by the known stem
		{"وَالأُردن", opt, "الأُردن"},                      // a diacritic goes with its letter
		{"بـتركيا", CliticOptions{Force: true}, "تركيا"},   // tatweel goes with the clitic
		{"لي", CliticOptions{Force: true}, "لي"},           // stem too short
		{"Türkiye", CliticOptions{Force: true}, "Türkiye"}, // not Arabic
	}
	for _, c := range cases {
		w := []rune(c.word)
		n := StripClitics(w, c.opt)
		if got := string(w[n:]); got != c.want {
			t.Errorf("StripClitics(%s, %+v) leaves %q, want %q", c.word, c.opt.DropArticle, got, c.want)
		}
	}
}

func TestIsProclitics(t *testing.T) {
	for w, want := range map[string]bool{
		"و": true, "ف": true, "ب": true, "ك": true, "ل": true, "ال": true, "وال": true, "بال": true,
		"وبال": true, "فلل": true, "لل": true, "وَ": false, "م": false, "": false, "ولل": true, "بب": false,
	} {
		if got := IsProclitics(w); got != want {
			t.Errorf("IsProclitics(%q) = %v", w, got)
		}
	}
	if !IsProclitics(StripMarks("وَ")) {
		t.Error("وَ with its fatha stripped is a clitic")
	}
}
