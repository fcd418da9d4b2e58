package cli

import (
	"flag"
	"fmt"

	"tawsim/app"
)

func init() {
	Add(&Command{Name: "render", Summary: "draw a document's annotation view to a PNG (no display needed)",
		Usage: "--doc ID [--annotator NAME] [--width PX] [--size PT] [--dark] --out FILE.png", Flags: renderCmd})
}

func renderCmd(fs *flag.FlagSet) func(*Env, []string) error {
	db := dbFlag(fs)
	id := fs.String("doc", "", "the document `ID`")
	ann := fs.String("annotator", "", "whose spans to draw, or \"gold\" (default: the only annotator)")
	width := fs.Int("width", 900, "image width in `PX`")
	size := fs.Float64("size", 20, "text size in points")
	dark := fs.Bool("dark", false, "dark theme")
	out := fs.String("out", "", "the PNG `FILE` to write")
	return func(env *Env, args []string) error {
		if len(args) > 0 {
			return usageErr("unexpected argument %q", args[0])
		}
		if *id == "" || *out == "" {
			return usageErr("--doc ID and --out FILE.png are required")
		}
		if *width < 200 || *width > 10000 {
			return usageErr("--width must be between 200 and 10000 pixels")
		}
		st, err := OpenStore(*db)
		if err != nil {
			return err
		}
		defer st.Close()
		doc, err := st.Document(*id)
		if err != nil {
			return err
		}
		name, err := chooseAnnotator(st, *ann)
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
		f, err := createAtomic(*out)
		if err != nil {
			return err
		}
		if err := app.Render(f, doc, layer.Spans, labels, name, app.RenderOptions{Width: *width, TextSize: float32(*size), Dark: *dark}); err != nil {
			f.abort()
			return err
		}
		if err := f.commit(); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "rendered %s (%d spans of %q) to %s\n", *id, len(layer.Spans), name, *out)
		return nil
	}
}
