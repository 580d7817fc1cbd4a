package reconcile_test

import (
	"errors"
	"fmt"
	"github.com/teamctl/teamctl/reconcile/render"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func days(n int) *time.Time {
	t := now.AddDate(0, 0, n)
	return &t
}

func person(email string, role schema.Role, line int) schema.Person {
	return schema.Person{Email: email, Role: role, Pos: schema.Pos{File: "team.yaml", Line: line, Col: 5}}
}

func newTeam(people ...schema.Person) *schema.Team {
	return &schema.Team{Version: 1, Workspace: "acme", People: people, Policy: schema.DefaultPolicy(), Files: []string{"team.yaml"}, Digest: "sha256:team"}
}

func active(email string, role schema.Role, others ...schema.Role) reconcile.Member {
	return reconcile.Member{Email: email, Role: role, OtherRoles: others, Status: reconcile.Active}
}

// invited is a pending invite sent 3 days ago that expires in expires days.
func invited(email string, role schema.Role, expires int) reconcile.Member {
	return reconcile.Member{Email: email, Role: role, Status: reconcile.Invited, InvitedAt: days(-3), InviteExpiresAt: days(expires)}
}

func live(ms ...reconcile.Member) *reconcile.Live { return &reconcile.Live{Name: "acme", Members: ms} }

// describe renders changes compactly: "invite a@x ->admin (team.yaml:3: declared as admin)".
func describe(cs []reconcile.Change) []string {
	var out []string
	for _, c := range cs {
		s := fmt.Sprintf("%s %s %s->%s", c.Action, c.Email, c.RoleBefore, c.RoleAfter)
		if c.Pos.Line > 0 {
			s += " " + c.Pos.String()
		}
		out = append(out, s+": "+render.ReasonText(c))
	}
	return out
}

func describeHeld(hs []reconcile.Held) []string {
	var out []string
	for _, h := range hs {
		out = append(out, fmt.Sprintf("%s %s: %s", h.Action, h.Email, h.Why))
	}
	return out
}

func TestDiff(t *testing.T) {
	prune := func(t *schema.Team) { t.Policy.Prune = true }
	tests := []struct {
		name    string
		team    *schema.Team
		tweak   func(*schema.Team)
		live    *reconcile.Live
		actor   string
		changes []string
		held    []string // substrings: "action email: why..."
		drift   []string
	}{
		{
			name: "empty workspace: admins, then operators, then reviewers",
			team: newTeam(person("rita@acme.io", schema.Reviewer, 9), person("olivia@acme.io", schema.Operator, 7), person("dana@acme.io", schema.Admin, 3), person("sam@acme.io", schema.Admin, 5)),
			live: &reconcile.Live{},
			changes: []string{
				"invite dana@acme.io ->admin team.yaml:3:5: declared as admin",
				"invite sam@acme.io ->admin team.yaml:5:5: declared as admin",
				"invite olivia@acme.io ->operator team.yaml:7:5: declared as operator",
				"invite rita@acme.io ->reviewer team.yaml:9:5: declared as reviewer",
			},
		},
		{
			name: "in sync, identities compared case-insensitively",
			team: newTeam(person(" Dana@Acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 7)),
			live: live(active("dana@acme.io", schema.Admin), invited("OLIVIA@acme.io", schema.Operator, 4)),
		},
		{
			name: "promotion in the admin phase, demotion after the reviewers",
			team: newTeam(person("sam@acme.io", schema.Admin, 5), person("olivia@acme.io", schema.Operator, 7), person("dana@acme.io", schema.Reviewer, 9), person("rita@acme.io", schema.Reviewer, 10)),
			live: live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Operator)),
			changes: []string{
				"change-role sam@acme.io operator->admin team.yaml:5:5: declared as admin",
				"invite olivia@acme.io ->operator team.yaml:7:5: declared as operator",
				"invite rita@acme.io ->reviewer team.yaml:10:5: declared as reviewer",
				"change-role dana@acme.io admin->reviewer team.yaml:9:5: declared as reviewer",
			},
		},
		{
			name: "pending invite with the wrong role is updated, never sent twice",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), person("rita@acme.io", schema.Reviewer, 9)),
			live: live(active("dana@acme.io", schema.Admin), invited("rita@acme.io", schema.Operator, 4)),
			changes: []string{
				"update-invite rita@acme.io operator->reviewer team.yaml:9:5: declared as reviewer; the pending invite is for operator",
			},
		},
		{
			name: "expired invite is resent",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), person("rita@acme.io", schema.Reviewer, 9)),
			live: live(active("dana@acme.io", schema.Admin), invited("rita@acme.io", schema.Reviewer, -1)),
			changes: []string{
				"resend-invite rita@acme.io reviewer->reviewer team.yaml:9:5: declared as reviewer; the invite expired 2026-11-25",
			},
		},
		{
			name: "expired invite with the wrong role is resent for the declared role",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), person("rita@acme.io", schema.Reviewer, 9)),
			live: live(active("dana@acme.io", schema.Admin), invited("rita@acme.io", schema.Admin, -1)),
			changes: []string{
				"resend-invite rita@acme.io admin->reviewer team.yaml:9:5: declared as reviewer; the invite expired 2026-11-25, sent for admin",
			},
		},
		{
			name:  "expired invite left alone without resend_expired",
			team:  newTeam(person("dana@acme.io", schema.Admin, 3), person("rita@acme.io", schema.Reviewer, 9)),
			tweak: func(t *schema.Team) { t.Policy.ResendExpired = false },
			live:  live(active("dana@acme.io", schema.Admin), invited("rita@acme.io", schema.Reviewer, -1)),
		},
		{
			name:  "undeclared members are drift without prune, a suspended one still in a role group too",
			team:  newTeam(person("dana@acme.io", schema.Admin, 3)),
			live:  live(active("dana@acme.io", schema.Admin), active("zed@acme.io", schema.Operator), invited("yan@acme.io", schema.Reviewer, 2), reconcile.Member{Email: "old@acme.io", Role: schema.Operator, Status: reconcile.Suspended, InRoleGroup: true}, reconcile.Member{Email: "older@acme.io", Role: schema.Operator, Status: reconcile.Suspended}),
			drift: []string{"old@acme.io operator suspended", "yan@acme.io reviewer invited", "zed@acme.io operator active"},
		},
		{
			name:  "prune cancels invites, then removes (a suspended member out of its role group too), after demotions",
			team:  newTeam(person("dana@acme.io", schema.Admin, 3), person("sam@acme.io", schema.Operator, 5)),
			tweak: prune,
			live:  live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin), active("zed@acme.io", schema.Operator), invited("yan@acme.io", schema.Reviewer, 2), reconcile.Member{Email: "old@acme.io", Role: schema.Operator, Status: reconcile.Suspended, InRoleGroup: true}, reconcile.Member{Email: "older@acme.io", Role: schema.Operator, Status: reconcile.Suspended}),
			changes: []string{
				"change-role sam@acme.io admin->operator team.yaml:5:5: declared as operator",
				"cancel-invite yan@acme.io reviewer->: undeclared: not in team.yaml (policy.prune)",
				"remove old@acme.io operator->: undeclared: suspended, not in team.yaml, but still in the operator role group (policy.prune)",
				"remove zed@acme.io operator->: undeclared: not in team.yaml (policy.prune)",
			},
		},
		{
			name:  "the actor is never demoted",
			team:  newTeam(person("sam@acme.io", schema.Admin, 3), person("dana@acme.io", schema.Operator, 5)),
			live:  live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin)),
			actor: "DANA@acme.io",
			held:  []string{"change-role dana@acme.io: dana@acme.io applies this plan"},
		},
		{
			name:  "the actor is never removed",
			team:  newTeam(person("sam@acme.io", schema.Admin, 3)),
			tweak: prune,
			live:  live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin)),
			actor: "dana@acme.io",
			held:  []string{"remove dana@acme.io: dana@acme.io applies this plan"},
		},
		{
			name: "admin floor: a pending admin invite is not an active admin",
			team: newTeam(person("new@acme.io", schema.Admin, 3), person("dana@acme.io", schema.Operator, 5)),
			live: live(active("dana@acme.io", schema.Admin), invited("new@acme.io", schema.Admin, 4)),
			held: []string{"change-role dana@acme.io: it would leave 0 active admins, fewer than 1"},
		},
		{
			name:  "admin floor: the last admin is removed only once another is active",
			team:  newTeam(person("new@acme.io", schema.Admin, 3)),
			tweak: prune,
			live:  live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin)),
			changes: []string{
				"invite new@acme.io ->admin team.yaml:3:5: declared as admin",
				"remove dana@acme.io admin->: undeclared: not in team.yaml (policy.prune)",
			},
			held: []string{"remove sam@acme.io: it would leave 0 active admins, fewer than 1"},
		},
		{
			name: "admin floor: a promotion first makes a demotion safe",
			team: newTeam(person("sam@acme.io", schema.Admin, 3), person("dana@acme.io", schema.Operator, 5)),
			live: live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Reviewer)),
			changes: []string{
				"change-role sam@acme.io reviewer->admin team.yaml:3:5: declared as admin",
				"change-role dana@acme.io admin->operator team.yaml:5:5: declared as operator",
			},
		},
		{
			name: "a member in two role groups resolves to the declared role",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), person("sam@acme.io", schema.Admin, 4), person("olivia@acme.io", schema.Operator, 7)),
			live: live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Operator, schema.Admin), active("olivia@acme.io", schema.Reviewer, schema.Admin)),
			changes: []string{
				"change-role sam@acme.io admin->admin team.yaml:4:5: declared as admin; also holds operator",
				"change-role olivia@acme.io admin->operator team.yaml:7:5: declared as operator; also holds reviewer",
			},
		},
		{
			name: "a suspended member is invited again",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 7)),
			live: live(active("dana@acme.io", schema.Admin), reconcile.Member{Email: "olivia@acme.io", Role: schema.Reviewer, Status: reconcile.Suspended}),
			changes: []string{
				"invite olivia@acme.io reviewer->operator team.yaml:7:5: declared as operator; suspended in the workspace",
			},
		},
		{
			name: "a person declared twice is planned once, from the first declaration",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), person("DANA@acme.io", schema.Reviewer, 9)),
			live: &reconcile.Live{},
			changes: []string{
				"invite dana@acme.io ->admin team.yaml:3:5: declared as admin",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.tweak != nil {
				tt.tweak(tt.team)
			}
			plan, err := reconcile.Diff(tt.team, tt.live, reconcile.DiffOptions{Actor: tt.actor, Now: now})
			if err != nil {
				t.Fatalf("Diff() error = %v", err)
			}
			if d := cmp.Diff(tt.changes, describe(plan.Changes)); d != "" {
				t.Errorf("Diff() changes mismatch (-want +got):\n%s", d)
			}
			held := describeHeld(plan.Held)
			if len(held) != len(tt.held) {
				t.Fatalf("Diff() held = %q, want %q", held, tt.held)
			}
			for i := range held {
				if !strings.HasPrefix(held[i], tt.held[i]) {
					t.Errorf("Diff() held[%d] = %q, want prefix %q", i, held[i], tt.held[i])
				}
			}
			var drift []string
			for _, d := range plan.Drift {
				drift = append(drift, fmt.Sprintf("%s %s %s", d.Email, d.Role, d.Status))
			}
			if d := cmp.Diff(tt.drift, drift); d != "" {
				t.Errorf("Diff() drift mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestDiffMaxRemovals(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("sam@acme.io", schema.Reviewer, 4))
	team.Policy.Prune = true
	team.Policy.MaxRemovals = 2
	l := live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin), active("a@acme.io", schema.Operator), invited("b@acme.io", schema.Operator, 3))
	_, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
	if !errors.Is(err, reconcile.ErrRefused) {
		t.Fatalf("Diff() error = %v, want ErrRefused", err)
	}
	if want := "removes, cancels or demotes 3 people, more than policy.max_removals (2)"; !strings.Contains(err.Error(), want) {
		t.Errorf("Diff() error = %q, want it to contain %q", err, want)
	}
	team.Policy.MaxRemovals = 3
	if _, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now}); err != nil {
		t.Errorf("Diff() with max_removals 3: error = %v", err)
	}
}

