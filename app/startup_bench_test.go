package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"tawsim/annotate"
	"tawsim/assets"
	"tawsim/storage"
)

// project50k is a 50,000-document SQLite project of documents of about
// 1,000 code points from the sample articles' paragraphs, amina's five
// spans on each and her status done on every tenth. Making it takes ~20 s,
// so it is kept in the temporary directory for the next runs too (its name
// says the version of fillProject50k; remove it to make it anew).
func project50k(tb testing.TB) string {
	tb.Helper()
	bigProject.once.Do(func() {
		bigProject.path = filepath.Join(os.TempDir(), "tawsim-bench-50k-v1.db")
		if _, err := os.Stat(bigProject.path); err == nil {
			return
		}
		// Made aside and renamed: a run stopped halfway leaves no project.
		part := fmt.Sprintf("%s.%d", bigProject.path, os.Getpid())
		if bigProject.err = fillProject50k(part); bigProject.err == nil {
			bigProject.err = os.Rename(part, bigProject.path)
		}
		os.Remove(part)
	})
	if bigProject.err != nil {
		tb.Fatal(bigProject.err)
	}
	return bigProject.path
}

var bigProject struct {
	once sync.Once
	path string
	err  error
}

const bigProjectDocs = 50000

func fillProject50k(path string) error {
	st, err := storage.OpenEmpty(path)
	if err != nil {
		return err
	}
	defer st.Close()
	var paras []string
	for _, f := range assets.SampleCorpus() {
		text, _ := annotate.NormalizeText(f.Data)
		for _, p := range strings.Split(text, "\n") {
			if p = strings.TrimSpace(p); len([]rune(p)) > 40 {
				paras = append(paras, p)
			}
		}
	}
	labels := []string{"PERSON", "STATE", "ORGANIZATION", "CLAIM"}
	next := 0
	record := func(i int) annotate.Record {
		var b strings.Builder
		for len([]rune(b.String())) < 1000 {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(paras[next%len(paras)])
			next++
		}
		text := b.String()
		layer := annotate.Layer{Annotator: "amina"}
		for k := range 5 {
			layer.Spans = append(layer.Spans, annotate.Span{Start: k * 150, End: k*150 + 5, Label: labels[k%4]})
		}
		if i%10 == 0 {
			layer.Status = annotate.StatusDone
		}
		title := []rune(paras[(next+7)%len(paras)])
		return annotate.Record{Doc: annotate.Document{ID: fmt.Sprintf("doc%05d", i), Title: string(title[:min(60, len(title))]), Text: text},
			Layers: []annotate.Layer{layer}}
	}
	_, err = st.ImportStream(func(add func([]annotate.Record) error) error {
		for i := 0; i < bigProjectDocs; i += 1000 {
			recs := make([]annotate.Record, 0, 1000)
			for k := i; k < i+1000; k++ {
				recs = append(recs, record(k))
			}
			if err := add(recs); err != nil {
				return err
			}
		}
		return nil
	}, storage.ImportOptions{})
	return err
}

// TestProject50k makes the 50,000-document project at $TAWSIM_50K (for
// scripts/bench-switch.sh), when that is set.
func TestProject50k(t *testing.T) {
	out := os.Getenv("TAWSIM_50K")
	if out == "" {
		t.Skip("TAWSIM_50K=FILE makes the 50,000-document project in FILE")
	}
	if err := fillProject50k(out); err != nil {
		t.Fatal(err)
	}
	st, err := storage.OpenEmpty(out)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.DocumentCount(); err != nil || n != bigProjectDocs {
		t.Fatal(n, err)
	}
}

// BenchmarkStartup50k: the annotation window on a 50,000-document project
// as Run opens it, from opening the store to the first document's text in
// the view (text-ms: the window's content is ready to paint) and to the
// document list read in the background and shown (ns/op). Target: the
// first text within 1 s. "sync" is NewUI, which reads the list first.
func BenchmarkStartup50k(b *testing.B) {
	path := project50k(b)
	for _, lazy := range []bool{true, false} {
		name := "lazy"
		if !lazy {
			name = "sync"
		}
		b.Run(name, func(b *testing.B) {
			var text time.Duration
			for b.Loop() {
				t0 := time.Now()
				st, err := storage.OpenEmpty(path)
				if err != nil {
					b.Fatal(err)
				}
				a := test.NewTempApp(b)
				a.Preferences().SetString(prefAnnotator, "amina")
				w := test.NewWindow(nil)
				queued := make(chan func(), 1)
				var do func(func())
				if lazy {
					do = func(f func()) { queued <- f }
				}
				u, err := newUI(a, w, st, testFonts, do)
				if err != nil {
					b.Fatal(err)
				}
				if u.view.Layout().Len() == 0 {
					b.Fatal("no text shown")
				}
				text += time.Since(t0)
				if lazy {
					(<-queued)()
				}
				if len(u.docs) != bigProjectDocs {
					b.Fatalf("%d documents listed", len(u.docs))
				}
				w.Close()
				st.Close()
			}
			b.ReportMetric(float64(text.Milliseconds())/float64(b.N), "text-ms")
		})
	}
}

// BenchmarkSwitchDoc: the next document of the list opened, its text laid
// out and drawn in a 1280×800 window, on the sample project and on a
// 50,000-document one. Target ≤ 40 ms at the median.
func BenchmarkSwitchDoc(b *testing.B) {
	for _, size := range []string{"samples", "50k"} {
		b.Run(size, func(b *testing.B) {
			var st *storage.Store
			var err error
			if size == "50k" {
				st, err = storage.OpenEmpty(project50k(b))
			} else {
				st, err = storage.OpenEmpty(filepath.Join(b.TempDir(), "s.db"))
				if err == nil {
					err = st.Seed()
				}
			}
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			u := uiOn(b, st, "amina")
			u.win.Resize(fyne.NewSize(1280, 800))
			n := min(len(u.docs), 200)
			i := 0
			for b.Loop() {
				i = (i + 1) % n
				u.Open(i)
			}
		})
	}
}
