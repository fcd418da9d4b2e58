package layout

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/benoitkugler/textlayout/fribidi"
)

const (
	bidiCharacterTestFile = "/usr/share/unicode/BidiCharacterTest.txt"
	bidiTestFile          = "/usr/share/unicode/BidiTest.txt"

	// Measured with the Unicode 15 files of Debian's unicode-data: every
	// case passes. The test fails if a change makes fewer cases pass.
	minBidiCharacterTestPassed = 91707
	minBidiTestPassed          = 770241
)

func readSuite(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s is missing (%v): the Unicode bidi conformance suites come with Debian's unicode-data package; run scripts/deps.sh (or `apt-get install unicode-data`)", path, err)
	}
	return b
}

// bidiCase runs the layout's own bidi functions on one paragraph, treated as
// one line: resolveLevels, lineLevels (L1) and visualOrder (L2). It returns
// the levels and the visual order without the characters removed by X9.
func bidiCase(types []fribidi.CharType, brackets []fribidi.BracketType, dir ParDirection) ([]Level, Level, []int) {
	levels, par := resolveLevels(types, brackets, dir)
	ll := lineLevels(types, levels, 0, len(types), par)
	order := visualOrder(ll)
	out := order[:0]
	for _, i := range order {
		if !removedByX9(types[i]) {
			out = append(out, i)
		}
	}
	return ll, par, out
}

func levelsMatch(got []Level, want []int, types []fribidi.CharType) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		if w < 0 { // "x": removed by X9
			continue
		}
		if int(got[i]) != w {
			return false
		}
	}
	return true
}

func orderMatch(got, want []int) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func parseInts(s string) []int {
	f := strings.Fields(s)
	out := make([]int, len(f))
	for i, x := range f {
		if x == "x" {
			out[i] = -1
			continue
		}
		n, err := strconv.Atoi(x)
		if err != nil {
			panic(fmt.Sprintf("bad number %q", x))
		}
		out[i] = n
	}
	return out
}

// parallelCount runs check on every index in [0,n) over all CPUs and
// returns how many returned true.
func parallelCount(n int, check func(i int) bool) int {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	counts := make([]int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if check(i) {
					counts[w]++
				}
			}
		}(w)
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	return total
}

func TestBidiCharacterTest(t *testing.T) {
	t.Parallel()
	data := readSuite(t, bidiCharacterTestFile)
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if l == "" || l[0] == '#' {
			continue
		}
		lines = append(lines, l)
	}
	var mu sync.Mutex
	var failures []string
	passed := parallelCount(len(lines), func(i int) bool {
		f := strings.Split(lines[i], ";")
		if len(f) < 5 {
			return false
		}
		var text []rune
		for _, h := range strings.Fields(f[0]) {
			r, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				return false
			}
			text = append(text, rune(r))
		}
		dir := [...]ParDirection{ForceLTR, ForceRTL, AutoLTR}[parseInts(f[1])[0]]
		wantPar := parseInts(f[2])[0]
		types, brackets := bidiClasses(text, nil)
		levels, par, order := bidiCase(types, brackets, dir)
		ok := int(par) == wantPar && levelsMatch(levels, parseInts(f[3]), types) && orderMatch(order, parseInts(f[4]))
		if !ok {
			mu.Lock()
			if len(failures) < 5 {
				failures = append(failures, fmt.Sprintf("%s: got par %d levels %v order %v", lines[i], par, levels, order))
			}
			mu.Unlock()
		}
		return ok
	})
	msg := fmt.Sprintf("BidiCharacterTest: %d/%d passed", passed, len(lines))
	t.Log(msg)
	fmt.Println(msg)
	for _, f := range failures {
		t.Log("failure:", f)
	}
	if passed < minBidiCharacterTestPassed {
		t.Errorf("BidiCharacterTest regressed: %d passed, recorded %d", passed, minBidiCharacterTestPassed)
	}
}

