package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"tawsim/storage"
)

// Versions lists the kept versions of layers (what a merge or an import
// decided against) and restores one.
var Versions = &Command{Name: "versions", Summary: "list the kept versions of layers (the other side of each merge or import conflict), or restore one",
	Usage: "[--doc ID] [--annotator NAME] [--json] | --restore ID", DB: DefaultDB, NoArgs: true, Flags: versionsCmd}

// versionJSON is one version in `tawsim versions --json`.
type versionJSON struct {
	ID        int64  `json:"id"`
	Doc       string `json:"doc"`
	Annotator string `json:"annotator"`
	Revision  int64  `json:"revision"`
	Modified  string `json:"modified,omitempty"`
	Kept      string `json:"kept"`
	Reason    string `json:"reason"`
	Status    string `json:"status"`
	Spans     int    `json:"spans"`
	Relations int    `json:"relations"`
}

func versionsCmd(fs *flag.FlagSet) func(*Env, []string) error {
	doc := fs.String("doc", "", "only the versions of this document")
	who := fs.String("annotator", "", "only the versions of this annotator's layers")
	asJSON := fs.Bool("json", false, "print a JSON array")
	restore := fs.Int64("restore", 0, "make version `ID` its layer's current state (the state it replaces is kept as another version)")
	return func(env *Env, args []string) error {
		st, err := env.Store()
		if err != nil {
			return err
		}
		if *restore != 0 {
			if *doc != "" || *who != "" || *asJSON {
				return Usagef("--restore takes no other option")
			}
			kept, err := st.RestoreVersion(*restore)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "restored version %d; the state it replaced is version %d\n", *restore, kept)
			return nil
		}
		vs, err := st.LayerVersions(*doc, *who)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeVersionsJSON(env.Stdout, vs)
		}
		if len(vs) == 0 {
			fmt.Fprintln(env.Stdout, "no kept versions")
		}
		for _, v := range vs {
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s\trevision %d\tmodified %s\t%d spans, %d relations, %s\t%s\n", v.ID, v.Doc, v.Annotator, v.Revision,
				stamp(v.Modified), len(v.Layer.Spans), len(v.Layer.Relations), v.Layer.Status, v.Reason)
		}
		return nil
	}
}

func writeVersionsJSON(w io.Writer, vs []storage.LayerVersion) error {
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = versionJSON{ID: v.ID, Doc: v.Doc, Annotator: v.Annotator, Revision: v.Revision, Modified: stamp(v.Modified),
			Kept: stamp(v.Created), Reason: v.Reason, Status: string(v.Layer.Status), Spans: len(v.Layer.Spans), Relations: len(v.Layer.Relations)}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// stamp is a time for people and scripts alike ("" for none).
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
