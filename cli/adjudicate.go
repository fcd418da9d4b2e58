package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/project"
	"tawsim/storage"
)

// Adjudicate pre-fills the gold layer with the spans the annotators agree on.
var Adjudicate = &Command{Name: "adjudicate", Summary: "pre-fill the gold layer with the spans the annotators agree on",
	Usage: "[--annotators a,b,c] [--min-agree N]", DB: DefaultDB, NoArgs: true, Flags: adjudicateCmd}

// adjudicateCmd accepts, for every document, the candidate of each agreed
// group (see package adjudicate) into the gold layer as automatic, drops
// automatic gold spans that no longer qualify, and never touches a hand
// decision. It prints, per document, what it accepted and what is open,
// then the totals.
func adjudicateCmd(fs *flag.FlagSet) func(*Env, []string) error {
	list := fs.String("annotators", "", "comma-separated `NAMES` of the annotators to adjudicate between (default: every annotator who worked: spans or a status)")
	minAgree := fs.Int("min-agree", 0, "accept a span automatically when at least `N` annotators marked exactly it (default: all of them); spans fewer marked stay open for a person")
	return func(env *Env, args []string) error {
		st, err := env.Store()
		if err != nil {
			return err
		}
		names, err := adjudicationAnnotators(st, *list)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			fmt.Fprintln(env.Stdout, "no annotator has worked here: nothing to adjudicate")
			return nil
		}
		if *minAgree < 0 || *minAgree > len(names) {
			return Usagef("--min-agree %d: give a number from 1 to %d (the annotators: %s)", *minAgree, len(names), strings.Join(names, ", "))
		}
		n := adjudicate.Threshold(*minAgree, len(names))
		docs, err := st.Documents()
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "annotators: %s; automatic when %d of %d agree exactly\n", strings.Join(names, ", "), n, len(names))
		// The app's adjudication screen pre-fills with the same settings.
		if err := st.SavePrefillSettings(storage.PrefillSettings{Annotators: names, MinAgree: *minAgree}); err != nil {
			return err
		}
		bar := newProgress(env, "adjudicating")
		var added, dropped, done int
		var total adjudicate.Counts
		for i, info := range docs {
			d, err := st.AdjudicationDoc(info.ID, names)
			if err != nil {
				return err
			}
			plan := adjudicate.Prefill(adjudicate.Groups(d, n))
			var fresh []annotate.Span // accepted now, not in the gold layer before
			for _, sp := range plan.Add {
				if !slices.ContainsFunc(d.Gold, func(g annotate.Span) bool { return g.Start == sp.Start && g.End == sp.End && g.Label == sp.Label }) {
					fresh = append(fresh, sp)
				}
			}
			var a, r int
			if len(plan.Add) > 0 || len(plan.Drop) > 0 {
				if a, r, err = st.GoldAutomatic(info.ID, plan.Add, plan.Drop); err != nil {
					return fmt.Errorf("document %s: %w", info.ID, err)
				}
			}
			// Report from the stored result.
			if d, err = st.AdjudicationDoc(info.ID, names); err != nil {
				return err
			}
			groups := adjudicate.Groups(d, n)
			c := adjudicate.Count(groups)
			added, dropped = added+a, dropped+r
			total.Open += c.Open
			total.Agreed += c.Agreed
			total.Automatic += c.Automatic
			total.Decided += c.Decided
			total.Rejected += c.Rejected
			if adjudicate.Done(groups) {
				done++
			}
			fmt.Fprintf(env.Stdout, "%s: %d accepted, %d removed; groups: %d open, %d automatic, %d decided, %d rejected\n",
				info.ID, a, r, c.Open+c.Agreed, c.Automatic, c.Decided, c.Rejected)
			for _, sp := range fresh {
				fmt.Fprintf(env.Stdout, "  accepted %s [%d,%d) «%s» (%s)\n", sp.Label, sp.Start, sp.End, sp.Text, strings.Join(sp.Votes, ", "))
			}
			for _, g := range groups {
				switch g.State {
				case adjudicate.Open, adjudicate.Agreed:
					var parts []string
					for _, c := range g.Candidates {
						parts = append(parts, c.Describe())
					}
					if len(parts) == 0 {
						parts = append(parts, "no annotator marked this gold span")
					}
					fmt.Fprintf(env.Stdout, "  open [%d,%d): %s\n", g.Start, g.End, strings.Join(parts, " | "))
				}
			}
			bar.set(i+1, len(docs))
		}
		fmt.Fprintf(env.Stdout, "total: %d accepted, %d removed; groups: %d open, %d automatic, %d decided, %d rejected; %d/%d documents fully adjudicated\n",
			added, dropped, total.Open+total.Agreed, total.Automatic, total.Decided, total.Rejected, done, len(docs))
		return nil
	}
}

// adjudicationAnnotators resolves --annotators: the names given (each a
// human annotator of the project, no repeats), or those who count by
// default (project.Annotators).
func adjudicationAnnotators(st *storage.Store, list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return project.Annotators(st)
	}
	known, err := st.Annotators()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
			continue
		case n == storage.GoldLayer:
			return nil, Usagef("--annotators: %q is the gold layer, not an annotator", n)
		case !slices.Contains(known, n):
			return nil, Usagef("--annotators: no annotator %q; the annotators are: %s", n, listOrNone(known))
		case slices.Contains(names, n):
			return nil, Usagef("--annotators: %q is named twice", n)
		}
		names = append(names, n)
	}
	return names, nil
}
