package render

import (
	"strings"

	"github.com/teamctl/teamctl/reconcile"
)

// inviteNote returns the lines of the note the plan's invitations carry
// and how many invitations carry it; no lines when none sends a note.
// A plan shows the note once, under the invites, so that reviewers read
// what invitees will get.
func inviteNote(p *reconcile.Plan) (lines []string, invitations int) {
	for _, c := range p.Changes {
		if c.SendsNote() && c.Note != "" {
			invitations++
		}
	}
	if invitations == 0 || p.InviteNote == "" {
		return nil, 0
	}
	return strings.Split(strings.ReplaceAll(p.InviteNote, "\r\n", "\n"), "\n"), invitations
}

func inviteNoteTitle(invitations int) string {
	if invitations == 1 {
		return "Invite note, sent with the invitation above:"
	}
	return "Invite note, sent with each of the " + plural(invitations, "invitation") + " above:"
}

// noteText writes the note for the text plan, each line indented and
// escaped for a terminal.
func noteText(b *strings.Builder, p *reconcile.Plan) {
	lines, n := inviteNote(p)
	if n == 0 {
		return
	}
	b.WriteString(inviteNoteTitle(n) + "\n\n")
	for _, l := range lines {
		if l = field(l); l == "" {
			b.WriteString("    |\n")
			continue
		}
		b.WriteString("    | " + l + "\n")
	}
	b.WriteString("\n")
}

// noteSection is the note for a Markdown plan: a quote, each line escaped
// as Markdown prose.
func noteSection(p *reconcile.Plan) (mdSection, bool) {
	lines, n := inviteNote(p)
	if n == 0 {
		return mdSection{}, false
	}
	quoted := make([]string, len(lines))
	for i, l := range lines {
		quoted[i] = strings.TrimRight("> "+mdText(l), " ")
	}
	title := "**" + strings.TrimSuffix(inviteNoteTitle(n), ":") + "**"
	return mdSection{title: title, lines: quoted, unit: "note lines"}, true
}
