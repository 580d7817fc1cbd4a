package reconcile_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// fuzzPeople is the pool of people a fuzzed team and workspace draw from:
// few enough that the two sides often name the same person, spelt
// differently.
var fuzzPeople = []string{"ana@acme.io", "ben@acme.io", "carl@acme.io", "dana@acme.io", "eve@acme.io", "fay@acme.io", "gus@acme.io", "hal@acme.io"}

// fuzzInput turns fuzz bytes into a team and a live workspace. Each three
// bytes make one entry: byte 0 picks the side (bit 7), the person (bits
// 0-2) and a spelling (bit 3: upper case, bit 4: surrounding spaces);
// byte 1 the role, the live status and further roles; byte 2 when a
// pending invite expires, in days from now.
func fuzzInput(data []byte, prune, resend bool, maxRemovals uint8) (*schema.Team, *reconcile.Live) {
	team := newTeam()
	team.Policy.Prune, team.Policy.ResendExpired = prune, resend
	team.Policy.MaxRemovals = int(maxRemovals % 12)
	l := live()
	seen := map[string]bool{}
	for i := 0; i+3 <= len(data) && i < 3*64; i += 3 {
		b0, b1, b2 := data[i], data[i+1], data[i+2]
		email := fuzzPeople[b0&7]
		if b0&8 != 0 {
			email = strings.ToUpper(email)
		}
		if b0&16 != 0 {
			email = " " + email + " "
		}
		role := schema.Roles[int(b1)%3]
		if b0&128 == 0 {
			p := person(strings.TrimSpace(email), role, 3+i/3)
			team.People = append(team.People, p)
			continue
		}
		if seen[schema.Key(email)] {
			continue // a backend reports each identity once
		}
		seen[schema.Key(email)] = true
		m := reconcile.Member{Email: email, Role: role, Status: reconcile.Active}
		switch (b1 >> 2) & 3 {
		case 2:
			m.Status = reconcile.Invited
			m.InvitedAt, m.InviteExpiresAt = days(-10), days(int(int8(b2))%20)
		case 3:
			m.Status = reconcile.Suspended
		}
		if o := (b1 >> 4) & 3; o > 0 {
			m.OtherRoles = []schema.Role{schema.Roles[o-1]}
		}
		l.Members = append(l.Members, m)
	}
	return team, l
}

