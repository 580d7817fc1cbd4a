package reconcile_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

func TestFingerprint(t *testing.T) {
	empty := reconcile.Fingerprint("", nil)
	if !strings.HasPrefix(empty, "sha256:") {
		t.Errorf("Fingerprint(empty) = %q, want a sha256 digest", empty)
	}
	one := reconcile.Basis(live(active("dana@acme.io", schema.Admin)))
	if reconcile.Fingerprint("acme", one) == reconcile.Fingerprint("", nil) {
		t.Error("Fingerprint() of a populated workspace equals that of an empty one")
	}
	// Names and sign-in times do not matter to a plan.
	named := live(active("Dana@Acme.io", schema.Admin))
	named.Members[0].Name = "Dana"
	named.Members[0].LastSignInAt = days(-1)
	if a, b := reconcile.Fingerprint("acme", one), reconcile.Fingerprint("acme", reconcile.Basis(named)); a != b {
		t.Errorf("Fingerprint() depends on names or sign-ins: %s != %s", a, b)
	}
}

// TestVerify checks what a saved plan depends on (SPEC §9): the people it
// changes, the actor, the active admins, the team's meaning; and that
// nothing else makes it stale.
func TestVerify(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("sam@acme.io", schema.Admin, 4),
		person("olivia@acme.io", schema.Operator, 5), person("lena@acme.io", schema.Reviewer, 6), person("rita@acme.io", schema.Reviewer, 7))
	members := func(edit func(ms []reconcile.Member) []reconcile.Member) *reconcile.Live {
		ms := []reconcile.Member{
			active("dana@acme.io", schema.Admin), active("sam@acme.io", schema.Admin),
			invited("olivia@acme.io", schema.Reviewer, 3), invited("lena@acme.io", schema.Reviewer, 3),
			active("zed@acme.io", schema.Operator),
		}
		if edit != nil {
			ms = edit(ms)
		}
		return live(ms...)
	}
	base := members(nil)
	saved, err := reconcile.Diff(team, base, reconcile.DiffOptions{Now: now, Actor: "dana@acme.io"})
	if err != nil {
		t.Fatal(err)
	}
	wantChanges := []string{
		"update-invite olivia@acme.io reviewer->operator team.yaml:5:5: declared as operator; the pending invite is for reviewer",
		"invite rita@acme.io ->reviewer team.yaml:7:5: declared as reviewer",
	}
	if d := cmp.Diff(wantChanges, describe(saved.Changes)); d != "" {
		t.Fatalf("Diff() mismatch (-want +got):\n%s", d)
	}
	set := func(i int, m reconcile.Member) func([]reconcile.Member) []reconcile.Member {
		return func(ms []reconcile.Member) []reconcile.Member { ms[i] = m; return ms }
	}
	// verify verifies the saved plan against the team as edit changes it,
	// live, and opts (by default: now, by the plan's actor).
	verify := func(edit func(*schema.Team), live *reconcile.Live, opts reconcile.DiffOptions) (*reconcile.Plan, error) {
		tm := *team
		if edit != nil {
			edit(&tm)
		}
		if opts.Now.IsZero() {
			opts = reconcile.DiffOptions{Now: now, Actor: "dana@acme.io"}
		}
		return reconcile.Verify(saved, &tm, live, opts)
	}
	signedIn := active("zed@acme.io", schema.Operator)
	signedIn.LastSignInAt = days(0)

	t.Run("still valid", func(t *testing.T) {
		for name, tt := range map[string]struct {
			team func(*schema.Team)
			live *reconcile.Live
			opts reconcile.DiffOptions
		}{
			"unchanged":                     {live: base},
			"an unrelated invite accepted":  {live: members(set(3, active("lena@acme.io", schema.Reviewer)))},
			"an unrelated person signed in": {live: members(set(4, signedIn))},
			"an unrelated person left":      {live: members(func(ms []reconcile.Member) []reconcile.Member { return ms[:4] })},
			"a new member, not declared": {live: members(func(ms []reconcile.Member) []reconcile.Member {
				return append(ms, active("new@acme.io", schema.Reviewer))
			})},
			"a new active admin":                          {live: members(set(4, active("zed@acme.io", schema.Admin)))},
			"the team file's bytes, not what it declares": {team: func(t *schema.Team) { t.Digest = "sha256:comment" }, live: base},
			"applied without an actor":                    {live: base, opts: reconcile.DiffOptions{Now: now}},
			"an hour later":                               {live: base, opts: reconcile.DiffOptions{Now: now.Add(time.Hour), Actor: "Dana@Acme.io"}},
		} {
			t.Run(name, func(t *testing.T) {
				fresh, err := verify(tt.team, tt.live, tt.opts)
				if err != nil {
					t.Fatalf("Verify() error = %v", err)
				}
				if d := cmp.Diff(wantChanges, describe(fresh.Changes)); d != "" {
					t.Errorf("Verify() changes mismatch (-want +got):\n%s", d)
				}
				if fresh.Actor != "dana@acme.io" {
					t.Errorf("Verify() actor = %q, want the saved plan's, dana@acme.io", fresh.Actor)
				}
			})
		}
	})

	tests := []struct {
		name string
		team func(*schema.Team)
		live *reconcile.Live
		opts reconcile.DiffOptions
		want []string
	}{
		{
			name: "a person it changes moved",
			live: members(set(2, active("olivia@acme.io", schema.Reviewer))),
			want: []string{"olivia@acme.io: was invited reviewer (invite expires 2026-11-29T12:00:00Z), now active reviewer"},
		},
		{
			name: "a person it invites appeared",
			live: members(func(ms []reconcile.Member) []reconcile.Member {
				return append(ms, active("rita@acme.io", schema.Operator))
			}),
			want: []string{"rita@acme.io: new in the workspace, active operator"},
		},
		{
			name: "an admin it counted on left",
			live: members(func(ms []reconcile.Member) []reconcile.Member { return append(ms[:1], ms[2:]...) }),
			want: []string{"sam@acme.io: an active admin the plan counted on for the admin floor is gone from the workspace"},
		},
		{
			name: "an admin it counted on was demoted",
			live: members(set(1, active("sam@acme.io", schema.Operator))),
			want: []string{"sam@acme.io: was active admin, now active operator; the plan counted on the active admins for the admin floor"},
		},
		{
			name: "the actor changed",
			live: base,
			opts: reconcile.DiffOptions{Now: now, Actor: "sam@acme.io"},
			want: []string{"the actor: the plan was made for dana@acme.io, and sam@acme.io applies it now"},
		},
		{
			name: "the actor's own state moved",
			live: members(set(0, reconcile.Member{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Suspended})),
			want: []string{"dana@acme.io: was active admin, now suspended admin"},
		},
		{
			name: "what the team declares changed",
			team: func(t *schema.Team) { t.People = append(t.People[:4:4], person("rita@acme.io", schema.Operator, 7)) },
			live: base,
			want: []string{"the team file: what it declares changed (people, roles, workflows, policy or the invite note), not only its comments or layout"},
		},
		{
			name: "an invite expired since",
			live: base,
			opts: reconcile.DiffOptions{Now: now.AddDate(0, 0, 4), Actor: "dana@acme.io"},
			want: []string{"olivia@acme.io: the plan has update-invite (reviewer to operator), the workspace needs resend-invite (reviewer to operator) now"},
		},
		{
			name: "several facts, one a line",
			live: members(func(ms []reconcile.Member) []reconcile.Member {
				ms[2] = active("olivia@acme.io", schema.Reviewer)
				return append(ms[:1], ms[2:]...)
			}),
			opts: reconcile.DiffOptions{Now: now, Actor: "sam@acme.io"},
			want: []string{
				"the actor: the plan was made for dana@acme.io, and sam@acme.io applies it now",
				"olivia@acme.io: was invited reviewer (invite expires 2026-11-29T12:00:00Z), now active reviewer",
				"sam@acme.io: an active admin the plan counted on for the admin floor is gone from the workspace",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verify(tt.team, tt.live, tt.opts)
			var se *reconcile.StaleError
			if !errors.As(err, &se) {
				t.Fatalf("Verify() error = %v, want a StaleError", err)
			}
			if d := cmp.Diff(tt.want, se.Moved); d != "" {
				t.Errorf("Verify() moved mismatch (-want +got):\n%s", d)
			}
			if !strings.HasPrefix(err.Error(), "the saved plan is stale;") || !strings.HasSuffix(err.Error(), "\nplan again, review the new plan, and apply it: teamctl plan") {
				t.Errorf("Verify() error = %q, want the stale prefix and the command to plan again", err)
			}
		})
	}

	t.Run("another workspace", func(t *testing.T) {
		tm := *team
		tm.Workspace = "globex"
		_, err := reconcile.Verify(saved, &tm, &reconcile.Live{}, reconcile.DiffOptions{Now: now})
		if err == nil || !strings.Contains(err.Error(), `the saved plan is for workspace "acme", but the team file declares "globex"`) {
			t.Errorf("Verify() error = %v, want the workspaces named", err)
		}
	})

	t.Run("a plan saved before v1.2 depends on the team file's bytes", func(t *testing.T) {
		old := *saved
		old.TeamMeaning = ""
		tm := *team
		tm.Digest = "sha256:comment"
		_, err := reconcile.Verify(&old, &tm, base, reconcile.DiffOptions{Now: now})
		var se *reconcile.StaleError
		if !errors.As(err, &se) || len(se.Moved) != 1 || !strings.Contains(se.Moved[0], "before v1.2") {
			t.Errorf("Verify() error = %v, want stale on the bytes", err)
		}
		if _, err := reconcile.Verify(&old, team, base, reconcile.DiffOptions{Now: now}); err != nil {
			t.Errorf("Verify() of an unchanged old plan: %v", err)
		}
	})
}

