package layout

import (
	"bytes"
	"testing"

	"github.com/go-text/typesetting/font"
)

// The answers spaceCheck starts with for the shipped fonts are what the
// check finds in them.
func TestShippedSpaceChecks(t *testing.T) {
	for i, c := range shippedSpaceChecks {
		f, err := font.ParseTTF(bytes.NewReader(c.data))
		if err != nil {
			t.Fatal(err)
		}
		if got := spaceInLookups(f.Font); got != c.unsafe {
			t.Errorf("shipped font %d: spaceInLookups = %v, recorded %v", i, got, c.unsafe)
		}
	}
}
