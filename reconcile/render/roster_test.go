package render_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

func TestRosters(t *testing.T) {
	live := &reconcile.Live{Members: []reconcile.Member{
		{Email: "Sam@acme.io", Role: schema.Operator, OtherRoles: []schema.Role{schema.Admin}, Status: reconcile.Active},
		{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active},
		{Email: "old@acme.io", Role: schema.Reviewer, Status: reconcile.Suspended},
		{Email: "rita@acme.io", Role: schema.Reviewer, Status: reconcile.Invited},
	}}
	want := "admins:\n  - dana@acme.io\n  - sam@acme.io\noperators:\n  - sam@acme.io\nreviewers:\n  - rita@acme.io\n"
	if d := cmp.Diff(want, render.LiveRoster(live)); d != "" {
		t.Errorf("LiveRoster() mismatch (-want +got):\n%s", d)
	}
	team := &schema.Team{People: []schema.Person{
		{Email: "Sam@Acme.io ", Role: schema.Admin},
		{Email: "dana@acme.io", Role: schema.Admin},
	}}
	want = "admins:\n  - dana@acme.io\n  - sam@acme.io\noperators:\nreviewers:\n"
	if d := cmp.Diff(want, render.TeamRoster(team)); d != "" {
		t.Errorf("TeamRoster() mismatch (-want +got):\n%s", d)
	}
}
