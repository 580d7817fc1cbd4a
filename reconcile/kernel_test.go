package reconcile_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/safety"
	"github.com/teamctl/teamctl/schema"
)

// TestEveryActionHasAnEffect: every action of the registry tells the
// safety kernel what it leaves its subject holding, and the kernel finds
// it well formed; an action it does not know is refused by Diff's kernel
// and halts Apply before anything goes out.
func TestEveryActionHasAnEffect(t *testing.T) {
	st := &safety.State{}
	for _, a := range reconcile.Actions {
		c := reconcile.Change{Action: a, Email: "x@acme.io", RoleBefore: schema.Operator, RoleAfter: schema.Reviewer}
		if a == reconcile.Remove || a == reconcile.CancelInvite {
			c.RoleAfter = ""
		}
		s, err := c.Effect()
		if err != nil {
			t.Errorf("%s: Effect() error = %v", a, err)
			continue
		}
		if _, _, err := safety.Check(st, []safety.Step{s}, safety.Policy{MaxRemovals: 1}); err != nil {
			t.Errorf("%s: the kernel refuses its effect: %v", a, err)
		}
	}
	bogus := reconcile.Change{Action: "promote-everyone", Email: "x@acme.io", RoleAfter: schema.Admin}
	if _, err := bogus.Effect(); !errors.Is(err, safety.ErrMalformed) {
		t.Errorf("Effect() of an unknown action: error = %v, want ErrMalformed", err)
	}

	ws := newMemory(now, active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin))
	plan := mustDiff(t, newTeam(person("dana@acme.io", schema.Admin, 2), person("sam@acme.io", schema.Admin, 3)), ws, "")
	plan.Changes = []reconcile.Change{{Action: reconcile.Invite, Email: "new@acme.io", RoleAfter: schema.Reviewer}, bogus}
	rs := reconcile.Apply(context.Background(), ws, plan, reconcile.ApplyOptions{})
	for _, r := range rs {
		if r.Outcome != reconcile.NotAttempted || r.Err == nil || !strings.Contains(r.Err.Error(), "promote-everyone") {
			t.Errorf("Apply() of a plan with an unknown action: %s %s: %s, %v; want not attempted naming the action", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
		}
	}
	if len(ws.batches) != 0 {
		t.Errorf("Apply() sent %v to the workspace", ws.batches)
	}
}

// TestApplyRechecksThePlan: Apply passes a plan through the kernel again,
// so a plan changed after Diff (by hand, or read from a file that was
// edited) that breaks an invariant sends nothing.
func TestApplyRechecksThePlan(t *testing.T) {
	members := []reconcile.Member{active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin), active("olivia@acme.io", schema.Operator), active("zed@acme.io", schema.Reviewer)}
	team := newTeam(person("dana@acme.io", schema.Admin, 2), person("sam@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 4), person("zed@acme.io", schema.Reviewer, 5))
	team.Policy.Prune = true
	tests := []struct {
		name string
		edit func(p *reconcile.Plan)
		want string
	}{
		{"over the budget", func(p *reconcile.Plan) {
			p.MaxRemovals = 1
			p.Changes = []reconcile.Change{
				{Action: reconcile.Remove, Email: "olivia@acme.io", RoleBefore: schema.Operator},
				{Action: reconcile.Remove, Email: "zed@acme.io", RoleBefore: schema.Reviewer},
			}
		}, "more than policy.max_removals (1)"},
		{"the only admins removed", func(p *reconcile.Plan) {
			p.Changes = []reconcile.Change{
				{Action: reconcile.Remove, Email: "dana@acme.io", RoleBefore: schema.Admin},
				{Action: reconcile.Remove, Email: "sam@acme.io", RoleBefore: schema.Admin},
			}
		}, "fewer than 1"},
		{"a removal mislabelled as an operator's", func(p *reconcile.Plan) {
			// The kernel reads the role from the live state, not from
			// the change.
			p.Changes = []reconcile.Change{
				{Action: reconcile.ChangeRole, Email: "dana@acme.io", RoleBefore: schema.Operator, RoleAfter: schema.Reviewer},
				{Action: reconcile.Remove, Email: "sam@acme.io", RoleBefore: schema.Operator},
			}
		}, "fewer than 1"},
		{"the actor removed", func(p *reconcile.Plan) {
			p.Actor = "olivia@acme.io"
			p.Changes = []reconcile.Change{{Action: reconcile.Remove, Email: "Olivia@acme.io", RoleBefore: schema.Operator}}
		}, "olivia@acme.io applies this plan"},
		{"a change that leaves no role", func(p *reconcile.Plan) {
			p.Changes = []reconcile.Change{{Action: reconcile.ChangeRole, Email: "zed@acme.io", RoleBefore: schema.Reviewer}}
		}, "exactly one role"},
		{"an admin count that is not the basis's", func(p *reconcile.Plan) {
			p.ActiveAdmins = 3
			p.Changes = []reconcile.Change{{Action: reconcile.Remove, Email: "zed@acme.io", RoleBefore: schema.Reviewer}}
		}, "counts 3 active admins"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newMemory(now, members...)
			plan := mustDiff(t, team, ws, "")
			tt.edit(plan)
			rs := reconcile.Apply(context.Background(), ws, plan, reconcile.ApplyOptions{})
			for _, r := range rs {
				if r.Outcome != reconcile.NotAttempted || r.Err == nil || !strings.Contains(r.Err.Error(), tt.want) {
					t.Errorf("%s %s: %s, %v; want not attempted, %q", r.Change.Action, r.Change.Email, r.Outcome, r.Err, tt.want)
				}
			}
			if len(ws.batches) != 0 {
				t.Errorf("Apply() sent %v to the workspace", ws.batches)
			}
		})
	}
}

// TestApplyHaltStopsEverything: when the gate halts mid-apply (the budget
// passed because a plan's removals were hidden in a later batch), the
// batch it halts in and every one after go out not at all.
func TestApplyHaltStopsEverything(t *testing.T) {
	ws := newMemory(now, active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin), active("olivia@acme.io", schema.Operator), active("zed@acme.io", schema.Reviewer), active("rita@acme.io", schema.Reviewer))
	team := newTeam(person("dana@acme.io", schema.Admin, 2), person("sam@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 4))
	team.Policy.Prune, team.Policy.MaxRemovals = true, 2
	plan := mustDiff(t, team, ws, "")
	if len(plan.Changes) != 2 {
		t.Fatalf("plan = %v, want the two removals", describe(plan.Changes))
	}
	// A third removal slipped in after the kernel's first look: NewGate
	// refuses the plan as a whole.
	plan.Changes = append(plan.Changes, reconcile.Change{Action: reconcile.Remove, Email: "olivia@acme.io", RoleBefore: schema.Operator})
	rs := reconcile.Apply(context.Background(), ws, plan, reconcile.ApplyOptions{BatchSize: 1})
	if rs.Count(reconcile.Applied) != 0 || len(ws.batches) != 0 {
		t.Errorf("Apply() over the budget: %v, batches %v; want nothing sent", outcomes(rs), ws.batches)
	}
}
