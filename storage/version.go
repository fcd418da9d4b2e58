package storage

import (
	"context"
	"database/sql"
	"sync"
)

// versionConn is the connection DataVersion asks on: SQLite's data_version
// is per connection (it changes when another connection committed), so it
// must always be the same one, kept out of the pool.
type versionConn struct {
	mu   sync.Mutex
	conn *sql.Conn
}

// DataVersion is a number that changes whenever something committed a
// change to the database since the previous call — this store or another
// process (SQLite's PRAGMA data_version on a connection of its own). It is
// one cheap query: a window polls it to follow changes made elsewhere.
//
// On PostgreSQL it is a counter every write advances (see bumpChanges).
func (s *Store) DataVersion() (int64, error) {
	if isPostgres(s.db) {
		return s.pgDataVersion()
	}
	v := &s.version
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.conn == nil {
		sqlDB, err := s.db.DB()
		if err != nil {
			return 0, err
		}
		if v.conn, err = sqlDB.Conn(context.Background()); err != nil {
			return 0, err
		}
	}
	var n int64
	err := v.conn.QueryRowContext(context.Background(), "PRAGMA data_version").Scan(&n)
	return n, err
}

func (v *versionConn) close() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.conn != nil {
		v.conn.Close()
		v.conn = nil
	}
}
