package reconcile_test

import (
	"errors"
	"strings"
	"testing"

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

func TestVerify(t *testing.T) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3), person("olivia@acme.io", schema.Operator, 5), person("rita@acme.io", schema.Reviewer, 7))
	base := live(active("dana@acme.io", schema.Admin), invited("olivia@acme.io", schema.Reviewer, 3), active("zed@acme.io", schema.Operator))
	saved, err := reconcile.Diff(team, base, reconcile.DiffOptions{Now: now, Actor: "dana@acme.io"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("unchanged", func(t *testing.T) {
		fresh, err := reconcile.Verify(saved, team, base, reconcile.DiffOptions{Now: now})
		if err != nil {
			t.Fatalf("Verify() error = %v", err)
		}
		if d := cmp.Diff(describe(saved.Changes), describe(fresh.Changes)); d != "" {
			t.Errorf("Verify() changes mismatch (-saved +fresh):\n%s", d)
		}
	})

	tests := []struct {
		name  string
		team  func(*schema.Team)
		live  *reconcile.Live
		opts  reconcile.DiffOptions
		want  []string
		stale bool
	}{
		{
			name:  "a member moved",
			live:  live(active("dana@acme.io", schema.Admin), active("olivia@acme.io", schema.Reviewer), active("zed@acme.io", schema.Operator)),
			want:  []string{"olivia@acme.io: was invited reviewer (invite expires 2026-11-29T12:00:00Z), now active reviewer", "plan again"},
			stale: true,
		},
		{
			name:  "members came and went",
			live:  live(active("dana@acme.io", schema.Admin), invited("olivia@acme.io", schema.Reviewer, 3), active("new@acme.io", schema.Operator)),
			want:  []string{"new@acme.io: new, active operator", "zed@acme.io: gone, was active operator"},
			stale: true,
		},
		{
			name: "the team file changed",
			team: func(t *schema.Team) { t.Digest = "sha256:other" },
			live: base,
			want: []string{"the team file changed since it was made", "plan again"},
		},
		{
			name: "another workspace",
			team: func(t *schema.Team) { t.Workspace = "globex" },
			live: &reconcile.Live{},
			want: []string{`the saved plan is for workspace "acme", but the team file declares "globex"`},
		},
		{
			name: "another actor",
			live: base,
			opts: reconcile.DiffOptions{Now: now, Actor: "sam@acme.io"},
			want: []string{`made for actor dana@acme.io, not sam@acme.io`},
		},
		{
			name: "an invite expired since",
			live: base,
			opts: reconcile.DiffOptions{Now: now.AddDate(0, 0, 4)},
			want: []string{"the plan had update-invite olivia@acme.io (reviewer to operator), now resend-invite olivia@acme.io (reviewer to operator)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := *team
			if tt.team != nil {
				tt.team(&tm)
			}
			if tt.opts.Now.IsZero() {
				tt.opts.Now = now
			}
			_, err := reconcile.Verify(saved, &tm, tt.live, tt.opts)
			if err == nil {
				t.Fatal("Verify() error = nil, want a refusal")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Verify() error = %q, want it to contain %q", err, w)
				}
			}
			var se *reconcile.StaleError
			if errors.As(err, &se) != tt.stale {
				t.Errorf("Verify() error is StaleError = %v, want %v", !tt.stale, tt.stale)
			}
		})
	}
}
