package render

import (
	"fmt"
	"io"
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
	return noteLines(p.InviteNote), invitations
}

func noteLines(note string) []string {
	return strings.Split(strings.ReplaceAll(note, "\r\n", "\n"), "\n")
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
	writeNoteLines(b, lines)
	b.WriteString("\n")
}

// writeNoteLines writes the lines of a note indented behind a bar, each
// escaped for a terminal.
func writeNoteLines(b *strings.Builder, lines []string) {
	for _, l := range lines {
		b.WriteString(strings.TrimRight("    | "+field(l), " ") + "\n")
	}
}

// quoteNote returns the lines of a note as a Markdown quote, each escaped
// as prose.
func quoteNote(lines []string) []string {
	quoted := make([]string, len(lines))
	for i, l := range lines {
		quoted[i] = strings.TrimRight("> "+mdText(l), " ")
	}
	return quoted
}

// noteSection is the note for a Markdown plan: a quote, each line escaped
// as Markdown prose.
func noteSection(p *reconcile.Plan) (mdSection, bool) {
	lines, n := inviteNote(p)
	if n == 0 {
		return mdSection{}, false
	}
	title := "**" + strings.TrimSuffix(inviteNoteTitle(n), ":") + "**"
	return mdSection{title: title, lines: quoteNote(lines), unit: "the invite note", whole: true, rank: rankNote}, true
}

// maxUnsentListed bounds the addresses a job summary of an unsent note
// lists, and maxUnsentShown those the terminal does (a 1,000-person
// onboarding is no list to read on stderr); the journal and apply -o json
// have them all.
const (
	maxUnsentListed = 1000
	maxUnsentShown  = 10
)

// NoteUnsentText tells the admin that the workspace did not send the
// invite note with the invitations of an apply, and to whom to send it:
// the people invited (emails), then the note. User text is escaped for a
// terminal.
func NoteUnsentText(w io.Writer, note string, emails []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\nThe workspace did not send the invite note: its invitations carry none (for SCIM, add note=ATTRIBUTE to the workspace URL when the provider has an attribute it emails). Send it yourself to the %s:\n\n", peopleInvited(len(emails)))
	for i, e := range emails {
		if i == maxUnsentShown {
			fmt.Fprintf(&b, "  and %d more: teamctl journal lists this apply's invites, and apply -o json all of them\n", len(emails)-i)
			break
		}
		b.WriteString("  " + field(e) + "\n")
	}
	b.WriteString("\nThe note:\n\n")
	writeNoteLines(&b, noteLines(note))
	_, err := io.WriteString(w, b.String())
	return err
}

// NoteUnsentMarkdown is NoteUnsentText for a job summary: the note and
// the list, so that an admin can send it.
func NoteUnsentMarkdown(w io.Writer, workspace, note string, emails []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### teamctl apply: send the invite note (%s)\n\n", mdText(workspace))
	fmt.Fprintf(&b, "The workspace did not send the invite note with its invitations. Send it to the %s:\n\n", peopleInvited(len(emails)))
	for i, e := range emails {
		if i == maxUnsentListed {
			fmt.Fprintf(&b, "- and %d more (see `teamctl journal`)\n", len(emails)-i)
			break
		}
		b.WriteString("- " + mdText(e) + "\n")
	}
	b.WriteString("\nThe note:\n\n")
	b.WriteString(strings.Join(quoteNote(noteLines(note)), "\n") + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// peopleInvited counts the people an apply invited, in words.
func peopleInvited(n int) string {
	if n == 1 {
		return "1 person invited"
	}
	return fmt.Sprintf("%d people invited", n)
}
