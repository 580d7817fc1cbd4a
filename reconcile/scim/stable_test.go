package scim_test

import (
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// TestPagesThatShiftAreReadAgain is issue 19's second finding: another
// admin deletes an unrelated user while teamctl pages through /Users; the
// pages shift, one user is never seen, totalResults shrinks with the list
// (so the completeness check passed), and the unseen user's membership
// looked like a value that names nobody, which prune removed. A read whose
// totals move between pages is read again; the plan is made from the
// read that holds still.
func TestPagesThatShiftAreReadAgain(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{PageSize: 2})
	unrelated := srv.AddUser(scimtest.User{UserName: "temp@acme.io", Active: true})
	sam := srv.AddUser(scimtest.User{UserName: "sam@acme.io", Active: true})
	olivia := srv.AddUser(scimtest.User{UserName: "olivia@acme.io", Active: true})
	rita := srv.AddUser(scimtest.User{UserName: "rita@acme.io", Active: true})
	srv.AddGroup("Admins", sam)
	srv.AddGroup("Operators", olivia)
	srv.AddGroup("Reviewers", rita)
	srv.SetQuirks(scimtest.Quirks{DeleteDuringList: unrelated})

	live := snapshot(t, newWorkspace(t, srv, nil))
	if len(live.Dangling) != 0 {
		t.Errorf("Dangling = %v, want none: every member value is a user", live.Dangling)
	}
	var got []string
	for _, m := range live.Members {
		got = append(got, m.Email)
	}
	if len(got) != 3 {
		t.Fatalf("members = %v, want sam, olivia and rita", got)
	}
	team := &schema.Team{Version: 1, Files: []string{"team.yaml"}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5, Prune: true}, People: []schema.Person{
		{Email: "sam@acme.io", Role: schema.Admin}, {Email: "olivia@acme.io", Role: schema.Operator}, {Email: "rita@acme.io", Role: schema.Reviewer},
	}}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Actor: "sam@acme.io"})
	if err != nil || len(plan.Changes) != 0 {
		t.Errorf("Diff() = %v, %v; want nothing to do", plan.Changes, err)
	}
}
