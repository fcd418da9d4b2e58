// Package rendercmd is the `tawsim render` command. It draws with the app's
// widgets, so it lives above both cli and app: the rest of the command line
// builds without the GUI toolkit.
package rendercmd

import (
	"flag"
	"fmt"
	"io"

	"tawsim/app"
	"tawsim/cli"
	"tawsim/internal/atomicfile"
)

// Render draws a document's annotation view to a PNG.
var Render = &cli.Command{Name: "render", Summary: "draw a document's annotation view to a PNG (no display needed)",
	Usage: "--doc ID [--annotator NAME] [--width PX] [--size PT] [--dark] --out FILE.png",
	DB:    cli.DefaultDB, NoArgs: true, Flags: renderCmd}

func renderCmd(fs *flag.FlagSet) func(*cli.Env, []string) error {
	id := fs.String("doc", "", "the document `ID`")
	ann := fs.String("annotator", "", "whose spans to draw, or \"gold\" (default: the only annotator)")
	width := fs.Int("width", 900, "image width in `PX`")
	size := fs.Float64("size", 20, "text size in points")
	dark := fs.Bool("dark", false, "dark theme")
	out := fs.String("out", "", "the PNG `FILE` to write")
	return func(env *cli.Env, args []string) error {
		if *id == "" || *out == "" {
			return cli.Usagef("--doc ID and --out FILE.png are required")
		}
		if *width < 200 || *width > 10000 {
			return cli.Usagef("--width must be between 200 and 10000 pixels")
		}
		st, err := env.Store()
		if err != nil {
			return err
		}
		doc, err := st.Document(*id)
		if err != nil {
			return err
		}
		name, err := cli.ChooseAnnotator(st, *ann)
		if err != nil {
			return err
		}
		layer, err := st.Layer(*id, name)
		if err != nil {
			return err
		}
		labels, err := st.Labels()
		if err != nil {
			return err
		}
		opt := app.RenderOptions{Width: *width, TextSize: float32(*size), Dark: *dark, Relations: layer.Relations}
		err = atomicfile.Write(*out, func(w io.Writer) error {
			return app.Render(w, doc, layer.Spans, labels, name, opt)
		})
		if err != nil {
			return err
		}
		what := "no layer: nobody has worked on the project"
		if name != "" {
			what = fmt.Sprintf("%d spans of %q", len(layer.Spans), name)
		}
		fmt.Fprintf(env.Stderr, "rendered %s (%s) to %s\n", *id, what, *out)
		return nil
	}
}
