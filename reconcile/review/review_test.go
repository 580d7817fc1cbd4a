package review

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/schema"
)

func at(day int) time.Time { return time.Date(2026, time.June, day, 9, 0, 0, 0, time.UTC) }

// TestGrants checks which journal record gave each person their role: the
// last applied change to it, not a failed one, not a resent invite of the
// same role, and by either email of a rename.
func TestGrants(t *testing.T) {
	recs := []journal.Record{
		{Time: at(1), Apply: "a1", Actor: "sam@acme.io", Action: "invite", Email: "Dana@acme.io", RoleAfter: "operator", Result: "applied"},
		{Time: at(2), Apply: "a2", Actor: "sam@acme.io", Action: "change-role", Email: "dana@acme.io", RoleBefore: "operator", RoleAfter: "admin", Result: "applied", Commit: "abc"},
		{Time: at(3), Apply: "a3", Actor: "eve@acme.io", Action: "change-role", Email: "dana@acme.io", RoleBefore: "admin", RoleAfter: "reviewer", Result: "failed"},
		{Time: at(4), Apply: "a4", Action: "invite", Email: "rita@acme.io", RoleAfter: "reviewer", Result: "applied"},
		{Time: at(9), Apply: "a5", Action: "resend-invite", Email: "rita@acme.io", RoleAfter: "reviewer", Result: "applied"},
		{Time: at(5), Apply: "a5", Actor: "dana@acme.io", Action: "invite", Email: "ian@old.example", RoleAfter: "admin", Result: "applied"},
		{Time: at(10), Apply: "a6", Action: "rename", Email: "ian@acme.io", EmailBefore: "ian@old.example", RoleBefore: "admin", RoleAfter: "admin", Result: "applied"},
		{Time: at(11), Apply: "a7", Action: "remove", Email: "zed@acme.io", RoleBefore: "admin", Result: "applied"},
	}
	got := map[string]Grant{}
	for k, g := range Grants(recs) {
		got[k+" "+g.role] = g.Grant
	}
	want := map[string]Grant{
		"dana@acme.io admin":    {Time: at(2), Action: "change-role", Actor: "sam@acme.io", Apply: "a2", Commit: "abc"},
		"rita@acme.io reviewer": {Time: at(4), Action: "invite", Apply: "a4"},
		"ian@acme.io admin":     {Time: at(5), Action: "invite", Actor: "dana@acme.io", Apply: "a5"},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(Grant{})); d != "" {
		t.Errorf("Grants() mismatch (-want +got):\n%s", d)
	}
}

// TestBuild checks the evidence of one person: the workspace's status, an
// unknown sign-in left unknown, and a grant only for the declared role.
func TestBuild(t *testing.T) {
	team := &schema.Team{Workspace: "acme", Policy: schema.DefaultPolicy(), People: []schema.Person{
		{Email: "dana@acme.io", Role: schema.Admin},
		{Email: "sam@acme.io", Role: schema.Admin},
		{Email: "olivia@acme.io", Role: schema.Operator},
	}}
	live := &reconcile.Live{Members: []reconcile.Member{
		{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active, SignInKnown: false},
	}}
	recs := []journal.Record{{Time: at(2), Apply: "a2", Action: "invite", Email: "sam@acme.io", RoleAfter: "operator", Result: "applied"}}
	r := Build(team, live, recs, time.Date(2026, time.December, 6, 12, 0, 0, 0, time.UTC))
	var got []string
	for _, p := range r.People {
		got = append(got, p.Email+" "+string(p.State)+" "+p.Status)
		if p.LastSignIn != nil || p.Granted != nil {
			t.Errorf("%s: sign-in %v, grant %v; want none (unknown, and sam's grant was for operator)", p.Email, p.LastSignIn, p.Granted)
		}
	}
	want := []string{"dana@acme.io never active", "sam@acme.io never not in the workspace"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Build() people mismatch (-want +got):\n%s", d)
	}
}
