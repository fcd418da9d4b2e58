package storage

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// A project on a PostgreSQL server is named by a DSN URL instead of a
// path. Its counterparts of what SQLite does per file live here: the
// advisory lock that serialises migrations, the change counter behind
// DataVersion, byte-order collation and the classification of errors.

// IsDSN says whether name is a PostgreSQL DSN (postgres:// or
// postgresql://) rather than the path of a SQLite file.
func IsDSN(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

// RedactDSN is name with the password of a DSN hidden, fit for messages
// and for the list of recent projects. A path is returned as it is.
func RedactDSN(name string) string {
	if !IsDSN(name) {
		return name
	}
	u, err := url.Parse(name)
	if err != nil {
		return "postgres://(unparsable DSN)"
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// dsnPassword is the password a DSN carries, if any.
func dsnPassword(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	if p, ok := u.User.Password(); ok {
		return p
	}
	return u.Query().Get("password")
}

// redacted hides a password in the text of an error from the driver,
// keeping what it wraps for errors.Is.
type redacted struct {
	err      error
	password string
}

func (r redacted) Error() string { return strings.ReplaceAll(r.err.Error(), r.password, "xxxxx") }
func (r redacted) Unwrap() error { return r.err }

func redact(err error, password string) error {
	if err == nil || password == "" {
		return err
	}
	return redacted{err, password}
}

// migrationLock is the key of the advisory lock a migration holds until
// its transaction ends ("tawsim" in ASCII).
const migrationLock = 0x74617773696d

// definitionLock is the key of the advisory lock a change of the
// definition holds until its transaction ends (see lockLayers).
const definitionLock = migrationLock + 1

// lockLayers makes the transaction the only one changing the layers keys
// until it ends, and lockDefinition the only one changing the definition.
// A change reads a clock, advances it and writes it back: SQLite lets one
// writer at a time, but on PostgreSQL two at once would both advance the
// same value and one change would be lost to merges. Only writers of the
// same layer wait for each other (an annotator's never for another's);
// the keys are locked in order, so two writers wait rather than deadlock.
func lockLayers(tx *gorm.DB, keys []layerKey) error {
	if !isPostgres(tx) || len(keys) == 0 {
		return nil
	}
	pairs := make([][2]uint, len(keys))
	for i, k := range keys {
		pairs[i] = [2]uint{k.Doc, k.Annotator}
	}
	slices.SortFunc(pairs, func(a, b [2]uint) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	b, err := json.Marshal(slices.Compact(pairs))
	if err != nil {
		return err
	}
	return tx.Exec(`SELECT count(pg_advisory_xact_lock(CAST(j.value->>0 AS integer), CAST(j.value->>1 AS integer))) FROM `+jsonRows(tx), string(b)).Error
}

func lockDefinition(tx *gorm.DB) error {
	if !isPostgres(tx) {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", definitionLock).Error
}

// changeCounter is the sequence a write advances (see DataVersion).
const changeCounter = "tawsim_changes"

// openPostgres opens the project in the database dsn names. Without
// o.Create a database holding no project is refused, as an empty file is.
func openPostgres(dsn string, o Options) (*Store, error) {
	name, pw := RedactDSN(dsn), dsnPassword(dsn)
	fail := func(err error) (*Store, error) { return nil, fmt.Errorf("open %s: %w", name, redact(err, pw)) }
	connDSN := dsn
	if o.ReadOnly {
		// The server then refuses any write, whatever the code does.
		connDSN = withParam(dsn, "default_transaction_read_only", "on")
	}
	// Opening (the checks and a migration) speaks without cached
	// statements: a statement prepared before a migration alters a table
	// fails after it ("cached plan must not change result type").
	cfg := gormConfig()
	cfg.PrepareStmt = false
	db, err := gorm.Open(postgres.Open(withParam(connDSN, "default_query_exec_mode", "exec")), cfg)
	if err != nil {
		return fail(err)
	}
	s := &Store{db: db, path: name, readOnly: o.ReadOnly, wait: o.Wait}
	err = s.checkAndMigrate(o.Create)
	closeDB(db)
	if err != nil {
		if errors.Is(err, ErrNotProject) {
			return nil, err
		}
		return fail(err)
	}
	// pgx prepares and caches each statement per connection by itself;
	// GORM's statement cache on top of it prepares every statement of a
	// transaction again (database/sql cannot reuse a statement prepared in
	// an earlier transaction), a round trip more per statement.
	if s.db, err = gorm.Open(postgres.Open(connDSN), cfg); err != nil {
		return fail(err)
	}
	if sqlDB, err := s.db.DB(); err == nil {
		sqlDB.SetMaxOpenConns(8)
	}
	return s, nil
}

// checkAndMigrate refuses a database holding no project unless create,
// opens a project the role may only read read-only, and migrates it.
func (s *Store) checkAndMigrate(create bool) error {
	exists := s.db.Migrator().HasTable(&metaRow{})
	if !exists && !create {
		return fmt.Errorf("%s: %w: the database holds no Tawsim project (tawsim import --db %s … makes one)", s.path, ErrNotProject, s.path)
	}
	if exists && !s.readOnly {
		// A role that may only read the project opens it read-only, as a
		// file the user may not write does.
		var may bool
		if err := s.db.Raw("SELECT has_table_privilege(current_user, 'spans', 'INSERT')").Scan(&may).Error; err == nil && !may {
			s.readOnly = true
		}
	}
	return s.migrate()
}

func withParam(dsn, key, value string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// lockMigration makes a second process migrating the same database wait
// for the first one's transaction to end; it then finds the schema
// current.
func lockMigration(tx *gorm.DB) error {
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLock).Error
}

// migratePostgres is what the PostgreSQL schema needs beyond AutoMigrate:
// text compares byte by byte (code point order, as SQLite's BINARY), so
// documents, labels and annotators sort the same on both backends
// whatever the database's locale; and the change counter.
func migratePostgres(tx *gorm.DB) error {
	tables := make([]string, len(allModels))
	for i, m := range allModels {
		stmt := &gorm.Statement{DB: tx}
		if err := stmt.Parse(m); err != nil {
			return err
		}
		tables[i] = stmt.Schema.Table
	}
	var cols []struct{ TableName, ColumnName string }
	if err := tx.Raw(`SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name IN ? AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'`, tables).
		Scan(&cols).Error; err != nil {
		return err
	}
	for _, c := range cols {
		q := fmt.Sprintf(`ALTER TABLE %q ALTER COLUMN %q TYPE text COLLATE "C"`, c.TableName, c.ColumnName)
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return tx.Exec("CREATE SEQUENCE IF NOT EXISTS " + changeCounter).Error
}

// bumpChanges advances the change counter. A write does it inside its
// transaction and again after the commit: a poller that read the first
// value before the commit was visible still sees the second, and a writer
// killed between its commit and the second still left the first.
func bumpChanges(db *gorm.DB) error {
	return db.Exec("SELECT nextval('" + changeCounter + "')").Error
}

// pgDataVersion reads the change counter: any process's write advanced it.
func (s *Store) pgDataVersion() (int64, error) {
	var n int64
	err := s.db.Raw("SELECT last_value FROM " + changeCounter).Scan(&n).Error
	return n, err
}

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// isPostgres says whether db speaks to PostgreSQL (else SQLite).
func isPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

// jsonRows is the FROM item of a statement reading the rows of a JSON
// array bound as its parameter, each as j.value.
func jsonRows(db *gorm.DB) string {
	if isPostgres(db) {
		return "json_array_elements(CAST(? AS json)) AS j(value)"
	}
	return "json_each(?) AS j"
}

// jsonFields is the fields of a jsonRows row, in order from 0, as SQL of
// the given column types: "text" as it is, "time" as sqlTime reads it,
// any other type (bigint, double precision) by a cast, which PostgreSQL
// needs and SQLite does no harm with.
func jsonFields(db *gorm.DB, types ...string) string {
	out := make([]string, len(types))
	for i, typ := range types {
		f := fmt.Sprintf("j.value->>%d", i)
		switch typ {
		case "text":
		case "time":
			f = sqlTime(db, f)
		default:
			f = "CAST(" + f + " AS " + typ + ")"
		}
		out[i] = f
	}
	return strings.Join(out, ", ")
}

// jsonID is field i of a jsonRows row as a row id.
func jsonID(i int) string { return fmt.Sprintf("CAST(j.value->>%d AS bigint)", i) }

// sqlTime is expr, a time as text (dbTime), as a timestamp: PostgreSQL
// needs the cast, SQLite keeps times as that text.
func sqlTime(db *gorm.DB, expr string) string {
	if isPostgres(db) {
		return "CAST(" + expr + " AS timestamptz)"
	}
	return expr
}
