//go:build unix

package memory_test

import "syscall"

// processCPU returns the CPU time the process has used so far (user and system, every
// thread, so the garbage collector's work counts), in nanoseconds. Unlike wall time it does
// not grow while the benchmark waits for a core, which makes it the steadier figure on a
// shared machine.
func processCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
