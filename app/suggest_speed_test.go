package app

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
)

// goldMention is a line of testdata/sample-entities.tsv.
type goldMention struct {
	doc        string
	start, end int
	label      string
}

// sampleGold reads the mentions of the five sample articles, checking each
// against its document's text.
func sampleGold(t *testing.T, u *UI) map[string][]goldMention {
	t.Helper()
	f, err := os.Open("testdata/sample-entities.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]goldMention{}
	texts := map[string][]rune{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 5 {
			t.Fatalf("sample-entities.tsv:%d: %d fields, want 5", n, len(c))
		}
		s, err1 := strconv.Atoi(c[1])
		e, err2 := strconv.Atoi(c[2])
		if err1 != nil || err2 != nil {
			t.Fatalf("sample-entities.tsv:%d: bad offsets %q %q", n, c[1], c[2])
		}
		if texts[c[0]] == nil {
			d, err := u.store.Document(c[0])
			if err != nil {
				t.Fatalf("sample-entities.tsv:%d: %v", n, err)
			}
			texts[c[0]] = []rune(d.Text)
		}
		if r := texts[c[0]]; e > len(r) || string(r[s:e]) != c[4] {
			t.Fatalf("sample-entities.tsv:%d: [%d,%d) is not %q in %s", n, s, e, c[4], c[0])
		}
		out[c[0]] = append(out[c[0]], goldMention{c[0], s, e, c[3]})
	}
	return out
}

// actions counts what the user does: keys typed (a chord is one) and
// mouse actions (a click, a drag, a scroll), the latter also by kind.
type actions struct {
	keys, mouse                  int
	drags, exact, clicks, scroll int
}

func (a actions) total() int { return a.keys + a.mouse }

// annotator drives the window as a person would, counting.
type annotator struct {
	t     *testing.T
	u     *UI
	w     fyne.Window
	n     actions
	hotOf map[string]string // label → hotkey
}

func newAnnotator(t *testing.T, u *UI, w fyne.Window) *annotator {
	a := &annotator{t: t, u: u, w: w, hotOf: map[string]string{}}
	for _, l := range u.labels {
		a.hotOf[l.Name] = l.Hotkey
	}
	return a
}

// settle waits for the window's suggestion job (a person sees its
// outlines appear while reading on).
func (a *annotator) settle() { settle(a.u) }

// reveal scrolls with the wheel until the line of off is in view.
func (a *annotator) reveal(off int) {
	u := a.u
	y := u.view.LineTop(off)
	h := u.scroll.Size().Height
	if y >= u.scroll.Offset.Y && y <= u.scroll.Offset.Y+h-60 {
		return
	}
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.scroll)
	test.Scroll(a.w.Canvas(), abs.Add(fyne.NewPos(100, 100)), 0, u.scroll.Offset.Y-max(y-h/3, 0))
	a.n.mouse++
	a.n.scroll++
}

func (a *annotator) key(r string) {
	test.Type(a.u.view, r)
	a.n.keys++
	a.settle()
}

func (a *annotator) shortcut(s fyne.Shortcut) {
	a.u.view.TypedShortcut(s)
	a.n.keys++
	a.settle()
}

// label selects m by dragging over it, from the middle of its first
// letter to the middle of its last (word-snapped; again letter-exact with
// Alt if the words are not the mention), and types its label's key.
func (a *annotator) label(m goldMention) {
	a.t.Helper()
	u := a.u
	a.reveal(m.start)
	s, e := a.drag(a.letter(m.start, 0), a.letter(m.end-1, 0), 0)
	if s != m.start || e != m.end {
		// Letter-exact: from the first letter's leading edge to the last
		// one's trailing edge, in the line's direction.
		first, last := a.letter(m.start, 0), a.letter(m.end-1, 0)
		dir := float32(-1) // right to left
		if last.X > first.X || (m.end-m.start == 1 && !isArabic([]rune(u.doc.Text)[m.start])) {
			dir = +1
		}
		w0, w1 := a.letterWidth(m.start), a.letterWidth(m.end-1)
		s, e = a.drag(a.letter(m.start, -dir*(w0/2-1)), a.letter(m.end-1, dir*(w1/2-1)), fyne.KeyModifierAlt)
		a.n.exact++
		if s != m.start || e != m.end {
			a.t.Fatalf("%s: could not select [%d,%d) %q by mouse: got [%d,%d)", m.doc, m.start, m.end, string([]rune(u.doc.Text)[m.start:m.end]), s, e)
		}
	}
	a.key(a.hotOf[m.label])
}

func isArabic(r rune) bool { return r >= 0x0600 && r <= 0x06FF }

// letter is the canvas position of the middle of the letter at off,
// moved dx along the line.
func (a *annotator) letter(off int, dx float32) fyne.Position {
	v := a.u.view
	r := v.Layout().Rects(off, off+1)[0]
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(v)
	return fyne.NewPos(abs.X+viewPad+(r.X0+r.X1)/2/v.scale+dx, abs.Y+viewPad+(r.Y0+r.Y1)/2/v.scale)
}

func (a *annotator) letterWidth(off int) float32 {
	v := a.u.view
	r := v.Layout().Rects(off, off+1)[0]
	return (r.X1 - r.X0) / v.scale
}

