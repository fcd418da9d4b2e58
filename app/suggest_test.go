package app

import (
	"image/color"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/storage"
)

// The other tests' labels propagate where they are made: their UI is
// not to be touched from a job's goroutine while they drive it. The tests
// here use the background job (asyncSuggestions).
func init() { suggestInline = true }

// asyncSuggestions makes the test's propagation run as the app's does, on
// the job's goroutine; what it hands the UI goroutine waits in testUILoop
// until the test settles, as it would wait for the app's event loop.
func asyncSuggestions(t *testing.T) {
	suggestInline, suggestDo = false, testUILoop.do
	t.Cleanup(func() { suggestInline, suggestDo = true, fyne.Do })
}

// uiLoop stands in for the event loop of the GL driver.
type uiLoop struct {
	mu sync.Mutex
	fs []func()
}

var testUILoop uiLoop

func (l *uiLoop) do(f func()) {
	l.mu.Lock()
	l.fs = append(l.fs, f)
	l.mu.Unlock()
}

// settle waits for the window's suggestion job and runs what it handed
// the UI goroutine, until neither is left.
func settle(u *UI) {
	for {
		u.sug.bg.wait()
		testUILoop.mu.Lock()
		fs := testUILoop.fs
		testUILoop.fs = nil
		testUILoop.mu.Unlock()
		if len(fs) == 0 && !u.sug.bg.running() {
			return
		}
		for _, f := range fs {
			f()
		}
	}
}

// click presses and releases at the character at off and taps there, as
// the GL driver delivers a click.
func click(t *testing.T, u *UI, off int) {
	t.Helper()
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.view)
	p := posOf(t, u, off, -1)
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p.Subtract(abs), AbsolutePosition: p}, Button: desktop.MouseButtonPrimary}
	u.view.MouseDown(ev)
	u.view.MouseUp(ev)
	test.TapCanvas(u.win.Canvas(), p)
}

// clickInto clicks on the middle letter of [s,e).
func clickInto(t *testing.T, u *UI, s, e int) {
	t.Helper()
	click(t, u, (s+e)/2)
	if c := u.view.Caret(); c < s || c >= e {
		t.Fatalf("clicked into [%d,%d): caret at %d", s, e, c)
	}
}

// suggestionAt is the view's suggestion at [s,e).
func suggestionAt(u *UI, s, e int) (annotate.Suggestion, bool) {
	for _, sg := range u.view.Suggestions() {
		if sg.Start == s && sg.End == e {
			return sg, true
		}
	}
	return annotate.Suggestion{}, false
}

func spanAt(t *testing.T, u *UI, s, e int) (annotate.Span, bool) {
	t.Helper()
	for _, sp := range spansOf(t, u) {
		if sp.Start == s && sp.End == e {
			return sp, true
		}
	}
	return annotate.Span{}, false
}

// dashesIn counts the view's drawn rectangles of colour col inside the
// layout rectangles of [s,e), by fill: the outline's dashes (opaque) and
// highlights (translucent, as a span's fill is).
func dashesIn(u *UI, s, e int, col color.NRGBA) (dashes, fills int) {
	v := u.view
	for _, o := range test.WidgetRenderer(v).Objects() {
		r, ok := o.(*canvas.Rectangle)
		if !ok {
			continue
		}
		c, ok := r.FillColor.(color.NRGBA)
		if !ok || c.R != col.R || c.G != col.G || c.B != col.B {
			continue
		}
		p := r.Position()
		for _, lr := range v.Layout().Rects(s, e) {
			x0, x1 := viewPad+lr.X0/v.scale-1, viewPad+lr.X1/v.scale+1
			y0, y1 := viewPad+lr.Y0/v.scale-1, viewPad+lr.Y1/v.scale+1
			if p.X >= x0 && p.X <= x1 && p.Y >= y0 && p.Y <= y1 {
				if c.A == 0xff && min(r.Size().Width, r.Size().Height) <= dashThick {
					dashes++
				} else if c.A < 0xff {
					fills++
				}
				break
			}
		}
	}
	return dashes, fills
}

