package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestDoubleClickSelectsTheCharacterUnderThePointer: a double click on
// either half of a symbol, a punctuation mark or an emoji selects it, in
// the Arabic (RTL) text and in a Latin (LTR) run; on a word, the word. The
// minus of "−3" is a token of its own, as the dataset formats write it. A
// cluster of several code points (an emoji with a skin tone, a ZWJ
// sequence) is selected whole.
func TestDoubleClickSelectsTheCharacterUnderThePointer(t *testing.T) {
	test.NewTempApp(t)
	v := NewSpanView(testFonts, 20)
	w := test.NewWindow(v)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(900, 300))
	text := "انخفضت الحرارة −3 درجات، وقال: «نعم» 😀 ثم (AB + CD) end. 👍🏽 و👨\u200d👩\u200d👧"
	v.SetText(text)
	test.WidgetRenderer(v).Layout(v.Size())
	d := v.Layout()
	r := []rune(text)
	for _, c := range []struct{ at, word string }{
		{"−", "−"}, {"3", "3"}, {"،", "،"}, {"«", "«"}, {"😀", "😀"}, {"+", "+"}, {")", ")"},
		{".", "."}, {"درجات", "درجات"}, {"CD", "CD"},
		{"👍", "👍🏽"}, {"👩", "👨\u200d👩\u200d👧"}, // one cluster of several code points
	} {
		at := findIn(t, text, c.at, 0)
		ws := findIn(t, text, c.word, 0)
		rects := d.Rects(at, at+1)
		if len(rects) != 1 {
			t.Fatalf("%q: rects %v", c.at, rects)
		}
		lr := rects[0]
		for _, side := range []struct {
			name string
			x    float32
		}{{"left", lr.X0 + (lr.X1-lr.X0)/4}, {"right", lr.X1 - (lr.X1-lr.X0)/4}} {
			p := fyne.NewPos(viewPad+side.x/v.scale, viewPad+(lr.Y0+lr.Y1)/2/v.scale)
			v.DoubleTapped(&fyne.PointEvent{Position: p})
			s, e := v.Selection()
			if s != ws || e != ws+len([]rune(c.word)) {
				t.Errorf("double click on the %s half of %q selected %q [%d,%d), want %q", side.name, c.at, string(r[s:e]), s, e, c.word)
			}
		}
	}
}
