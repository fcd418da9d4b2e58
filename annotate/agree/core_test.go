package agree

import (
	"math"
	"testing"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.12g, want %.12g (±%g)", what, got, want, tol)
	}
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
// section C: nominal data, 4 observers × 12 units, missing values ("*"):
//
//	unit:  1 2 3 4 5 6 7 8 9 10 11 12
//	A:     1 2 3 3 2 1 4 1 2  *  *  *
//	B:     1 2 3 3 2 2 4 1 2  5  *  3
//	C:     * 3 3 3 2 3 4 2 2  5  1  *
//	D:     1 2 3 3 2 4 4 1 2  5  1  *
//
// Unit 12 has one value and is not pairable; n = 40 pairable values.
// Published: alpha = 0.743.
func TestAlphaKrippendorff2011Nominal(t *testing.T) {
	const x = -1
	data := [][]int{ // coders × units
		{1, 2, 3, 3, 2, 1, 4, 1, 2, x, x, x},
		{1, 2, 3, 3, 2, 2, 4, 1, 2, 5, x, 3},
		{x, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, x},
		{1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, x},
	}
	c := newCoincidences(6)
	for u := 0; u < 12; u++ {
		vals := make([]int, 4)
		for i := range data {
			vals[i] = data[i][u]
		}
		c.addUnit(vals)
	}
	o := c.matrix()
	var n float64
	for _, v := range o {
		n += v
	}
	near(t, "n", n, 40, 1e-12)
	// Coincidences as tabulated in the paper: o_11 = 7,
	// o_12 = 4/3, o_22 = 10, o_33 = 8, o_44 = 4, o_55 = 3 (n_1..n_5 =
	// 9, 13, 10, 5, 3). Unit 7 (four 4s) gives o_44 = 12/3 = 4.
	near(t, "o11", o[1*6+1], 7, 1e-12)
	near(t, "o12", o[1*6+2], 4.0/3, 1e-12)
	near(t, "o22", o[2*6+2], 10, 1e-12)
	near(t, "o33", o[3*6+3], 8, 1e-12)
	near(t, "o44", o[4*6+4], 4, 1e-12)
	near(t, "o55", o[5*6+5], 3, 1e-12)
	alpha, _, note := alphaNominal(o, 6)
	if note != "" {
		t.Fatal(note)
	}
	near(t, "alpha", alpha, 0.743, 0.0005)
	// Exact: disagreeing coincidences 40 − (7+10+8+4+3) = 8, so
	// alpha = 1 − 39·8/(40² − (81+169+100+25+9)) = 1 − 312/1216 = 0.74342.
	near(t, "alpha exact", alpha, 1-312.0/1216, 1e-12)
}

// Wikipedia, "Cohen's kappa", first worked example: 50 proposals, both
// yes 20, A yes/B no 5, A no/B yes 10, both no 15. po = 35/50 = 0.7,
// pe = 0.5·0.6 + 0.5·0.4 = 0.5, kappa = 0.2/0.5 = 0.4.
func TestCohenWikipedia(t *testing.T) {
	po, pe, kappa, note := cohen([]int64{20, 5, 10, 15}, 2)
	if note != "" {
		t.Fatal(note)
	}
	near(t, "po", po, 0.7, 1e-12)
	near(t, "pe", pe, 0.5, 1e-12)
	near(t, "kappa", kappa, 0.4, 1e-12)
}

func TestCohenUndefined(t *testing.T) {
	if _, pe, _, note := cohen([]int64{0, 0, 0, 7}, 2); note != noteOneCategory || pe != 1 {
		t.Errorf("one category: pe %v note %q", pe, note)
	}
	if _, _, _, note := cohen([]int64{0, 0, 0, 0}, 2); note != noteNoUnits {
		t.Errorf("no units: note %q", note)
	}
}

