package storage

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// CopyOptions steer Copy.
type CopyOptions struct {
	// Force copies into a destination that already holds a project, as
	// long as it has no documents (one an earlier copy left, or one made
	// by opening it): its definition is replaced by the source's.
	Force bool
}

// CopyReport says what Copy moved: the rows of each table, by table name.
type CopyReport struct {
	From, To string
	Rows     map[string]int64
}

// String words the report as `tawsim copy` prints it.
func (r *CopyReport) String() string {
	var total int64
	for _, n := range r.Rows {
		total += n
	}
	return fmt.Sprintf("%d documents, %d layers, %d spans, %d relations (%d rows in all)",
		r.Rows["documents"], r.Rows["doc_statuses"], r.Rows["spans"], r.Rows["relations"], total)
}

// copyBatch is the rows read and written at a time: every table's rows
// times its columns stay under both backends' limits of parameters.
const copyBatch = 1000

// Copy moves the whole project at src to dst, a file or a PostgreSQL DSN
// each: every row of every table as it is, ids, revisions, clocks and
// times included, read from one snapshot of src and written in one
// transaction on dst (a failed copy leaves nothing of src behind).
//
// The copy keeps src's replica id. It is the same project moved to
// another home, not a new copy to edit beside the old one: hand-outs made
// from src keep merging into dst as into src, and their clocks still name
// the replica they met; an export of dst is byte for byte one of src.
// (HandOut makes a new copy to work on beside the project, with an id of
// its own; after a copy, work in dst only.)
func Copy(src, dst string, opt CopyOptions) (*CopyReport, error) {
	if same, _ := samePath(src, dst); same {
		return nil, fmt.Errorf("%s is the project copied: name another destination", RedactDSN(dst))
	}
	from, err := OpenWith(src, Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer from.Close()
	to, created, err := openCopyDestination(dst, opt.Force)
	if err != nil {
		return nil, err
	}
	rep := &CopyReport{From: from.path, To: to.path, Rows: map[string]int64{}}
	err = copyRows(from, to, rep)
	if cerr := to.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		hint := ""
		switch {
		case created && !IsDSN(dst):
			removeDB(dst)
		case created:
			hint = "; the database holds the empty project it was given: copy again with --force"
		}
		return nil, fmt.Errorf("copying %s to %s (nothing was copied%s): %w", from.path, RedactDSN(dst), hint, err)
	}
	return rep, nil
}

// openCopyDestination opens dst, making a new project there unless it
// holds one. One it holds is refused, or with force taken when it has no
// documents.
func openCopyDestination(dst string, force bool) (_ *Store, created bool, _ error) {
	to, err := OpenWith(dst, Options{})
	if errors.Is(err, ErrNotProject) {
		to, err = OpenWith(dst, Options{Create: true})
		return to, true, err
	}
	if err != nil {
		return nil, false, err
	}
	var docs int64
	if err := to.db.Model(&document{}).Count(&docs).Error; err != nil {
		to.Close()
		return nil, false, err
	}
	switch {
	case docs > 0:
		err = fmt.Errorf("%s holds a project with %d documents: copy into a new file or an empty database", to.path, docs)
	case !force:
		err = fmt.Errorf("%s holds a project (with no documents): replace it with --force", to.path)
	}
	if err != nil {
		to.Close()
		return nil, false, err
	}
	return to, false, nil
}

func copyRows(from, to *Store, rep *CopyReport) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if isPostgres(from.db) {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for every read
	}
	// SQLite: a read transaction reads one snapshot (WAL) from its first read.
	in := from.db.Begin(opts)
	if in.Error != nil {
		return in.Error
	}
	defer in.Rollback()
	return to.write(func(out *gorm.DB) error {
		// What opening dst made (the meta rows, the default relation
		// types) gives way to src's.
		for i := len(allModels) - 1; i >= 0; i-- {
			if err := out.Session(&gorm.Session{AllowGlobalUpdate: true}).Delete(allModels[i]).Error; err != nil {
				return err
			}
		}
		for _, m := range allModels {
			sch, err := tableSchema(out, m)
			if err != nil {
				return err
			}
			n, err := copyTable(in, out, m, sch)
			if err != nil {
				return fmt.Errorf("table %s: %w", sch.Table, err)
			}
			rep.Rows[sch.Table] = n
			if err := resetSequence(out, sch); err != nil {
				return err
			}
		}
		return rebindCopy(out, to)
	})
}

