package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"tawsim/annotate/assign"
	"tawsim/project"
	"tawsim/storage"
)

var (
	// Assign plans who annotates which document and puts the plan in
	// place.
	Assign = &Command{Name: "assign", Summary: "assign the documents to annotators, balanced, with a share annotated by everyone",
		Usage: "[--annotators a,b,c --per-document K [--overlap SHARE] [--seed N] [--docs ids]]", DB: DefaultDB, NoArgs: true, Flags: assignCmd}
	// Progress prints the progress board.
	Progress = &Command{Name: "progress", Summary: "per annotator and per document: assigned, in progress, done, spans, time spent",
		Usage: "[--json]", DB: DefaultDB, NoArgs: true, Flags: progressCmd}
)

func assignCmd(fs *flag.FlagSet) func(*Env, []string) error {
	names := fs.String("annotators", "", "the annotators, comma-separated (without it: print the plan in place)")
	var o assign.Options
	fs.IntVar(&o.PerDoc, "per-document", 1, "annotators per document outside the overlap (`K`)")
	fs.Float64Var(&o.Overlap, "overlap", 0, "share of the documents (0 to 1) given to every annotator, for agreement")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the choice: the same seed gives the same plan")
	docs := fs.String("docs", "", "assign only these documents (ids, comma-separated; default: all); the others keep their annotators")
	return func(env *Env, args []string) error {
		st, err := env.Store()
		if err != nil {
			return err
		}
		if *names == "" {
			planFlag := ""
			fs.Visit(func(f *flag.Flag) {
				if f.Name != "db" {
					planFlag = f.Name
				}
			})
			if planFlag != "" {
				return Usagef("--%s makes a plan: give --annotators too", planFlag)
			}
			plan, err := st.Assignments()
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "The plan in place assigns %d documents.\n", len(plan))
			writeLoads(env, plan)
			return nil
		}
		o.Annotators, o.Gold = strings.Split(*names, ","), storage.GoldLayer
		if *docs != "" {
			o.Docs = strings.Split(*docs, ",")
		}
		if err := o.Check(); err != nil {
			return Usagef("%v", err)
		}
		plan, err := project.Assign(st, o)
		if err != nil {
			return err
		}
		shared := 0
		for _, as := range plan {
			if as.Overlap {
				shared++
			}
		}
		fmt.Fprintf(env.Stdout, "Assigned to %s: %d documents, %d of them to everyone (for agreement) and each other to %d (seed %d).\n",
			strings.Join(slices.Sorted(slices.Values(o.Annotators)), ", "), len(plan), shared, o.PerDoc, o.Seed)
		writeLoads(env, plan)
		return nil
	}
}

// writeLoads prints each annotator's documents in plan.
func writeLoads(env *Env, plan []assign.Assignment) {
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "annotator\tdocuments\tof which overlap")
	for _, l := range assign.Loads(plan) {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", l.Annotator, l.Docs, l.Overlap)
	}
	tw.Flush()
}

func progressCmd(fs *flag.FlagSet) func(*Env, []string) error {
	var asJSON bool
	fs.BoolVar(&asJSON, "json", false, "print the board as a JSON object {annotators, documents}")
	return func(env *Env, _ []string) error {
		st, err := env.Store()
		if err != nil {
			return err
		}
		p, err := project.ProgressOf(st)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(env.Stdout, p)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "annotator\tassigned\tin progress\tdone\tspans\ttime spent\tlast activity")
		for _, a := range p.Annotators {
			fmt.Fprintf(tw, "%s\t%d (%d done)\t%d\t%d\t%d\t%s\t%s\n", a.Annotator, a.Assigned, a.AssignedDone, a.InProgress, a.Done, a.Spans, a.Spent(), lastActivity(a.LastActivity))
		}
		fmt.Fprintln(tw, "\ndocument\tassigned\tdone\tall done")
		for _, d := range p.Documents {
			assigned := listOrNone(d.Assigned)
			if d.Overlap {
				assigned += " (overlap)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.ID, assigned, listOrNone(d.Done), yesNo(d.AllDone))
		}
		return tw.Flush()
	}
}

// lastActivity is a time of the board, local, to the minute; nil is "-".
func lastActivity(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
