package render

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// PlanMarkerPrefix starts the hidden first line of a Markdown plan,
// "<!-- teamctl-plan: WORKSPACE -->", by which a workflow finds its own
// comment to update instead of adding another.
const PlanMarkerPrefix = "<!-- teamctl-plan: "

// PlanMarker returns the hidden marker line of a plan for workspace.
func PlanMarker(workspace string) string {
	return PlanMarkerPrefix + markerText(workspace) + " -->"
}

// PlanMarkdown writes p as one pull-request comment a reviewer can read in
// ten seconds: the summary and the counts in view, the changes (a diff
// block), unmanaged members, findings and, when team is not nil, who owns
// what, folded below. It never exceeds MaxCommentSize bytes.
func PlanMarkdown(w io.Writer, p *reconcile.Plan, team *schema.Team) error {
	_, err := io.WriteString(w, planMarkdown(p, team).String(MaxCommentSize))
	return err
}

func planMarkdown(p *reconcile.Plan, team *schema.Team) *mdReport {
	r := &mdReport{head: []string{
		PlanMarker(p.Workspace),
		"### teamctl plan: " + mdText(p.Workspace),
		"",
	}}
	if len(p.Changes) == 0 {
		r.head = append(r.head, "**No changes.** The workspace matches the team file.")
	} else {
		r.head = append(r.head, "**"+summaryLine(p)+"**", "", "| change | count |", "| :-- | --: |")
		sum := p.Summary()
		for _, a := range reconcile.Actions {
			r.head = append(r.head, fmt.Sprintf("| `%s` | %d |", a, sum[a]))
		}
	}
	errs, warns := countFindings(p.Findings)
	switch {
	case errs > 0:
		r.head = append(r.head, "", "> [!CAUTION]",
			fmt.Sprintf("> %s, %s: this plan cannot be applied until the team file is fixed.", plural(errs, "error", "errors"), plural(warns, "warning", "warnings")))
	case warns > 0:
		r.head = append(r.head, "", "> [!WARNING]", "> "+plural(warns, "warning", "warnings")+" (see below).")
	}

	var folded []string
	if len(p.Changes) > 0 {
		r.sections = append(r.sections, mdSection{title: "**Changes**, in the order they apply",
			open: "```diff", lines: diffLines(p.Changes), close: "```", unit: "changes"})
		folded = append(folded, plural(len(p.Changes), "change", "changes"))
	}
	if len(p.Drift) > 0 {
		r.sections = append(r.sections, mdSection{title: "**Not in the team file**, left alone (`policy.prune` is off)",
			lines: driftLines(p.Drift, p.CreatedAt), unit: "unmanaged members"})
		folded = append(folded, plural(len(p.Drift), "unmanaged member", "unmanaged members"))
	}
	if len(p.Findings) > 0 {
		r.sections = append(r.sections, mdSection{title: "**Findings**", lines: findingLines(p.Findings), unit: "findings"})
		folded = append(folded, plural(len(p.Findings), "finding", "findings"))
	}
	if team != nil {
		r.sections = append(r.sections, mermaidSection(team, nil))
		folded = append(folded, "who owns what")
	}
	r.fold = "Details: " + strings.Join(folded, ", ")
	return r
}

func mermaidSection(team *schema.Team, flagged map[string]string) mdSection {
	return mdSection{title: "**Who owns what** (gaps in red)", open: "```mermaid",
		lines: strings.Split(strings.TrimSuffix(ownershipMermaid(team, flagged), "\n"), "\n"),
		close: "```", unit: "diagram lines", droppable: true}
}

// summaryLine is Terraform's: invites (new or resent), changes (of an
// invite or a role) and removals (of a member or an invite).
func summaryLine(p *reconcile.Plan) string {
	s := p.Summary()
	return fmt.Sprintf("Plan: %d to invite, %d to change, %d to remove.",
		s[reconcile.Invite]+s[reconcile.ResendInvite],
		s[reconcile.UpdateInvite]+s[reconcile.ChangeRole],
		s[reconcile.CancelInvite]+s[reconcile.Remove])
}

// diffLines renders changes for a ```diff block: the sign in column 0 so
// GitHub colours the line (+ adds, ! changes, - removes), then the action,
// the person, the roles and, aligned, the reason with its place.
func diffLines(cs []reconcile.Change) []string {
	whats := make([]string, len(cs))
	width := 0
	for i, c := range cs {
		whats[i] = codeText(changeWhat(c))
		width = max(width, min(utf8.RuneCountInString(whats[i]), 60))
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		pad := strings.Repeat(" ", max(0, width-utf8.RuneCountInString(whats[i])))
		out[i] = fmt.Sprintf("%c %-13s %s%s  # %s", sign(c.Action), c.Action, whats[i], pad, codeText(changeWhy(c)))
	}
	return out
}

func sign(a reconcile.Action) rune {
	switch a {
	case reconcile.Invite, reconcile.ResendInvite:
		return '+'
	case reconcile.CancelInvite, reconcile.Remove:
		return '-'
	}
	return '!'
}

func who(email, name string) string {
	if name == "" {
		return email
	}
	return email + " (" + name + ")"
}

func changeWhat(c reconcile.Change) string {
	p := who(c.Email, c.Name)
	switch c.Action {
	case reconcile.Invite, reconcile.ResendInvite:
		return p + " as " + string(c.RoleAfter)
	case reconcile.UpdateInvite, reconcile.ChangeRole:
		return fmt.Sprintf("%s %s → %s", p, c.RoleBefore, c.RoleAfter)
	}
	return p + " " + string(c.RoleBefore)
}

func changeWhy(c reconcile.Change) string {
	if c.Pos.Line > 0 {
		return c.Pos.String() + ": " + c.Reason
	}
	return c.Reason
}

func driftLines(ds []reconcile.Drift, now time.Time) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		state := string(d.Status)
		if d.Status == reconcile.Invited && d.InvitedAt != nil {
			state = "invited " + age(now.Sub(*d.InvitedAt)) + " ago"
		}
		out[i] = fmt.Sprintf("- %s: %s, %s", mdText(who(d.Email, d.Name)), d.Role, state)
	}
	return out
}

// age says how long ago, in whole days (hours under a day).
func age(d time.Duration) string {
	if d < 24*time.Hour {
		return plural(int(d.Hours()), "hour", "hours")
	}
	return plural(int(d.Hours()/24), "day", "days")
}
