//go:build !unix

package main

import "time"

// cpuTime is 0 where the benchmarks cannot tell the CPU time used.
func cpuTime() time.Duration { return 0 }
