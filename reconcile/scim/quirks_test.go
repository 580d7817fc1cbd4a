package scim_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// The tests in this file act out, one each, provider behaviours seen in
// shipped SCIM implementations (issue 10), with the switches of
// scimtest.Quirks.

// invites returns a batch inviting n new people to role.
func invites(n int, role schema.Role) []reconcile.Change {
	batch := make([]reconcile.Change, n)
	for i := range batch {
		batch[i] = reconcile.Change{Action: reconcile.Invite, Email: fmt.Sprintf("new%02d@acme.io", i), RoleAfter: role}
	}
	return batch
}

// memberValues returns the member values of each group, by name.
func memberValues(srv *scimtest.Server) map[string][]string {
	out := map[string][]string{}
	for _, g := range srv.Groups() {
		out[g.DisplayName] = g.Members
	}
	return out
}

// Behaviour 1: a provider that resolves only the last bulkId reference of
// an operation, and leaves bulkId out of the results of PATCH operations.
func TestQuirkBulkLastRefOnly(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true, Quirks: scimtest.Quirks{BulkLastRefOnly: true}})
	seed(srv, nil)
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	srv.ResetCounts()
	noErrors(t, ws.Execute(ctx, invites(3, schema.Admin)))
	for name, values := range memberValues(srv) {
		for _, v := range values {
			if strings.HasPrefix(v, "bulkId:") {
				t.Errorf("group %s holds member %q: a bulkId reference the provider did not resolve", name, v)
			}
		}
	}
	if got := len(roles(srv)); got != 3 {
		t.Errorf("%d users in role groups, want 3", got)
	}
	if c := srv.Counts(); c["POST /Bulk"] != 1 || c["PATCH /Groups"] != 0 {
		t.Errorf("requests = %v; want one Bulk request and no PATCH sent again alone", c)
	}
}

// Behaviour 2: a provider that answers 200 to Bulk PATCH operations it did
// not carry out.
func TestQuirkBulkPatchNoop(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true, Quirks: scimtest.Quirks{BulkPatchNoop: true}})
	seed(srv, nil)
	var notice bytes.Buffer
	ws := newWorkspace(t, srv, func(c *scim.Config) { c.Notice = &notice })
	snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, invites(3, schema.Admin)))
	want := map[string][]string{"new00@acme.io": {"Admins"}, "new01@acme.io": {"Admins"}, "new02@acme.io": {"Admins"}}
	if d := cmp.Diff(want, roles(srv)); d != "" {
		t.Errorf("role groups mismatch (-want +got):\n%s", d)
	}
	if !strings.Contains(notice.String(), "Bulk") {
		t.Errorf("notice = %q; want it to say Bulk is no longer used", notice.String())
	}
	// The rest of the run goes without Bulk.
	srv.ResetCounts()
	live := snapshot(t, ws)
	if len(live.Members) < 2 {
		t.Fatalf("Snapshot() has %d members, want 3", len(live.Members))
	}
	noErrors(t, ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.ChangeRole, Email: "new00@acme.io", ID: live.Members[0].ID, RoleBefore: schema.Admin, RoleAfter: schema.Operator},
		{Action: reconcile.ChangeRole, Email: "new01@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Admin, RoleAfter: schema.Operator},
	}))
	if c := srv.Counts(); c["POST /Bulk"] != 0 {
		t.Errorf("requests = %v; want no Bulk request after Bulk was seen not to work", c)
	}
}

// Behaviour 3: a provider that stores group members but never lists them.
func TestQuirkHideMembers(t *testing.T) {
	for _, bulk := range []bool{false, true} {
		t.Run(fmt.Sprintf("bulk=%v", bulk), func(t *testing.T) {
			srv := scimtest.New(t, scimtest.Options{Bulk: bulk, Quirks: scimtest.Quirks{HideMembers: true}})
			seed(srv, nil)
			team := &schema.Team{Version: 1, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5}}
			for i, r := range []schema.Role{schema.Admin, schema.Operator, schema.Reviewer} {
				team.People = append(team.People, schema.Person{Email: fmt.Sprintf("p%d@acme.io", i), Role: r})
			}
			_, results := apply(t, srv, team, nil)
			for _, r := range results {
				if r.Outcome == reconcile.Applied {
					t.Errorf("%s %s: applied on a provider that shows no members", r.Change.Action, r.Change.Email)
				}
			}
			if len(results) == 0 || results[0].Err == nil || !strings.Contains(results[0].Err.Error(), "lists none of the 1 new member") {
				t.Fatalf("first result = %+v; want the apply stopped because the provider does not list members", results[0])
			}
			first := memberValues(srv)
			users := len(srv.Users())
			apply(t, srv, team, nil)
			if d := cmp.Diff(first, memberValues(srv)); d != "" {
				t.Errorf("a second apply changed the groups (-first +second):\n%s", d)
			}
			if got := len(srv.Users()); got != users {
				t.Errorf("a second apply left %d users, want %d", got, users)
			}
		})
	}
}

