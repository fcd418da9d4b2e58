// Package cli is Tawsim's headless command line: the same binary as the
// GUI, run with a command, for pipelines.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mattn/go-isatty"

	"tawsim/storage"
)

// Version is the program version (also in FyneApp.toml).
const Version = "0.1.0"

// Env is what a command runs with.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Terminal says whether Stderr is a terminal (progress bars).
	Terminal bool
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string
	Usage   string // after "tawsim NAME "
	// Run parses args with fs (already holding --db where DB is set) and
	// does the work.
	Flags func(fs *flag.FlagSet) func(env *Env, args []string) error
}

var commands = map[string]*Command{}

// Add registers a command (main adds the ones that need the GUI toolkit).
func Add(c *Command) { commands[c.Name] = c }

// ErrUsage marks an error the user fixes by changing the command line.
var ErrUsage = errors.New("usage")

// exitError carries a specific exit status with a message already printed.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Run runs the command line args (without the program name) and returns the
// exit status: 0 success, 1 failure, 2 usage error.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if f, ok := stderr.(*os.File); ok {
		env.Terminal = isatty.IsTerminal(f.Fd())
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tawsim: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	fs := flag.NewFlagSet("tawsim "+c.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	run := c.Flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: tawsim %s %s\n\n%s\n\nOptions:\n", c.Name, c.Usage, c.Summary)
		fs.PrintDefaults()
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
	if err := run(env, pos); err != nil {
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

func usage(w io.Writer) {
	fmt.Fprintf(w, "Tawsim %s — span annotation of Arabic news.\n\n", Version)
	fmt.Fprintln(w, "Usage:\n  tawsim                 open the annotation app")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  tawsim %-15s %s\n", n, commands[n].Summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --db PATH (default: the default database in the user config directory) and -h.")
}

// dbFlag adds --db to a command's flags.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "project database `PATH` (default: tawsim/default.db in the user config directory, filled with the sample corpus on first use)")
}

// OpenStore opens the database named by --db, or the default one. A
// database named with --db must exist (a mistyped path would otherwise
// quietly give an empty project); import creates it (see createStore).
func OpenStore(path string) (*storage.Store, error) {
	if path == "" {
		return storage.OpenDefault()
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no database at %s (tawsim import --db %s … creates one)", path, path)
	}
	return storage.OpenEmpty(path)
}

// createStore is OpenStore that creates a database named with --db.
func createStore(path string) (*storage.Store, error) {
	if path == "" {
		return storage.OpenDefault()
	}
	return storage.OpenEmpty(path)
}

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
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
