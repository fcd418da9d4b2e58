package project

import (
	"errors"
	"testing"

	"tawsim/annotate"
)

// A pipe ended before its goroutine starts, or with nothing sent, ends at
// once; fn's error comes back from every later wait and send. (A race here
// once hung `tawsim score` on a missing file.)
func TestPipeEnds(t *testing.T) {
	for range 2000 {
		p := newPipe(func([]annotate.Record) error { return nil })
		if err := p.wait(); err != nil {
			t.Fatal(err)
		}
		if err := p.wait(); err != nil {
			t.Fatal(err)
		}
	}
	boom := errors.New("boom")
	p := newPipe(func([]annotate.Record) error { return boom })
	var err error
	for range 10 {
		if err = p.send(nil); err != nil {
			break
		}
	}
	if !errors.Is(p.wait(), boom) || !errors.Is(p.send(nil), boom) {
		t.Fatalf("errors after a failed batch: %v, %v", p.wait(), err)
	}
}
