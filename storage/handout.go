package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"gorm.io/gorm"
)

// HandOutOptions steer HandOut.
type HandOutOptions struct {
	Annotator string   // whose layers go out (never the gold layer)
	Docs      []string // the documents; nil: all of them
	Force     bool     // overwrite an existing file
}

// HandOut writes a new project file at path for one annotator's laptop:
// the documents, the definition, and that annotator's own layers with
// their revisions, nothing of the other annotators nor of the gold layer
// (so no one anchors on another). The file is a new copy of the project
// (its own replica id), merged back later with MergeFile. It is written
// beside path and renamed over it when complete: a failed hand-out leaves
// nothing behind, and an existing file is replaced only with Force.
func (s *Store) HandOut(path string, opt HandOutOptions) (*MergeReport, error) {
	if err := checkHumanName(opt.Annotator); err != nil {
		return nil, err
	}
	if IsDSN(path) {
		return nil, fmt.Errorf("%s: a hand-out is a project file for a laptop: name a file", RedactDSN(path))
	}
	if _, err := os.Lstat(path); err == nil && !opt.Force {
		return nil, fmt.Errorf("%s exists: choose another file, or replace it (--force)", path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if same, _ := samePath(path, s.path); same {
		return nil, fmt.Errorf("%s is this project: hand out to another file", path)
	}
	tmp := filepath.Join(filepath.Dir(path), ".tawsim-"+filepath.Base(path)+"."+newUID()+".tmp")
	defer removeDB(tmp)
	rep, err := handOutTo(s, tmp, opt)
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return rep, nil
}

func handOutTo(s *Store, tmp string, opt HandOutOptions) (*MergeReport, error) {
	out, err := OpenWith(tmp, Options{Create: true})
	if err != nil {
		return nil, err
	}
	defer out.Close()
	// The definition comes from the lead: no default labels of its own.
	if err := out.write(func(tx *gorm.DB) error { return setFlag(tx, "labels_initialized") }); err != nil {
		return nil, err
	}
	rep, err := out.MergeFrom(s, MergeOptions{Annotators: []string{opt.Annotator}, Docs: opt.Docs, CopyDefinition: true})
	if err != nil {
		return nil, err
	}
	if err := out.EnsureAnnotator(opt.Annotator); err != nil {
		return nil, err
	}
	if err := out.write(func(tx *gorm.DB) error {
		return tx.Save(&metaRow{Key: metaHandOutFor, Value: opt.Annotator}).Error
	}); err != nil {
		return nil, err
	}
	return rep, out.Close()
}

// metaHandOutFor names the annotator a hand-out was made for: merging the
// lead's project into it later brings only that annotator's layers and
// assignments (the laptop's annotator must not see the others' work).
const metaHandOutFor = "handout_for"

// HandOutFor is the annotator this project was handed out to ("" for a
// lead's project).
func (s *Store) HandOutFor() (string, error) { return handOutFor(s.db) }

func handOutFor(db *gorm.DB) (string, error) {
	var row metaRow
	err := db.Where("key = ?", metaHandOutFor).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	return row.Value, err
}

// removeDB removes a database file and its WAL and shared-memory files
// (a missing one is no error).
func removeDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

// ErrNoAssignments is the error of a hand-out of the assigned documents
// in a project that has no assignments.
var ErrNoAssignments = errors.New("the project has no assignments (tawsim assign makes them): name the documents with --docs")

// AssignedDocs lists the documents assigned to an annotator, for a
// hand-out of them. It reads the assignments table (document_id,
// annotator_id) that `tawsim assign` fills; a project without it, or
// without assignments for the annotator, is ErrNoAssignments.
func (s *Store) AssignedDocs(annotatorName string) ([]string, error) {
	if !s.db.Migrator().HasTable("assignments") {
		return nil, ErrNoAssignments
	}
	var ids []string
	err := s.db.Raw(`SELECT documents.ext_id FROM assignments JOIN documents ON documents.id = assignments.document_id
		JOIN annotators ON annotators.id = assignments.annotator_id WHERE annotators.name = ? ORDER BY documents.ext_id`, annotatorName).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("reading the assignments: %w", err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w (none for %s)", ErrNoAssignments, annotatorName)
	}
	return ids, nil
}
