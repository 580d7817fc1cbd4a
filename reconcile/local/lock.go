package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// errLocked is what tryLock returns when another process holds the lock.
var errLocked = errors.New("locked")

// lockPoll is how often Lock tries again while another process holds it.
const lockPoll = 50 * time.Millisecond

// LockPath returns the lock file of the workspace: PATH.lock.
func (w *Workspace) LockPath() string { return w.path + ".lock" }

// Lock takes the workspace's advisory lock (flock on PATH.lock), waiting
// while another process holds it, until ctx's deadline or LockWait, and writes who holds it
// (pid, host, holder, time) into the lock file for the error the next one
// gets. The operating system releases the lock when the process exits, so
// a crashed apply never leaves the workspace locked.
func (w *Workspace) Lock(ctx context.Context, holder string) (release func() error, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.held != nil {
		return nil, errors.New("file workspace: lock already held by this process")
	}
	if err := os.MkdirAll(filepath.Dir(w.path), 0o755); err != nil {
		return nil, fmt.Errorf("file workspace: lock: %w", err)
	}
	f, err := os.OpenFile(w.LockPath(), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("file workspace: lock: %w", err)
	}
	wait := w.LockWait
	if wait == 0 {
		wait = DefaultLockWait
	}
	start := time.Now()
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	tick := time.NewTicker(lockPoll)
	defer tick.Stop()
	for {
		err := tryLock(f)
		if err == nil {
			break
		}
		if !errors.Is(err, errLocked) {
			f.Close()
			return nil, fmt.Errorf("file workspace: lock %s: %w", w.LockPath(), err)
		}
		select {
		case <-ctx.Done():
			if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				f.Close()
				return nil, fmt.Errorf("file workspace: waiting for the lock: %w", ctx.Err())
			}
		case <-timeout.C:
		case <-tick.C:
			continue
		}
		who := readHolder(w.LockPath())
		f.Close()
		return nil, fmt.Errorf("file workspace %s is locked by another apply (%s); waited %s; try again when it has finished, or wait longer with --lock-timeout", w.path, who, time.Since(start).Round(10*time.Millisecond))
	}
	host, _ := os.Hostname()
	if holder == "" {
		holder = "unknown actor"
	}
	info := fmt.Sprintf("pid %d on host %s, %s, since %s\n", os.Getpid(), host, holder, w.now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(info), 0)
		f.Sync()
	}
	w.held = f
	return func() error {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.held != f {
			return nil // released already
		}
		w.held = nil
		f.Truncate(0)
		err := unlock(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}, nil
}

func readHolder(path string) string {
	data, err := os.ReadFile(path)
	who := strings.TrimSpace(string(data))
	if err != nil || who == "" {
		return "holder unknown"
	}
	return who
}