// Wikipedia, "Fleiss' kappa", worked example (after Fleiss 1971): 10
// subjects, 14 raters, 5 categories. Published P̄ = 0.378, P̄e = 0.213,
// kappa = 0.210.
func TestFleissWikipedia(t *testing.T) {
	table := [][]int64{
		{0, 0, 0, 0, 14},
		{0, 2, 6, 4, 2},
		{0, 0, 3, 5, 6},
		{0, 3, 9, 2, 0},
		{2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0},
		{3, 2, 6, 3, 0},
		{2, 5, 3, 2, 2},
		{6, 5, 2, 1, 0},
		{0, 2, 2, 3, 7},
	}
	totals := make([]int64, 5)
	var agree int64
	for _, row := range table {
		for j, v := range row {
			totals[j] += v
			agree += v * (v - 1)
		}
	}
	pbar, pe, kappa, note := fleiss(10, 14, totals, agree)
	if note != "" {
		t.Fatal(note)
	}
	near(t, "P̄", pbar, 0.378, 0.0005)
	near(t, "P̄e", pe, 0.213, 0.0005)
	near(t, "kappa", kappa, 0.210, 0.0005)
	// The same through the coincidence form: Fleiss' tally from ordered
	// pairs equals alpha's input (every subject has 14 values).
	c := newCoincidences(5)
	for _, row := range table {
		var vals []int
		for j, v := range row {
			for ; v > 0; v-- {
				vals = append(vals, j)
			}
		}
		c.addUnit(vals)
	}
	_, obs, _ := alphaNominal(c.matrix(), 5)
	near(t, "alpha observed = P̄", obs, pbar, 1e-12)
}

func TestBoundaryCause(t *testing.T) {
	cases := []struct {
		text string
		a, b [2]int32 // code-point spans
		want string
		desc string
	}{
		{"زار والأردن", [2]int32{4, 11}, [2]int32{5, 11}, CauseClitic, "والأردن / الأردن"},
		{"في بتركيا", [2]int32{3, 9}, [2]int32{4, 9}, CauseClitic, "بتركيا / تركيا"},
		{"في بالعراق", [2]int32{3, 10}, [2]int32{6, 10}, CauseClitic, "بالعراق / عراق: بال"},
		{"قال الرئيس عون", [2]int32{4, 14}, [2]int32{11, 14}, CauseTitle, "الرئيس عون / عون"},
		{"قال «عون»", [2]int32{4, 9}, [2]int32{5, 8}, CauseQuote, "«عون» / عون"},
		{"قال «عون", [2]int32{4, 8}, [2]int32{5, 8}, CauseQuote, "«عون / عون"},
		{"قال «الشيخ عون", [2]int32{4, 14}, [2]int32{11, 14}, CauseTitle, "«الشيخ عون / عون"},
		{"زار عمان اليوم", [2]int32{4, 8}, [2]int32{4, 14}, "", "same start"},
		{"زار ميشال عون", [2]int32{4, 13}, [2]int32{10, 13}, "", "a first name is no title"},
		{"زار والأردن", [2]int32{4, 10}, [2]int32{5, 11}, "", "ends differ"},
	}
	for _, c := range cases {
		rs := []rune(c.text)
		off := make([]int32, 0, len(rs)+1)
		bi := 0
		for _, r := range rs {
			off = append(off, int32(bi))
			bi += len(string(r))
		}
		off = append(off, int32(bi))
		x := sp{s: c.a[0], e: c.a[1], lab: 1}
		y := sp{s: c.b[0], e: c.b[1], lab: 1}
		if got := boundaryCause(c.text, off, x, y); got != c.want {
			t.Errorf("%s: cause %q, want %q", c.desc, got, c.want)
		}
		if got := boundaryCause(c.text, off, y, x); got != c.want {
			t.Errorf("%s (swapped): cause %q, want %q", c.desc, got, c.want)
		}
	}
}

func TestTitleWords(t *testing.T) {
	for w, want := range map[string]bool{
		"الرئيس": true, "والرئيس": true, "للرئيس": true, "وللشيخ": true, "بالدكتور": true,
		"فالوزير": true, "محمد": false, "": false, "لل": false,
	} {
		if got := isTitle(w); got != want {
			t.Errorf("isTitle(%q) = %v", w, got)
		}
	}
}
