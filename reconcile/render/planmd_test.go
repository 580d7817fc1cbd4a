package render_test

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

var planTime = time.Date(2026, time.November, 26, 12, 0, 0, 0, time.UTC)

func at(line int) schema.Pos { return schema.Pos{File: "team/operators.yaml", Line: line, Col: 5} }

func ref(email string) *schema.Ref { return &schema.Ref{Email: email} }

// exampleTeam is the SPEC's team, with one workflow lacking a backup and
// one draft.
func exampleTeam() *schema.Team {
	return &schema.Team{
		Workspace: "acme-outbound",
		People: []schema.Person{
			{Email: "dana@acme.io", Name: "Dana Ortiz", Role: schema.Admin, Pos: at(2)},
			{Email: "sam@acme.io", Name: "Sam Lee", Role: schema.Admin, Pos: at(4)},
			{Email: "olivia@acme.io", Role: schema.Operator, Pos: at(7)},
			{Email: "rita@acme.io", Role: schema.Reviewer, Pos: at(9)},
		},
		BackupAdmins: []schema.Ref{{Email: "sam@acme.io"}},
		Workflows: []schema.Workflow{
			{Name: "billing", State: schema.Live, Owner: ref("dana@acme.io"), Backups: []schema.Ref{{Email: "sam@acme.io"}}},
			{Name: "Q1 outbound pilot", State: schema.Pilot, Owner: ref("olivia@acme.io")},
			{Name: "Q2 launch", State: schema.Draft},
		},
		Policy: schema.DefaultPolicy(),
	}
}

func examplePlan() *reconcile.Plan {
	invited := planTime.Add(-20 * 24 * time.Hour)
	p := &reconcile.Plan{
		Workspace: "acme-outbound",
		CreatedAt: planTime,
		Changes: []reconcile.Change{
			{Action: reconcile.ChangeRole, Email: "sam@acme.io", Name: "Sam Lee", RoleBefore: schema.Operator, RoleAfter: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonRole}, Pos: at(4)},
			{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: at(7)},
			{Action: reconcile.ResendInvite, Email: "rita@acme.io", RoleBefore: schema.Reviewer, RoleAfter: schema.Reviewer, Reason: reconcile.Reason{Kind: reconcile.ReasonInviteExpired}, Pos: at(9), InvitedAt: &invited},
			{Action: reconcile.Remove, Email: "old@acme.io", RoleBefore: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonUndeclared}},
		},
		Held: []reconcile.Held{
			{Change: reconcile.Change{Action: reconcile.Remove, Email: "dana@acme.io", RoleBefore: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonUndeclared}}, Why: "dana@acme.io applies this plan"},
		},
		Pending: []reconcile.Pending{
			{Email: "olivia@acme.io", Role: schema.Operator, InvitedAt: &invited, Declared: true},
		},
		Drift: []reconcile.Drift{
			{Email: "eve@acme.io", Role: schema.Reviewer, Status: reconcile.Invited, InvitedAt: &invited},
			{Email: "zed@acme.io", Name: "Zed", Role: schema.Operator, Status: reconcile.Active},
		},
		Findings: []schema.Finding{
			{Rule: "least-privilege", Severity: schema.Warning, Pos: at(4), Message: "sam@acme.io owns no workflow", Hint: "give them a workflow"},
			{Rule: "workflow-owner", Severity: schema.Error, Pos: at(20), Message: `workflow "Q1 outbound pilot" has no backup`, Hint: "add backups"},
		},
	}
	return withNote(p, "Welcome! On first login, open Campaigns (operators)\nor Call Review (reviewers).\n\nCheck that you see the *launch* team.")
}

// withNote gives the plan and its invitations the invite note, as Diff does.
func withNote(p *reconcile.Plan, note string) *reconcile.Plan {
	p.InviteNote = note
	for i, c := range p.Changes {
		if c.SendsNote() {
			p.Changes[i].Note = note
		}
	}
	return p
}

// expiryPlan is the example plan with seven people whose access ended or
// ends soon (rule access-expiry): the summary names five, the ended first.
func expiryPlan() *reconcile.Plan {
	p := examplePlan()
	p.Changes, p.Held, p.Pending, p.Drift = p.Changes[:1], nil, nil, nil
	for i := range 7 {
		f := schema.Finding{Rule: schema.RuleAccessExpiry, Severity: schema.Warning, Pos: at(30 + i),
			Message: fmt.Sprintf("access of c%d@contract.example ends in %d days: until 2026-12-0%d is its last day", i, i+2, i+2),
			Hint:    "remove the person from the team file, or extend their `until:`"}
		if i == 6 {
			f.Severity, f.Message = schema.Error, "access of <b>late</b>@contract.example ended: until 2026-11-20 has passed (6 days ago)"
		}
		p.Findings = append(p.Findings, f)
	}
	return p
}

