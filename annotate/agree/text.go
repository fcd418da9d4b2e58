package agree

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteText writes r as readable text tables: one row per pair with its
// coefficients and span F1, the all-annotator coefficients, unitizing
// alpha overall and per label (all annotators, then each pair), the span
// disagreements per pair, then per label the span and unit counts per
// annotator and the strict F1 of every pair. Undefined values print as "—"
// with their reason below the table.
func WriteText(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "Agreement: %d documents, %d units (%s), annotators %s\n\n",
		r.Documents, r.Units, r.Unit, strings.Join(r.Annotators, ", "))

	var notes []string
	note := func(what, n string) {
		if n != "" {
			notes = append(notes, what+": "+n)
		}
	}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pair\tkappa\tp_o\tp_e\talpha\tstrict P\tstrict R\tstrict F1\tboundary F1\toverlap P\toverlap R\toverlap F1\t")
	for _, p := range r.Pairs {
		name := p.A + "–" + p.B
		f := p.SpanF1
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", name,
			num(p.CohenKappa), num(p.ObservedAgreement), num(p.ExpectedAgreement), num(p.KrippendorffAlpha),
			num(f.Strict.Precision), num(f.Strict.Recall), num(f.Strict.F1), num(f.Boundary.F1),
			num(f.Overlap.Precision), num(f.Overlap.Recall), num(f.Overlap.F1))
		note(name+" kappa", p.CohenKappaNote)
		note(name+" alpha", p.KrippendorffAlphaNote)
		note(name+" span F1", f.Strict.Note)
	}
	tw.Flush()

	fmt.Fprintf(ew, "\nall annotators: Fleiss kappa %s, Krippendorff alpha %s, observed agreement %s, expected %s\n",
		num(r.All.FleissKappa), num(r.All.KrippendorffAlpha), num(r.All.ObservedAgreement), num(r.All.ExpectedAgreement))
	note("Fleiss kappa", r.All.FleissKappaNote)
	note("Krippendorff alpha", r.All.KrippendorffAlphaNote)
	for _, n := range notes {
		fmt.Fprintf(ew, "  %s\n", n)
	}

	writeUnitizing(ew, r)

	fmt.Fprintln(ew, "\nspan disagreements:")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pair\ttotal\tboundary\tclitic\ttitle/quote\tlabel\tcrossing\tmissing in A\tmissing in B\t")
	for _, p := range r.Pairs {
		d := p.Disagreements
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", p.A+"–"+p.B,
			d.Total, d.Boundary, d.BoundaryClitic, d.BoundaryTitleQuote, d.Label, d.Crossing, d.MissingInA, d.MissingInB)
	}
	tw.Flush()

	writeRelations(ew, r)

	if len(r.Labels) > 0 {
		fmt.Fprintln(ew, "\nper label (spans / units per annotator, strict F1 per pair):")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := append([]string{"label"}, r.Annotators...)
		for _, p := range r.Pairs {
			head = append(head, "F1 "+p.A+"–"+p.B)
		}
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for _, l := range r.Labels {
			row := []string{l.Label}
			for _, a := range r.Annotators {
				row = append(row, fmt.Sprintf("%d / %d", l.Spans[a], l.Units[a]))
			}
			for _, p := range r.Pairs {
				if m, ok := p.SpanF1.PerLabel[l.Label]; ok {
					row = append(row, num(m.F1))
				} else {
					row = append(row, "—")
				}
			}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		tw.Flush()
	}
	return ew.err
}

// writeRelations writes the relation table (reference and candidate
// counts, strict, boundary and overlap scores, attribution) per pair, then
// the strict F1 per relation label.
func writeRelations(w io.Writer, r *Report) {
	fmt.Fprintln(w, "\nrelations (A reference, B candidate) and attribution (claims with the same offsets, same sources):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "pair\tA\tB\tstrict P\tstrict R\tstrict F1\tboundary F1\toverlap P\toverlap R\toverlap F1\tclaims paired\tsame sources\tagreement\t")
	labels := map[string]bool{}
	for _, p := range r.Pairs {
		f, at := p.RelationF1, p.Attribution
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%d\t%s\t\n", p.A+"–"+p.B,
			f.Strict.Reference, f.Strict.Candidate, f.Strict.Precision, f.Strict.Recall, f.Strict.F1, f.Boundary.F1,
			f.Overlap.Precision, f.Overlap.Recall, f.Overlap.F1, at.ClaimsMatched, at.SameSource, num(at.Agreement))
		for l := range f.PerLabel {
			labels[l] = true
		}
	}
	tw.Flush()
	if len(labels) == 0 {
		return
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"relation"}
	for _, p := range r.Pairs {
		head = append(head, "F1 "+p.A+"–"+p.B)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, l := range slices.Sorted(maps.Keys(labels)) {
		row := []string{l}
		for _, p := range r.Pairs {
			if m, ok := p.RelationF1.PerLabel[l]; ok {
				row = append(row, fmt.Sprintf("%.3f (%d/%d/%d)", m.F1, m.Matches, m.Reference, m.Candidate))
			} else {
				row = append(row, "—")
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w, "  per relation: F1 (matches/A/B)")
}

// writeUnitizing writes the α_u table: a row for the overall value and one
// per label, a column for all annotators and one per pair.
func writeUnitizing(w io.Writer, r *Report) {
	fmt.Fprintln(w, "\nunitizing alpha (Krippendorff's alpha_u; continuum: the documents in report order):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"label", "all"}
	us := []UnitizingAlpha{r.All.UnitizingAlpha}
	names := []string{"all"}
	for _, p := range r.Pairs {
		head = append(head, p.A+"–"+p.B)
		us = append(us, p.UnitizingAlpha)
		names = append(names, p.A+"–"+p.B)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	row := []string{"(overall)"}
	var notes []string
	for i, u := range us {
		row = append(row, num(u.AlphaU))
		if u.AlphaUNote != "" {
			notes = append(notes, names[i]+": "+u.AlphaUNote)
		}
	}
	fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	for _, l := range r.Labels {
		row := []string{l.Label}
		for i, u := range us {
			v, ok := u.AlphaUPerLabel[l.Label]
			if !ok {
				row = append(row, "—")
				continue
			}
			row = append(row, num(v))
			if n := u.AlphaUPerLabelNotes[l.Label]; n != "" {
				notes = append(notes, names[i]+" "+l.Label+": "+n)
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintf(w, "per-document mean (as INCEpTION shows it): %s over %d documents; %d overlapping same-label spans merged\n",
		num(r.All.AlphaUDocumentMean), r.All.AlphaUDocuments, r.All.AlphaUMergedOverlaps)
	if n := r.All.AlphaUDocumentMeanNote; n != "" {
		notes = append(notes, "per-document mean: "+n)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "  %s\n", n)
	}
}

func num(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.3f", *v)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
