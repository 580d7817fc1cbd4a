package render

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"time"

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
// ten seconds: the summary, every change to admin access and a count of
// the others in view; the changes (a diff block), undeclared members,
// findings and, when team is not nil, who owns what, folded below. It
// never exceeds MaxCommentSize bytes.
func PlanMarkdown(w io.Writer, p *reconcile.Plan, team *schema.Team) error {
	_, err := PlanMarkdownWith(w, p, team, MarkdownOptions{})
	return err
}

// MarkdownOptions tune PlanMarkdownWith.
type MarkdownOptions struct {
	// Limit is the most bytes the report may take; 0 is MaxCommentSize.
	Limit int
	// Whole says where the whole plan is, for the note of a plan cut to
	// fit; "" says to run teamctl locally.
	Whole string
}

// PlanMarkdownWith is PlanMarkdown with options, and reports whether the
// plan was cut to fit. A cut keeps the head whole, with every change to
// admin access, and leaves out the changes of the fold that grant the
// least access first (SPEC §9: the PR comment never hides a grant).
func PlanMarkdownWith(w io.Writer, p *reconcile.Plan, team *schema.Team, o MarkdownOptions) (cut bool, err error) {
	limit := cmp.Or(o.Limit, MaxCommentSize)
	r := planMarkdown(p, team)
	r.whole = o.Whole
	out := r.render(r.head, r.sections)
	cut = len(out) > limit
	if cut {
		out = r.cutTo(limit)
	}
	_, err = io.WriteString(w, out)
	return cut, err
}

func planMarkdown(p *reconcile.Plan, team *schema.Team) *mdReport {
	r := &mdReport{head: []string{
		PlanMarker(p.Workspace),
		"### teamctl plan: " + mdText(p.Workspace),
		"",
	}}
	switch {
	case len(p.Changes) == 0 && len(p.Held) > 0:
		r.head = append(r.head, "**No changes can be made now.** The remaining differences are held back (see below).")
	case len(p.Changes) == 0:
		r.head = append(r.head, "**No changes.** The workspace matches the team file.")
	default:
		r.head = append(r.head, "**Plan: "+summaryCounts(p)+"**", "")
		r.head = append(r.head, adminSection(p.Changes)...)
		r.kept = "Every change to admin access is listed above."
		r.head = append(r.head, "| change | count |", "| :-- | --: |")
		sum := p.Summary()
		for _, a := range reconcile.Actions {
			if a == reconcile.Rename && sum[a] == 0 {
				continue // a row only in the plans that rename someone
			}
			r.head = append(r.head, fmt.Sprintf("| `%s` | %d |", a, sum[a]))
		}
	}
	errs, warns := tally(p.Findings)
	switch {
	case errs > 0:
		r.head = append(r.head, "", "> [!CAUTION]",
			fmt.Sprintf("> %s, %s: this plan cannot be applied until the team file is fixed.", plural(errs, "error"), plural(warns, "warning")))
	case warns > 0:
		r.head = append(r.head, "", "> [!WARNING]", "> "+plural(warns, "warning")+" (see below).")
	}
	for _, h := range p.Hints {
		r.head = append(r.head, "", "> [!TIP]", "> "+mdText(RenameHintText(h)))
	}
	r.head = append(r.head, expiryLines(p.Findings)...)
	r.head = append(r.head, reviewLines(p.Findings)...)

	var folded []string
	if len(p.Changes) > 0 {
		r.sections = append(r.sections, changesSection(p.Changes))
		folded = append(folded, plural(len(p.Changes), "change"))
	}
	if note, ok := noteSection(p); ok {
		r.sections = append(r.sections, note)
		folded = append(folded, "the invite note")
	}
	if len(p.Held) > 0 {
		lines := make([]string, len(p.Held))
		for i, h := range p.Held {
			r := changeRow(h.Change)
			lines[i] = fmt.Sprintf("- %s: %s, held back: %s", mdText(r.email), mdText(r.what), mdText(h.Why))
		}
		r.sections = append(r.sections, mdSection{title: "**Held back** by the safety rules (not part of this plan)", lines: lines, unit: "held changes", rank: rankHeld})
		folded = append(folded, plural(len(p.Held), "held change"))
	}
	if len(p.Pending) > 0 {
		lines := make([]string, len(p.Pending))
		for i, q := range p.Pending {
			lines[i] = fmt.Sprintf("- %s: %s, %s", mdText(q.Email), q.Role, mdText(inviteAge(q, p.CreatedAt)))
		}
		r.sections = append(r.sections, mdSection{title: "**Pending invites**", lines: lines, unit: "pending invites", rank: rankPending})
		folded = append(folded, plural(len(p.Pending), "pending invite"))
	}
	if len(p.Drift) > 0 {
		r.sections = append(r.sections, mdSection{title: "**Undeclared**: live members the team file does not declare, left alone (`policy.prune` is off)",
			lines: driftLines(p.Drift, p.CreatedAt), unit: "undeclared members", rank: rankUnmanaged})
		folded = append(folded, plural(len(p.Drift), "undeclared member"))
	}
	if len(p.Dangling) > 0 {
		lines := make([]string, len(p.Dangling))
		for i, d := range p.Dangling {
			lines[i] = "- " + mdText(danglingText(d))
		}
		r.sections = append(r.sections, mdSection{title: "**Dangling members**, no user, left alone", lines: lines, unit: "dangling members", rank: rankUnmanaged})
		folded = append(folded, plural(len(p.Dangling), "dangling member"))
	}
	if len(p.Findings) > 0 {
		lines, ranks := findingLines(p.Findings), findingRanks(p.Findings)
		r.sections = append(r.sections, mdSection{title: "**Findings**", lines: lines, ranks: ranks, unit: "findings"})
		folded = append(folded, plural(len(p.Findings), "finding"))
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
		close: "```", unit: "who owns what", droppable: true}
}