// reviewPlan is the example plan with two admins whose access review is
// overdue or due (rule access-review): the summary names them, the overdue
// first.
func reviewPlan() *reconcile.Plan {
	p := examplePlan()
	p.Changes, p.Held, p.Pending, p.Drift = p.Changes[:1], nil, nil, nil
	hint := "confirm the person still needs the role, then record it: `teamctl review --mark EMAIL` writes today's date into `reviewed:`"
	p.Findings = append(p.Findings,
		schema.Finding{Rule: schema.RuleAccessReview, Severity: schema.Warning, Pos: at(8), Hint: hint,
			Message: "access of sam@acme.io (admin) was never reviewed: admins are reviewed every 90 days"},
		schema.Finding{Rule: schema.RuleAccessReview, Severity: schema.Error, Pos: at(7), Hint: hint,
			Message: "access review of dana@acme.io (admin) is overdue by 3 days: last reviewed 2026-08-27; admins are reviewed every 90 days"},
	)
	return p
}

// hostile returns the example with user strings that try to inject HTML,
// ping everyone, and break out of code spans, fences and tables.
func hostileTeam() (*schema.Team, *reconcile.Plan) {
	team, plan := exampleTeam(), examplePlan()
	evil := "<img src=x onerror=alert(1)> @everyone ``` `x` | *b* [l](http://x) $x$ \n```\n@acme/all"
	team.Workspace = "acme --> <b>x</b>"
	team.People[0].Name = evil
	team.Workflows[1].Name = "@everyone \"pilot\" ```<script>"
	team.Workflows[0].Owner = ref("@ghost <i>")
	plan.Workspace = team.Workspace
	withNote(plan, evil+"\n> not a quote\n<!-- hidden -->\n```")
	plan.Changes[0].Name = evil // an admin change, in the head
	plan.Changes[1].Name = evil
	plan.Changes[1].Pos.File = "team/`ops`<b>.yaml"
	plan.Drift[1].Name = evil
	plan.Findings[0].Message = "name " + evil + " is odd"
	plan.Findings[0].Hint = "@channel see <https://evil>"
	return team, plan
}

func TestPlanMarkdownGolden(t *testing.T) {
	hostile, hostilePlan := hostileTeam()
	tests := []struct {
		name string
		plan *reconcile.Plan
		team *schema.Team
	}{
		{"plan.md", examplePlan(), exampleTeam()},
		{"plan_hostile.md", hostilePlan, hostile},
		{"plan_nochanges.md", &reconcile.Plan{Workspace: "acme-outbound", CreatedAt: planTime}, nil},
		{"plan_expiry.md", expiryPlan(), nil},
		{"plan_admin_grant.md", adminAmongReviewers(12), nil},
		{"plan_operators_only.md", operatorsOnly(), nil},
		{"plan_review.md", reviewPlan(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := render.PlanMarkdown(&b, tt.plan, tt.team); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, []byte(b.String()))
		})
	}
}

func TestPlanMarkdownHostile(t *testing.T) {
	team, plan := hostileTeam()
	var b strings.Builder
	if err := render.PlanMarkdown(&b, plan, team); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	// Outside code blocks nothing may be HTML or a mention; inside, a user
	// string may not start a line (and so may not close the fence).
	prose, code := splitFences(out)
	for _, bad := range []string{"<img", "<script", "<b>", "<i>", "--> &lt;"} {
		if strings.Contains(prose, bad) {
			t.Errorf("prose contains %q:\n%s", bad, prose)
		}
	}
	if m := mention.FindAllString(prose, -1); len(m) > 0 {
		t.Errorf("prose has mentions %q:\n%s", m, prose)
	}
	for _, l := range strings.Split(code, "\n") {
		if l != "" && !strings.ContainsAny(l[:1], "+-! ") && !strings.HasPrefix(l, "flowchart") {
			t.Errorf("code line starts with user text: %q", l)
		}
	}
	_, diagram, _ := strings.Cut(code, "flowchart")
	for _, l := range strings.Split(diagram, "\n") {
		i, j := strings.Index(l, `"`), strings.LastIndex(l, `"`)
		if label := l[i+1 : max(i+1, j)]; i >= 0 && (strings.ContainsAny(label, "\"<>`") || mention.MatchString(label)) {
			t.Errorf("diagram label not escaped: %q", l)
		}
	}
	// Fences: every line that starts with ``` opens or closes one of ours.
	var fences []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "```") {
			fences = append(fences, l)
		}
	}
	want := []string{"```diff", "```", "```mermaid", "```"}
	if strings.Join(fences, "|") != strings.Join(want, "|") {
		t.Errorf("fence lines = %q, want %q", fences, want)
	}
}

