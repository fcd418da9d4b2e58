package app

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"tawsim/annotate/layout"
	"tawsim/internal/golden"
	"tawsim/storage"
)

// proseLine is the first line of block i of p as laid out.
func proseLine(t *testing.T, p *Prose, i int) layout.Line {
	t.Helper()
	ln, ok := p.docs[i].Line(0)
	if !ok {
		t.Fatalf("block %d (%q) has no line", i, p.blocks[i].text)
	}
	return ln
}

// proseRightAligned reports whether block i reads right to left, its
// lines ending at the right edge.
func proseRightAligned(t *testing.T, p *Prose, i int) bool {
	t.Helper()
	ln := proseLine(t, p, i)
	return ln.RTL && p.docs[i].Width()-ln.X1 < 1
}

// guideExamples are the lines a new user saw scrambled by RichText.
const guideExamples = "## الأشخاص (PERSON)\n\n- لا تُدخل اللقب (الوزير) في الامتداد، واستعمل المفتاح 1.\n- ولا تضع الرتبة (العقيد) أو المنصب (رئيس الوزراء) داخل الامتداد، بل المفتاح 2 للمنصب.\n\n`CLAIM` هو الادعاء.\n\nانظر [الدليل الكامل](https://example.org/guide) قبل *البدء* بالعمل.\n\nEnglish: mark *people* with PERSON (see [the guide](https://example.org/en)).\n"

// clusterAt is the line and centre x of the cluster holding offset off.
func clusterAt(t *testing.T, d *layout.Document, off int) (int, float32) {
	t.Helper()
	for _, ln := range d.Lines() {
		for _, r := range ln.Runs {
			for _, c := range r.Clusters {
				if c.Start <= off && off < c.End {
					return ln.Index, (c.X0 + c.X1) / 2
				}
			}
		}
	}
	t.Fatalf("offset %d is not drawn", off)
	return 0, 0
}

