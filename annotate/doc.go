// Package annotate is Tawsim's domain: documents, spans, labels, offsets and
// the text contract. It knows nothing of Fyne or GORM.
//
// Offsets are Unicode code points into the stored text, end exclusive, as in
// Python's text[start:end]. Every span carries its text, and
// span.Text == Slice(document, span.Start, span.End) always holds.
package annotate

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// Document is one article as stored.
type Document struct {
	ID     string          // external id, unique in a project
	Title  string          // display title (first line of the text when none is given)
	Source string          // where it came from (file path, URL)
	Text   string          // the stored text: normalized, never rewritten
	Meta   json.RawMessage // free-form metadata object, nil when absent
}

// Len is the document length in code points.
func (d *Document) Len() int { return utf8.RuneCountInString(d.Text) }

// Hash is the hex SHA-256 of the stored text.
func (d *Document) Hash() string { return TextHash(d.Text) }

// TextHash is the hex SHA-256 of s.
func TextHash(s string) string {
	h := sha256.New()
	buf := make([]byte, min(len(s), 1<<16)) // in pieces: a long text is not copied whole
	for len(s) > 0 {
		n := copy(buf, s)
		h.Write(buf[:n])
		s = s[n:]
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Span is one labelled range of a document in one annotator's layer.
type Span struct {
	ID    int64  `json:"-"` // store id; 0 when not stored
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label"`
	Text  string `json:"text"`
	// Provenance, for spans of the gold layer: the annotators that had
	// exactly this span, how it was decided and by whom.
	Votes     []string `json:"votes,omitempty"`
	Decision  Decision `json:"decision,omitempty"`
	DecidedBy string   `json:"decided_by,omitempty"`
	// Origin is where an accepted suggestion came from; empty for a span
	// made by hand.
	Origin Origin `json:"origin,omitempty"`
}

// Decision is how a gold span came to be.
type Decision string

const (
	DecisionAutomatic Decision = "automatic" // enough annotators agreed exactly
	DecisionChosen    Decision = "chosen"    // an adjudicator accepted one annotator's span
	DecisionEdited    Decision = "edited"    // an adjudicator changed boundaries or label
	DecisionAdded     Decision = "added"     // an adjudicator added a span no one had
)

// Relation links two spans of one layer (e.g. a claim to its speaker).
// Head and Tail index the layer's span slice.
type Relation struct {
	Head  int    `json:"head"`
	Tail  int    `json:"tail"`
	Label string `json:"label"`
	// Provenance, for relations of the gold layer, as on spans.
	Votes     []string `json:"votes,omitempty"`
	Decision  Decision `json:"decision,omitempty"`
	DecidedBy string   `json:"decided_by,omitempty"`
}

// Label is a label type of the project.
type Label struct {
	Name   string // e.g. PERSON
	Arabic string // display name, e.g. شخص
	Color  string // "#rrggbb"
	Hotkey string // "1".."9" or ""
	Order  int
	UID    string // the store's stable id of the label (survives renames); "" outside a store
}

// DefaultLabels is the label set a new project starts with.
func DefaultLabels() []Label {
	return []Label{
		{Name: "PERSON", Arabic: "شخص", Color: "#e6194b", Hotkey: "1", Order: 1},
		{Name: "STATE", Arabic: "دولة", Color: "#3cb44b", Hotkey: "2", Order: 2},
		{Name: "ORGANIZATION", Arabic: "منظمة", Color: "#4363d8", Hotkey: "3", Order: 3},
		{Name: "CLAIM", Arabic: "ادعاء", Color: "#f58231", Hotkey: "4", Order: 4},
		{Name: "CUE", Arabic: "أداة الإسناد", Color: "#911eb4", Hotkey: "5", Order: 5},
	}
}

// Status is an annotator's progress on one document.
type Status string

const (
	StatusTodo       Status = "todo"
	StatusInProgress Status = "in_progress"
	StatusDone       Status = "done"
)

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool {
	return s == StatusTodo || s == StatusInProgress || s == StatusDone
}

// GoldStatus is where the adjudication of one document stands: the gold
// layer's own status, apart from the annotators' Status.
type GoldStatus string

const (
	GoldTodo       GoldStatus = "todo"        // no decision by hand yet
	GoldInProgress GoldStatus = "in_progress" // decided in part, or reopened
	GoldFinished   GoldStatus = "finished"    // an adjudicator declared it finished
)

// Layer is one annotator's spans and relations on one document.
type Layer struct {
	Annotator string
	Spans     []Span
	Relations []Relation
	// GoldStatus is set on a gold layer exported with its documents'
	// adjudication status (native JSONL "gold_status"); empty otherwise.
	GoldStatus GoldStatus
	// Where the layer's history stands (native JSONL "status", "seconds",
	// "revision", "modified", "clock"): the annotator's status of the
	// document and time spent on it in seconds, the revision every change
	// advances, the time of the last change (UTC) and the version vector
	// (changes per project copy) that merges compare. Zero for a layer
	// never changed, and for files that carry no revisions.
	Status   Status
	Seconds  float64
	Revision int64
	Modified time.Time
	Clock    map[string]int64
}

// Record is a document with the annotation layers that travel with it: the
// unit of import and export.
type Record struct {
	Doc    Document
	Layers []Layer
	Line   int // 1-based line of the source file it came from, 0 if none
}

// CheckSpan verifies a span against the document text (given as runes):
// offsets inside the text, start < end, and, when span.Text is set, that it
// equals the covered text. It fills span.Text when empty.
func CheckSpan(text []rune, sp *Span) error {
	inside := sp.Start >= 0 && sp.End <= len(text) && sp.Start < sp.End
	got := ""
	if inside {
		got = string(text[sp.Start:sp.End])
	}
	return checkSpanText(sp, got, inside, func() int { return len(text) })
}

// checkSpanText is CheckSpan once the covered text got is known (inside:
// the offsets are in the text, of length length()).
func checkSpanText(sp *Span, got string, inside bool, length func() int) error {
	if !inside {
		return fmt.Errorf("span [%d,%d) %s is outside the text (length %d) or empty", sp.Start, sp.End, sp.Label, length())
	}
	if sp.Label == "" {
		return fmt.Errorf("span [%d,%d) has no label", sp.Start, sp.End)
	}
	if sp.Text == "" {
		sp.Text = got
		return nil
	}
	if sp.Text != got {
		return fmt.Errorf("span [%d,%d) %s: text %q does not match the document's %q", sp.Start, sp.End, sp.Label, sp.Text, got)
	}
	return nil
}
