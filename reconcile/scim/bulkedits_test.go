package scim_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// roles returns each user's role groups by userName, from the server.
func roles(srv *scimtest.Server) map[string][]string {
	names := map[string]string{}
	for _, u := range srv.Users() {
		if u.Active {
			names[u.ID] = u.UserName
		}
	}
	out := map[string][]string{}
	for _, g := range srv.Groups() {
		for _, id := range g.Members {
			if n, ok := names[id]; ok {
				out[n] = append(out[n], g.DisplayName)
			}
		}
	}
	return out
}

// TestBulkOneRequestABatch checks that with Bulk the first round of a
// batch that fits costs one request: users created and deactivated,
// memberships added (new users by bulkId reference) and those of leavers
// taken away; the memberships a change of role takes away follow once the
// new role shows.
func TestBulkOneRequestABatch(t *testing.T) {
	for _, etags := range []bool{false, true} {
		srv := scimtest.New(t, scimtest.Options{Bulk: true, ETags: etags})
		seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("rita@acme.io", schema.Reviewer), member("eve@acme.io", schema.Operator)})
		ws := newWorkspace(t, srv, nil)
		live := snapshot(t, ws)
		srv.ResetCounts()
		noErrors(t, ws.Execute(ctx, []reconcile.Change{
			{Action: reconcile.Invite, Email: "nina@acme.io", RoleAfter: schema.Operator},
			{Action: reconcile.Invite, Email: "sam@acme.io", RoleAfter: schema.Admin},
			{Action: reconcile.ChangeRole, Email: "rita@acme.io", ID: live.Members[2].ID, RoleBefore: schema.Reviewer, RoleAfter: schema.Operator},
			{Action: reconcile.Remove, Email: "eve@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Operator},
		}))
		// One Bulk request; then the read-back of the 2 groups it touched
		// and of the 3 users (one page); then rita out of Reviewers, once
		// Operators shows her, and Reviewers read back.
		if c := srv.Counts(); c["writes"] != 2 || c["POST /Bulk"] != 1 || c["PATCH /Groups"] != 1 || c["GET /Groups"] != 3 || c["GET /Users"] != 1 {
			t.Errorf("etags %v: requests = %v; want one POST /Bulk, then one PATCH, and 4 reads", etags, c)
		}
		want := map[string][]string{"dana@acme.io": {"Admins"}, "sam@acme.io": {"Admins"}, "nina@acme.io": {"Operators"}, "rita@acme.io": {"Operators"}}
		if d := cmp.Diff(want, roles(srv)); d != "" {
			t.Errorf("etags %v: role groups mismatch (-want +got):\n%s", etags, d)
		}
		// The state kept for the next batch knows what the request did.
		srv.ResetCounts()
		noErrors(t, ws.Execute(ctx, []reconcile.Change{{Action: reconcile.ChangeRole, Email: "nina@acme.io", RoleBefore: schema.Operator, RoleAfter: schema.Reviewer}}))
		if c := srv.Counts(); c["total"] != 4 || c["PATCH /Groups"] != 2 || c["GET /Groups"] != 2 {
			t.Errorf("etags %v: a second batch sent %v; want the add, its read-back, the remove and its read-back", etags, c)
		}
		if got := roles(srv)["nina@acme.io"]; !cmp.Equal(got, []string{"Reviewers"}) {
			t.Errorf("etags %v: nina is in %v, want Reviewers alone", etags, got)
		}
	}
}

// TestBulkStopsAtFirstError checks that when an operation of the request
// fails, the provider stops there and the rest is done the usual way, in
// the usual order, so that nobody loses a role before gaining the new one.
func TestBulkStopsAtFirstError(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("rita@acme.io", schema.Reviewer)})
	ws := newWorkspace(t, srv, nil)
	live := snapshot(t, ws)
	// Sam appears after the read: creating him conflicts (409).
	srv.AddUser(scimtest.User{UserName: "sam@acme.io", Active: true})
	srv.ResetCounts()
	noErrors(t, ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.Invite, Email: "sam@acme.io", RoleAfter: schema.Admin},
		{Action: reconcile.Invite, Email: "nina@acme.io", RoleAfter: schema.Operator},
		{Action: reconcile.ChangeRole, Email: "rita@acme.io", ID: live.Members[1].ID, RoleBefore: schema.Reviewer, RoleAfter: schema.Operator},
	}))
	// One Bulk request of 2 users and 3 group edits, stopped at the first;
	// then nina's create alone, and the groups.
	if c := srv.Counts(); c["POST /Bulk"] != 1 || c["bulk operations"] != 5 || c["POST /Users"] != 1 {
		t.Errorf("requests = %v; want one Bulk request of 5 operations, then nina created alone", c)
	}
	want := map[string][]string{"dana@acme.io": {"Admins"}, "sam@acme.io": {"Admins"}, "nina@acme.io": {"Operators"}, "rita@acme.io": {"Operators"}}
	if d := cmp.Diff(want, roles(srv)); d != "" {
		t.Errorf("role groups mismatch (-want +got):\n%s", d)
	}
}

// TestBulkGroupChangedMeanwhile checks that when a role group changed
// after teamctl read it, the Bulk request stops at its edit (412) and the
// usual way reads the group again and finishes, keeping the other change.
func TestBulkGroupChangedMeanwhile(t *testing.T) {
	srv := scimtest.New(t, scimtest.Options{Bulk: true, ETags: true})
	seed(srv, []reconcile.Member{member("dana@acme.io", schema.Admin), member("olivia@acme.io", schema.Operator)})
	ws := newWorkspace(t, srv, nil)
	snapshot(t, ws)
	eve := srv.AddUser(scimtest.User{UserName: "eve@acme.io", Active: true})
	for _, g := range srv.Groups() {
		if g.DisplayName == "Operators" {
			srv.AddMember(g.ID, eve)
		}
	}
	srv.ResetCounts()
	noErrors(t, ws.Execute(ctx, []reconcile.Change{
		{Action: reconcile.Invite, Email: "nina@acme.io", RoleAfter: schema.Operator},
		{Action: reconcile.Invite, Email: "sam@acme.io", RoleAfter: schema.Admin},
	}))
	// The Bulk request, then the Operators group read again and edited.
	// The Bulk request, then the Operators group read again and edited,
	// then the 2 groups and the users read back.
	if c := srv.Counts(); c["POST /Bulk"] != 1 || c["GET /Groups"] != 3 || c["PATCH /Groups"] != 2 || c["GET /Users"] != 1 {
		t.Errorf("requests = %v; want one Bulk request, then a re-read and PATCH of Operators (412 first), then 3 reads", c)
	}
	want := map[string][]string{"dana@acme.io": {"Admins"}, "sam@acme.io": {"Admins"}, "olivia@acme.io": {"Operators"}, "eve@acme.io": {"Operators"}, "nina@acme.io": {"Operators"}}
	if d := cmp.Diff(want, roles(srv)); d != "" {
		t.Errorf("role groups mismatch (-want +got):\n%s", d)
	}
}