func TestDiffWrongWorkspace(t *testing.T) {
	_, err := reconcile.Diff(newTeam(), &reconcile.Live{Name: "other"}, reconcile.DiffOptions{Now: now})
	if err == nil || !strings.Contains(err.Error(), `"acme"`) || !strings.Contains(err.Error(), `"other"`) {
		t.Errorf("Diff() error = %v, want it to name both workspaces", err)
	}
}

func TestDiffPending(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("rita@acme.io", schema.Reviewer, 9))
	l := live(active("dana@acme.io", schema.Admin), invited("rita@acme.io", schema.Reviewer, -1), invited("zed@acme.io", schema.Operator, 4))
	plan, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	want := []reconcile.Pending{
		{Email: "rita@acme.io", Role: schema.Reviewer, InvitedAt: days(-3), ExpiresAt: days(-1), Expired: true, Declared: true},
		{Email: "zed@acme.io", Role: schema.Operator, InvitedAt: days(-3), ExpiresAt: days(4)},
	}
	if d := cmp.Diff(want, plan.Pending); d != "" {
		t.Errorf("Diff() pending mismatch (-want +got):\n%s", d)
	}
	if plan.ActiveAdmins != 1 || plan.AdminFloor != 1 {
		t.Errorf("Diff() admins = %d, floor = %d; want 1, 1", plan.ActiveAdmins, plan.AdminFloor)
	}
}