// How long each part of a plan's fold is kept when the comment is too
// long: the lowest rank is left out first. Changes rank by the access
// they give (changeRank); an error finding explains why a plan cannot be
// applied, the invite note is what every invitee reads.
const (
	rankPending   = 10 // also in the head's counts and in the workspace
	rankUnmanaged = 15
	rankWarning   = 35
	rankHeld      = 65
	rankNote      = 75
	rankError     = 85
)

// changeRank is how long a change's line is kept: from 20 (a change that
// holds no role, a dangling member) to 90 (an admin grant).
func changeRank(c reconcile.Change) int { return 20 + 10*accessRank(c) }

// changesSection is the list of changes in plan order, in a diff block.
// A cut leaves out the changes that give the least access first, and says
// how many of each kind it left out.
func changesSection(cs []reconcile.Change) mdSection {
	ranks := make([]int, len(cs))
	for i, c := range cs {
		ranks[i] = changeRank(c)
	}
	return mdSection{title: "**Changes**, in the order they apply",
		open: "```diff", lines: diffLines(cs), close: "```", unit: "changes", ranks: ranks,
		leftOut: func(cut []int) string {
			left := make([]reconcile.Change, len(cut))
			for i, j := range cut {
				left[i] = cs[j]
			}
			return fmt.Sprintf("%d of %d changes (%s)", len(cut), len(cs), changeKinds(left))
		}}
}

// adminSection is the head's account of admin access: every change to it,
// with the person and the declaring line, then the other changes counted
// by role; or a line that says no change touches admin access.
func adminSection(cs []reconcile.Change) []string {
	admins := adminChanges(cs)
	var out []string
	if len(admins) == 0 {
		out = append(out, "**No admin changes.**", "")
	} else {
		out = append(out, "**Admin access:**", "")
		for _, c := range admins {
			r := changeRow(c)
			what := strings.ReplaceAll(r.what, " -> ", " → ")
			switch c.Action {
			case reconcile.Remove:
				what = "was " + roles(c.RoleBefore, c.OtherRoles)
			case reconcile.CancelInvite:
				what = "invite as " + roles(c.RoleBefore, c.OtherRoles) + " cancelled"
			}
			out = append(out, fmt.Sprintf("- **%s** %s: %s (%s)", adminMoveWords[adminMoveOf(c)], mdText(who(c.Email, c.Name)), mdText(what), mdText(r.why)))
		}
		out = append(out, "")
	}
	if len(admins) < len(cs) {
		others := make([]reconcile.Change, 0, len(cs)-len(admins))
		for _, c := range cs {
			if adminMoveOf(c) == notAdmin {
				others = append(others, c)
			}
		}
		out = append(out, "**Other changes:** "+mdText(changeKinds(others))+".", "")
	}
	return out
}

// diffLines renders changes for a ```diff block, as the text plan lists
// them, with the sign in column 0 so that GitHub colours the line: +
// adds, ! changes, - removes.
func diffLines(cs []reconcile.Change) []string {
	rows := make([]row, len(cs))
	for i, c := range cs {
		rows[i] = changeRow(c)
		rows[i].email, rows[i].what, rows[i].why = codeText(rows[i].email), codeText(rows[i].what), codeText(rows[i].why)
		if rows[i].mark == "~" {
			rows[i].mark = "!"
		}
	}
	w := columnWidths(rows)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%s %-*s  %-*s  # %s", r.mark, w[0], r.email, w[1], r.what, r.why)
	}
	return out
}

func driftLines(ds []reconcile.Drift, now time.Time) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		state := string(d.Status)
		if d.Status == reconcile.Invited && d.InvitedAt != nil {
			state = "invited " + ago(now, *d.InvitedAt)
		}
		out[i] = fmt.Sprintf("- %s: %s, %s", mdText(who(d.Email, d.Name)), d.Role, state)
	}
	return out
}

func who(email, name string) string {
	if name == "" {
		return email
	}
	return email + " (" + name + ")"
}
