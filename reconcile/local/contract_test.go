package local_test

import (
	"context"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/workspacetest"
)

// TestContract runs the contract every workspace backend passes. The seed
// is written through Execute: invites, then role and status edits are not
// changes a plan makes, so members other than pending invites are seeded
// by accepting the invite in the file.
func TestContract(t *testing.T) {
	workspacetest.Run(t, func(t *testing.T, seed []reconcile.Member) reconcile.Workspace {
		ws := newWorkspace(t, missing)
		var batch []reconcile.Change
		for _, m := range seed {
			batch = append(batch, reconcile.Change{Action: reconcile.Invite, Email: m.Email, Name: m.Name, RoleAfter: m.Role})
		}
		for _, err := range ws.Execute(context.Background(), batch) {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range seed {
			if m.Status != reconcile.Invited {
				if err := local.SetStatus(ws, m.Email, m.Status); err != nil {
					t.Fatal(err)
				}
			}
		}
		return ws
	})
}
