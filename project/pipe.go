package project

import "tawsim/annotate"

// pipe hands batches to fn on a goroutine of its own, one batch queued at
// most: fn works on a batch while the reader reads and parses the next
// (reading is serial between the parallel parses, and so is fn). After
// fn fails, send answers its error and fn sees no more batches.
type pipe struct {
	batches chan []annotate.Record
	done    chan error
	failed  chan struct{}
	ended   bool  // wait has run
	err     error // fn's error, once ended
}

func newPipe(fn func([]annotate.Record) error) *pipe {
	// The goroutine ranges over its own copy of the channel: wait may run
	// before it starts.
	batches := make(chan []annotate.Record, 1)
	p := &pipe{batches: batches, done: make(chan error, 1), failed: make(chan struct{})}
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				if err = fn(b); err != nil {
					close(p.failed)
				}
			}
		}
		p.done <- err
	}()
	return p
}

// send queues a batch; the caller must not touch it afterwards.
func (p *pipe) send(b []annotate.Record) error {
	if p.ended {
		return p.err
	}
	select {
	case <-p.failed:
		return p.wait()
	case p.batches <- b:
		return nil
	}
}

// wait ends the pipe (once; later calls answer the same) and returns fn's
// error.
func (p *pipe) wait() error {
	if !p.ended {
		p.ended = true
		close(p.batches)
		p.err = <-p.done
	}
	return p.err
}

// scanPiped is ScanFile with fn run through a pipe. fn's error comes
// first: it stopped the reading, as it would have without the pipe.
func scanPiped(path string, opt ImportOptions, fn func([]annotate.Record) error) error {
	p := newPipe(fn)
	_, err := ScanFile(path, opt, p.send)
	if ferr := p.wait(); ferr != nil {
		return ferr
	}
	return err
}
