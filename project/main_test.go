package project

import (
	"testing"

	"tawsim/internal/pgtest"
)

// The tests run on SQLite, then again on PostgreSQL (pgtest.Main).
func TestMain(m *testing.M) { pgtest.Main(m) }
