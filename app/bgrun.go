package app

import "sync"

// bgRun is a window's background job (an import, an export, a computation):
// one at a time, and something tests can wait for.
type bgRun struct {
	mu   sync.Mutex
	done chan struct{} // closed when the last started job has finished
}

// start returns the channel the job closes when it ends, or false while
// the previous job still runs: a second one could finish first and then be
// overwritten by the older result (and Enter reaches a disabled button's
// action through the keyboard).
func (b *bgRun) start() (chan struct{}, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done != nil {
		select {
		case <-b.done:
		default:
			return nil, false
		}
	}
	b.done = make(chan struct{})
	return b.done, true
}

// run starts job in the background unless a job runs (false); what job
// returns then runs on the UI goroutine through do.
func (b *bgRun) run(do func(func()), job func() func()) bool {
	done, ok := b.start()
	if !ok {
		return false
	}
	go func() {
		defer close(done)
		do(job())
	}()
	return true
}

// wait blocks until the running job, if any, has finished.
func (b *bgRun) wait() {
	b.mu.Lock()
	ch := b.done
	b.mu.Unlock()
	if ch != nil {
		<-ch
	}
}

// running says whether a started job has not finished.
func (b *bgRun) running() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done == nil {
		return false
	}
	select {
	case <-b.done:
		return false
	default:
		return true
	}
}