// bigPlan returns a plan that invites n operators, person00000@acme.io
// and on, each the owner of a workflow of the team.
func bigPlan(n int) (*reconcile.Plan, *schema.Team) {
	plan := &reconcile.Plan{Workspace: "big", CreatedAt: planTime}
	team := &schema.Team{Workspace: "big"}
	for i := range n {
		email := fmt.Sprintf("person%05d@acme.io", i)
		plan.Changes = append(plan.Changes, reconcile.Change{Action: reconcile.Invite, Email: email, RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: at(i + 1)})
		team.People = append(team.People, schema.Person{Email: email, Role: schema.Operator})
		team.Workflows = append(team.Workflows, schema.Workflow{Name: fmt.Sprintf("w%d", i), Owner: ref(email)})
	}
	return plan, team
}

// adminAmongReviewers is a plan that invites n reviewers, and among them
// makes one admin, raises another and removes three reviewers.
func adminAmongReviewers(n int) *reconcile.Plan {
	p := &reconcile.Plan{Workspace: "acme-outbound", CreatedAt: planTime}
	add := func(c reconcile.Change) { p.Changes = append(p.Changes, c) }
	add(reconcile.Change{Action: reconcile.Invite, Email: "mallory@acme.io", Name: "Mallory", RoleAfter: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: at(3)})
	for i := range n {
		add(reconcile.Change{Action: reconcile.Invite, Email: fmt.Sprintf("reviewer%04d@acme.io", i), RoleAfter: schema.Reviewer, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: at(10 + i)})
	}
	for i := range 3 {
		add(reconcile.Change{Action: reconcile.Remove, Email: fmt.Sprintf("gone%d@acme.io", i), RoleBefore: schema.Reviewer, Reason: reconcile.Reason{Kind: reconcile.ReasonUndeclared}})
	}
	// A raise in the middle, as the plan orders it: after the admins'
	// phase would be wrong, but the renderer must not depend on order.
	p.Changes = slices.Insert(p.Changes, n/2, reconcile.Change{Action: reconcile.ChangeRole, Email: "rita@acme.io", RoleBefore: schema.Reviewer, RoleAfter: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonRole}, Pos: at(5)})
	return p
}

// operatorsOnly invites two operators and raises a reviewer to operator.
func operatorsOnly() *reconcile.Plan {
	return &reconcile.Plan{Workspace: "acme-outbound", CreatedAt: planTime, Changes: []reconcile.Change{
		{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: at(7)},
		{Action: reconcile.Invite, Email: "oscar@acme.io", RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: at(8)},
		{Action: reconcile.ChangeRole, Email: "rita@acme.io", RoleBefore: schema.Reviewer, RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonRole}, Pos: at(9)},
	}}
}

