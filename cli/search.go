package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"strings"

	"tawsim/annotate/match"
	"tawsim/project"
)

func searchCmd(fs *flag.FlagSet) func(*Env, []string) error {
	asJSON := fs.Bool("json", false, "print a JSON array of {doc, start, end, text} (and label, annotator)")
	label := fs.String("label", "", "find the spans of label `L` whose text matches QUERY (without QUERY: all of them)")
	annotator := fs.String("annotator", "", "with --label: the spans of annotator `NAME` only (default: every layer, gold included)")
	return func(env *Env, args []string) error {
		var q project.SearchQuery
		query := strings.Join(args, " ") // أيمن الصفدي needs no quotes
		switch {
		case query == "" && *label == "":
			return Usagef("give a QUERY (or --label L)")
		case *annotator != "" && *label == "":
			return Usagef("--annotator chooses the layer of a --label search")
		case query != "":
			m, err := match.Compile(query)
			if errors.Is(err, match.ErrNoWords) {
				return Usagef("%q: %v", query, err)
			}
			q.Matcher = m
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		if q.Label = *label; q.Label != "" {
			if err := checkLabel(st, q.Label); err != nil {
				return err
			}
		}
		if *annotator != "" {
			name, err := ChooseAnnotator(st, *annotator)
			if err != nil {
				return err
			}
			q.Layers = []string{name}
		}
		w := bufio.NewWriterSize(env.Stdout, 1<<16)
		n := 0
		err = project.Search(st, q, func(h project.Hit) error {
			n++
			if *asJSON {
				sep := ",\n"
				if n == 1 {
					sep = "[\n"
				}
				w.WriteString(sep)
				return writeJSONItem(w, h)
			}
			if q.Label != "" {
				fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%s\n", h.Doc, h.Start, h.End, h.Label, h.Annotator, oneField.Replace(h.Text))
				return nil
			}
			_, err := fmt.Fprintf(w, "%s\t%d\t%d\t%s\n", h.Doc, h.Start, h.End, oneField.Replace(h.Text))
			return err
		})
		if err != nil {
			return err
		}
		if *asJSON {
			if n == 0 {
				w.WriteString("[")
			}
			w.WriteString("\n]\n")
		}
		return w.Flush()
	}
}