// Labelling الأردن suggests its other mentions, computed by the window's
// background job; they are outlined, dashed, never filled, never spans;
// the caret in one hints its keys; Enter accepts it (with the origin);
// undo brings the suggestion back, redo the span.
func TestSuggestionsPropagateDrawAcceptByEnterUndo(t *testing.T) {
	asyncSuggestions(t)
	u, w, st := newTestUI(t)
	settle(u)
	text := u.doc.Text
	stem := findIn(t, text, "والأردن", 0) + 1
	u.view.Select(stem, stem+len([]rune("الأردن")))
	test.Type(u.view, "2") // STATE
	// The label is stored and shown at once; the propagation is the job's,
	// its result handed to the UI goroutine when it is done.
	if len(spansOf(t, u)) != 1 || len(u.view.Spans()) != 1 {
		t.Fatal("the label waits for the propagation")
	}
	if n := len(u.view.Suggestions()); n != 0 {
		t.Fatalf("%d suggestions shown before the job handed them over", n)
	}
	settle(u)
	other := findIn(t, text, "في الأردن", 0) + 3
	end := other + len([]rune("الأردن"))
	sg, ok := suggestionAt(u, other, end)
	if !ok || sg.Label != "STATE" || sg.Origin != annotate.OriginPropagated {
		t.Fatalf("no STATE suggestion at «في الأردن» [%d,%d): %+v", other, end, u.view.Suggestions())
	}
	for _, s := range u.view.Suggestions() {
		if strings.Contains(s.Text, "الأردنية") {
			t.Fatalf("a suffixed form is suggested: %+v", s)
		}
	}
	total, err := st.CountSuggestions("amina")
	if err != nil || total <= len(u.view.Suggestions()) { // doc 004 has الأردن too
		t.Fatalf("project count %d (%v), this document's %d", total, err, len(u.view.Suggestions()))
	}
	want := "Suggestions: " + itoa(len(u.view.Suggestions())) + " in this document · " + itoa(total) + " in the project"
	if got := u.sug.count.Text; got != want {
		t.Fatalf("side panel %q, want %q", got, want)
	}
	if n := len(spansOf(t, u)); n != 1 {
		t.Fatalf("suggestions counted as spans: %d spans", n)
	}
	// Drawn: dashes in STATE's colour round it, no fill.
	d, f := dashesIn(u, other, end, u.colors["STATE"])
	if d < 8 || f != 0 {
		t.Fatalf("suggestion drawn with %d dashes and %d fills", d, f)
	}
	capture(t, w, "suggestions.png")

	clickInto(t, u, other, end)
	settle(u) // each change of the layer has the project's counted again
	if msg := u.message.text; !strings.Contains(msg, "Enter accepts · X rejects") {
		t.Fatalf("status line with the caret in a suggestion: %q", msg)
	}
	before := len(u.view.Suggestions())
	u.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(u)
	sp, ok := spanAt(t, u, other, end)
	if !ok || sp.Label != "STATE" || sp.Origin != annotate.OriginPropagated {
		t.Fatalf("Enter: span %+v %v", sp, ok)
	}
	if _, still := suggestionAt(u, other, end); still || len(u.view.Suggestions()) != before-1 {
		t.Fatalf("accepted suggestion still shown: %+v", u.view.Suggestions())
	}
	if d, f := dashesIn(u, other, end, u.colors["STATE"]); d != 0 || f == 0 {
		t.Fatalf("accepted: %d dashes, %d fills (want a filled span)", d, f)
	}
	u.view.TypedShortcut(scUndo)
	settle(u)
	if _, ok := spanAt(t, u, other, end); ok {
		t.Fatal("undo left the accepted span")
	}
	if sg, ok := suggestionAt(u, other, end); !ok || sg.Label != "STATE" {
		t.Fatalf("undo did not restore the suggestion: %+v", u.view.Suggestions())
	}
	u.view.TypedShortcut(scRedo)
	settle(u)
	if sp, ok := spanAt(t, u, other, end); !ok || sp.Origin != annotate.OriginPropagated {
		t.Fatalf("redo: %+v %v", sp, ok)
	}
	if _, ok := suggestionAt(u, other, end); ok {
		t.Fatal("redo left the suggestion shown")
	}
	if n, _ := st.CountSuggestions("amina"); n != total-1 || u.sug.total != n {
		t.Fatalf("project count after the accept %d (shown %d), want %d", n, u.sug.total, total-1)
	}
}

