//go:build !unix

package agree_test

import "time"

func cpuTime() time.Duration { return 0 }
