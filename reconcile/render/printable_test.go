package render_test

import (
	"bytes"
	"errors"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dana@acme.io", "dana@acme.io"},
		{"Zoë Ångström 王", "Zoë Ångström 王"},
		{"line one\n\tline two", "line one\n\tline two"},
		{"red\x1b[31malert\x1b[0m", `red\x1b[31malert\x1b[0m`},
		{"title\x1b]0;pwned\x07", `title\x1b]0;pwned\a`},
		{"back\rspace\b\x7f", `back\rspace\b\x7f`},
		{"c1 \u009b2J csi", `c1 \u009b2J csi`},
		{"moc.emca@\u202eana", `moc.emca@\u202eana`},
		{"sep\u2028arator", `sep\u2028arator`},
		{"bad \xff\xfe utf8", `bad \xff\xfe utf8`},
	}
	for _, tt := range tests {
		if got := render.Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// hostileLive is a workspace whose people were named by someone hostile:
// a SCIM server or a hand-edited workspace.json can carry any text.
func hostileLive() *reconcile.Live {
	return &reconcile.Live{Name: "acme", Members: []reconcile.Member{
		member("dana@acme.io", schema.Admin, reconcile.Active, 0, 0),
		member("eve\x1b]0;owned\x07@acme.io", schema.Operator, reconcile.Active, 0, 0),
		member("mallory\n  + fake@acme.io  invite as admin@acme.io", schema.Reviewer, reconcile.Active, 0, 0),
		member("trudy\u202eoi.emca@acme.io", schema.Reviewer, reconcile.Invited, -2, 5),
		member("zed\x1b[2J@acme.io", schema.Admin, reconcile.Active, 0, 0),
	}}
}

// checkNoControls fails when out holds a control character other than a
// line break, a bidirectional control, or bytes that are not UTF-8.
func checkNoControls(t *testing.T, out []byte) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Errorf("output is not UTF-8:\n%q", out)
	}
	for _, r := range string(out) {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			t.Errorf("output holds raw %U:\n%q", r, out)
			return
		}
	}
}

func TestTextNeverEchoesControlsFromLive(t *testing.T) {
	team := &schema.Team{
		Version: 1, Workspace: "acme", Files: []string{"team.yaml"}, Digest: "sha256:team",
		Policy: schema.DefaultPolicy(),
		People: []schema.Person{person("dana@acme.io", schema.Admin, 3), person("zed\x1b[2J@acme.io", schema.Reviewer, 4)},
	}
	for _, prune := range []bool{false, true} {
		team.Policy.Prune = prune
		plan, err := reconcile.Diff(team, hostileLive(), reconcile.DiffOptions{Now: now, Actor: "dana@acme.io"})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := render.PlanText(&b, plan, false); err != nil {
			t.Fatal(err)
		}
		checkNoControls(t, b.Bytes())
		name := "plan_hostile_live_drift"
		if prune {
			name = "plan_hostile_live_prune"
		}
		golden(t, name, b.Bytes())

		var rs reconcile.Results
		for _, c := range plan.Changes {
			rs = append(rs, reconcile.Result{Change: c, Outcome: reconcile.Failed, Err: errors.New("scim: 503: \x1b[2J\x1b[Hservice \u009b31m down")})
		}
		b.Reset()
		if err := render.ResultsText(&b, rs, false); err != nil {
			t.Fatal(err)
		}
		checkNoControls(t, b.Bytes())
		golden(t, name+"_results", b.Bytes())
	}
}
