package layout

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// workersFor is how many goroutines share n tasks: one per CPU, at most n.
func workersFor(n int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n))
}

// parallel calls do(w, k) for every task k in [0, n) on workers goroutines,
// the caller's among them; w in [0, workers) is the worker, for state of its
// own (a font.Face or a shaper is not safe for concurrent use).
func parallel(workers, n int, do func(w, k int)) {
	var next atomic.Int64
	work := func(w int) {
		for {
			k := int(next.Add(1) - 1)
			if k >= n {
				return
			}
			do(w, k)
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w)
		}()
	}
	work(0)
	wg.Wait()
}
