package scim_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/planfile"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// TestDanglingAddressIsDrift is issue 19's first finding: a Reviewers group
// holds the value "dana@acme.io" (added by email, stored as given by a
// provider like SCIMMY) while dana is the only admin, declared and in
// sync. With prune and max_removals 0, teamctl once planned "remove a
// value that is no user" and, carrying it out, deactivated dana and took
// her out of Admins. A value that is a user's address, and a nested
// group, are drift: reported, left alone, no change and no request.
func TestDanglingAddressIsDrift(t *testing.T) {
	ctx := context.Background()
	srv := scimtest.New(t, scimtest.Options{Quirks: scimtest.Quirks{AnyMemberValue: true}})
	dana := srv.AddUser(scimtest.User{UserName: "dana@acme.io", Emails: []string{"dana@acme.io"}, Active: true})
	rita := srv.AddUser(scimtest.User{UserName: "rita", Emails: []string{"Rita@acme.io"}, Active: true})
	contractors := srv.AddGroup("Contractors")
	srv.AddGroup("Admins", dana, contractors)
	srv.AddGroup("Operators")
	srv.AddGroup("Reviewers", "dana@acme.io", "rita@acme.io")
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	want := []reconcile.Dangling{
		{Group: "Admins", Role: schema.Admin, Value: contractors, Kind: reconcile.DanglingGroup},
		{Group: "Reviewers", Role: schema.Reviewer, Value: "dana@acme.io", Kind: reconcile.DanglingUser, User: "dana@acme.io"},
		{Group: "Reviewers", Role: schema.Reviewer, Value: "rita@acme.io", Kind: reconcile.DanglingUser, User: "rita"},
	}
	if d := cmp.Diff(want, live.Dangling); d != "" {
		t.Errorf("Snapshot() Dangling mismatch (-want +got):\n%s", d)
	}
	team := &schema.Team{Version: 1, People: []schema.Person{{Email: "dana@acme.io", Role: schema.Admin}}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 0, Prune: true}}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{})
	if err != nil {
		t.Fatalf("Diff() error = %v", err)
	}
	if len(plan.Changes) != 0 {
		t.Fatalf("Diff() changes = %v, want none: an address and a group are drift", plan.Changes)
	}
	users := srv.Users()
	if !users[0].Active || !users[1].Active || rita == "" {
		t.Errorf("users after the plan: %v", users)
	}

	// Even a change made by hand (a saved plan edited, an old teamctl's
	// plan) edits only the group that holds the value, for that value:
	// the executor never resolves it to a user.
	forged := reconcile.Change{Action: reconcile.Remove, Email: "dana@acme.io", ID: "dana@acme.io", RoleBefore: schema.Reviewer, Reason: reconcile.Reason{Kind: reconcile.ReasonDangling, Groups: []string{"Reviewers"}}}
	errs := ws.Execute(ctx, []reconcile.Change{forged})
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "never removes a user for a member value") {
		t.Errorf("Execute() of a removal of an address value: %v; want it refused", errs[0])
	}
	if u := srv.Users()[0]; !u.Active {
		t.Errorf("dana was deactivated: %+v", u)
	}
	if d := cmp.Diff(map[string][]string{"Admins": {dana, contractors}, "Operators": {}, "Reviewers": {"dana@acme.io", "rita@acme.io"}}, roleGroupValues(srv)); d != "" {
		t.Errorf("groups mismatch (-want +got):\n%s", d)
	}
}

