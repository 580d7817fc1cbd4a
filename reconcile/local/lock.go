package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// errLocked is what tryLock returns when another process holds the lock.
var errLocked = errors.New("locked")

// lockPoll is how often Lock tries again while another process holds it.
const lockPoll = 50 * time.Millisecond

// LockPath returns the lock file of the workspace: PATH.lock, where PATH
// is the file the workspace's path leads to (resolveLinks), so that two
// names of one workspace take one lock.
func (w *Workspace) LockPath() string { return resolveLinks(w.path) + ".lock" }

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
	if err := os.MkdirAll(filepath.Dir(w.LockPath()), 0o755); err != nil {
		return nil, fmt.Errorf("file workspace: lock: %w", err)
	}
	f, err := openLock(w.LockPath())
	if err != nil {
		return nil, err
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
		// The wait the user asked for, when it ran out, so that the message
		// says what --lock-timeout was, not how slow the machine was.
		waited := wait
		if ctx.Err() != nil {
			waited = time.Since(start).Round(10 * time.Millisecond)
		}
		who := readHolder(f)
		f.Close()
		return nil, fmt.Errorf("file workspace %s is locked by another apply (%s); waited %s; try again when it has finished, or wait longer with --lock-timeout", w.path, who, waited)
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

// readHolder reads who holds the lock from the open lock file (never by
// its name again: that could be a link by now).
func readHolder(f *os.File) string {
	buf := make([]byte, 512)
	n, err := f.ReadAt(buf, 0)
	who := strings.TrimSpace(string(buf[:n]))
	if err != nil && !errors.Is(err, io.EOF) || who == "" {
		return "holder unknown"
	}
	return who
}

// openLock opens the lock file, creating it 0600. It follows no symbolic
// link and accepts only a regular file of one link, so that a lock file
// planted as a link (symbolic or hard) to another file never gets that file
// truncated or overwritten with the holder's line: only a file teamctl
// created as a lock is ever written.
func openLock(path string) (*os.File, error) {
	f, err := openNoFollow(path)
	if err != nil {
		if isLinkError(path, err) {
			return nil, fmt.Errorf("file workspace: lock %s is a symbolic link; teamctl never writes through one, so remove it (teamctl creates the lock file itself)", path)
		}
		return nil, fmt.Errorf("file workspace: lock: %w", err)
	}
	info, err := f.Stat()
	if err == nil && (!info.Mode().IsRegular() || links(info) > 1) {
		err = fmt.Errorf("file workspace: lock %s is not a plain file (a link to another file, or not a regular file); remove it (teamctl creates the lock file itself)", path)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// isLinkError reports whether opening path failed because it is a symbolic
// link.
func isLinkError(path string, err error) bool {
	info, lerr := os.Lstat(path)
	return err != nil && lerr == nil && info.Mode()&fs.ModeSymlink != 0
}