// Behaviour 4: a provider that refuses the `or` of the three group names.
func TestQuirkSingleEqFilter(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Quirks: scimtest.Quirks{SingleEqFilter: true}})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("olivia@acme.io", schema.Operator)})
	srv.AddGroup("Everyone")
	ws := newWorkspace(t, srv, nil)
	if got := len(snapshot(t, ws).Members); got != 2 {
		t.Errorf("Snapshot() has %d members, want 2", got)
	}
	// One refused request, then one per group.
	if got := srv.Counts()["GET /Groups"]; got != 4 {
		t.Errorf("GET /Groups requests = %d, want 4", got)
	}
	// The refusal is remembered.
	srv.ResetCounts()
	snapshot(t, ws)
	if got := srv.Counts()["GET /Groups"]; got != 3 {
		t.Errorf("a second read: GET /Groups requests = %d, want 3", got)
	}
}

// Behaviour 5: a provider that ignores failOnErrors must not leave anyone
// without a role.
func TestQuirkIgnoreFailOnErrors(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true, Quirks: scimtest.Quirks{IgnoreFailOnErrors: true, RefuseAddsTo: "Admins"}})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("olivia@acme.io", schema.Operator), member("rita@acme.io", schema.Reviewer)})
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	errs := ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.ChangeRole, Email: "olivia@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Operator, RoleAfter: schema.Admin},
		{Action: reconcile.ChangeRole, Email: "rita@acme.io", ID: live.Members[2].ID, RoleBefore: schema.Reviewer, RoleAfter: schema.Operator},
	})
	if errs[0] == nil {
		t.Errorf("Execute() change-role olivia to admin succeeded; want the refused add to fail it")
	}
	if errs[1] != nil {
		t.Errorf("Execute() change-role rita: %v", errs[1])
	}
	want := map[string][]string{"dana@acme.io": {"Admins"}, "olivia@acme.io": {"Operators"}, "rita@acme.io": {"Operators"}}
	if d := cmp.Diff(want, roles(srv)); d != "" {
		t.Errorf("role groups mismatch (-want +got):\n%s", d)
	}
}

// Behaviour 6: list pages that hold more than asked for, repeating
// resources of the page before.
func TestQuirkOverfullPages(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{PageSize: 5, Quirks: scimtest.Quirks{OverfullPages: true}})
	var members []reconcile.Member
	for i := range 17 {
		members = append(members, member(fmt.Sprintf("p%02d@acme.io", i), schema.Roles[i%3]))
	}
	seed(srv, members)
	if got := len(snapshot(t, newWorkspace(t, srv, nil)).Members); got != 17 {
		t.Errorf("Snapshot() has %d members, want 17", got)
	}
}

// bulk=off in the workspace URL never uses Bulk.
func TestBulkOff(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true})
	seed(srv, nil)
	ws := newWorkspace(t, srv, func(c *scim.Config) { c.URL += "?bulk=off" })
	snapshot(t, ws)
	noErrors(t, ws.Execute(ctx, invites(3, schema.Reviewer)))
	if c := srv.Counts(); c["POST /Bulk"] != 0 || c["POST /Users"] != 3 {
		t.Errorf("requests = %v; want the users created alone, no Bulk", c)
	}
}

// A role-group member value that is no user (left by behaviour 1, or by a
// user deleted without leaving its groups) is drift, and prune removes it.
func TestDanglingMembers(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Quirks: scimtest.Quirks{BulkLastRefOnly: true}})
	dana := srv.AddUser(scimtest.User{UserName: "dana@acme.io", Active: true})
	gone := srv.AddUser(scimtest.User{UserName: "gone@acme.io", Active: true})
	srv.AddGroup("Admins", dana, "bulkId:op-0")
	srv.AddGroup("Operators", gone)
	srv.AddGroup("Reviewers")
	srv.DeleteUser(gone)
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	want := []reconcile.Dangling{
		{Group: "Admins", Role: schema.Admin, Value: "bulkId:op-0", Kind: reconcile.DanglingMissing},
		{Group: "Operators", Role: schema.Operator, Value: gone, Kind: reconcile.DanglingMissing},
	}
	if d := cmp.Diff(want, live.Dangling); d != "" {
		t.Errorf("Snapshot() Dangling mismatch (-want +got):\n%s", d)
	}
	if len(live.Members) != 1 {
		t.Errorf("Snapshot() members = %v, want dana alone", live.Members)
	}
	team := &schema.Team{Version: 1, People: []schema.Person{{Email: "dana@acme.io", Role: schema.Admin}}, Policy: schema.Policy{MaxAdmins: 3, MaxRemovals: 5, Prune: true}}
	plan, results := apply(t, srv, team, nil)
	if len(plan.Changes) != 2 || !results.OK() {
		t.Fatalf("apply: changes %v, results %v; want the two dangling members removed", plan.Changes, results)
	}
	got := memberValues(srv)
	if d := cmp.Diff(map[string][]string{"Admins": {dana}, "Operators": {}, "Reviewers": {}}, got); d != "" {
		t.Errorf("groups after prune mismatch (-want +got):\n%s", d)
	}
	if live := snapshot(t, newWorkspace(t, srv, nil)); len(live.Dangling) != 0 {
		t.Errorf("after prune, Dangling = %v, want none", live.Dangling)
	}
}
