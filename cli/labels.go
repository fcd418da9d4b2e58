package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"tawsim/annotate"
	"tawsim/storage"
)

// Labels lists and edits the project's label set.
var Labels = &Command{Name: "labels", Summary: "list the labels, or add, rename, merge, delete or change one",
	Usage: "[--json] | add NAME [--arabic A] [--color #rrggbb] [--hotkey K] | rename OLD NEW | merge FROM INTO | delete NAME | set NAME [--arabic A] [--color C] [--hotkey K]",
	DB:    DefaultDB, Flags: labelsCmd}

// Guidelines shows or sets the project's annotation guidelines.
var Guidelines = &Command{Name: "guidelines", Summary: "show the annotation guidelines, or set them from a file",
	Usage: "[--set FILE [--format markdown|text] | --kept]", DB: DefaultDB, NoArgs: true, Flags: guidelinesCmd}

// LabelRow is a label as `tawsim labels --json` prints it.
type LabelRow struct {
	Name      string `json:"name"`
	Arabic    string `json:"arabic"`
	Color     string `json:"color"`
	Hotkey    string `json:"hotkey"`
	Spans     int    `json:"spans"`
	Documents int    `json:"documents"`
}

func labelsCmd(fs *flag.FlagSet) func(*Env, []string) error {
	asJSON := fs.Bool("json", false, "print a JSON array")
	arabic := fs.String("arabic", "", "the label's Arabic display name (add, set)")
	color := fs.String("color", "", "the label's colour, #rrggbb (add, set)")
	hotkey := fs.String("hotkey", "", "the label's hotkey, 1 to 9, or \"\" for none (add, set)")
	return func(env *Env, args []string) error {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		sub, need := "list", 0
		if len(args) > 0 {
			sub = args[0]
			need = map[string]int{"add": 1, "rename": 2, "merge": 2, "delete": 1, "set": 1}[sub]
			if need == 0 {
				return Usagef("unknown labels command %q (add, rename, merge, delete or set)", sub)
			}
			args = args[1:]
		}
		if len(args) != need {
			return Usagef("labels %s takes %d names, got %d", sub, need, len(args))
		}
		if attrs := set["arabic"] || set["color"] || set["hotkey"]; attrs && sub != "add" && sub != "set" {
			return Usagef("--arabic, --color and --hotkey go with labels add or labels set")
		}
		if set["json"] && sub != "list" {
			return Usagef("--json goes with the listing")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		switch sub {
		case "list":
			return listLabels(env, st, *asJSON)
		case "add":
			err = st.AddLabel(annotate.Label{Name: args[0], Arabic: *arabic, Color: *color, Hotkey: *hotkey})
		case "set":
			var e storage.LabelEdit
			if set["arabic"] {
				e.Arabic = arabic
			}
			if set["color"] {
				e.Color = color
			}
			if set["hotkey"] {
				e.Hotkey = hotkey
			}
			if e == (storage.LabelEdit{}) {
				return Usagef("labels set needs --arabic, --color or --hotkey")
			}
			err = st.EditLabel(args[0], e)
		case "rename":
			err = st.RenameLabel(args[0], args[1])
		case "delete":
			err = st.DeleteLabel(args[0])
		case "merge":
			var res storage.LabelMerge
			if res, err = st.MergeLabel(args[0], args[1]); err == nil {
				fmt.Fprintf(env.Stdout, "merged %s into %s: %d spans relabelled, %d duplicate spans folded (%d duplicate relations)\n",
					args[0], args[1], res.Relabelled, res.Folded, res.RelationsFolded)
			}
			return err
		}
		if err == nil {
			fmt.Fprintf(env.Stdout, "%s: %s\n", map[string]string{"add": "added", "set": "changed", "rename": "renamed", "delete": "deleted"}[sub], strings.Join(args, " → "))
		}
		return err
	}
}

func listLabels(env *Env, st *storage.Store, asJSON bool) error {
	labels, err := st.Labels()
	var use map[string]storage.LabelUse
	if err == nil {
		use, err = st.LabelUsage()
	}
	if err != nil {
		return err
	}
	rows := make([]LabelRow, len(labels))
	for i, l := range labels {
		u := use[l.Name]
		rows[i] = LabelRow{Name: l.Name, Arabic: l.Arabic, Color: l.Color, Hotkey: l.Hotkey, Spans: u.Spans, Documents: u.Documents}
	}
	if asJSON {
		return writeJSON(env.Stdout, rows)
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tARABIC\tCOLOUR\tHOTKEY\tSPANS")
	for _, r := range rows {
		key := r.Hotkey
		if key == "" {
			key = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d in %d documents\n", r.Name, r.Arabic, r.Color, key, r.Spans, r.Documents)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	types, err := st.RelationTypes()
	if err != nil {
		return err
	}
	for _, t := range types {
		fmt.Fprintf(env.Stdout, "relation %s: %s → %s\n", t.Name, strings.Join(t.Heads, "|"), strings.Join(t.Tails, "|"))
	}
	return nil
}

func guidelinesCmd(fs *flag.FlagSet) func(*Env, []string) error {
	from := fs.String("set", "", "set the guidelines from this `FILE` (UTF-8)")
	format := fs.String("format", storage.GuidelinesMarkdown, "the format of --set's file: markdown or text")
	kept := fs.Bool("kept", false, "show the guidelines a merge set aside (both sides had changed them; the other side's change was kept)")
	return func(env *Env, _ []string) error {
		if *format != storage.GuidelinesMarkdown && *format != storage.GuidelinesText {
			return Usagef("--format is markdown or text, not %q", *format)
		}
		if *kept && *from != "" {
			return Usagef("give --set or --kept, not both")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		if *kept {
			k, ok, err := st.KeptGuidelines()
			if err != nil || !ok {
				if err == nil {
					fmt.Fprintln(env.Stderr, "no merge has set guidelines aside")
				}
				return err
			}
			fmt.Fprintf(env.Stderr, "set aside by a merge: the guidelines of %s (%s), last changed %s\n", k.From, k.Format, k.Modified.Format(time.RFC3339))
			printText(env.Stdout, k.Text)
			return nil
		}
		if *from == "" {
			g, err := st.Guidelines()
			if err != nil {
				return err
			}
			if g.Text == "" {
				fmt.Fprintln(env.Stderr, "the project has no guidelines (tawsim guidelines --set FILE sets them)")
				return nil
			}
			printText(env.Stdout, g.Text)
			return nil
		}
		data, err := os.ReadFile(*from)
		if err != nil {
			return err
		}
		text, err := annotate.NormalizeText(data)
		if err != nil {
			return fmt.Errorf("%s: %w", *from, err)
		}
		if err := st.SetGuidelines(storage.Guidelines{Text: text, Format: *format}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "guidelines set from %s (%s, %d characters)\n", *from, *format, len([]rune(text)))
		return nil
	}
}

// printText prints text ending with a newline.
func printText(w io.Writer, text string) {
	fmt.Fprint(w, text)
	if !strings.HasSuffix(text, "\n") {
		fmt.Fprintln(w)
	}
}

// checkLabel refuses a label the project does not have, listing those it has.
func checkLabel(st *storage.Store, name string) error {
	labels, err := st.Labels()
	if err != nil {
		return err
	}
	names := make([]string, len(labels))
	for i, l := range labels {
		if l.Name == name {
			return nil
		}
		names[i] = l.Name
	}
	return Usagef("no label %q; the labels are: %s", name, listOrNone(names))
}
