// Package local is the file: workspace backend: a workspace kept as a JSON
// document on disk (SPEC §7), for trying teamctl, for tests and for demos.
//
// A missing file is an empty workspace; the first apply creates it. Every
// write is atomic (a temporary file in the same directory, synced, then
// renamed over the old one), and a file that does not parse is reported
// with its path and never overwritten. An advisory lock on PATH.lock keeps
// two applies from interleaving.
package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// InviteValidity is how long an invite stays open: an invite (or a resend)
// gets invite_expires_at = invited_at + 7 days.
const InviteValidity = 7 * 24 * time.Hour

// DefaultLockWait is how long Lock waits for another apply by default.
const DefaultLockWait = 10 * time.Second

// Workspace is a file workspace. Its methods are safe for concurrent use.
type Workspace struct {
	path string
	// Now is the clock that stamps invites and the lock holder; time.Now
	// when nil.
	Now func() time.Time
	// LockWait bounds how long Lock (and an Execute outside Lock) waits for
	// another process holding the lock; DefaultLockWait when zero.
	LockWait time.Duration
	// NewName is the workspace name written when an apply creates the file.
	NewName string

	mu   sync.Mutex
	held *os.File // the lock file while this Workspace holds the lock
	// cached is the document as last read or written while the lock is
	// held (under the lock file cachedUnder), so that an apply reads the
	// file once: nobody else writes it meanwhile. Another hold of the lock
	// reads again.
	cached      *document
	cachedUnder *os.File
	// exec keeps one Execute at a time on the cached document.
	exec sync.Mutex
}

// BatchLimit returns 0: Execute takes a whole phase of a plan at once
// (reconcile.Batcher). Each Execute writes the whole document, so batches
// of a fixed size would make an apply's cost grow with the square of the
// roster; whole phases bound the writes of an apply to one per phase.
func (w *Workspace) BatchLimit() int { return 0 }

// New returns the file workspace kept at path. Nothing is read until
// Snapshot or Execute.
func New(path string) *Workspace { return &Workspace{path: path} }

// Path returns the workspace file's path.
func (w *Workspace) Path() string { return w.path }

func (w *Workspace) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// Snapshot reads the workspace. A missing file is an empty workspace.
func (w *Workspace) Snapshot(ctx context.Context) (*reconcile.Live, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, exists, err := w.read()
	if err != nil {
		return nil, err
	}
	live := doc.live()
	if exists {
		w.keep(doc) // for the Executes of this apply
	}
	return live, nil
}

// load returns the document for Execute: the cached one while the lock
// it was cached under is held, else the file's.
func (w *Workspace) load() (doc *document, exists bool, err error) {
	w.mu.Lock()
	if w.held != nil && w.cachedUnder == w.held {
		doc = w.cached
	}
	w.mu.Unlock()
	if doc != nil {
		return doc, true, nil
	}
	return w.read()
}

// keep caches doc, just read, written or found unchanged, while the lock
// is held; nil drops the cache (the edits did not reach the file).
func (w *Workspace) keep(doc *document) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cached, w.cachedUnder = nil, nil
	if w.held != nil && doc != nil {
		w.cached, w.cachedUnder = doc, w.held
	}
}