// TestDiffDeterministic plans twice from members in a different order.
func TestDiffDeterministic(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("sam@acme.io", schema.Operator, 4))
	team.Policy.Prune = true
	a := live(active("dana@acme.io", schema.Admin), active("x@acme.io", schema.Operator), active("b@acme.io", schema.Operator))
	b := live(active("b@acme.io", schema.Operator), active("x@acme.io", schema.Operator), active("dana@acme.io", schema.Admin))
	pa, err := reconcile.Diff(team, a, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	pb, err := reconcile.Diff(team, b, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(pa, pb); d != "" {
		t.Errorf("Diff() depends on member order (-a +b):\n%s", d)
	}
}

// TestDiffDangling checks that role-group members that name no user are
// drift: listed with prune off, one removal a value with prune on, each
// counted against policy.max_removals (SPEC §9) and moving no admin count.
func TestDiffDangling(t *testing.T) {
	l := live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin))
	l.Dangling = []reconcile.Dangling{
		{Group: "Admins", Role: schema.Admin, Value: "bulkId:op-0", Kind: reconcile.DanglingMissing},
		{Group: "Admins", Role: schema.Admin, Value: "u-0042", Kind: reconcile.DanglingMissing},
		{Group: "Operators", Role: schema.Operator, Value: "bulkId:op-0", Kind: reconcile.DanglingMissing},
	}
	team := newTeam(person("dana@acme.io", schema.Admin, 2), person("sam@acme.io", schema.Admin, 3))

	team.Policy.Prune = false
	plan, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Changes) != 0 {
		t.Errorf("prune off: changes = %v, want none", describe(plan.Changes))
	}
	if d := cmp.Diff(l.Dangling, plan.Dangling); d != "" {
		t.Errorf("prune off: Dangling mismatch (-want +got):\n%s", d)
	}

	team.Policy.Prune = true
	team.Policy.MaxRemovals = 1
	_, err = reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
	if want := "removes, cancels or demotes 2 people, more than policy.max_removals (1): bulkId:op-0, u-0042"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("prune on, max_removals 1: Diff() error = %v, want one containing %q", err, want)
	}

	team.Policy.MaxRemovals = 2
	plan, err = reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatalf("prune on: Diff() error: %v", err)
	}
	want := []string{
		"remove bulkId:op-0 admin->: groups Admins and Operators hold member bulkId:op-0, which is no user (policy.prune)",
		"remove u-0042 admin->: group Admins holds member u-0042, which is no user (policy.prune)",
	}
	if d := cmp.Diff(want, describe(plan.Changes)); d != "" {
		t.Errorf("prune on: changes mismatch (-want +got):\n%s", d)
	}
	if len(plan.Dangling) != 0 || len(plan.Held) != 0 {
		t.Errorf("prune on: Dangling = %v, Held = %v; want none", plan.Dangling, describeHeld(plan.Held))
	}
	if plan.AdminFloor != 2 {
		t.Errorf("prune on: AdminFloor = %d, want 2 (a member value is no admin)", plan.AdminFloor)
	}
}

