package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// An apply killed between creating its temporary file and renaming it
// leaves the file behind; the next write clears it, and only it.
func TestExecuteRemovesTheTemporaryFilesOfKilledWrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ws.json")
	stale := filepath.Join(dir, ".ws.json.tmp-123456")
	other := filepath.Join(dir, ".other.json.tmp-123456")
	for _, f := range []string{stale, other} {
		if err := os.WriteFile(f, []byte(`{"name": "half a`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := New(path)
	errs := ws.Execute(context.Background(), []reconcile.Change{{Action: reconcile.Invite, Email: "dana@acme.io", RoleAfter: schema.Admin}})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file is still there (%v)", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another workspace's temporary file was removed: %v", err)
	}
}
