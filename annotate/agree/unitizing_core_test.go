package agree

import "testing"

// Krippendorff (2004), Content Analysis, 2nd ed., p. 254: two observers on
// the continuum [150, 450), shifted here to [0, 300). Category c: i marks
// 225+70 and 370+30, j marks 220+80, 355+20 and 400+20; category k: both
// mark 180+60 and 300+50. Published (and DKPro's test): D_o(c) ≈ 0.0144,
// D_e(c) ≈ 0.0532, α_u(c) ≈ 0.7286; D_o(k) = 0, D_e(k) ≈ 0.0490,
// α_u(k) = 1; α_u ≈ 0.8591.
func TestUnitizingKrippendorff2004Core(t *testing.T) {
	const B, L = 150, 300
	u := func(a int, s, l int32) useg { return useg{a: int32(a), s: s - B, e: s - B + l} }
	c := [2][]useg{{u(0, 225, 70), u(0, 370, 30)}, {u(1, 220, 80), u(1, 355, 20), u(1, 400, 20)}}
	k := [2][]useg{{u(0, 180, 60), u(0, 300, 50)}, {u(1, 180, 60), u(1, 300, 50)}}
	de := func(units [2][]useg) float64 {
		secs := []sections{docSections(sections{}, units[0], L), docSections(sections{}, units[1], L)}
		v, _ := new(expectedTerms).set(secs).expected(nil, L)
		return v
	}
	doC, deC := observed(sqDiff(c[0], c[1]), 2, L), de(c)
	doK, deK := observed(sqDiff(k[0], k[1]), 2, L), de(k)
	near(t, "D_o(c)", doC, 0.0144, 0.0001)
	near(t, "D_e(c)", deC, 0.0532, 0.0001)
	near(t, "α_u(c)", 1-doC/deC, 0.7286, 0.0001)
	near(t, "D_o(k)", doK, 0, 0)
	near(t, "D_e(k)", deK, 0.0490, 0.0001)
	near(t, "α_u", 1-(doC+doK)/(deC+deK), 0.8591, 0.0005)
	// δ² of the textbook's pairs (DKPro's distance test): 225+70 against
	// 220+80 is 5² + 5², 370+30 against 355+20 is 15² + 25².
	if d := sqDiff(c[0][:1], c[1][:1]); d != 50 {
		t.Errorf("δ²(225+70, 220+80) = %d, want 50", d)
	}
	if d := sqDiff(c[0][1:], c[1][1:2]); d != 850 {
		t.Errorf("δ²(370+30, 355+20) = %d, want 850", d)
	}
}

func TestMergeUnits(t *testing.T) {
	spans := []sp{{s: 0, e: 3, lab: 1}, {s: 2, e: 5, lab: 1}, {s: 4, e: 6, lab: 1}, {s: 6, e: 8, lab: 1}, {s: 1, e: 2, lab: 2}, {s: 1, e: 2, lab: 2}}
	got, merged := mergeUnits(nil, 0, spans)
	want := []useg{{lab: 1, s: 0, e: 6}, {lab: 1, s: 6, e: 8}, {lab: 2, s: 1, e: 2}}
	if merged != 3 || len(got) != len(want) {
		t.Fatalf("merged %d: %+v", merged, got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("unit %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
