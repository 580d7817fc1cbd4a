package reconcile_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

func outcomes(rs reconcile.Results) []string {
	var out []string
	for _, r := range rs {
		s := fmt.Sprintf("%s %s: %s", r.Change.Action, r.Change.Email, r.Outcome)
		if r.Err != nil {
			s += ": " + r.Err.Error()
		}
		out = append(out, s)
	}
	return out
}

func mustDiff(t *testing.T, team *schema.Team, ws *memory, actor string) *reconcile.Plan {
	t.Helper()
	l, err := ws.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l.Name = team.Workspace
	plan, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now, Actor: actor})
	if err != nil {
		t.Fatalf("Diff() error = %v", err)
	}
	return plan
}

func TestApply(t *testing.T) {
	team := newTeam(person("sam@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 5), person("dana@acme.io", schema.Reviewer, 7), person("rita@acme.io", schema.Reviewer, 8))
	team.Policy.Prune = true
	ws := newMemory(now, active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Operator), active("zed@acme.io", schema.Operator), invited("rita@acme.io", schema.Operator, 3))
	plan := mustDiff(t, team, ws, "")
	rs := reconcile.Apply(context.Background(), ws, plan, reconcile.ApplyOptions{})
	want := []string{
		"change-role sam@acme.io: applied",
		"invite olivia@acme.io: applied",
		"update-invite rita@acme.io: applied",
		"change-role dana@acme.io: applied",
		"remove zed@acme.io: applied",
	}
	if d := cmp.Diff(want, outcomes(rs)); d != "" {
		t.Errorf("Apply() mismatch (-want +got):\n%s", d)
	}
	wantBatches := [][]string{{"sam@acme.io"}, {"olivia@acme.io"}, {"rita@acme.io"}, {"dana@acme.io"}, {"zed@acme.io"}}
	if d := cmp.Diff(wantBatches, ws.batches); d != "" {
		t.Errorf("Apply() batches mismatch (-want +got):\n%s", d)
	}
	if again := mustDiff(t, team, ws, ""); len(again.Changes) != 0 {
		t.Errorf("Diff() after Apply() = %q, want no changes", describe(again.Changes))
	}
}

func TestApplyPartialFailure(t *testing.T) {
	// sam's promotion makes dana's demotion safe; when it fails, the
	// demotion is not attempted, but the independent invites go on.
	team := newTeam(person("sam@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 5), person("dana@acme.io", schema.Reviewer, 7), person("rita@acme.io", schema.Reviewer, 8))
	ws := newMemory(now, active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Operator))
	ws.fail["sam@acme.io"] = errors.New("service unavailable")
	ws.fail["olivia@acme.io"] = errors.New("mailbox full")
	plan := mustDiff(t, team, ws, "")
	rs := reconcile.Apply(context.Background(), ws, plan, reconcile.ApplyOptions{})
	want := []string{
		"change-role sam@acme.io: failed: service unavailable",
		"invite olivia@acme.io: failed: mailbox full",
		"invite rita@acme.io: applied",
		"change-role dana@acme.io: not attempted: it would leave 0 active admins, fewer than 1, because the promotion of sam@acme.io failed",
	}
	if d := cmp.Diff(want, outcomes(rs)); d != "" {
		t.Errorf("Apply() mismatch (-want +got):\n%s", d)
	}
	if rs.OK() || rs.Count(reconcile.Applied) != 1 || rs.Count(reconcile.Failed) != 2 || rs.Count(reconcile.NotAttempted) != 1 {
		t.Errorf("Apply() counts wrong: %q", outcomes(rs))
	}

	// Once the service is back, applying again converges.
	clear(ws.fail)
	rs = reconcile.Apply(context.Background(), ws, mustDiff(t, team, ws, ""), reconcile.ApplyOptions{})
	if !rs.OK() {
		t.Errorf("second Apply() = %q", outcomes(rs))
	}
	if again := mustDiff(t, team, ws, ""); len(again.Changes) != 0 {
		t.Errorf("Diff() after second Apply() = %q, want no changes", describe(again.Changes))
	}
}

func TestApplyCancelled(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 5), person("rita@acme.io", schema.Reviewer, 8))
	ws := newMemory(now)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ws.cancel = cancel // cancelled while the first phase is in flight
	rs := reconcile.Apply(ctx, ws, mustDiff(t, team, ws, ""), reconcile.ApplyOptions{})
	want := []string{
		"invite dana@acme.io: applied",
		"invite olivia@acme.io: not attempted: apply stopped: context canceled",
		"invite rita@acme.io: not attempted: apply stopped: context canceled",
	}
	if d := cmp.Diff(want, outcomes(rs)); d != "" {
		t.Errorf("Apply() mismatch (-want +got):\n%s", d)
	}
	if len(ws.batches) != 1 {
		t.Errorf("Apply() ran %d batches after cancellation, want 1", len(ws.batches))
	}
}

