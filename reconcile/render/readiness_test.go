package render_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/readiness"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// exampleReport evaluates exampleTeam against a workspace where Sam never
// signed in, Olivia's invite is pending, Eve is not declared and the
// settings lack caller ID, five days before launch.
func exampleReport(team *schema.Team) *readiness.Report {
	launch := schema.Date{Year: 2026, Month: time.December, Day: 1}
	team.Launch = &launch
	signed := planTime.Add(-72 * time.Hour)
	no := false
	live := &reconcile.Live{
		Name:             team.Workspace,
		SettingsComplete: &no,
		SettingsMissing:  []string{"caller ID"},
		Members: []reconcile.Member{
			{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active, LastSignInAt: &signed, SignInKnown: true},
			{Email: "eve@acme.io", Role: schema.Admin, Status: reconcile.Active, LastSignInAt: &signed, SignInKnown: true},
			{Email: "olivia@acme.io", Role: schema.Operator, Status: reconcile.Invited, InvitedAt: &signed, SignInKnown: true},
			{Email: "rita@acme.io", Role: schema.Reviewer, Status: reconcile.Active, LastSignInAt: &signed, SignInKnown: true},
			{Email: "sam@acme.io", Role: schema.Admin, Status: reconcile.Active, SignInKnown: true},
		},
	}
	offline := []schema.Finding{
		{Rule: "workflow-owner", Severity: schema.Error, Pos: at(20), Message: `workflow "Q1 outbound pilot" has no backup`, Hint: "add backups"},
	}
	return readiness.Evaluate(team, live, offline, planTime)
}

func TestReadinessGolden(t *testing.T) {
	team := exampleTeam()
	r := exampleReport(team)
	hostile, _ := hostileTeam()
	hr := exampleReport(hostile)

	tests := []struct {
		name   string
		render func(*strings.Builder) error
	}{
		{"readiness.txt", func(b *strings.Builder) error { return render.ReadinessText(b, r, false) }},
		{"readiness.json", func(b *strings.Builder) error { return render.ReadinessJSON(b, r) }},
		{"readiness.md", func(b *strings.Builder) error { return render.ReadinessMarkdown(b, r, team) }},
		{"readiness_hostile.md", func(b *strings.Builder) error { return render.ReadinessMarkdown(b, hr, hostile) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := tt.render(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, []byte(b.String()))
		})
	}
}

func TestReadinessMarkdownHostile(t *testing.T) {
	team, _ := hostileTeam()
	var b strings.Builder
	if err := render.ReadinessMarkdown(&b, exampleReport(team), team); err != nil {
		t.Fatal(err)
	}
	prose, _ := splitFences(b.String())
	for _, bad := range []string{"<img", "<script", "<b>", "<i>"} {
		if strings.Contains(prose, bad) {
			t.Errorf("prose contains %q:\n%s", bad, prose)
		}
	}
	if m := mention.FindAllString(prose, -1); len(m) > 0 {
		t.Errorf("prose has mentions %q:\n%s", m, prose)
	}
}

func TestReadinessJSONShape(t *testing.T) {
	var b strings.Builder
	if err := render.ReadinessJSON(&b, exampleReport(exampleTeam())); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		FormatVersion string `json:"format_version"`
		Ready         *bool
		Summary       map[string]int
		Checks        []struct{ Rule, Status string }
	}
	if err := json.Unmarshal([]byte(b.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.FormatVersion != "1" || doc.Ready == nil || *doc.Ready || len(doc.Checks) == 0 || doc.Summary["fail"] == 0 {
		t.Errorf("unexpected document: %+v", doc)
	}
}

func TestFindingsMarkdown(t *testing.T) {
	_, plan := hostileTeam()
	for _, tt := range []struct {
		name string
		fs   []schema.Finding
	}{{"findings.md", plan.Findings}, {"findings_none.md", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := render.FindingsMarkdown(&b, tt.fs); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, []byte(b.String()))
		})
	}
}