// TestProseGuidelines lays out the lines a new user saw scrambled: words
// (each Arabic word, and a lone Latin word, number or bracketed word) must
// follow each other in the paragraph's direction, brackets hug what they
// enclose, nothing sticks out of the pane or overlaps, at a narrow and a
// wide pane. The captures are golden images (looked at when made).
func TestProseGuidelines(t *testing.T) {
	test.NewTempApp(t)
	p := NewProse(testFonts)
	w := test.NewWindow(p)
	defer w.Close()
	p.SetBlocks(guideBlocks(storage.Guidelines{Text: guideExamples, Format: storage.GuidelinesMarkdown}))
	want := []string{"الأشخاص (PERSON)", "• لا تُدخل اللقب (الوزير) في الامتداد، واستعمل المفتاح 1.",
		"• ولا تضع الرتبة (العقيد) أو المنصب (رئيس الوزراء) داخل الامتداد، بل المفتاح 2 للمنصب.",
		"CLAIM هو الادعاء.", "انظر الدليل الكامل قبل البدء بالعمل.", "English: mark people with PERSON (see the guide)."}
	if len(p.blocks) != len(want) {
		t.Fatalf("blocks %+v", p.blocks)
	}
	for i, b := range p.blocks {
		if b.text != want[i] {
			t.Fatalf("block %d is %q, want %q", i, b.text, want[i])
		}
	}
	if p.blocks[0].heading != 2 || len(p.blocks[4].links) != 1 || p.blocks[4].links[0].url.String() != "https://example.org/guide" {
		t.Fatalf("heading or link lost: %+v", p.blocks)
	}
	for _, c := range []struct {
		width float32
		name  string
		lines int // of the second list item
	}{{320, "narrow", 2}, {900, "wide", 1}} {
		w.Resize(fyne.NewSize(c.width, 420))
		golden.Check(t, w.Canvas().Capture(), filepath.Join("testdata", "guidelines-"+c.name+".png"))
		if n := p.docs[2].NumLines(); n != c.lines {
			t.Errorf("%s: the second list item has %d lines, want %d", c.name, n, c.lines)
		}
		for i, d := range p.docs {
			rtl := i != 3 && i != 5
			if got := proseLine(t, p, i).RTL; got != rtl {
				t.Errorf("%s: block %d RTL %v", c.name, i, got)
			}
			if i > 0 && p.tops[i] < p.tops[i-1]+p.docs[i-1].Height() {
				t.Errorf("%s: block %d overlaps the one above", c.name, i)
			}
			for _, ln := range d.Lines() {
				if ln.X0 < 0 || ln.X1 > d.Width()+0.5 {
					t.Errorf("%s: block %d line %d spans [%g, %g] of %g", c.name, i, ln.Index, ln.X0, ln.X1, d.Width())
				}
			}
			if !rtl {
				continue // Arabic words in them are a right-to-left run: below
			}
			// Consecutive words on one line stand in reading order.
			text := []rune(p.blocks[i].text)
			prevLine, prevX := -1, float32(0)
			for off := 0; off < len(text); off++ {
				if off > 0 && text[off-1] != ' ' || text[off] == ' ' {
					continue
				}
				ln, x := clusterAt(t, d, off)
				if ln == prevLine && (rtl && x >= prevX || !rtl && x <= prevX) {
					t.Errorf("%s: block %d: the word at %d (%q) is on the wrong side of the one before", c.name, i, off, string(text[off:]))
				}
				if ln < prevLine {
					t.Errorf("%s: block %d: the word at %d is on an earlier line", c.name, i, off)
				}
				prevLine, prevX = ln, x
			}
		}
		// In the heading, the bracketed Latin word stays whole with its
		// brackets around it, to the left of the Arabic word.
		d := p.docs[0]
		_, open := clusterAt(t, d, 8)
		_, first := clusterAt(t, d, 9)
		_, last := clusterAt(t, d, 14)
		_, closing := clusterAt(t, d, 15)
		_, arabic := clusterAt(t, d, 0)
		if !(closing < first && first < last && last < open && open < arabic) {
			t.Errorf("%s: heading order ) %g, P %g, N %g, ( %g, Arabic %g", c.name, closing, first, last, open, arabic)
		}
		// A tap on the Arabic link's text opens it; one beside it does not.
		pad := p.Theme().Size(theme.SizeNamePadding)
		r := p.docs[4].Rects(p.blocks[4].links[0].start, p.blocks[4].links[0].end)[0]
		at := fyne.NewPos(pad+(r.X0+r.X1)/2, pad+p.tops[4]+(r.Y0+r.Y1)/2)
		if u := p.linkAt(at); u == nil || u.String() != "https://example.org/guide" {
			t.Errorf("%s: link at %v: %v", c.name, at, u)
		}
		if u := p.linkAt(at.AddXY(r.X1-r.X0, 0)); u != nil {
			t.Errorf("%s: a link beside the link: %v", c.name, u)
		}
		// `CLAIM` starts the paragraph, left to right, before the Arabic.
		_, claim := clusterAt(t, p.docs[3], 0)
		_, huwa := clusterAt(t, p.docs[3], 6)
		_, claimWord := clusterAt(t, p.docs[3], 9)
		if !(claim < claimWord && claimWord < huwa) {
			t.Errorf("%s: CLAIM %g, الادعاء %g, هو %g", c.name, claim, claimWord, huwa)
		}
		// The document view lays the list item out the same way.
		v := NewSpanView(testFonts, p.Theme().Size(theme.SizeNameText))
		vw := test.NewWindow(v)
		vw.SetPadded(false)
		vw.Resize(fyne.NewSize(p.docs[2].Width()+2*viewPad, 300))
		v.SetText(p.blocks[2].text)
		v.ensureLayout(v.Size())
		if got, want := lineBreaks(v.Layout()), lineBreaks(p.docs[2]); got != want {
			t.Errorf("%s: the document view lays the item out as %s, the guidelines as %s", c.name, got, want)
		}
		vw.Close()
	}
}

// lineBreaks describes d's lines: their ranges and runs' positions.
func lineBreaks(d *layout.Document) string {
	var b strings.Builder
	for _, ln := range d.Lines() {
		fmt.Fprintf(&b, "[%d,%d)", ln.Start, ln.End)
		for _, r := range ln.Runs {
			fmt.Fprintf(&b, " %.1f+%.1f", r.X, r.Width)
		}
		b.WriteString("; ")
	}
	return b.String()
}

// Markdown's blocks become paragraphs with their text exactly as written
// (no space added around styled words), bullets and numbers first.
func TestMarkdownBlocks(t *testing.T) {
	md := "# عنوان\n\nنص و**دولة** و*مائل*ها مع `رمز`.\nسطر ثانٍ\n\n3. ثالث\n4. رابع\n   - فرعي\n\n> اقتباس\n> يكمل\n\n---\n\n```\nسطر ١\nسطر ٢\n```\n\n<https://example.org/x>\n"
	var got []string
	for _, b := range markdownBlocks([]byte(md)) {
		s := fmt.Sprintf("%d:%s", b.heading, b.text)
		if b.rule {
			s = "rule"
		}
		for _, l := range b.links {
			s += fmt.Sprintf(" [%d,%d)→%s", l.start, l.end, l.url)
		}
		got = append(got, s)
	}
	want := []string{"1:عنوان", "0:نص ودولة ومائلها مع رمز. سطر ثانٍ", "0:3. ثالث", "0:4. رابع", "0:• فرعي",
		"0:اقتباس يكمل", "rule", "0:سطر ١\nسطر ٢", "0:https://example.org/x [0,21)→https://example.org/x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("blocks\n%q\nwant\n%q", got, want)
	}
}
