package export

import (
	"fmt"
	"testing"
)

// Ids that differ only in their last characters must spread over the
// splits in proportion.
func TestSplitOfSpreadsSimilarIDs(t *testing.T) {
	splits, err := ParseSplits("train=0.8,dev=0.1,test=0.1")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for i := 0; i < 10000; i++ {
		count[SplitOf(fmt.Sprintf("doc%d", i), 0, splits)]++
	}
	for name, want := range map[string]int{"train": 8000, "dev": 1000, "test": 1000} {
		if got := count[name]; got < want*9/10 || got > want*11/10 {
			t.Errorf("%s got %d of 10000, want about %d", name, got, want)
		}
	}
}
