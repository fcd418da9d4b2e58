package layout

import (
	"strings"
	"sync"
	"testing"

	"tawsim/annotate"
	"tawsim/assets"
)

var (
	fontsOnce sync.Once
	testFonts *Fonts
	fontsErr  error
)

func mustFonts(tb testing.TB) *Fonts {
	tb.Helper()
	fontsOnce.Do(func() { testFonts, fontsErr = DefaultFonts() })
	if fontsErr != nil {
		tb.Fatal(fontsErr)
	}
	return testFonts
}

type article struct {
	name, text string
}

func corpus(tb testing.TB) []article {
	tb.Helper()
	var out []article
	for _, f := range assets.SampleCorpus() {
		s, err := annotate.NormalizeText(f.Data)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, article{f.Name, s})
	}
	if len(out) != 5 {
		tb.Fatalf("expected 5 sample articles, got %d", len(out))
	}
	return out
}

// runeIndex returns the code-point offset of the n-th (0-based) occurrence
// of sub in s, or -1.
func runeIndex(s, sub string, n int) int {
	from := 0
	for k := 0; ; k++ {
		i := strings.Index(s[from:], sub)
		if i < 0 {
			return -1
		}
		if k == n {
			return len([]rune(s[:from+i]))
		}
		from += i + len(sub)
	}
}

// span returns the code-point range of sub inside the first occurrence of
// ctx in s.
func span(tb testing.TB, s, ctx, sub string) (int, int) {
	tb.Helper()
	c := runeIndex(s, ctx, 0)
	if c < 0 {
		tb.Fatalf("%q not in text", ctx)
	}
	k := runeIndex(ctx, sub, 0)
	if k < 0 {
		tb.Fatalf("%q not in %q", sub, ctx)
	}
	return c + k, c + k + len([]rune(sub))
}

// identitySample is a text and the widths an identity test lays it out at.
type identitySample struct {
	name, text string
	widths     []float32
}

// identitySamples are the five sample articles at testWidths and, unless
// -short, the benchmark text at benchWidth.
func identitySamples(tb testing.TB) []identitySample {
	var samples []identitySample
	for _, a := range corpus(tb) {
		samples = append(samples, identitySample{a.name, a.text, testWidths})
	}
	if !testing.Short() {
		samples = append(samples, identitySample{"benchmark text", bigText(tb), []float32{benchWidth}})
	}
	return samples
}
