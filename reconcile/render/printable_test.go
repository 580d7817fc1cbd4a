package render_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/readiness"
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

// Every other renderer that shows live text to people: the readiness
// report, the roster diff, the exported team file and the Markdown plan.
func TestNoRendererEchoesControlsFromLive(t *testing.T) {
	team := &schema.Team{
		Version: 1, Workspace: "acme", Files: []string{"team.yaml"}, Digest: "sha256:team",
		Policy: schema.DefaultPolicy(),
		People: []schema.Person{person("dana@acme.io", schema.Admin, 3)},
	}
	live := hostileLive()
	no := false
	live.SettingsComplete, live.SettingsMissing = &no, []string{"caller ID \x1b]0;owned\x07", "billing \u202eecnalab"}
	live.Members[0].Name = "Dana \x1b[2J\u202e"
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: now, Actor: "dana@acme.io"})
	if err != nil {
		t.Fatal(err)
	}
	renderers := map[string]func(*bytes.Buffer) error{
		"ReadinessText": func(b *bytes.Buffer) error {
			return render.ReadinessText(b, readiness.Evaluate(team, live, nil, now), false)
		},
		"UnifiedDiff": func(b *bytes.Buffer) error {
			_, err := render.UnifiedDiff(b, "live", "declared", render.LiveRoster(live), render.TeamRoster(team), false)
			return err
		},
		"TeamFile":     func(b *bytes.Buffer) error { return render.TeamFile(b, live, "file:ws.json") },
		"PlanMarkdown": func(b *bytes.Buffer) error { return render.PlanMarkdown(b, plan, team) },
	}
	for name, write := range renderers {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			checkNoControls(t, b.Bytes())
		})
	}
}

// An exported team file keeps hostile text escaped, and loads back with
// the same emails and names.
func TestTeamFileEscapesAndRoundTrips(t *testing.T) {
	live := &reconcile.Live{Name: "acme", Members: []reconcile.Member{
		{Email: "dana@acme.io", Name: "Dana \u202eztrO", Role: schema.Admin, Status: reconcile.Active},
	}}
	var b bytes.Buffer
	if err := render.TeamFile(&b, live, "file:ws.json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `name: "Dana \u202eztrO"`) {
		t.Errorf("TeamFile() does not escape the name:\n%s", b.String())
	}
	var doc struct {
		Admins []struct{ Email, Name string } `yaml:"admins"`
	}
	if err := yaml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("the exported file is not YAML: %v\n%s", err, b.String())
	}
	if len(doc.Admins) != 1 || doc.Admins[0].Name != "Dana \u202eztrO" {
		t.Errorf("the exported file reads back as %+v", doc.Admins)
	}
}

// An exported team file reads the invite note back only when every
// pending invitation carried the same one.
func TestTeamFileInviteNote(t *testing.T) {
	const note = "Welcome! Open Campaigns on first login\nand reply in #launch."
	invited := func(email, n string) reconcile.Member {
		return reconcile.Member{Email: email, Role: schema.Operator, Status: reconcile.Invited, InviteNote: n}
	}
	tests := []struct {
		name    string
		members []reconcile.Member
		want    bool
	}{
		{"all agree", []reconcile.Member{invited("a@acme.io", note), invited("b@acme.io", note), {Email: "c@acme.io", Role: schema.Admin, Status: reconcile.Active}}, true},
		{"they disagree", []reconcile.Member{invited("a@acme.io", note), invited("b@acme.io", "another note, long enough")}, false},
		{"one carried none", []reconcile.Member{invited("a@acme.io", note), invited("b@acme.io", "")}, false},
		{"no pending invite", []reconcile.Member{{Email: "c@acme.io", Role: schema.Admin, Status: reconcile.Active, InviteNote: note}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render.TeamFile(&b, &reconcile.Live{Name: "acme", Members: tt.members}, "file:ws.json"); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				InviteNote string `yaml:"invite_note"`
			}
			if err := yaml.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatalf("exported file does not parse: %v\n%s", err, b.String())
			}
			if got := doc.InviteNote == note; got != tt.want {
				t.Errorf("TeamFile() invite_note = %q, want it read back: %v\n%s", doc.InviteNote, tt.want, b.String())
			}
		})
	}
}
