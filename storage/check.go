package storage

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"tawsim/annotate"
)

// MaxLabelLength is the longest label name, in characters.
const MaxLabelLength = 200

// CheckLabelName refuses a label name that an export could not carry:
// empty, with whitespace or control characters (brat's .ann separates
// fields with them), or longer than MaxLabelLength.
func CheckLabelName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a label needs a name")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Errorf("label %q has whitespace or a control character (exports separate fields with them)", name)
	case utf8.RuneCountInString(name) > MaxLabelLength:
		return fmt.Errorf("label %.20q… has %d characters, more than %d", name, utf8.RuneCountInString(name), MaxLabelLength)
	}
	return nil
}

// checkRecords refuses, before anything is written, what would break an
// export later: ids with control characters (NUL ends a C string) and
// unusable label names. A file of empty documents only (a CoNLL file
// holding nothing but -DOCSTART-) is refused by allEmpty.
func checkRecords(recs []annotate.Record, opt ImportOptions) error {
	for i := range recs {
		r := &recs[i]
		if strings.IndexFunc(r.Doc.ID, unicode.IsControl) >= 0 {
			return fmt.Errorf("%sdocument id %q has a control character", where(opt, r.Line), r.Doc.ID)
		}
		for _, l := range r.Layers {
			for j, sp := range l.Spans {
				if err := CheckLabelName(sp.Label); err != nil {
					return fmt.Errorf("%sdocument %q: span %d: %v", where(opt, r.Line), r.Doc.ID, j, err)
				}
			}
		}
	}
	return nil
}

// allEmpty refuses an import of empty documents only; one empty document
// among others is kept: it round-trips through every format.
func allEmpty(st *importState) error {
	if st.docs > 0 && st.empty == st.docs {
		return fmt.Errorf("%severy document is empty (no tokens, or nothing after -DOCSTART-)", where(st.opt, st.firstLine))
	}
	return nil
}