func tableSchema(db *gorm.DB, model any) (*schema.Schema, error) {
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(model); err != nil {
		return nil, err
	}
	return stmt.Schema, nil
}

// copyTable copies the rows of model's table from in to out in batches,
// in the order of the primary key: by the last id read (keyset) when the
// key is an id, else by offset (the small tables keyed by pairs).
func copyTable(in, out *gorm.DB, model any, sch *schema.Schema) (int64, error) {
	cols := make([]string, len(sch.PrimaryFieldDBNames))
	for i, c := range sch.PrimaryFieldDBNames {
		cols[i] = in.Statement.Quote(c)
	}
	order := strings.Join(cols, ", ")
	id := sch.PrioritizedPrimaryField
	keyset := id != nil && len(sch.PrimaryFields) == 1 && id.DataType == schema.Uint
	batch := copyBatch
	if sch.Table == "text_parts" {
		batch = 8 // of up to textPartBytes each
	}
	var n, read, last int64
	for {
		rows := reflect.New(reflect.SliceOf(reflect.TypeOf(model).Elem()))
		// No hooks: a text stored in parts is copied as it is stored.
		q := in.Session(&gorm.Session{SkipHooks: true}).Model(model).Order(order).Limit(batch)
		if keyset {
			q = q.Where(in.Statement.Quote(id.DBName)+" > ?", last)
		} else {
			q = q.Offset(int(read))
		}
		if err := q.Find(rows.Interface()).Error; err != nil {
			return n, err
		}
		got := rows.Elem().Len()
		if got == 0 {
			return n, nil
		}
		read += int64(got)
		if keyset {
			last = int64(rows.Elem().Index(got - 1).FieldByIndex(id.StructField.Index).Uint())
		}
		if sch.Table == "tawsim_meta" {
			rows.Elem().Set(withoutReplicaPath(rows.Elem()))
			if rows.Elem().Len() == 0 {
				continue
			}
		}
		// Select("*"): zero values too, not the columns' defaults.
		if err := out.Select("*").Omit(clause.Associations).Create(rows.Interface()).Error; err != nil {
			return n, err
		}
		n += int64(rows.Elem().Len())
		if got < batch {
			return n, nil
		}
	}
}

// withoutReplicaPath is the meta rows but the file src's replica id was
// bound to (rebindCopy binds dst's).
func withoutReplicaPath(rows reflect.Value) reflect.Value {
	kept := reflect.MakeSlice(rows.Type(), 0, rows.Len())
	for i := range rows.Len() {
		if r := rows.Index(i); r.Interface().(metaRow).Key != metaReplicaPath {
			kept = reflect.Append(kept, r)
		}
	}
	return kept
}

// resetSequence makes PostgreSQL's next id of a table after the ids
// copied into it (SQLite's AUTOINCREMENT follows inserted ids by itself).
func resetSequence(tx *gorm.DB, sch *schema.Schema) error {
	id := sch.PrioritizedPrimaryField
	if !isPostgres(tx) || id == nil || !id.AutoIncrement {
		return nil
	}
	q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(%[1]s), 0) + 1, false) FROM %[2]s",
		tx.Statement.Quote(id.DBName), tx.Statement.Quote(sch.Table))
	return tx.Exec(q, sch.Table, id.DBName).Error
}

// rebindCopy binds src's replica id to the file dst is (see bindReplica):
// opened there it stays the same project; copied elsewhere again, that
// copy becomes one of its own.
func rebindCopy(tx *gorm.DB, to *Store) error {
	if isPostgres(tx) {
		return nil
	}
	abs, err := filepath.Abs(to.path)
	if err != nil {
		return err
	}
	return tx.Save(&metaRow{Key: metaReplicaPath, Value: abs}).Error
}