var bidiClassNames = map[string]fribidi.CharType{
	"L": fribidi.LTR, "R": fribidi.RTL, "AL": fribidi.AL, "EN": fribidi.EN,
	"AN": fribidi.AN, "ES": fribidi.ES, "ET": fribidi.ET, "CS": fribidi.CS,
	"NSM": fribidi.NSM, "BN": fribidi.BN, "B": fribidi.BS, "S": fribidi.SS,
	"WS": fribidi.WS, "ON": fribidi.ON, "LRE": fribidi.LRE, "RLE": fribidi.RLE,
	"LRO": fribidi.LRO, "RLO": fribidi.RLO, "PDF": fribidi.PDF, "LRI": fribidi.LRI,
	"RLI": fribidi.RLI, "FSI": fribidi.FSI, "PDI": fribidi.PDI,
}

type bidiTestCase struct {
	types  []fribidi.CharType
	dir    ParDirection
	levels []int
	order  []int
}

func TestBidiTest(t *testing.T) {
	t.Parallel()
	data := readSuite(t, bidiTestFile)
	var cases []bidiTestCase
	var levels, order []int
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case l == "" || l[0] == '#':
			continue
		case strings.HasPrefix(l, "@Levels:"):
			levels = parseInts(strings.TrimPrefix(l, "@Levels:"))
			continue
		case strings.HasPrefix(l, "@Reorder:"):
			order = parseInts(strings.TrimPrefix(l, "@Reorder:"))
			continue
		case l[0] == '@':
			continue
		}
		f := strings.Split(l, ";")
		if len(f) != 2 {
			t.Fatalf("bad line %q", l)
		}
		names := strings.Fields(f[0])
		types := make([]fribidi.CharType, len(names))
		for i, n := range names {
			ct, ok := bidiClassNames[n]
			if !ok {
				t.Fatalf("unknown bidi class %q", n)
			}
			types[i] = ct
		}
		set, err := strconv.Atoi(strings.TrimSpace(f[1]))
		if err != nil {
			t.Fatalf("bad bitset in %q", l)
		}
		for bit, dir := range [...]ParDirection{AutoLTR, ForceLTR, ForceRTL} {
			if set&(1<<bit) != 0 {
				cases = append(cases, bidiTestCase{types, dir, levels, order})
			}
		}
	}
	var fast atomic.Int64 // cases rtlLevels resolves
	passed := parallelCount(len(cases), func(i int) bool {
		c := cases[i]
		if _, ok := rtlLevels(c.types, c.dir); ok {
			fast.Add(1)
		}
		lv, _, ord := bidiCase(c.types, nil, c.dir)
		return levelsMatch(lv, c.levels, c.types) && orderMatch(ord, c.order)
	})
	msg := fmt.Sprintf("BidiTest: %d/%d passed, %d of them resolved by rtlLevels", passed, len(cases), fast.Load())
	t.Log(msg)
	fmt.Println(msg)
	if passed < minBidiTestPassed {
		t.Errorf("BidiTest regressed: %d passed, recorded %d", passed, minBidiTestPassed)
	}
}

// TestRTLLevelsIsFribidi compares rtlLevels with fribidi on random
// paragraphs of the characters it resolves (Hebrew and Arabic letters,
// European and Arabic digits, separators, terminators, marks, spaces, tabs,
// neutrals and brackets), in each paragraph direction.
func TestRTLLevelsIsFribidi(t *testing.T) {
	alphabet := []rune("אبب1١۱+-,.:/%$#\u064e\u0670 \t!«»\"()[]")
	rng := rand.New(rand.NewSource(1))
	fast := 0
	for n := 0; n < 200000; n++ {
		text := make([]rune, 1+rng.Intn(14))
		for i := range text {
			text[i] = alphabet[rng.Intn(len(alphabet))]
		}
		types, brackets := bidiClasses(text, nil)
		for _, dir := range [...]ParDirection{AutoRTL, AutoLTR, ForceRTL, ForceLTR} {
			got, ok := rtlLevels(types, dir)
			if !ok {
				continue
			}
			fast++
			base := [...]fribidi.ParType{AutoRTL: fribidi.WRTL, AutoLTR: fribidi.WLTR, ForceRTL: fribidi.RTL}[dir]
			want, _ := fribidi.GetParEmbeddingLevels(types, brackets, &base)
			if !slices.Equal(got, want) || !base.IsRtl() {
				t.Fatalf("%q, direction %d: rtlLevels %v, fribidi %v (paragraph RTL: %v)", string(text), dir, got, want, base.IsRtl())
			}
		}
	}
	if fast < 200000 {
		t.Fatalf("rtlLevels resolved only %d paragraphs", fast)
	}
}
