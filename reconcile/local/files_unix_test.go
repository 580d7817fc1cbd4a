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

// TestWorkspaceBehindALink: a workspace file that is a symbolic link is
// written where it leads (the link stays a link), and both names of the
// workspace take one lock.
func TestWorkspaceBehindALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "shared", "workspace.json")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "workspace.json")
	if err := os.Symlink(filepath.Join("shared", "workspace.json"), link); err != nil {
		t.Skip("cannot link here:", err)
	}
	ws, direct := local.New(link), local.New(target)
	if ws.LockPath() != direct.LockPath() {
		t.Errorf("LockPath() = %q through the link, %q direct; want one lock", ws.LockPath(), direct.LockPath())
	}
	release, err := ws.Lock(context.Background(), "dana@acme.io")
	if err != nil {
		t.Fatal(err)
	}
	if errs := ws.Execute(context.Background(), []reconcile.Change{{Action: reconcile.Invite, Email: "x@acme.io", RoleAfter: schema.Operator}}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	release()
	if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the workspace link is no longer a link (%v, %v)", info.Mode(), err)
	}
	if data, _ := os.ReadFile(target); !strings.Contains(string(data), "x@acme.io") {
		t.Errorf("the link's target does not hold the invite:\n%s", data)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, ".workspace.json.tmp-*")); len(matches) > 0 {
		t.Errorf("temporary files beside the link: %v", matches)
	}
}