// read loads the document; exists is false for a missing file.
func (w *Workspace) read() (doc *document, exists bool, err error) {
	data, err := os.ReadFile(w.path)
	if errors.Is(err, fs.ErrNotExist) {
		return &document{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("file workspace: %w", err)
	}
	doc, err = decode(data)
	if err != nil {
		sep := "; " // one problem: one line
		if strings.HasSuffix(err.Error(), "\n") {
			sep = "" // a list of problems, one a line
		}
		return nil, true, fmt.Errorf("file workspace %s is corrupt: %v%srepair it or move it away (teamctl never overwrites a corrupt file)", w.path, err, sep)
	}
	return doc, true, nil
}

// Execute applies a batch of changes to the document and writes it once.
// A change already done (an invite of a member who holds the role, the
// removal of someone absent) succeeds without effect, so that executing a
// batch twice is safe. A change that does not fit the member's state (an
// invite of a member in another role, a role change of an invite) fails
// alone; a failed write fails the whole batch, leaving the file as it was.
// Under Lock, the document read by Snapshot (or left by the Execute
// before) is edited and written again, never read again.
func (w *Workspace) Execute(ctx context.Context, batch []reconcile.Change) []error {
	errs := make([]error, len(batch))
	fail := func(err error) []error {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	if len(batch) == 0 {
		return errs
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	w.mu.Lock()
	locked := w.held != nil
	w.mu.Unlock()
	if !locked {
		release, err := w.Lock(ctx, "")
		if err != nil {
			return fail(err)
		}
		defer release()
	}
	w.exec.Lock()
	defer w.exec.Unlock()
	doc, exists, err := w.load()
	if err != nil {
		return fail(err)
	}
	if !exists && doc.Name == "" {
		doc.Name = w.NewName
	}
	// A phase may invite 55,000 people: room for all of them up front.
	idx := make(map[string]int, len(doc.Members)+len(batch))
	for i, m := range doc.Members {
		idx[schema.Key(m.Email)] = i
	}
	doc.Members = slices.Grow(doc.Members, len(batch))
	now := w.now().UTC().Truncate(time.Second)
	removed := make(map[int]bool)
	changed := false
	for i, c := range batch {
		if c.Action == reconcile.Rename {
			if errs[i] = rename(doc, idx, removed, c); errs[i] == nil {
				changed = true
			}
			continue
		}
		j, ok := idx[c.Key()]
		if ok && removed[j] {
			ok = false
		}
		if errs[i] = apply(doc, j, ok, c, now, removed); errs[i] == nil {
			changed = true
			if !ok && c.Action == reconcile.Invite {
				idx[c.Key()] = len(doc.Members) - 1
			}
		}
	}
	if !changed {
		w.keep(doc)
		return errs
	}
	doc.keys = nil // stale from here on
	w.keep(nil)    // until the file holds the edits
	if len(removed) > 0 {
		kept := doc.Members[:0]
		for j, m := range doc.Members {
			if !removed[j] {
				kept = append(kept, m)
			}
		}
		doc.Members = kept
	}
	if err := ctx.Err(); err != nil {
		return fail(err) // stop before writing: nothing of the batch happened
	}
	data, err := encode(doc)
	if err == nil {
		target := resolveLinks(w.path)
		removeStaleTemps(target)
		err = writeFile(target, data)
	}
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("file workspace: write %s: %w", w.path, err)
		}
		return errs
	}
	w.keep(doc)
	return errs
}

// rename gives the member under c.EmailBefore the email c.Email, in
// place: its status, invite, sign-ins and notes stay, its role becomes
// c.RoleAfter. A rename already made succeeds without effect; one onto an
// email another member holds fails, naming both.
func rename(doc *document, idx map[string]int, removed map[int]bool, c reconcile.Change) error {
	find := func(key string) (int, bool) {
		j, ok := idx[key]
		return j, ok && !removed[j]
	}
	from, hasFrom := find(schema.Key(c.EmailBefore))
	to, hasTo := find(c.Key())
	switch {
	case !hasFrom && hasTo && doc.Members[to].Role == string(c.RoleAfter):
		return nil // done already: Execute is idempotent
	case !hasFrom:
		return fmt.Errorf("rename: %s is not in the workspace", c.EmailBefore)
	case hasTo:
		return fmt.Errorf("rename: %s cannot be renamed to %s: the workspace already holds %s (%s)", c.EmailBefore, c.Email, c.Email, doc.Members[to].Status)
	case doc.Members[from].Status == string(reconcile.Suspended):
		return fmt.Errorf("rename: %s is suspended", c.EmailBefore)
	}
	m := &doc.Members[from]
	m.Email, m.Role = c.Email, string(c.RoleAfter)
	if c.Name != "" {
		m.Name = c.Name
	}
	delete(idx, schema.Key(c.EmailBefore))
	idx[c.Key()] = from
	return nil
}

// apply makes one change to the document. j is the member's index when ok.
func apply(doc *document, j int, ok bool, c reconcile.Change, now time.Time, removed map[int]bool) error {
	var m *member
	status := ""
	if ok {
		m = &doc.Members[j]
		status = m.Status
	}
	want := func(s reconcile.Status) error {
		if !ok {
			return fmt.Errorf("%s: %s is not in the workspace", c.Action, c.Email)
		}
		if status != string(s) {
			return fmt.Errorf("%s: %s is %s, not %s", c.Action, c.Email, status, s)
		}
		return nil
	}
	expires := now.Add(InviteValidity)
	switch c.Action {
	case reconcile.Invite:
		if ok && status != string(reconcile.Suspended) {
			if m.Role == string(c.RoleAfter) {
				return nil // done already: Execute is idempotent
			}
			return fmt.Errorf("invite: %s is already %s in the workspace, as %s", c.Email, status, m.Role)
		}
		if !ok {
			doc.Members = append(doc.Members, member{Email: c.Email})
			m = &doc.Members[len(doc.Members)-1]
		}
		if c.Name != "" {
			m.Name = c.Name
		}
		m.Role, m.Status = string(c.RoleAfter), string(reconcile.Invited)
		m.InvitedAt, m.InviteExpiresAt, m.AcceptedAt = &now, &expires, nil
		m.sentNote(c.Note, now)
	case reconcile.UpdateInvite:
		if err := want(reconcile.Invited); err != nil {
			return err
		}
		m.Role = string(c.RoleAfter)
	case reconcile.ResendInvite:
		if err := want(reconcile.Invited); err != nil {
			return err
		}
		m.Role = string(c.RoleAfter)
		m.InvitedAt, m.InviteExpiresAt = &now, &expires
		m.sentNote(c.Note, now)
	case reconcile.ChangeRole:
		if err := want(reconcile.Active); err != nil {
			return err
		}
		m.Role = string(c.RoleAfter)
	case reconcile.CancelInvite:
		if !ok {
			return nil // done already
		}
		if err := want(reconcile.Invited); err != nil {
			return err
		}
		removed[j] = true
	case reconcile.Remove:
		if !ok {
			return nil // done already
		}
		if err := want(reconcile.Active); err != nil {
			return err
		}
		removed[j] = true
	default:
		return fmt.Errorf("file workspace: unknown action %q", c.Action)
	}
	return nil
}

// sentNote records the note an invitation sent at now carried, as the
// invitee's email would show it; an invitation without one clears the
// note of the one before.
func (m *member) sentNote(note string, now time.Time) {
	m.InviteNote, m.InviteNoteSentAt = note, nil
	if note != "" {
		m.InviteNoteSentAt = &now
	}
}

// SendsInviteNote returns true: every invite and resend-invite records
// its note on the member (reconcile.NoteSender).
func (w *Workspace) SendsInviteNote() bool { return true }

// ConfirmsWrites reports true: a change is applied only once the document
// that is the workspace holds it, written and synced.
func (w *Workspace) ConfirmsWrites() bool { return true }

// writeFile replaces path with data atomically: a temporary file in the
// same directory is written and synced, then renamed over path, and the
// directory synced so that the rename survives a crash. The file keeps the
// permissions of the one it replaces (chmod 600 stays 600); a new one is
// 0600, like the journal: it lists who can reach the workspace.
func writeFile(path string, data []byte) (err error) {
	mode := fs.FileMode(0o600)
	if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
		mode = info.Mode().Perm()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// resolveLinks returns where path leads once the symbolic links that it
// is (not those of its directories) are followed. A workspace kept behind
// a link (the user's choice: a shared copy, a file in another checkout)
// is written where the link points, under a lock beside that file: the
// rename of a write over the link itself would turn it into a file of its
// own, and leave the target unchanged. A loop, or an unreadable link, is
// left to the write to report.
func resolveLinks(path string) string {
	for range 40 { // as many links as Linux follows
		info, err := os.Lstat(path)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return path
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return path
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
	return path
}

// removeStaleTemps deletes the temporary files of writes that never got
// to their rename: an apply killed halfway through one leaves its file
// behind. Execute calls it holding the lock, so no other write is between
// creating its temporary file and renaming it.
func removeStaleTemps(path string) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".tmp-"
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
