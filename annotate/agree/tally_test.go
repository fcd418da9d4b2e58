package agree_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"tawsim/annotate/agree"
)

// A tally fed in uneven batches reports what Compute does over them all.
func TestTallyBatchesSameAsCompute(t *testing.T) {
	docs, ann, want := synthReport(t, 700, 3)
	tally, err := agree.NewTally(ann, want.Categories[1:], agree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for lo, n := 0, 1; lo < len(docs); lo, n = lo+n, n*2+1 {
		if err := tally.Add(docs[lo:min(lo+n, len(docs))]); err != nil {
			t.Fatal(err)
		}
	}
	got := tally.Report()
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	if !bytes.Equal(wb, gb) {
		t.Fatal("a tally in batches reports otherwise than Compute")
	}
	// A label not given is an error naming it.
	short, err := agree.NewTally(ann, want.Categories[2:], agree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := short.Add(docs); err == nil {
		t.Fatal("a label not given is tallied")
	}
}
