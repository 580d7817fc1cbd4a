package scim_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// TestNoTargetFallsBackToPut is issue 19's fifth finding: a provider that
// answers 400 noTarget to `remove members[value eq "ID"]` unless the
// member is the last one. teamctl reported `group "Operators" kept
// changing; try again` (it never changed) and dropped the provider's
// answer. The group holds the member, so teamctl writes the group whole
// with PUT, as it does for a provider without PATCH.
func TestNoTargetFallsBackToPut(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Quirks: scimtest.Quirks{NoTargetUnlessLast: true}})
	seed(srv, []reconcile.Member{
		{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active},
		{Email: "olivia@acme.io", Role: schema.Operator, Status: reconcile.Active},
		{Email: "omar@acme.io", Role: schema.Operator, Status: reconcile.Active},
		{Email: "sam@acme.io", Role: schema.Admin, Status: reconcile.Active},
	})
	team := &schema.Team{Version: 1, Files: []string{"team.yaml"}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5, Prune: true}, People: []schema.Person{
		{Email: "dana@acme.io", Role: schema.Admin}, {Email: "omar@acme.io", Role: schema.Operator}, {Email: "sam@acme.io", Role: schema.Reviewer},
	}}
	_, rs := apply(t, srv, team, nil)
	for _, r := range rs {
		if r.Outcome != reconcile.Applied {
			t.Errorf("%s %s: %s: %v", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
		}
	}
	want := map[string][]string{"Admins": {"u-0001"}, "Operators": {"u-0003"}, "Reviewers": {"u-0004"}}
	if d := cmp.Diff(want, memberValues(srv)); d != "" {
		t.Errorf("groups mismatch (-want +got):\n%s", d)
	}
	if c := srv.Counts(); c["PUT /Groups"] == 0 {
		t.Errorf("requests = %v, want the group written with PUT", c)
	}
}

// TestGroupErrorSaysWhatTheProviderSaid: when a group edit fails, the
// error carries the provider's own answer.
func TestGroupErrorSaysWhatTheProviderSaid(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{ETags: true, Quirks: scimtest.Quirks{RefuseRemovesFrom: "Operators"}})
	seed(srv, []reconcile.Member{
		{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active},
		{Email: "olivia@acme.io", Role: schema.Operator, Status: reconcile.Active},
	})
	team := &schema.Team{Version: 1, Files: []string{"team.yaml"}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5, Prune: true}, People: []schema.Person{{Email: "dana@acme.io", Role: schema.Admin}}}
	_, rs := apply(t, srv, team, nil)
	if len(rs) != 1 || rs[0].Err == nil || !strings.Contains(rs[0].Err.Error(), `group "Operators": member removal failed`) {
		t.Errorf("results = %v; want the removal failed with the provider's words", rs)
	}
}

// TestTwoAdminsGroupsRefused: against the real server, a second group
// named Admins (made by anyone who may create groups) stops the read,
// naming both groups, instead of one being taken for the role group.
func TestTwoAdminsGroupsRefused(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{})
	seed(srv, []reconcile.Member{{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active}})
	intruder := srv.AddUser(scimtest.User{UserName: "mallory@evil.example", Active: true})
	second := srv.AddGroup("Admins", intruder)
	_, err := newWorkspace(t, srv, nil).Snapshot(ctx)
	if err == nil || !strings.Contains(err.Error(), "2 groups are named \"Admins\"") || !strings.Contains(err.Error(), second) {
		t.Errorf("Snapshot() with two Admins groups: error = %v, want one naming both", err)
	}
}