// TestVerifyUnreviewed checks that a change the workspace needs now, which
// the saved plan lacks, is left out, not applied unreviewed; nor does it
// count against policy.max_removals, which holds the saved changes.
func TestVerifyUnreviewed(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 5))
	team.Policy.Prune, team.Policy.MaxRemovals = true, 0
	base := live(active("dana@acme.io", schema.Admin))
	saved, err := reconcile.Diff(team, base, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	moved := live(active("dana@acme.io", schema.Admin), active("zed@acme.io", schema.Reviewer))
	fresh, err := reconcile.Verify(saved, team, moved, reconcile.DiffOptions{Now: now})
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	if d := cmp.Diff([]string{"invite olivia@acme.io ->operator team.yaml:5:5: declared as operator"}, describe(fresh.Changes)); d != "" {
		t.Errorf("Verify() changes mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"remove zed@acme.io reviewer->: undeclared: not in team.yaml (policy.prune)"}, describe(fresh.Unreviewed)); d != "" {
		t.Errorf("Verify() unreviewed mismatch (-want +got):\n%s", d)
	}
	if fresh.MaxRemovals != 0 {
		t.Errorf("Verify() plan's MaxRemovals = %d, want the team's, 0", fresh.MaxRemovals)
	}
}

// TestPlanDependsOn checks what a plan records of the live state: the
// people it changes, the actor and the active admins, nobody else.
func TestPlanDependsOn(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 5), person("lena@acme.io", schema.Reviewer, 6))
	l := live(active("dana@acme.io", schema.Admin), active("ann@acme.io", schema.Admin), invited("lena@acme.io", schema.Reviewer, 3),
		invited("olivia@acme.io", schema.Reviewer, 3), active("zed@acme.io", schema.Operator), active("max@acme.io", schema.Reviewer))
	p, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now, Actor: "max@acme.io"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range p.DependsOn() {
		got = append(got, s.String())
	}
	want := []string{
		"ann@acme.io active admin",
		"dana@acme.io active admin",
		"max@acme.io active reviewer",
		"olivia@acme.io invited reviewer until 2026-11-29T12:00:00Z",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Plan.Basis mismatch (-want +got):\n%s", d)
	}
}
