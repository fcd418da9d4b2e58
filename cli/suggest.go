package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"tawsim/annotate"
	"tawsim/annotate/match"
	"tawsim/project"
	"tawsim/storage"
)

// Suggest loads, lists, accepts and rejects the suggestions of a layer.
var Suggest = &Command{Name: "suggest", Summary: "suggest spans to an annotator (from a gazetteer, predictions, another layer or the layer's own spans); list, accept or reject them",
	Usage: "--annotator NAME (--gazetteer FILE.tsv | --pred FILE [--pred-format F] | --from-layer OTHER | --propagate | --list [--doc ID] | --accept ID | --reject ID)",
	DB:    DefaultDB, NoArgs: true, Flags: suggestCmd}

func suggestCmd(fs *flag.FlagSet) func(*Env, []string) error {
	annotator := fs.String("annotator", "", "the layer the suggestions are for (required)")
	gazetteer := fs.String("gazetteer", "", "suggest every match in the project of the names of `FILE`, lines NAME<TAB>LABEL")
	pred := fs.String("pred", "", "suggest the spans of `FILE`, predictions in any importable format")
	predFormat := fs.String("pred-format", "", "the format of --pred (default: detected)")
	fromLayer := fs.String("from-layer", "", "suggest the spans of annotator `OTHER`'s layer")
	propagate := fs.Bool("propagate", false, "suggest every other match in the project of the layer's own spans")
	list := fs.Bool("list", false, "list the layer's suggestions: id, document, start, end, label, origin, text")
	doc := fs.String("doc", "", "with --list: of document `ID` only")
	accept := fs.Int64("accept", 0, "make suggestion `ID` a span of the layer")
	reject := fs.Int64("reject", 0, "drop suggestion `ID`; it is not suggested again")
	return func(env *Env, _ []string) error {
		if *annotator == "" {
			return Usagef("--annotator NAME is required")
		}
		n := 0
		for _, set := range []bool{*gazetteer != "", *pred != "", *fromLayer != "", *propagate, *list, *accept != 0, *reject != 0} {
			if set {
				n++
			}
		}
		if n != 1 {
			return Usagef("give one of --gazetteer, --pred, --from-layer, --propagate, --list, --accept, --reject")
		}
		if *doc != "" && !*list {
			return Usagef("--doc goes with --list")
		}
		if *predFormat != "" && *pred == "" {
			return Usagef("--pred-format goes with --pred")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		switch {
		case *list:
			return listSuggestions(env, st, *annotator, *doc)
		case *accept != 0:
			sp, err := st.AcceptSuggestion(*accept)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "accepted: span %d [%d,%d) %s %s (%s)\n", sp.ID, sp.Start, sp.End, sp.Label, sp.Text, sp.Origin)
			return nil
		case *reject != 0:
			if err := st.RejectSuggestion(*reject); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "rejected: suggestion %d\n", *reject)
			return nil
		}
		var sugs []annotate.Suggestion
		switch {
		case *gazetteer != "" || *propagate:
			var names []project.Name
			origin := annotate.OriginGazetteer
			if *propagate {
				origin = annotate.OriginPropagated
				names, err = layerNames(st, *annotator)
			} else {
				names, err = readGazetteer(st, *gazetteer)
			}
			if err != nil {
				return err
			}
			if sugs, err = project.ProjectSuggestions(st, *annotator, names, origin); err != nil {
				return err
			}
		case *pred != "":
			recs, _, err := project.ReadFile(*pred, project.ImportOptions{Format: *predFormat})
			if err != nil {
				return err
			}
			for _, rec := range recs {
				for _, l := range rec.Layers {
					sugs = appendSpans(sugs, rec.Doc.ID, l.Spans, annotate.OriginModel)
				}
			}
		case *fromLayer != "":
			other, err := ChooseAnnotator(st, *fromLayer)
			if err != nil {
				return err
			}
			err = st.EachRecord(other, false, func(rec *annotate.Record) error {
				sugs = appendSpans(sugs, rec.Doc.ID, rec.Layers[0].Spans, annotate.OriginModel)
				return nil
			})
			if err != nil {
				return err
			}
		}
		added, skipped, err := st.AddSuggestions(*annotator, sugs)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d suggestions added, %d skipped (already spans, suggested or rejected)\n", added, skipped)
		return nil
	}
}

func appendSpans(dst []annotate.Suggestion, doc string, spans []annotate.Span, origin annotate.Origin) []annotate.Suggestion {
	for _, sp := range spans {
		dst = append(dst, annotate.Suggestion{Doc: doc, Start: sp.Start, End: sp.End, Label: sp.Label, Text: sp.Text, Origin: origin})
	}
	return dst
}

func listSuggestions(env *Env, st *storage.Store, annotator, doc string) error {
	sugs, err := st.Suggestions(doc, annotator)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(env.Stdout)
	for _, sg := range sugs {
		fmt.Fprintf(w, "%d\t%s\t%d\t%d\t%s\t%s\t%s\n", sg.ID, sg.Doc, sg.Start, sg.End, sg.Label, sg.Origin, oneField.Replace(sg.Text))
	}
	return w.Flush()
}

// readGazetteer reads NAME<TAB>LABEL lines (blank lines and lines starting
// with # are skipped); a bad line or an unknown label refuses the file.
func readGazetteer(st *storage.Store, path string) ([]project.Name, error) {
	labels, err := st.Labels()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, l := range labels {
		known[l.Name] = true
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var names []project.Name
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		t := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") {
			continue
		}
		name, label, ok := strings.Cut(t, "\t")
		label = strings.TrimSpace(label)
		switch {
		case !ok:
			return nil, fmt.Errorf("%s:%d: no tab: a line is NAME<TAB>LABEL", path, line)
		case label == "":
			return nil, fmt.Errorf("%s:%d: no label after the tab", path, line)
		case !known[label]:
			return nil, fmt.Errorf("%s:%d: no label %q in the project", path, line, label)
		}
		m, err := match.Compile(name)
		if errors.Is(err, match.ErrNoWords) {
			return nil, fmt.Errorf("%s:%d: name %q has no word", path, line, name)
		} else if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		names = append(names, project.Name{Label: label, Matcher: m})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return names, nil
}

// layerNames is the distinct texts and labels of an annotator's spans, as
// names to propagate (a text with no word in it is left out).
func layerNames(st *storage.Store, annotator string) ([]project.Name, error) {
	seen := map[[2]string]bool{}
	var names []project.Name
	err := st.EachRecord(annotator, false, func(rec *annotate.Record) error {
		for _, sp := range rec.Layers[0].Spans {
			k := [2]string{match.Normalize(sp.Text), sp.Label}
			if seen[k] {
				continue
			}
			seen[k] = true
			if m, err := match.Compile(sp.Text); err == nil {
				names = append(names, project.Name{Label: sp.Label, Matcher: m})
			}
		}
		return nil
	})
	return names, err
}
