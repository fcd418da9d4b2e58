package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"

	"tawsim/annotate/score"
	"tawsim/internal/atomicfile"
	"tawsim/project"
	"tawsim/storage"
)

// Score scores an extractor's predictions against gold spans.
var Score = &Command{Name: "score", Summary: "score an extractor's predictions against gold spans (SemEval 2013 9.1 schemes)",
	Usage: "[--json] (--gold FILE.jsonl | --db PATH) --pred FILE [--pred-format F] [--errors FILE.jsonl]",
	DB:    "take gold from this project's gold layer (`PATH`)", NoArgs: true, Flags: scoreCmd}

func scoreCmd(fs *flag.FlagSet) func(*Env, []string) error {
	goldFile := fs.String("gold", "", "gold spans as native JSONL (`FILE`)")
	predFile := fs.String("pred", "", "the extractor's output (`FILE`), native JSONL unless --pred-format")
	predFormat := fs.String("pred-format", "", "format of --pred (default: by extension and content)")
	goldLayer := fs.String("gold-annotator", "", "the gold file's layer, when it holds several")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	errorsOut := fs.String("errors", "", "write every strict-scheme error as JSONL to `FILE`: spans, then relations missed or spurious")
	return func(env *Env, args []string) error {
		// What stays in memory is the report and the predictions without
		// their texts: the heap may grow a quarter past it.
		heapNearLive(16 << 20)
		if *predFile == "" || (*goldFile == "") == (env.DB == "") {
			return Usagef("give --pred FILE and exactly one of --gold FILE or --db PATH")
		}
		var rep *score.Report
		leftOut := -1 // no project: nothing left out
		var ignored []string
		var st *storage.Store
		var err error
		if env.DB != "" {
			if st, err = env.Store(); err != nil {
				return err
			}
		}
		scoreTo := func(ew *score.ErrorWriter) (err error) {
			if st == nil {
				rep, err = project.ScoreFiles(*goldFile, *predFile, *predFormat, score.Layers{Gold: *goldLayer}, ew)
			} else { // the same documents as the app's Evaluate window
				rep, leftOut, ignored, err = project.ScoreProject(st, *predFile, *predFormat, "", ew)
			}
			return err
		}
		if *errorsOut == "" {
			err = scoreTo(nil)
		} else {
			// The errors are written as each document is scored, beside
			// the file to write: memory does not grow with them.
			err = atomicfile.Write(*errorsOut, func(w io.Writer) error {
				ew := score.NewErrorWriter(w, filepath.Dir(*errorsOut))
				if err := scoreTo(ew); err != nil {
					ew.Discard()
					return err
				}
				return ew.Close()
			})
		}
		if err != nil {
			return err
		}
		if len(ignored) > 0 {
			fmt.Fprintf(env.Stderr, "%d predicted documents have no gold yet and were left out: %s (their adjudication is not finished)\n", len(ignored), strings.Join(firstN(ignored, 10), ", "))
		}
		if leftOut < 0 {
			if *asJSON {
				return rep.WriteJSON(env.Stdout)
			}
			return rep.WriteText(env.Stdout)
		}
		if *asJSON {
			enc := json.NewEncoder(env.Stdout)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			// The report's fields, and beside "documents" the ones left out.
			return enc.Encode(struct {
				*score.Report
				LeftOut int `json:"left_out"`
			}{rep, leftOut})
		}
		fmt.Fprintf(env.Stdout, "finished documents %d   left out (adjudication not finished) %d\n", rep.Documents, leftOut)
		return rep.WriteText(env.Stdout)
	}
}

// heapNearLive keeps the GC target at GOGC 100 while what is live is
// small, and at a quarter over it plus slack bytes once it is larger: a
// low GC percent on a small heap collects every few MB read (tripling the
// GC's share of a score), a high one on a large heap doubles the peak.
// After every collection the memory limit follows the live heap it found.
func heapNearLive(slack uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	type cycle struct{ _ *int } // not a tiny allocation: its cleanup runs after the GC that frees it
	var arm func()
	arm = func() {
		runtime.AddCleanup(&cycle{}, func(struct{}) {
			metrics.Read(s)
			live := s[0].Value.Uint64()
			debug.SetMemoryLimit(int64(live + live/4 + slack))
			arm()
		}, struct{}{})
	}
	debug.SetMemoryLimit(int64(slack))
	arm()
}
