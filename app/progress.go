package app

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"tawsim/project"
)

// progressBoard is Review ▸ Progress…: per annotator, the documents
// assigned, in progress and done, spans, time spent and last activity; per
// document, who is assigned and who is done (project.ProgressOf, as
// `tawsim progress` prints it). It follows changes made here and by other
// processes.
type progressBoard struct {
	u      *UI
	win    fyne.Window
	board  *project.Progress
	anns   *widget.Table
	docs   *widget.Table
	status *widget.Label

	do    func(func()) // runs on the UI goroutine: fyne.Do
	loads bgRun        // the board is read in the background
	follower
}

// progressPoll is how often the board looks whether the project changed
// (0: never; tests call checkChanges).
var progressPoll = time.Second

var (
	annColumns = []string{"Annotator", "Assigned", "Assigned done", "In progress", "Done", "Spans", "Time spent", "Last activity"}
	docColumns = []string{"Document", "Title", "Assigned", "In progress", "Done", "All done"}
)

func openProgress(u *UI) *progressBoard {
	b := &progressBoard{u: u, do: fyne.Do, board: &project.Progress{}}
	b.win = u.toolWindow(lang.L("Progress — Tawsim"))
	b.status = widget.NewLabel("")
	b.anns = b.table(annColumns, func() int { return len(b.board.Annotators) }, b.annCell)
	b.docs = b.table(docColumns, func() int { return len(b.board.Documents) }, b.docCell)
	for i, w := range []float32{140, 90, 110, 100, 70, 70, 100, 150} {
		b.anns.SetColumnWidth(i, w)
	}
	for i, w := range []float32{190, 320, 200, 160, 200, 80} {
		b.docs.SetColumnWidth(i, w)
	}
	bold := fyne.TextStyle{Bold: true}
	split := container.NewVSplit(
		container.NewBorder(widget.NewLabelWithStyle(lang.L("Annotators"), fyne.TextAlignLeading, bold), nil, nil, nil, b.anns),
		container.NewBorder(widget.NewLabelWithStyle(lang.L("Documents"), fyne.TextAlignLeading, bold), nil, nil, nil, b.docs))
	split.Offset = 0.35
	scrollInside(b.win, container.NewBorder(nil, b.status, nil, nil, split))
	// A change made in the annotation window is committed: look now
	// rather than at the next tick.
	u.watch(b, func(string) { b.checkChanges() })
	b.win.SetOnClosed(func() {
		u.unwatch(b)
		b.unfollow()
	})
	b.follow(u.store, progressPoll, b.do, b.checkChanges)
	b.status.SetText(lang.L("reading the project…"))
	b.load()
	b.win.Show()
	return b
}

// table is a table with a header row; cell gives the text of a row of
// rows() (from 0) and a column. Text with Arabic in it is laid out by
// TextLine (bidi-correct), the rest (numbers, dates) by a plain label.
func (b *progressBoard) table(cols []string, rows func() int, cell func(row, col int) string) *widget.Table {
	return widget.NewTable(
		func() (int, int) { return rows() + 1, len(cols) },
		func() fyne.CanvasObject {
			return container.NewStack(widget.NewLabel(""), NewTextLine(b.u.fonts, ""))
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			plain, line := c.Objects[0].(*widget.Label), c.Objects[1].(*TextLine)
			text := cols[id.Col]
			if id.Row > 0 {
				text = cell(id.Row-1, id.Col)
			}
			plain.TextStyle.Bold = id.Row == 0
			if strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) {
				line.SetText(text)
				line.Show()
				plain.Hide()
				return
			}
			plain.SetText(text)
			plain.Show()
			line.Hide()
		})
}

func (b *progressBoard) annCell(row, col int) string {
	a := b.board.Annotators[row]
	switch col {
	case 0:
		return a.Annotator
	case 1:
		return strconv.Itoa(a.Assigned)
	case 2:
		return strconv.Itoa(a.AssignedDone)
	case 3:
		return strconv.Itoa(a.InProgress)
	case 4:
		return strconv.Itoa(a.Done)
	case 5:
		return strconv.Itoa(a.Spans)
	case 6:
		return a.Spent().String()
	}
	if a.LastActivity == nil {
		return "—"
	}
	return a.LastActivity.Local().Format("2006-01-02 15:04")
}

func (b *progressBoard) docCell(row, col int) string {
	d := b.board.Documents[row]
	names := func(s []string) string {
		if len(s) == 0 {
			return "—"
		}
		return strings.Join(s, ", ")
	}
	switch col {
	case 0:
		return d.ID
	case 1:
		return d.Title
	case 2:
		if d.Overlap {
			return names(d.Assigned) + lang.L(" (overlap)")
		}
		return names(d.Assigned)
	case 3:
		return names(d.InProgress)
	case 4:
		return names(d.Done)
	}
	if d.AllDone {
		return lang.L("yes")
	}
	return lang.L("no")
}

// load reads the board again in the background (it reads every
// document's statuses: a large project takes a moment) and shows it; false
// if a load is already running.
func (b *progressBoard) load() bool {
	st := b.u.store
	return b.loads.run(b.do, func() func() {
		p, err := project.ProgressOf(st)
		return func() { b.show(p, err) }
	})
}

func (b *progressBoard) show(p *project.Progress, err error) {
	if err != nil {
		b.status.SetText("⚠ " + err.Error())
		return
	}
	b.board = p
	b.anns.Refresh()
	b.docs.Refresh()
	all := 0
	for _, d := range p.Documents {
		if d.AllDone {
			all++
		}
	}
	b.status.SetText(fmt.Sprintf(lang.L("%d annotators · %d of %d documents done by everyone expected on them"), len(p.Annotators), all, len(p.Documents)))
}

// checkChanges reads the board again when the database changed since the
// last read; while a read runs it looks again at the next tick.
func (b *progressBoard) checkChanges() { b.changed(b.u.store, b.load) }