// FuzzDiff plans random teams against random workspaces. Diff must never
// panic, and every plan must keep the safety rules of SPEC §4: no person
// twice, nothing below the admin floor at any step, never a demotion or
// removal of the actor, removals only with prune and within
// max_removals, phases in order. The plan must verify against the state
// it was made from, and carrying it out must leave nothing to do but what
// it held back.
func FuzzDiff(f *testing.F) {
	f.Add([]byte{0x80, 0x00, 0x00, 0x81, 0x01, 0x00, 0x00, 0x01, 0x00}, uint8(0), true, true, uint8(5))
	f.Add([]byte{0x80, 0x00, 0x00, 0x81, 0x00, 0x00, 0x02, 0x00, 0x00}, uint8(1), true, true, uint8(5))
	f.Add([]byte{0x80, 0x20, 0x00, 0x89, 0x09, 0xfd, 0x00, 0x00, 0x00, 0x09, 0x01, 0x00}, uint8(3), false, true, uint8(0))
	f.Add([]byte{0x83, 0x00, 0x00, 0x84, 0x08, 0x05, 0x85, 0x0c, 0x00, 0x03, 0x02, 0x00}, uint8(2), true, false, uint8(1))
	f.Add([]byte("\x80\x00\x00\x81\x00\x00\x82\x00\x00\x03\x00\x00\x04\x00\x00\x00\x02\x00"), uint8(0), true, true, uint8(11))
	f.Fuzz(func(t *testing.T, data []byte, actorIndex uint8, prune, resend bool, maxRemovals uint8) {
		team, l := fuzzInput(data, prune, resend, maxRemovals)
		actor := ""
		if int(actorIndex) < len(fuzzPeople) {
			actor = fuzzPeople[actorIndex]
		}
		opts := reconcile.DiffOptions{Actor: actor, Now: now}
		plan, err := reconcile.Diff(team, l, opts)
		if err != nil {
			if !errors.Is(err, reconcile.ErrRefused) {
				t.Fatalf("Diff() error = %v, want a plan or ErrRefused", err)
			}
			return
		}
		checkPlan(t, team, l, actor, plan)

		again, err := reconcile.Diff(team, l, opts)
		if err != nil {
			t.Fatalf("second Diff() error = %v", err)
		}
		if d := cmp.Diff(plan, again); d != "" {
			t.Fatalf("Diff() is not deterministic (-first +second):\n%s", d)
		}
		if _, err := reconcile.Verify(plan, team, l, opts); err != nil {
			t.Fatalf("Verify() of a plan against the state it was made from: %v", err)
		}

		ws := newMemory(now, l.Members...)
		if rs := reconcile.Apply(context.Background(), ws, plan, reconcile.ApplyOptions{}); !rs.OK() {
			for _, r := range rs {
				if r.Err != nil {
					t.Errorf("%s %s: %s: %v", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
				}
			}
			t.Fatal("Apply() of a fresh plan to a workspace that does not fail")
		}
		for _, n := range ws.admins {
			if n < plan.AdminFloor && n < plan.ActiveAdmins {
				t.Fatalf("Apply() left %d active admins at one step, below the floor %d (admins before: %d)", n, plan.AdminFloor, plan.ActiveAdmins)
			}
		}
		after, _ := ws.Snapshot(context.Background())
		next, err := reconcile.Diff(team, after, opts)
		if err != nil {
			t.Fatalf("Diff() after Apply(): %v", err)
		}
		held := map[string]bool{}
		for _, h := range plan.Held {
			held[h.Key()] = true
		}
		for _, c := range next.Changes {
			if !held[c.Key()] {
				t.Errorf("after Apply(), the next plan still has %s %s (%s -> %s), which the first plan neither made nor held", c.Action, c.Email, c.RoleBefore, c.RoleAfter)
			}
		}
	})
}

// checkPlan checks the safety rules of SPEC §4 on a plan made of team and l.
func checkPlan(t *testing.T, team *schema.Team, l *reconcile.Live, actor string, plan *reconcile.Plan) {
	t.Helper()
	declared := team.Index()
	people := map[string]bool{}
	for _, c := range plan.Changes {
		if people[c.Key()] {
			t.Errorf("%s appears twice in the plan", c.Email)
		}
		people[c.Key()] = true
		p, isDeclared := declared[c.Key()]
		switch c.Action {
		case reconcile.Remove, reconcile.CancelInvite:
			if isDeclared || !team.Policy.Prune {
				t.Errorf("%s %s: declared %v, prune %v", c.Action, c.Email, isDeclared, team.Policy.Prune)
			}
		default:
			if !isDeclared || c.RoleAfter != p.Role {
				t.Errorf("%s %s to %s, but the file declares %q", c.Action, c.Email, c.RoleAfter, p.Role)
			}
		}
		if actor != "" && c.Key() == actor && (c.Action == reconcile.Remove || c.Demotion()) {
			t.Errorf("the plan demotes or removes its actor: %s %s", c.Action, c.Email)
		}
	}
	for _, h := range plan.Held {
		if people[h.Key()] {
			t.Errorf("%s is both planned and held", h.Email)
		}
		people[h.Key()] = true
	}
	for i := 1; i < len(plan.Changes); i++ {
		if plan.Changes[i].Phase() < plan.Changes[i-1].Phase() {
			t.Errorf("change %d (%s) comes after a later phase", i, plan.Changes[i].Phase())
		}
	}
	removals := 0
	for _, c := range plan.Changes {
		if c.Action == reconcile.Remove || c.Action == reconcile.CancelInvite || c.Demotion() {
			removals++
		}
	}
	if removals > team.Policy.MaxRemovals {
		t.Errorf("the plan removes %d, more than max_removals %d", removals, team.Policy.MaxRemovals)
	}

	// Replay the plan on the live state, counting the active admins
	// independently of Change.AdminDelta.
	state := map[string]reconcile.Member{}
	for _, m := range l.Members {
		state[m.Key()] = m
	}
	count := func() int {
		n := 0
		for _, m := range state {
			isAdmin := m.Role == schema.Admin
			for _, o := range m.OtherRoles {
				isAdmin = isAdmin || o == schema.Admin
			}
			if m.Status == reconcile.Active && isAdmin {
				n++
			}
		}
		return n
	}
	before := count()
	if before != plan.ActiveAdmins {
		t.Errorf("plan.ActiveAdmins = %d, want %d", plan.ActiveAdmins, before)
	}
	counts := []int{}
	for _, c := range plan.Changes {
		m := state[c.Key()]
		switch c.Action {
		case reconcile.Remove, reconcile.CancelInvite:
			delete(state, c.Key())
		case reconcile.Invite:
			m.Email, m.Status, m.Role, m.OtherRoles = c.Email, reconcile.Invited, c.RoleAfter, nil
			state[c.Key()] = m
		default:
			m.Role, m.OtherRoles = c.RoleAfter, nil
			state[c.Key()] = m
		}
		counts = append(counts, count())
	}
	floor := max(1, min(before, count()))
	prev := before
	for i, n := range counts {
		if n < prev && n < floor {
			t.Errorf("after change %d (%s %s), %d active admins, below the floor %d", i, plan.Changes[i].Action, plan.Changes[i].Email, n, floor)
		}
		prev = n
	}
}