// TestDiffRename checks renames (previously:): a live member under an
// earlier email is renamed in place, first in its phase, keeping a pending
// invite pending; one under an email someone declares, or suspended, is
// not; both addresses live is held back by the kernel, naming both; and an
// undeclared rename is hinted at.
func TestDiffRename(t *testing.T) {
	renamed := func(email string, role schema.Role, line int, previously ...string) schema.Person {
		p := person(email, role, line)
		for _, e := range previously {
			p.Previously = append(p.Previously, schema.Ref{Email: e})
		}
		return p
	}
	named := func(m reconcile.Member, name string) reconcile.Member { m.Name = name; return m }
	withName := func(p schema.Person, name string) schema.Person { p.Name = name; return p }
	tests := []struct {
		name      string
		team      *schema.Team
		live      *reconcile.Live
		want      []string
		wantHeld  []string
		wantHints []reconcile.RenameHint
	}{
		{
			name: "rename in place, before the role changes of its phase",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), person("sam@acme.io", schema.Operator, 4),
				renamed("olivia.park@acme.com", schema.Operator, 5, "old@acme.io", "Olivia@Acme.io")),
			live: live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Reviewer), active("olivia@acme.io", schema.Operator)),
			want: []string{
				"rename olivia.park@acme.com operator->operator team.yaml:5:5: declared as operator, previously olivia@acme.io",
				"change-role sam@acme.io reviewer->operator team.yaml:4:5: declared as operator",
			},
		},
		{
			name: "a pending invite stays pending, in the declared role",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), renamed("rita@new.example", schema.Reviewer, 4, "rita@acme.io")),
			live: live(active("dana@acme.io", schema.Admin), invited("rita@acme.io", schema.Operator, 5)),
			want: []string{"rename rita@new.example operator->reviewer team.yaml:4:5: declared as reviewer, previously rita@acme.io"},
		},
		{
			name: "an earlier email someone declares is theirs",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), renamed("ana@acme.io", schema.Operator, 4, "bo@acme.io"), person("bo@acme.io", schema.Operator, 5)),
			live: live(active("dana@acme.io", schema.Admin), active("bo@acme.io", schema.Operator)),
			want: []string{"invite ana@acme.io ->operator team.yaml:4:5: declared as operator"},
		},
		{
			name: "a suspended member is not renamed",
			team: newTeam(person("dana@acme.io", schema.Admin, 3), renamed("ana@acme.io", schema.Operator, 4, "ana@old.example")),
			live: live(active("dana@acme.io", schema.Admin), reconcile.Member{Email: "ana@old.example", Role: schema.Operator, Status: reconcile.Suspended}),
			want: []string{"invite ana@acme.io ->operator team.yaml:4:5: declared as operator"},
		},
		{
			name:     "both addresses live: held, naming both",
			team:     newTeam(person("dana@acme.io", schema.Admin, 3), renamed("ana@acme.io", schema.Operator, 4, "ana@old.example")),
			live:     live(active("dana@acme.io", schema.Admin), active("ana@acme.io", schema.Operator), active("ana@old.example", schema.Operator)),
			wantHeld: []string{"rename ana@acme.io: ana@old.example cannot be renamed to ana@acme.io: the workspace already holds ana@acme.io (active), and a rename never lands on another member"},
		},
		{
			name: "the same name and role removed and invited: a hint",
			team: func() *schema.Team {
				tm := newTeam(person("dana@acme.io", schema.Admin, 3), withName(person("olivia.park@acme.com", schema.Operator, 4), "Olivia Park"))
				tm.Policy.Prune = true
				return tm
			}(),
			live: live(active("dana@acme.io", schema.Admin), named(active("olivia@acme.io", schema.Operator), "olivia park")),
			want: []string{
				"invite olivia.park@acme.com ->operator team.yaml:4:5: declared as operator",
				"remove olivia@acme.io operator->: undeclared: not in team.yaml (policy.prune)",
			},
			wantHints: []reconcile.RenameHint{{From: "olivia@acme.io", To: "olivia.park@acme.com", Name: "Olivia Park", Role: schema.Operator}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, err := reconcile.Diff(tt.team, tt.live, reconcile.DiffOptions{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, describe(plan.Changes)); d != "" {
				t.Errorf("changes mismatch (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantHeld, describeHeld(plan.Held)); d != "" {
				t.Errorf("held mismatch (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantHints, plan.Hints); d != "" {
				t.Errorf("hints mismatch (-want +got):\n%s", d)
			}
			for _, c := range plan.Changes {
				if c.Action == reconcile.Rename && c.Phase() == reconcile.PhaseDemotions {
					t.Errorf("rename %s is a demotion", c.Email)
				}
			}
		})
	}
}

// TestDiffDanglingOnlyConfirmed: prune removes a member value only when
// the workspace confirmed it names nothing; an address of a user, a
// nested group, or a value the workspace did not confirm stays drift,
// even with prune, and never becomes a change about a person.
func TestDiffDanglingOnlyConfirmed(t *testing.T) {
	l := live(active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin))
	l.Dangling = []reconcile.Dangling{
		{Group: "Reviewers", Role: schema.Reviewer, Value: "dana@acme.io", Kind: reconcile.DanglingUser, User: "dana@acme.io"},
		{Group: "Admins", Role: schema.Admin, Value: "g-7", Kind: reconcile.DanglingGroup},
		{Group: "Admins", Role: schema.Admin, Value: "bulkId:op-0", Kind: reconcile.DanglingUnconfirmed, Detail: "400"},
		{Group: "Admins", Role: schema.Admin, Value: "u-9"}, // a backend that did not say
	}
	team := newTeam(person("dana@acme.io", schema.Admin, 2), person("sam@acme.io", schema.Admin, 3))
	team.Policy.Prune, team.Policy.MaxRemovals = true, 0
	plan, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatalf("Diff() error = %v", err)
	}
	if len(plan.Changes) != 0 || len(plan.Held) != 0 {
		t.Errorf("changes = %v, held = %v; want none", describe(plan.Changes), describeHeld(plan.Held))
	}
	if d := cmp.Diff(l.Dangling, plan.Dangling); d != "" {
		t.Errorf("Dangling mismatch (-want +got):\n%s", d)
	}
}