// TestDanglingOnlyWhenConfirmed: a value the provider does not answer 404
// for is not removed: a read by id that fails otherwise leaves it
// unconfirmed, drift; and a value that is a user the list of users left
// out (the list changed under the read) fails the snapshot.
func TestDanglingOnlyWhenConfirmed(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	dana := srv.AddUser(scimtest.User{UserName: "dana@acme.io", Active: true})
	srv.AddGroup("Admins", dana, "bulkId:op-0")
	srv.AddGroup("Operators")
	srv.AddGroup("Reviewers")
	if got := snapshot(t, newWorkspace(t, srv, nil)).Dangling; len(got) != 1 || got[0].Kind != reconcile.DanglingMissing {
		t.Fatalf("Dangling = %v, want bulkId:op-0, missing", got)
	}

	strict := scimtest.New(t, scimtest.Options{Quirks: scimtest.Quirks{StrictIDs: true}})
	dana = strict.AddUser(scimtest.User{UserName: "dana@acme.io", Active: true})
	strict.AddGroup("Admins", dana, "bulkId:op-0")
	strict.AddGroup("Operators")
	strict.AddGroup("Reviewers")
	ws := newWorkspace(t, strict, nil)
	live := snapshot(t, ws)
	got := live.Dangling
	if len(got) != 1 || got[0].Kind != reconcile.DanglingUnconfirmed || !strings.Contains(got[0].Detail, "400") {
		t.Fatalf("Dangling from a provider that answers 400 = %+v, want bulkId:op-0 unconfirmed, saying what the provider said", got)
	}
	team := &schema.Team{Version: 1, People: []schema.Person{{Email: "dana@acme.io", Role: schema.Admin}}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5, Prune: true}}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{})
	if err != nil || len(plan.Changes) != 0 || len(plan.Dangling) != 1 {
		t.Errorf("Diff() with prune = %v changes, %v dangling, %v; want the unconfirmed value left alone, as drift", plan.Changes, plan.Dangling, err)
	}
}

func roleGroupValues(srv *scimtest.Server) map[string][]string {
	out := map[string][]string{}
	for _, g := range srv.Groups() {
		if g.DisplayName == "Contractors" {
			continue
		}
		out[g.DisplayName] = append([]string{}, g.Members...)
	}
	return out
}

// TestSavedPlanDanglingTOCTOU: a reviewed saved plan removes the member
// value "sam@acme.io", which named nobody when it was made; an account
// sam@acme.io is created after the review. The plan is refused, and even
// carried out by hand its change touches no account.
func TestSavedPlanDanglingTOCTOU(t *testing.T) {
	ctx := context.Background()
	srv := scimtest.New(t, scimtest.Options{Quirks: scimtest.Quirks{AnyMemberValue: true}})
	dana := srv.AddUser(scimtest.User{UserName: "dana@acme.io", Active: true})
	srv.AddGroup("Admins", dana, "sam@acme.io")
	srv.AddGroup("Operators")
	srv.AddGroup("Reviewers")
	team := &schema.Team{Version: 1, People: []schema.Person{{Email: "dana@acme.io", Role: schema.Admin}}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5, Prune: true}}
	plan, err := reconcile.Diff(team, snapshot(t, newWorkspace(t, srv, nil)), reconcile.DiffOptions{})
	if err != nil || len(plan.Changes) != 1 || plan.Changes[0].Reason.Kind != reconcile.ReasonDangling {
		t.Fatalf("Diff() = %v, %v; want the removal of the value sam@acme.io", plan.Changes, err)
	}
	var saved bytes.Buffer
	if err := planfile.Write(&saved, plan); err != nil {
		t.Fatal(err)
	}
	reviewed, err := planfile.Read(saved.Bytes())
	if err != nil {
		t.Fatal(err)
	}

	sam := srv.AddUser(scimtest.User{UserName: "sam@acme.io", Active: true})
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	if _, err := reconcile.Verify(reviewed, team, live, reconcile.DiffOptions{}); err == nil || !strings.Contains(err.Error(), "stale") {
		t.Errorf("Verify() after sam@acme.io was created: error = %v, want the plan refused as stale", err)
	}
	errs := ws.Execute(ctx, reviewed.Changes)
	if errs[0] == nil {
		t.Error("Execute() of the saved change after sam@acme.io was created: no error")
	}
	for _, u := range srv.Users() {
		if u.ID == sam && !u.Active {
			t.Errorf("sam@acme.io, created after the review, was deactivated")
		}
	}
	if len(srv.Users()) != 2 {
		t.Errorf("users = %v, want dana and sam", srv.Users())
	}
}
