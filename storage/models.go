package storage

import (
	"time"

	"tawsim/annotate"
)

// The GORM models. They never leave this package: the Store's API speaks
// annotate types.

// SchemaVersion is the version of the schema this program writes. Opening a
// database recorded with a higher version is refused.
const SchemaVersion = 7

type metaRow struct {
	Key   string `gorm:"primaryKey"`
	Value string `gorm:"not null"`
}

func (metaRow) TableName() string { return "tawsim_meta" }

type document struct {
	ID        uint   `gorm:"primaryKey"`
	ExtID     string `gorm:"uniqueIndex;not null"`
	Title     string `gorm:"not null;default:''"`
	Source    string `gorm:"not null;default:''"`
	Text      string `gorm:"not null"`
	Length    int    `gorm:"not null"` // code points
	SHA256    string `gorm:"column:sha256;size:64;not null"`
	Meta      string `gorm:"not null;default:''"` // JSON object or empty
	CreatedAt time.Time
}

// Annotator kinds: people, and the project's gold layer.
const (
	kindHuman = "human"
	kindGold  = "gold"
)

type annotator struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"uniqueIndex;not null"`
	Kind      string `gorm:"not null;default:human"`
	CreatedAt time.Time
}

type labelType struct {
	ID     uint   `gorm:"primaryKey"`
	Name   string `gorm:"uniqueIndex;not null"`
	Arabic string `gorm:"not null;default:''"`
	Color  string `gorm:"not null;default:''"`
	Hotkey string `gorm:"not null;default:''"`
	Order  int    `gorm:"column:sort_order;not null;default:0"`
	// UID (schema version 6) stays with the label through renames, so a
	// merge can tell a renamed label from a new one.
	UID string  `gorm:"column:uid;not null;default:''"`
	Rev itemRev `gorm:"embedded"` // schema version 6: merged label by label
}

type span struct {
	ID          uint       `gorm:"primaryKey"`
	DocumentID  uint       `gorm:"not null;uniqueIndex:ux_span,priority:1"`
	AnnotatorID uint       `gorm:"not null;uniqueIndex:ux_span,priority:2"`
	Start       int        `gorm:"not null;uniqueIndex:ux_span,priority:3"`
	End         int        `gorm:"not null;uniqueIndex:ux_span,priority:4"`
	LabelID     uint       `gorm:"not null;uniqueIndex:ux_span,priority:5;index"`
	Text        string     `gorm:"not null"`
	Document    *document  `gorm:"constraint:OnDelete:CASCADE"`
	Annotator   *annotator `gorm:"constraint:OnDelete:CASCADE"`
	Label       *labelType `gorm:"constraint:OnDelete:RESTRICT"`
	Prov        provenance `gorm:"embedded"` // schema version 2
	// Origin: an accepted suggestion's (annotate.Origin); '' by hand.
	Origin    string `gorm:"not null;default:''"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// provenance is what a gold span or relation keeps of how it came to be:
// the annotators that had exactly it (JSON array), how it was decided and
// by whom. Other layers leave it empty.
type provenance struct {
	Votes     string `gorm:"not null;default:''"`
	Decision  string `gorm:"not null;default:''"`
	DecidedBy string `gorm:"not null;default:''"`
}

func provenanceOf(votes []string, d annotate.Decision, by string) provenance {
	return provenance{Votes: encodeVotes(votes), Decision: string(d), DecidedBy: by}
}

// domain is p as the annotate types carry it.
func (p provenance) domain() ([]string, annotate.Decision, string) {
	return decodeVotes(p.Votes), annotate.Decision(p.Decision), p.DecidedBy
}

type relation struct {
	ID        uint       `gorm:"primaryKey"`
	HeadID    uint       `gorm:"not null;uniqueIndex:ux_rel,priority:1"`
	TailID    uint       `gorm:"not null;uniqueIndex:ux_rel,priority:2;index"` // index: deleting a span finds its relations as tail
	Label     string     `gorm:"not null;uniqueIndex:ux_rel,priority:3"`
	Head      *span      `gorm:"foreignKey:HeadID;constraint:OnDelete:CASCADE"`
	Tail      *span      `gorm:"foreignKey:TailID;constraint:OnDelete:CASCADE"`
	Prov      provenance `gorm:"embedded"` // schema version 5
	CreatedAt time.Time
}

