package app

import (
	"flag"
	"testing"

	"tawsim/internal/pgtest"
)

// The tests run on SQLite, then again on PostgreSQL (pgtest.Run); that
// second run is only of the tests named Postgres: the others keep their
// projects in files and would only run again.
func TestMain(m *testing.M) {
	flag.Parse()
	useLanguage("en") // the tests read English unless they choose Arabic (inArabic)
	if pgtest.Postgres() && flag.Lookup("test.run").Value.String() == "" {
		flag.Set("test.run", "Postgres")
	}
	pgtest.Main(m)
}