// drag presses at p, drags to q and releases, with mod held.
func (a *annotator) drag(p, q fyne.Position, mod fyne.KeyModifier) (int, int) {
	u := a.u
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.view)
	u.view.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p.Subtract(abs)}, Button: desktop.MouseButtonPrimary, Modifier: mod})
	test.Drag(a.w.Canvas(), q, q.X-p.X, q.Y-p.Y)
	u.view.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: q.Subtract(abs)}, Button: desktop.MouseButtonPrimary})
	a.n.mouse++
	a.n.drags++
	return u.view.Selection()
}

// clickSuggestion clicks into sg until the caret designates it.
func (a *annotator) clickSuggestion(sg annotate.Suggestion) {
	a.t.Helper()
	a.reveal(sg.Start)
	for off := (sg.Start + sg.End) / 2; ; off = (off+1-sg.Start)%(sg.End-sg.Start) + sg.Start {
		click(a.t, a.u, off)
		a.n.mouse++
		a.n.clicks++
		if at, ok := a.u.view.SuggestionAtCaret(); ok && at.ID == sg.ID {
			return
		}
		if a.n.mouse > 10000 {
			a.t.Fatalf("cannot click into %+v", sg)
		}
	}
}

// labelDocument labels the mentions of the open document. With
// suggestions, mentions already suggested right are left for one
// Ctrl+Shift+Enter at the end, after the wrong suggestions are rejected
// (X) or relabelled (a label key).
func (a *annotator) labelDocument(gold []goldMention, suggestions bool) {
	u := a.u
	want := map[[2]int]string{}
	for _, m := range gold {
		want[[2]int{m.start, m.end}] = m.label
	}
	suggestedRight := func(m goldMention) bool {
		return slices.ContainsFunc(u.view.Suggestions(), func(sg annotate.Suggestion) bool {
			return sg.Start == m.start && sg.End == m.end && sg.Label == m.label
		})
	}
	for _, m := range gold {
		if suggestions && suggestedRight(m) {
			continue
		}
		if _, ok := spanAt(a.t, u, m.start, m.end); ok {
			continue
		}
		a.label(m)
	}
	if !suggestions {
		return
	}
	for {
		i := slices.IndexFunc(u.view.Suggestions(), func(sg annotate.Suggestion) bool {
			return want[[2]int{sg.Start, sg.End}] != sg.Label
		})
		if i < 0 {
			break
		}
		sg := u.view.Suggestions()[i]
		a.clickSuggestion(sg)
		if l, ok := want[[2]int{sg.Start, sg.End}]; ok && !slices.ContainsFunc(u.view.Suggestions(), func(o annotate.Suggestion) bool {
			return o.Start == sg.Start && o.End == sg.End && o.Label == l
		}) {
			a.key(a.hotOf[l]) // the right place, another label
		} else {
			a.key("x")
		}
	}
	if len(u.view.Suggestions()) > 0 {
		a.shortcut(scAcceptAll)
	}
}

// run labels every mention of the five articles, from the first, and
// checks each document's layer is exactly its mentions.
func runSampleAnnotation(t *testing.T, suggestions bool) actions {
	asyncSuggestions(t)
	u, w, _ := newTestUI(t)
	settle(u)                    // opening counts the project's suggestions
	u.stripTick.SetChecked(true) // a drag over والأردن gives الأردن
	if !suggestions {
		u.sug.menu.Action() // Project ▸ Suggestions off
	}
	gold := sampleGold(t, u)
	a := newAnnotator(t, u, w)
	w.Canvas().Focus(u.view)
	for i := range u.docs {
		if i > 0 {
			a.shortcut(scNext) // Ctrl+PgDn
		}
		a.labelDocument(gold[u.doc.ID], suggestions)
		var got, want []string
		for _, sp := range spansOf(t, u) {
			got = append(got, strconv.Itoa(sp.Start)+"-"+strconv.Itoa(sp.End)+" "+sp.Label)
		}
		for _, m := range gold[u.doc.ID] {
			want = append(want, strconv.Itoa(m.start)+"-"+strconv.Itoa(m.end)+" "+m.label)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("%s (suggestions %v): layer\n%v\nwant\n%v", u.doc.ID, suggestions, got, want)
		}
	}
	return a.n
}

// Issue 15, item 5: labelling every PERSON, STATE and ORGANIZATION mention
// of the five sample articles by mouse and keys, as counted, with
// suggestions off and on: at least 40 % fewer actions with them on.
func TestMeasuredSpeedWithSuggestions(t *testing.T) {
	if testing.Short() {
		t.Skip("drives two whole annotation runs")
	}
	off := runSampleAnnotation(t, false)
	on := runSampleAnnotation(t, true)
	u, _, _ := newTestUI(t)
	settle(u)
	n := 0
	for _, g := range sampleGold(t, u) {
		n += len(g)
	}
	per := func(a actions) string {
		return strconv.FormatFloat(float64(a.total())/float64(n), 'f', 2, 64)
	}
	t.Logf("%d mentions in 5 documents", n)
	for _, r := range []struct {
		name string
		a    actions
	}{{"off", off}, {"on ", on}} {
		t.Logf("suggestions %s: %d key presses + %d mouse actions (%d drags, %d of them letter-exact, %d clicks, %d scrolls) = %d, %s per entity",
			r.name, r.a.keys, r.a.mouse, r.a.drags, r.a.exact, r.a.clicks, r.a.scroll, r.a.total(), per(r.a))
	}
	cut := 1 - float64(on.total())/float64(off.total())
	t.Logf("%.0f %% fewer actions with suggestions on", 100*cut)
	if cut < 0.40 {
		t.Fatalf("only %.0f %% fewer actions with suggestions (target ≥ 40 %%)", 100*cut)
	}
}
