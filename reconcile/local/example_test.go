package local_test

import (
	"context"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
)

// TestExample loads the bundled example workspace.
func TestExample(t *testing.T) {
	l, err := local.New("../../examples/workspace.json").Snapshot(context.Background())
	if err != nil {
		t.Fatalf("Snapshot() error = %v", err)
	}
	n := map[reconcile.Status]int{}
	for _, m := range l.Members {
		n[m.Status]++
	}
	if l.Name != "acme-outbound" || n[reconcile.Active] == 0 || n[reconcile.Invited] == 0 || n[reconcile.Suspended] == 0 {
		t.Errorf("example workspace %q has %v members by status, want some of each", l.Name, n)
	}
}
