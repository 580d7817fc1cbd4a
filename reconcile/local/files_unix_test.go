//go:build unix

package local_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/schema"
)

// TestLockNeverWritesThroughALink: a lock file planted as a link to
// another file is refused, and that file is left as it was.
func TestLockNeverWritesThroughALink(t *testing.T) {
	const precious = "the victim's content\n"
	tests := []struct {
		name    string
		link    func(victim, lock string) error
		wantErr string
	}{
		{"symbolic link", os.Symlink, "is a symbolic link"},
		{"hard link", os.Link, "is not a plain file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWorkspace(t, sample)
			victim := filepath.Join(t.TempDir(), "victim")
			if err := os.WriteFile(victim, []byte(precious), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := tt.link(victim, ws.LockPath()); err != nil {
				t.Skip("cannot link here:", err)
			}
			release, err := ws.Lock(context.Background(), "dana@acme.io")
			if err == nil {
				release()
				t.Errorf("Lock() through a %s succeeded, want an error", tt.name)
			} else if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Lock() error = %v, want %q", err, tt.wantErr)
			}
			if errs := ws.Execute(context.Background(), []reconcile.Change{{Action: reconcile.Invite, Email: "x@acme.io", RoleAfter: schema.Admin}}); errs[0] == nil {
				t.Errorf("Execute() through a %s lock succeeded, want an error", tt.name)
			}
			if got, _ := os.ReadFile(victim); string(got) != precious {
				t.Errorf("the linked file now holds %q, want %q", got, precious)
			}
		})
	}
}

// TestFileModes: a new workspace or lock file is 0600; an apply keeps the
// mode the workspace file has.
func TestFileModes(t *testing.T) {
	invite := func(ws *local.Workspace, email string) {
		t.Helper()
		if errs := ws.Execute(context.Background(), []reconcile.Change{{Action: reconcile.Invite, Email: email, RoleAfter: schema.Reviewer}}); errs[0] != nil {
			t.Fatalf("Execute() error = %v", errs[0])
		}
	}
	mode := func(path string) fs.FileMode {
		t.Helper()
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return info.Mode().Perm()
	}

	ws := newWorkspace(t, missing)
	invite(ws, "new@acme.io")
	if got := mode(ws.Path()); got != 0o600 {
		t.Errorf("a new workspace file is %v, want -rw-------", got)
	}
	if got := mode(ws.LockPath()); got != 0o600 {
		t.Errorf("a new lock file is %v, want -rw-------", got)
	}
	for _, keep := range []fs.FileMode{0o600, 0o640, 0o644} {
		if err := os.Chmod(ws.Path(), keep); err != nil {
			t.Fatal(err)
		}
		invite(ws, "x"+keep.String()+"@acme.io")
		if got := mode(ws.Path()); got != keep {
			t.Errorf("after an apply, a %v workspace file is %v", keep, got)
		}
	}

	saved := filepath.Join(t.TempDir(), "saved.json")
	if err := local.Save(saved, &reconcile.Live{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	if got := mode(saved); got != 0o600 {
		t.Errorf("Save() created a %v file, want -rw-------", got)
	}
}