func TestApplyProgress(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 5))
	ws := newMemory(now)
	var phases []int
	reconcile.Apply(context.Background(), ws, mustDiff(t, team, ws, ""), reconcile.ApplyOptions{
		Progress: func(rs []reconcile.Result) { phases = append(phases, len(rs)) },
	})
	if d := cmp.Diff([]int{1, 1}, phases); d != "" {
		t.Errorf("Progress calls mismatch (-want +got):\n%s", d)
	}
}

var (
	pool  = []string{"a@x.io", "b@x.io", "c@x.io", "d@x.io", "e@x.io", "f@x.io", "g@x.io", "h@x.io", "i@x.io", "j@x.io"}
	roles = []schema.Role{schema.Admin, schema.Operator, schema.Reviewer}
)

func randomTeam(r *rand.Rand) *schema.Team {
	team := newTeam()
	for i, e := range pool {
		if r.IntN(10) < 6 {
			team.People = append(team.People, person(strings.ToUpper(e[:1])+e[1:], roles[r.IntN(3)], i+1))
		}
	}
	team.Policy.Prune = r.IntN(2) == 0
	team.Policy.ResendExpired = r.IntN(4) != 0
	team.Policy.MaxRemovals = 100
	return team
}

func randomMembers(r *rand.Rand) []reconcile.Member {
	var ms []reconcile.Member
	for _, e := range pool {
		if r.IntN(10) >= 6 {
			continue
		}
		m := reconcile.Member{Email: e, Role: roles[r.IntN(3)]}
		switch r.IntN(5) {
		case 0, 1, 2:
			m.Status = reconcile.Active
		case 3:
			m.Status = reconcile.Invited
			m.InvitedAt, m.InviteExpiresAt = days(-9), days(r.IntN(9)-4)
		default:
			m.Status = reconcile.Suspended
		}
		if r.IntN(6) == 0 {
			m.OtherRoles = []schema.Role{roles[r.IntN(3)]}
		}
		ms = append(ms, m)
	}
	return ms
}

// TestApplyConverges is a property test: for random teams and workspaces,
// applying the plan leaves nothing to change (only what the safety rules
// hold back), and the workspace never drops below its admin floor.
func TestApplyConverges(t *testing.T) {
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 1))
		team := randomTeam(r)
		ws := newMemory(now, randomMembers(r)...)
		actor := ""
		if r.IntN(2) == 0 {
			actor = pool[r.IntN(len(pool))]
		}
		plan := mustDiff(t, team, ws, actor)
		before := ws.activeAdmins()
		rs := reconcile.Apply(context.Background(), ws, plan, reconcile.ApplyOptions{})
		if !rs.OK() {
			t.Fatalf("seed %d: Apply() = %q", seed, outcomes(rs))
		}
		for step, n := range ws.admins {
			if n < min(before, plan.AdminFloor) {
				t.Fatalf("seed %d: %d active admins after step %d, floor %d (before %d)\nplan: %q", seed, n, step+1, plan.AdminFloor, before, describe(plan.Changes))
			}
		}
		again := mustDiff(t, team, ws, actor)
		if len(again.Changes) != 0 {
			t.Fatalf("seed %d: Diff() after Apply() = %q, want none\nfirst plan: %q", seed, describe(again.Changes), describe(plan.Changes))
		}
		heldKeys := func(p *reconcile.Plan) []string {
			var ks []string
			for _, h := range p.Held {
				ks = append(ks, h.Key())
			}
			slices.Sort(ks)
			return ks
		}
		if d := cmp.Diff(heldKeys(plan), heldKeys(again)); d != "" {
			t.Fatalf("seed %d: held changes moved (-first +again):\n%s", seed, d)
		}
		if actor != "" {
			for _, c := range plan.Changes {
				if c.Key() == actor && (c.Action == reconcile.Remove || c.Demotion()) {
					t.Fatalf("seed %d: plan demotes or removes the actor: %q", seed, describe(plan.Changes))
				}
			}
		}
	}
}
