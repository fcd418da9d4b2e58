package app

import (
	"time"

	"tawsim/storage"
)

// The progress board, the Adjudicate and the Agreement windows follow what
// is committed elsewhere — the team's processes on a server, another app
// or command on the same file — by polling the store's DataVersion (one
// cheap query) on a ticker; each reads again only when it moved, and
// stops when its window closes.

// follower is a window's watch on the project's data version.
type follower struct {
	version int64         // when last read
	stop    chan struct{} // closed when the window closes
}

// follow starts watching st: every period (0: never) look runs on the UI
// goroutine through do, until the window closes (unfollow).
func (f *follower) follow(st *storage.Store, period time.Duration, do func(func()), look func()) {
	f.stop = make(chan struct{})
	f.version, _ = st.DataVersion()
	if period > 0 {
		go every(period, f.stop, func() { do(look) })
	}
}

func (f *follower) unfollow() { close(f.stop) }

// changed calls reload when st's data version moved since the last
// reload; reload returns false when it cannot start now (a read runs),
// and the change is seen again at the next look.
func (f *follower) changed(st *storage.Store, reload func() bool) {
	if v, err := st.DataVersion(); err == nil && v != f.version && reload() {
		f.version = v
	}
}

// every calls f every d until stop is closed.
func every(d time.Duration, stop chan struct{}, f func()) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			f()
		}
	}
}
