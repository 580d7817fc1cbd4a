package reconcile_test

import (
	"strings"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// An address another account carries without being it holds the invite
// back: the plan neither invites a second account nor adopts the first.
func TestDiffHoldsInviteOfAnAlias(t *testing.T) {
	team := &schema.Team{Workspace: "acme", Policy: schema.Policy{MaxRemovals: 10}, People: []schema.Person{
		{Email: "dana@acme.io", Role: schema.Admin},
		{Email: "Kim@acme.io", Role: schema.Admin},
		{Email: "sam@acme.io", Role: schema.Operator},
	}}
	live := &reconcile.Live{
		Members: []reconcile.Member{
			{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active, ID: "1"},
			{Email: "sam@acme.io", Role: schema.Reviewer, Status: reconcile.Active, ID: "3"},
		},
		Aliases: []reconcile.Alias{
			{Email: "kim@acme.io", Account: "mallory", ID: "2"},
			{Email: "sam@acme.io", Account: "samuel", ID: "4"}, // sam is the member with that userName
		},
	}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range plan.Changes {
		got = append(got, string(c.Action)+" "+c.Email)
	}
	if strings.Join(got, ", ") != "change-role sam@acme.io" {
		t.Errorf("changes = %v, want only sam's change-role", got)
	}
	if len(plan.Held) != 1 {
		t.Fatalf("held = %+v, want kim's invite", plan.Held)
	}
	h := plan.Held[0]
	if h.Action != reconcile.Invite || h.Email != "Kim@acme.io" || h.RoleAfter != schema.Admin {
		t.Errorf("held %s %s as %s, want invite Kim@acme.io as admin", h.Action, h.Email, h.RoleAfter)
	}
	for _, want := range []string{`"mallory" (id 2)`, "kim@acme.io", "never adopts"} {
		if !strings.Contains(h.Why, want) {
			t.Errorf("held because %q; want it to say %q", h.Why, want)
		}
	}
}
