package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/adjudicate"
	"tawsim/project"
	"tawsim/storage"
)

// Adjudicate pre-fills the gold layer with the spans the annotators agree
// on, and finishes or reopens documents' adjudication.
var Adjudicate = &Command{Name: "adjudicate", Summary: "pre-fill the gold layer with the spans the annotators agree on; finish or reopen documents",
	Usage: "[--annotators a,b,c] [--min-agree N] [--finish] | --finish-docs ID,ID [--force] | --reopen ID,ID", DB: DefaultDB, NoArgs: true, Flags: adjudicateCmd}

// adjudicateCmd accepts, for every document not finished, the candidate of
// each agreed group (see package adjudicate) into the gold layer as
// automatic, drops automatic gold spans that no longer qualify, and never
// touches a hand decision. It prints, per document, what it accepted and
// what is open, then the totals. --finish-docs and --reopen change the
// adjudication status of named documents instead.
func adjudicateCmd(fs *flag.FlagSet) func(*Env, []string) error {
	list := fs.String("annotators", "", "comma-separated `NAMES` of the annotators to adjudicate between (default: every annotator who worked: spans or a status)")
	minAgree := fs.Int("min-agree", 0, "accept a span automatically when at least `N` annotators marked exactly it (default: all of them); spans fewer marked stay open for a person")
	finish := fs.Bool("finish", false, "mark finished every document the pre-fill leaves with no open group (and at least N annotators worked on)")
	finishDocs := fs.String("finish-docs", "", "mark the adjudication of these documents (comma-separated `IDS`) finished, instead of pre-filling; refused while one has an open group, unless --force")
	force := fs.Bool("force", false, "--finish-docs: finish even with open groups")
	reopen := fs.String("reopen", "", "put the adjudication of these documents (comma-separated `IDS`) back in progress, instead of pre-filling")
	by := fs.String("by", "", "who finishes, recorded with the status (default: $USER, or \"adjudicator\")")
	return func(env *Env, args []string) error {
		who := adjudicatorName(*by)
		if *finishDocs != "" && *reopen != "" {
			return Usagef("give --finish-docs or --reopen, not both")
		}
		if (*finishDocs != "" || *reopen != "") && (*list != "" || *minAgree != 0 || *finish) {
			return Usagef("--finish-docs and --reopen change statuses only: they take no pre-fill settings (--annotators, --min-agree, --finish)")
		}
		if *force && *finishDocs == "" {
			return Usagef("--force goes with --finish-docs")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		switch {
		case *finishDocs != "":
			ids := splitList(*finishDocs)
			var oge *storage.OpenGroupsError
			if err := project.FinishGold(st, ids, who, *force); errors.As(err, &oge) {
				return fmt.Errorf("%w (--force finishes them anyway)", err)
			} else if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "finished (by %s): %s\n", who, strings.Join(ids, ", "))
			return nil
		case *reopen != "":
			ids := splitList(*reopen)
			if err := st.ReopenGold(ids); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "reopened: %s\n", strings.Join(ids, ", "))
			return nil
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
			return Usagef("--min-agree %d: give a number from 1 to %d, or 0 for all of them (the annotators: %s)", *minAgree, len(names), strings.Join(names, ", "))
		}
		n := adjudicate.Threshold(*minAgree, len(names))
		fmt.Fprintf(env.Stdout, "annotators: %s; automatic when %d of %d agree exactly\n", strings.Join(names, ", "), n, len(names))
		bar := newProgress(env, "adjudicating")
		// The app's adjudication screen pre-fills with the same settings.
		opts := project.PrefillOptions{Settings: storage.PrefillSettings{Annotators: names, MinAgree: *minAgree}, Finish: *finish, By: who}
		docs, err := project.Prefill(st, opts, bar.set)
		if err != nil {
			return err
		}
		printPrefill(env, docs, *finish)
		return nil
	}
}

// printPrefill prints per document what the pre-fill accepted and what is
// open, then the totals.
func printPrefill(env *Env, docs []project.PrefillDoc, finish bool) {
	w := bufio.NewWriterSize(env.Stdout, 1<<16)
	defer w.Flush()
	var added, addedRels, dropped, done, empty, finished int
	var total adjudicate.Counts
	var kept []string
	for _, d := range docs {
		c := d.Counts
		added, dropped = added+len(d.Added), dropped+d.Dropped
		total.Open += c.Open
		total.Agreed += c.Agreed
		total.Automatic += c.Automatic
		total.Decided += c.Decided
		total.Rejected += c.Rejected
		switch {
		case c.Open+c.Agreed+c.Automatic+c.Decided+c.Rejected == 0:
			empty++ // nothing to adjudicate is not adjudicated
		case len(d.Open) == 0:
			done++
		}
		if d.Status == annotate.GoldFinished {
			kept = append(kept, d.ID)
			fmt.Fprintf(w, "%s: finished, left as it is; groups: %d open, %d automatic, %d decided, %d rejected\n",
				d.ID, len(d.Open), c.Automatic, c.Decided, c.Rejected)
			continue
		}
		fmt.Fprintf(w, "%s: %d accepted, %d removed; groups: %d open, %d automatic, %d decided, %d rejected\n",
			d.ID, len(d.Added), d.Dropped, len(d.Open), c.Automatic, c.Decided, c.Rejected)
		for _, sp := range d.Added {
			fmt.Fprintf(w, "  accepted %s [%d,%d) «%s» (%s)\n", sp.Label, sp.Start, sp.End, sp.Text, strings.Join(sp.Votes, ", "))
		}
		for _, r := range d.Relations {
			fmt.Fprintf(w, "  accepted relation %s «%s» → «%s» (%s)\n", r.Label, r.Head.Text, r.Tail.Text, strings.Join(r.Votes, ", "))
		}
		addedRels += len(d.Relations)
		for _, g := range d.Open {
			var parts []string
			for _, c := range g.Candidates {
				parts = append(parts, c.Describe())
			}
			if len(parts) == 0 {
				parts = append(parts, "no annotator marked this gold span")
			}
			fmt.Fprintf(w, "  open [%d,%d): %s\n", g.Start, g.End, strings.Join(parts, " | "))
		}
		if d.NowFinished {
			finished++
			fmt.Fprintf(w, "  finished\n")
		}
	}
	fmt.Fprintf(w, "total: %d accepted, %d removed; groups: %d open, %d automatic, %d decided, %d rejected; %d/%d documents fully adjudicated\n",
		added, dropped, total.Open+total.Agreed, total.Automatic, total.Decided, total.Rejected, done, len(docs))
	if empty > 0 {
		fmt.Fprintf(w, "%d documents have nothing the annotators marked: no gold there yet\n", empty)
	}
	if addedRels > 0 {
		fmt.Fprintf(w, "relations: %d accepted (both ends gold, drawn by enough annotators)\n", addedRels)
	}
	if len(kept) > 0 {
		fmt.Fprintf(w, "%d documents were finished before and left as they are (reopen them to pre-fill them again)\n", len(kept))
	}
	if finish {
		fmt.Fprintf(w, "finished now: %d documents (each marked \"finished\" above)\n", finished)
	}
}

// splitIDs splits a comma-separated list of document ids.
func splitList(list string) []string {
	var ids []string
	for _, id := range strings.Split(list, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// adjudicatorName is who finishes: --by, else the login name.
func adjudicatorName(by string) string {
	if by = strings.TrimSpace(by); by != "" {
		return by
	}
	if u := strings.TrimSpace(os.Getenv("USER")); u != "" {
		return u
	}
	return "adjudicator"
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
	for _, n := range splitList(list) {
		switch {
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