// relationType (schema version 5) is a relation type of the project with
// the span labels its ends may carry (JSON arrays of names).
type relationType struct {
	ID    uint   `gorm:"primaryKey"`
	Name  string `gorm:"uniqueIndex;not null"`
	Heads string `gorm:"not null;default:'[]'"`
	Tails string `gorm:"not null;default:'[]'"`
	Order int    `gorm:"column:sort_order;not null;default:0"`
	// UID and Rev (schema version 6): as a label's.
	UID string  `gorm:"column:uid;not null;default:''"`
	Rev itemRev `gorm:"embedded"`
}

// goldRelationRejection (schema version 5) records that an adjudicator
// decided a candidate relation is not gold, by its strict key (both ends'
// offsets and labels, and the relation label): pre-fill never accepts it.
type goldRelationRejection struct {
	ID         uint      `gorm:"primaryKey"`
	DocumentID uint      `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:1"`
	HeadStart  int       `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:2"`
	HeadEnd    int       `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:3"`
	HeadLabel  string    `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:4"`
	TailStart  int       `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:5"`
	TailEnd    int       `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:6"`
	TailLabel  string    `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:7"`
	Label      string    `gorm:"not null;uniqueIndex:ux_gold_rel_rejection,priority:8"`
	DecidedBy  string    `gorm:"not null;default:''"`
	Document   *document `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt  time.Time
}

type docStatus struct {
	DocumentID  uint    `gorm:"primaryKey"`
	AnnotatorID uint    `gorm:"primaryKey"`
	Status      string  `gorm:"not null;default:todo"`
	Seconds     float64 `gorm:"not null;default:0"` // time spent
	// The layer's revision (schema version 6): see layerrev.go.
	Revision   int64      `gorm:"not null;default:0"`
	ModifiedAt *time.Time // nil: never changed
	Clock      string     `gorm:"not null;default:'{}'"`
	Document   *document  `gorm:"constraint:OnDelete:CASCADE"`
	Annotator  *annotator `gorm:"constraint:OnDelete:CASCADE"`
	UpdatedAt  time.Time
}

func (docStatus) TableName() string { return "doc_statuses" }

// goldRejection (schema version 3) records that an adjudicator decided a
// candidate group of a document has no gold span: the group's extent
// [start, end), who decided, and when. It keeps automatic pre-fill from
// accepting anything there again.
type goldRejection struct {
	ID         uint      `gorm:"primaryKey"`
	DocumentID uint      `gorm:"not null;uniqueIndex:ux_gold_rejection,priority:1"`
	Start      int       `gorm:"not null;uniqueIndex:ux_gold_rejection,priority:2"`
	End        int       `gorm:"not null;uniqueIndex:ux_gold_rejection,priority:3"`
	DecidedBy  string    `gorm:"not null;default:''"`
	Document   *document `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt  time.Time
}

// goldStatus (schema version 4) is the adjudication status of a document,
// the gold layer's own: no row means todo. FinishedBy and FinishedAt say
// who declared it finished and when (empty unless finished).
type goldStatus struct {
	DocumentID uint   `gorm:"primaryKey"`
	Status     string `gorm:"not null;default:todo;index"`
	FinishedBy string `gorm:"not null;default:''"`
	FinishedAt *time.Time
	Document   *document `gorm:"constraint:OnDelete:CASCADE"`
	UpdatedAt  time.Time
}

var allModels = []any{&metaRow{}, &document{}, &textPart{}, &annotator{}, &labelType{}, &span{}, &relation{}, &docStatus{}, &goldRejection{}, &goldStatus{}, &relationType{}, &goldRelationRejection{}, &assignment{}, &layerVersion{}, &deletedItem{}, &assignmentRev{}, &suggestion{}}
