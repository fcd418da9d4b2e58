package agree

import (
	"strings"

	"tawsim/annotate"
)

// quoteRunes are the quotation marks (and brackets) a span may or may not
// include at its edges.
const quoteRunes = "\"'«»“”„‟‘’‚‹›()[]"

// titles are title words that annotators disagree about including in a
// PERSON span. A title may itself carry a clitic prefix (والرئيس).
var titles = map[string]bool{
	"الرئيس": true, "الرئيسة": true, "رئيس": true,
	"الوزير": true, "الوزيرة": true, "وزير": true,
	"السيد": true, "السيدة": true,
	"الشيخ": true, "الشيخة": true,
	"الدكتور": true, "الدكتورة": true, "د.": true, "د": true,
	"الأمير": true, "الامير": true, "الأميرة": true, "الملك": true, "الملكة": true,
	"الأستاذ": true, "الاستاذ": true, "المهندس": true, "النائب": true,
	"العميد": true, "اللواء": true, "العقيد": true, "الفريق": true,
	"المستشار": true, "السفير": true, "الإمام": true, "الامام": true,
	"الحاج": true, "القاضي": true, "المحامي": true,
}

// boundaryCause explains a boundary disagreement between two overlapping
// spans of the same label: when they share their end and the one starting
// earlier only adds, at the start, an Arabic clitic prefix (CauseClitic), a
// title word (CauseTitle) or quotation marks (CauseQuote). For quotes the
// ends may also differ by closing quotation marks only.
func boundaryCause(text string, byteOff []int32, x, y sp) string {
	if x.s == y.s {
		return ""
	}
	first, second := x, y
	if y.s < x.s {
		first, second = y, x
	}
	if second.s >= first.e {
		return ""
	}
	lead := text[byteOff[first.s]:byteOff[second.s]]
	trail := ""
	if first.e != second.e {
		lo, hi := min(first.e, second.e), max(first.e, second.e)
		trail = text[byteOff[lo]:byteOff[hi]]
	}
	core := strings.TrimLeft(strings.TrimSpace(lead), quoteRunes)
	quoted := len(core) < len(strings.TrimSpace(lead))
	core = strings.TrimSpace(core)
	if trail != "" {
		// Only a leading quote pairs with a closing one.
		if !quoted || strings.Trim(strings.TrimSpace(trail), quoteRunes) != "" {
			return ""
		}
	}
	switch {
	case core == "" && quoted:
		return CauseQuote
	case core == "":
		return ""
	case !quoted && !strings.ContainsFunc(lead, annotate.IsSpace) && annotate.IsProclitics(annotate.StripMarks(lead)):
		return CauseClitic
	}
	for rest := core; rest != ""; {
		i := strings.IndexFunc(rest, annotate.IsSpace)
		w := rest
		if i >= 0 {
			w, rest = rest[:i], strings.TrimLeftFunc(rest[i:], annotate.IsSpace)
		} else {
			rest = ""
		}
		if !isTitle(annotate.StripMarks(strings.Trim(w, quoteRunes+"،,:"))) {
			return ""
		}
	}
	return CauseTitle
}

// isTitle reports whether w is a title word, possibly behind proclitics
// (والرئيس, للرئيس, وللشيخ).
func isTitle(w string) bool {
	if titles[w] {
		return true
	}
	r := []rune(w)
	p := annotate.ParseProclitics(r)
	if titles[string(r[p.Conj:])] || titles[string(r[p.Prep:])] {
		return true
	}
	// لل + رئيس = ل + الرئيس
	return p.Fused && p.Article < len(r) && titles["ال"+string(r[p.Article:])]
}