// seedSuggestions stores suggestions of the words (nth 0 of each) of the
// open document and shows them.
func seedSuggestions(t *testing.T, u *UI, label string, words ...string) []annotate.Suggestion {
	t.Helper()
	var sugs []annotate.Suggestion
	for _, w := range words {
		s := findIn(t, u.doc.Text, w, 0)
		sugs = append(sugs, annotate.Suggestion{Doc: u.doc.ID, Start: s, End: s + len([]rune(w)), Label: label, Origin: annotate.OriginGazetteer})
	}
	if _, _, err := u.store.AddSuggestions(u.annotator, sugs); err != nil {
		t.Fatal(err)
	}
	u.reloadSpans()
	return sugs
}

// A label key with the caret in a suggestion accepts it with that label;
// X rejects it, undo brings it back, redo rejects it again, and the
// rejection outlives the store.
func TestSuggestionHotkeyAcceptAndRejectSurvivesReopen(t *testing.T) {
	u, _, st := newTestUI(t)
	seedSuggestions(t, u, "ORGANIZATION", "هاكان فيدان", "أيمن الصفدي")
	fs := findIn(t, u.doc.Text, "هاكان فيدان", 0)
	fe := fs + len([]rune("هاكان فيدان"))
	clickInto(t, u, fs, fe)
	test.Type(u.view, "1") // PERSON, not the suggested ORGANIZATION
	if sp, ok := spanAt(t, u, fs, fe); !ok || sp.Label != "PERSON" || sp.Origin != annotate.OriginGazetteer {
		t.Fatalf("hotkey 1: %+v %v", sp, ok)
	}
	u.view.TypedShortcut(scUndo)
	if sg, ok := suggestionAt(u, fs, fe); !ok || sg.Label != "ORGANIZATION" {
		t.Fatalf("undo: %+v", u.view.Suggestions())
	}
	if _, ok := spanAt(t, u, fs, fe); ok {
		t.Fatal("undo left the span")
	}

	ss := findIn(t, u.doc.Text, "أيمن الصفدي", 0)
	se := ss + len([]rune("أيمن الصفدي"))
	clickInto(t, u, ss, se)
	test.Type(u.view, "x")
	if _, ok := suggestionAt(u, ss, se); ok {
		t.Fatal("X left the suggestion")
	}
	if _, ok := spanAt(t, u, ss, se); ok {
		t.Fatal("X made a span")
	}
	u.view.TypedShortcut(scUndo)
	if _, ok := suggestionAt(u, ss, se); !ok {
		t.Fatal("undo of X: not suggested again")
	}
	u.view.TypedShortcut(scRedo)
	if _, ok := suggestionAt(u, ss, se); ok {
		t.Fatal("redo of X: still suggested")
	}
	// Reopened: the rejected one is neither shown nor suggested again.
	path := st.Path()
	u.Close()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st2, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	u2 := uiOn(t, st2, "amina")
	u2.win.Resize(fyne.NewSize(1280, 800))
	if _, ok := suggestionAt(u2, ss, se); ok {
		t.Fatal("reopened: the rejected suggestion is shown")
	}
	if _, ok := suggestionAt(u2, fs, fe); !ok {
		t.Fatal("reopened: the pending suggestion is not shown")
	}
	added, _, err := st2.AddSuggestions("amina", []annotate.Suggestion{{Doc: u2.doc.ID, Start: ss, End: se, Label: "ORGANIZATION", Origin: annotate.OriginGazetteer}})
	if err != nil || added != 0 {
		t.Fatalf("suggested again after reopening: %d added, %v", added, err)
	}
}