// TestPlanMarkdownCutKeepsGrants: a plan that adds an admin among 2,200
// reviewers is too long for a comment; the cut keeps the admin changes
// (in the head and in the list), leaves reviewers out first, and says how
// many of each kind it left out and where the whole plan is.
func TestPlanMarkdownCutKeepsGrants(t *testing.T) {
	plan := adminAmongReviewers(2200)
	plan.Changes = append(plan.Changes, reconcile.Change{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}, Pos: at(8)})
	plan.Findings = []schema.Finding{{Rule: "workflow-owner", Severity: schema.Error, Pos: at(1), Message: "no backup"}}
	var b strings.Builder
	cut, err := render.PlanMarkdownWith(&b, plan, exampleTeam(), render.MarkdownOptions{Whole: "The whole plan is in the job log."})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !cut {
		t.Error("PlanMarkdownWith() reports no cut")
	}
	if len(out) > render.MaxCommentSize {
		t.Fatalf("len = %d, over %d", len(out), render.MaxCommentSize)
	}
	if len(out) < render.MaxCommentSize-3000 {
		t.Errorf("len = %d: cut far more than needed", len(out))
	}
	head, fold, ok := strings.Cut(out, "<details>")
	if !ok {
		t.Fatalf("no fold:\n%s", out)
	}
	for _, want := range []string{
		"Admin access: 1 granted, 1 raised.**",
		"- **granted** `mallory@acme.io` \\(Mallory\\): invite as admin (team/operators.yaml:3:5: declared as admin)",
		"- **raised** `rita@acme.io`: reviewer → admin (team/operators.yaml:5:5: declared as admin)",
		"**Other changes:** 2200 reviewers invited, 3 reviewers removed, 1 operator invited.",
		"| `invite` | 2202 |",
		"characters. Left out: ",
		" of 2206 changes (",
		" reviewers invited, 3 reviewers removed); who owns what. Every change to admin access is listed above. The whole plan is in the job log.",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("head lacks %q:\n%s", want, head)
		}
	}
	for _, want := range []string{
		"+ mallory@acme.io ",
		"! rita@acme.io ",
		"+ olivia@acme.io ",
		"❌ error `workflow-owner`",
		"reviewer0000@acme.io", // the first reviewers, in plan order
		" more changes left out to fit (see the note above)\n```\n",
	} {
		if !strings.Contains(fold, want) {
			t.Errorf("fold lacks %q", want)
		}
	}
	// The reviewers removed rank under those invited: none is kept.
	for _, gone := range []string{"gone0@acme.io", "reviewer2199@acme.io", "mermaid"} {
		if strings.Contains(out, gone) {
			t.Errorf("cut output kept %q, which ranks lowest", gone)
		}
	}
}

// TestPlanMarkdownCutGolden shows a cut at a small limit: what stays, the
// markers and the note.
func TestPlanMarkdownCutGolden(t *testing.T) {
	var b strings.Builder
	cut, err := render.PlanMarkdownWith(&b, adminAmongReviewers(40), nil, render.MarkdownOptions{Limit: 3000})
	if err != nil || !cut {
		t.Fatalf("PlanMarkdownWith() = %v, %v; want a cut", cut, err)
	}
	if b.Len() > 3000 {
		t.Errorf("len = %d, over 3000", b.Len())
	}
	golden(t, "plan_cut.md", []byte(b.String()))
}

// TestPlanMarkdownHugeHead: a head that cannot fit (thousands of admin
// changes) is cut too, never over the limit.
func TestPlanMarkdownHugeHead(t *testing.T) {
	plan := &reconcile.Plan{Workspace: "big", CreatedAt: planTime}
	for i := range 2000 {
		plan.Changes = append(plan.Changes, reconcile.Change{Action: reconcile.Remove, Email: fmt.Sprintf("admin%04d@acme.io", i), RoleBefore: schema.Admin, Reason: reconcile.Reason{Kind: reconcile.ReasonUndeclared}})
	}
	var b strings.Builder
	if _, err := render.PlanMarkdownWith(&b, plan, nil, render.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if b.Len() > render.MaxCommentSize {
		t.Errorf("len = %d, over %d", b.Len(), render.MaxCommentSize)
	}
	if !strings.Contains(b.String(), "The rest of this summary is left out to fit.") {
		t.Error("huge head not marked as cut")
	}
}

// mention matches an @ that GitHub could take for a mention.
var mention = regexp.MustCompile(`(^|[^A-Za-z0-9])@[A-Za-z0-9]`)

// splitFences separates Markdown into the text outside fenced code blocks
// and the lines inside them.
func splitFences(md string) (prose, code string) {
	var p, c strings.Builder
	in := false
	for _, l := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(l, "```"):
			in = !in
		case in:
			c.WriteString(l + "\n")
		default:
			p.WriteString(l + "\n")
		}
	}
	return p.String(), c.String()
}

func TestPlanMarkdownHeldOnly(t *testing.T) {
	plan := &reconcile.Plan{Workspace: "acme", Held: []reconcile.Held{
		{Change: reconcile.Change{Action: reconcile.Remove, Email: "dana@acme.io", RoleBefore: schema.Admin}, Why: "dana@acme.io applies this plan"},
	}}
	var b strings.Builder
	if err := render.PlanMarkdown(&b, plan, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "**No changes can be made now.**") || strings.Contains(b.String(), "matches the team file") {
		t.Errorf("held-only plan:\n%s", b.String())
	}
}

// BenchmarkPlanMarkdown renders a plan of 10,000 invites for a team of
// 10,000 people and workflows, which is cut to fit a comment.
func BenchmarkPlanMarkdown(b *testing.B) {
	plan, team := bigPlan(10000)
	for b.Loop() {
		if err := render.PlanMarkdown(io.Discard, plan, team); err != nil {
			b.Fatal(err)
		}
	}
}
