package cli

import (
	"flag"
	"fmt"

	"tawsim/storage"
)

// Copy moves a whole project to another file or PostgreSQL database.
var Copy = &Command{Name: "copy", Summary: "move a whole project to another file or postgres:// DSN, exactly (every document, layer, revision and kept version; the same project, not a new copy to edit beside it)",
	Usage: "--to FILE|DSN [--force]", DB: DefaultDB, NoArgs: true, Flags: copyCmd}

func copyCmd(fs *flag.FlagSet) func(*Env, []string) error {
	to := fs.String("to", "", "the `FILE|DSN` to copy the project to (a postgres:// DSN): a new file or a database holding no project (required)")
	var opt storage.CopyOptions
	fs.BoolVar(&opt.Force, "force", false, "copy over a project that has no documents")
	return func(env *Env, args []string) error {
		if *to == "" {
			return Usagef("--to FILE|DSN is required")
		}
		src := env.DB
		if src == "" {
			var err error
			if src, err = storage.DefaultPath(); err != nil {
				return err
			}
		}
		rep, err := storage.Copy(src, *to, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "copied %s to %s: %s\n", rep.From, rep.To, rep)
		return nil
	}
}
