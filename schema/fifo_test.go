//go:build unix

package schema

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestLoadFIFO: a named pipe in a team directory is refused from its type,
// without being opened: opening it would wait for a writer forever. (So
// that the test fails rather than hangs on a loader that opens it, a
// writer is standing by; it is released when Load has returned.)
func TestLoadFIFO(t *testing.T) {
	writeFiles(t, map[string]string{})
	mustMkdir(t, "team.d")
	mustWrite(t, "team.d/aa.yaml", validTeam)
	const fifo = "team.d/zz.yaml"
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no mkfifo here:", err)
	}
	for _, path := range []string{"team.d", fifo} {
		done := make(chan struct{})
		go func() {
			defer close(done)
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
		}()
		_, err := Load(path)
		if r, rerr := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); rerr == nil {
			<-done
			r.Close()
		}
		const want = fifo + " is not a regular file (a named pipe)"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%s) error = %v, want %s", path, err, want)
		}
	}
}
