package local_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile/local"
)

// TestSnapshotSortsMembers checks that a workspace file edited by hand,
// out of order, is read sorted by identity, as backends report members.
func TestSnapshotSortsMembers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.json")
	doc := `{"members": [
	  {"email": "Rita@acme.io", "role": "reviewer", "status": "active"},
	  {"email": "dana@acme.io", "role": "admin", "status": "active"},
	  {"email": "olivia@acme.io", "role": "operator", "status": "invited"}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	live, err := local.New(path).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range live.Members {
		got = append(got, m.Email)
	}
	if d := cmp.Diff([]string{"dana@acme.io", "olivia@acme.io", "Rita@acme.io"}, got); d != "" {
		t.Errorf("Snapshot() order mismatch (-want +got):\n%s", d)
	}
}
