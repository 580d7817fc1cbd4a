package scim_test

import (
	"errors"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// TestHalfDoneRemovalIsFinished is issue 19's third finding: a removal
// that stopped halfway (the user deactivated, the provider failing to
// take it out of Operators) left a deactivated member in a role group,
// which the plan skipped as "holds no access": plan said "No changes"
// while Operators still listed the user. It is drift without prune, and
// with prune the next plan takes it out of the group, counted toward
// max_removals, touching the user no more.
func TestHalfDoneRemovalIsFinished(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Quirks: scimtest.Quirks{RefuseRemovesFrom: "Operators"}})
	seed(srv, []reconcile.Member{
		{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active},
		{Email: "olivia@acme.io", Role: schema.Operator, Status: reconcile.Active},
	})
	team := &schema.Team{Version: 1, Files: []string{"team.yaml"}, People: []schema.Person{{Email: "dana@acme.io", Role: schema.Admin}}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 1, Prune: true}}
	_, rs := apply(t, srv, team, nil)
	if rs.OK() {
		t.Fatalf("apply with a provider that fails group removals: %v; want the removal failed", rs)
	}
	srv.SetQuirks(scimtest.Quirks{})
	if u := srv.Users()[1]; u.Active {
		t.Fatalf("olivia after the failed removal: %+v; want her deactivated (the first half done)", u)
	}

	team.Policy.Prune = false
	live := snapshot(t, newWorkspace(t, srv, nil))
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Changes) != 0 || len(plan.Drift) != 1 || plan.Drift[0].Status != reconcile.Suspended {
		t.Errorf("without prune: changes %v, drift %v; want olivia as suspended drift", plan.Changes, plan.Drift)
	}

	team.Policy.Prune, team.Policy.MaxRemovals = true, 0
	if _, err := reconcile.Diff(team, live, reconcile.DiffOptions{}); !errors.Is(err, reconcile.ErrRefused) {
		t.Errorf("with prune and max_removals 0: Diff() error = %v, want it refused: taking her out counts", err)
	}
	team.Policy.MaxRemovals = 1
	plan, rs = apply(t, srv, team, nil)
	if len(plan.Changes) != 1 || plan.Changes[0].Reason.Kind != reconcile.ReasonUndeclaredSuspended || !rs.OK() {
		t.Fatalf("with prune: changes %v, results %v; want olivia taken out of Operators", plan.Changes, rs)
	}
	if got := memberValues(srv)["Operators"]; len(got) != 0 {
		t.Errorf("Operators after the second apply = %v, want empty", got)
	}
	if users := srv.Users(); len(users) != 2 || users[1].Active {
		t.Errorf("users = %+v; want olivia still there, deactivated", users)
	}
	if plan, _ := reconcile.Diff(team, snapshot(t, newWorkspace(t, srv, nil)), reconcile.DiffOptions{}); len(plan.Changes) != 0 {
		t.Errorf("third plan = %v, want nothing left", plan.Changes)
	}
}
