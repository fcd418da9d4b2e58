// Package cli is Tawsim's headless command line: the same binary as the
// GUI, run with a command, for pipelines. It does not depend on the GUI
// toolkit; main lists the commands (see Run), those of this package and
// the ones built on the app (render).
package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/mattn/go-isatty"

	"tawsim/storage"
)

// ProgramVersion is the program version (also in FyneApp.toml).
const ProgramVersion = "0.1.0"

// Env is what a command runs with.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Terminal says whether Stderr is a terminal (progress bars).
	Terminal bool
	// DB is the command's --db as given: "" for the default database.
	DB string

	create bool // Store creates a missing DB (Command.CreateDB)
	st     *storage.Store
}

// Store opens the project database, DB or the default one, on the first
// call; Run closes it when the command has finished. A database named
// with --db must exist (a mistyped path would otherwise quietly give an
// empty project), unless the command creates it (Command.CreateDB).
func (e *Env) Store() (*storage.Store, error) {
	if e.st != nil {
		return e.st, nil
	}
	var err error
	opt := storage.Options{Create: e.create, Wait: e.waitNotice}
	switch {
	case e.DB == "":
		e.st, err = storage.OpenDefaultWith(opt)
	case !e.create:
		if _, serr := os.Lstat(e.DB); errors.Is(serr, fs.ErrNotExist) && !storage.IsDSN(e.DB) {
			return nil, fmt.Errorf("no database at %s (tawsim import --db %s … creates one)", e.DB, e.DB)
		}
		fallthrough
	default:
		e.st, err = storage.OpenProject(e.DB, opt)
	}
	return e.st, err
}

// waitNotice tells a terminal that a write waits for another writer.
func (e *Env) waitNotice() {
	if e.Terminal {
		path := storage.RedactDSN(e.DB)
		if path == "" {
			path, _ = storage.DefaultPath()
		}
		fmt.Fprintf(e.Stderr, "waiting for another writer on %s…\n", path)
	}
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Usage   string // after "tawsim NAME "
	// DB is the help of the command's --db flag (DefaultDB for most), or
	// "" for a command without one; Env.DB holds the flag's value.
	DB string
	// CreateDB makes Env.Store create a --db database that does not exist.
	CreateDB bool
	// NoArgs refuses positional arguments (a usage error).
	NoArgs bool
	// Flags defines the command's flags on fs (--db is already there when
	// DB is set) and returns the function that does the work, which gets
	// the positional arguments.
	Flags func(fs *flag.FlagSet) func(env *Env, args []string) error
}

// DefaultDB is the help of the usual --db flag.
const DefaultDB = "project database `PATH` or postgres:// DSN (default: tawsim/default.db in the user config directory, filled with the sample corpus on first use)"

// ErrUsage marks an error the user fixes by changing the command line.
var ErrUsage = errors.New("usage")

// Usagef returns a usage error (exit status 2) with the message.
func Usagef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// exitError carries a specific exit status with a message already printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Run runs the command line args (without the program name) with one of
// cmds and returns the exit status: 0 success, 1 failure, 2 usage error.
func Run(cmds []*Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if f, ok := stderr.(*os.File); ok {
		env.Terminal = isatty.IsTerminal(f.Fd())
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout, cmds)
		return 0
	}
	var c *Command
	for _, cmd := range cmds {
		if cmd.Name == args[0] {
			c = cmd
		}
	}
	if c == nil {
		fmt.Fprintf(stderr, "tawsim: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	fs := flag.NewFlagSet("tawsim "+c.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if c.DB != "" {
		fs.StringVar(&env.DB, "db", "", c.DB)
		env.create = c.CreateDB
	}
	run := c.Flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: tawsim %s %s\n\n%s\n\nOptions:\n", c.Name, c.Usage, c.Summary)
		printDefaults(fs)
	}
	for _, a := range args[1:] {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
	}
	pos, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return 2
	}
	if c.NoArgs && len(pos) > 0 {
		err = Usagef("unexpected argument %q", pos[0])
	} else {
		err = run(env, pos)
	}
	if env.st != nil {
		if cerr := env.st.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		fmt.Fprintf(stderr, "tawsim %s: %v\n", c.Name, err)
		if errors.Is(err, ErrUsage) {
			return 2
		}
		return 1
	}
	return 0
}

// parseInterspersed lets flags come before or after the positional
// arguments, as users type them; "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// printDefaults is flag.PrintDefaults with the two dashes the usage lines
// (and most users) write: "--db PATH", not "-db PATH".
func printDefaults(fs *flag.FlagSet) {
	w := fs.Output()
	fs.VisitAll(func(f *flag.Flag) {
		name, help := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if name != "" {
			fmt.Fprintf(w, " %s", name)
		}
		fmt.Fprintf(w, "\n    \t%s", strings.ReplaceAll(help, "\n", "\n    \t"))
		if v, ok := f.Value.(flag.Getter); ok && f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			if _, isString := v.Get().(string); isString {
				fmt.Fprintf(w, " (default %q)", f.DefValue)
			} else {
				fmt.Fprintf(w, " (default %v)", f.DefValue)
			}
		}
		fmt.Fprintln(w)
	})
}

func usage(w io.Writer, cmds []*Command) {
	fmt.Fprintf(w, "Tawsim %s — span annotation of Arabic news.\n\n", ProgramVersion)
	fmt.Fprintln(w, "Usage:\n  tawsim [--db FILE]     open the annotation app (on FILE, a new project when missing)")
	for _, c := range cmds {
		fmt.Fprintf(w, "  tawsim %-15s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintln(w, "\nEvery command takes -h; those that read a project take --db PATH (default: the default database in the user config directory).")
}

// writeJSON writes v as one line of JSON, leaving <, > and & as they are
// (the output is data, not HTML).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeJSONItem is writeJSON without the line end: an item of an array
// streamed one at a time.
func writeJSONItem(w io.Writer, v any) error {
	var b bytes.Buffer
	if err := writeJSON(&b, v); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return err
}

// progress draws a bar on a terminal and nothing elsewhere.
type progress struct {
	w     io.Writer
	on    bool
	label string
	last  int
}

func newProgress(env *Env, label string) *progress {
	return &progress{w: env.Stderr, on: env.Terminal, label: label, last: -1}
}

func (p *progress) set(done, total int) {
	if !p.on || total <= 0 {
		return
	}
	pct := done * 100 / total
	if pct == p.last && done != total {
		return
	}
	p.last = pct
	const width = 30
	fill := done * width / total
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d", p.label, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), pct, done, total)
	if done == total {
		fmt.Fprintln(p.w)
	}
}