// Ctrl+Shift+Enter accepts every suggestion of the document as one step.
func TestAcceptAllSuggestionsIsOneStep(t *testing.T) {
	u, w, _ := newTestUI(t)
	sugs := seedSuggestions(t, u, "PERSON", "هاكان فيدان", "أيمن الصفدي", "أسعد الشيباني")
	w.Canvas().Focus(u.view)
	u.view.TypedShortcut(scAcceptAll)
	if n := len(u.view.Suggestions()); n != 0 {
		t.Fatalf("%d left after accepting all", n)
	}
	for _, sg := range sugs {
		if sp, ok := spanAt(t, u, sg.Start, sg.End); !ok || sp.Label != "PERSON" || sp.Origin != annotate.OriginGazetteer {
			t.Fatalf("%+v not accepted: %+v", sg, sp)
		}
	}
	if got := u.sug.count.Text; !strings.HasPrefix(got, "Suggestions: 0 in this document") {
		t.Fatalf("side panel %q", got)
	}
	u.view.TypedShortcut(scUndo) // one step
	if n := len(spansOf(t, u)); n != 0 {
		t.Fatalf("undo of accept-all left %d spans", n)
	}
	if n := len(u.view.Suggestions()); n != len(sugs) {
		t.Fatalf("undo of accept-all: %d suggestions, want %d", n, len(sugs))
	}
	u.view.TypedShortcut(scRedo)
	if n := len(spansOf(t, u)); n != len(sugs) {
		t.Fatalf("redo of accept-all: %d spans", n)
	}
}

// Project ▸ Suggestions off hides them and stops propagation, and is kept
// in the project; on shows them again.
func TestSuggestionsSwitchOff(t *testing.T) {
	u, _, st := newTestUI(t)
	seedSuggestions(t, u, "PERSON", "أيمن الصفدي")
	item := u.sug.menu
	if !item.Checked || len(u.view.Suggestions()) != 1 {
		t.Fatalf("on: checked %v, %d shown", item.Checked, len(u.view.Suggestions()))
	}
	item.Action()
	if item.Checked || len(u.view.Suggestions()) != 0 {
		t.Fatalf("off: checked %v, %d shown", item.Checked, len(u.view.Suggestions()))
	}
	if !strings.Contains(u.sug.count.Text, "off") {
		t.Fatalf("side panel while off: %q", u.sug.count.Text)
	}
	if on, _ := st.SuggestionsOn(); on {
		t.Fatal("the project still has them on")
	}
	// Labelled while off: nothing propagated.
	before, _ := st.CountSuggestions("amina")
	s := findIn(t, u.doc.Text, "الشيباني", 0)
	u.view.Select(s, s+len([]rune("الشيباني")))
	test.Type(u.view, "1")
	if n, _ := st.CountSuggestions("amina"); n != before {
		t.Fatalf("propagated while off: %d → %d", before, n)
	}
	// A caret where the hidden one is: Enter does not accept it.
	ss := findIn(t, u.doc.Text, "أيمن الصفدي", 0)
	clickInto(t, u, ss, ss+4)
	u.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if _, ok := spanAt(t, u, ss, ss+len([]rune("أيمن الصفدي"))); ok {
		t.Fatal("Enter accepted a hidden suggestion")
	}
	// A new window on the project starts with them off.
	u2 := uiOn(t, st, "amina")
	if u2.sug.on || u2.sug.menu.Checked || len(u2.view.Suggestions()) != 0 {
		t.Fatalf("another window: on %v, checked %v", u2.sug.on, u2.sug.menu.Checked)
	}
	item.Action()
	if !item.Checked || len(u.view.Suggestions()) != 1 {
		t.Fatalf("on again: checked %v, %d shown", item.Checked, len(u.view.Suggestions()))
	}
}

// The suggestions never reach a file while pending (the CLI's tests check
// export and agreement): here, a pending one is no span of the layer.
func TestSuggestionsAreNotInTheLayer(t *testing.T) {
	u, _, st := newTestUI(t)
	seedSuggestions(t, u, "PERSON", "أيمن الصفدي")
	l, err := st.Layer(u.doc.ID, "amina")
	if err != nil || len(l.Spans) != 0 {
		t.Fatalf("layer %+v %v", l, err)
	}
	if u.docs[u.cur].Spans["amina"] != 0 {
		t.Fatalf("document list counts %d spans", u.docs[u.cur].Spans["amina"])
	}
}
