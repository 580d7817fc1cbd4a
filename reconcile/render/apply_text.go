package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/teamctl/teamctl/reconcile"
)

// ResultsText writes one line per result: what was done to whom, or why
// it failed or was not attempted. Apply calls it after each phase.
func ResultsText(w io.Writer, rs []reconcile.Result, color bool) error {
	c := painter(color)
	var b strings.Builder
	b.Grow(64 * len(rs)) // a line each
	for _, r := range rs {
		ch := r.Change
		switch r.Outcome {
		case reconcile.Applied: // most lines of a large apply: no fmt
			mark := changeMark(ch.Action)
			b.WriteString("  ")
			b.WriteString(c.paint(markColor[mark], mark))
			b.WriteByte(' ')
			b.WriteString(field(ch.Email))
			b.WriteString(": ")
			b.WriteString(done(ch))
			b.WriteByte('\n')
		case reconcile.Failed:
			fmt.Fprintf(&b, "  %s %s: %s failed: %s\n", c.paint(ansiRed, "x"), field(ch.Email), field(string(ch.Action)), errText(r.Err))
		default:
			fmt.Fprintf(&b, "  %s %s: %s not attempted: %s\n", c.paint(ansiYellow, "!"), field(ch.Email), field(string(ch.Action)), errText(r.Err))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// errText is an error from a backend, which may quote a server, as one
// terminal-safe field.
func errText(err error) string {
	if err == nil {
		return "no reason given"
	}
	return field(err.Error())
}

func done(ch reconcile.Change) string {
	switch ch.Action {
	case reconcile.Invite:
		return "invited as " + string(ch.RoleAfter)
	case reconcile.UpdateInvite:
		return "invite changed to " + string(ch.RoleAfter)
	case reconcile.ResendInvite:
		return "invite resent as " + string(ch.RoleAfter)
	case reconcile.ChangeRole:
		return "role changed from " + roles(ch.RoleBefore, ch.OtherRoles) + " to " + string(ch.RoleAfter)
	case reconcile.CancelInvite:
		return "invite cancelled"
	case reconcile.Remove:
		return "removed"
	case reconcile.Rename:
		s := "renamed from " + field(ch.EmailBefore)
		if ch.RoleBefore != ch.RoleAfter {
			s += ", role changed from " + roles(ch.RoleBefore, ch.OtherRoles) + " to " + string(ch.RoleAfter)
		}
		return s
	}
	return field(string(ch.Action))
}

// ApplySummary writes the closing line of an apply:
// "Apply complete! 2 invited, 1 changed, 0 removed." or
// "Apply failed: 3 applied, 1 failed, 2 not attempted."
func ApplySummary(w io.Writer, rs reconcile.Results, color bool) error {
	c := painter(color)
	var err error
	if rs.OK() {
		n := map[reconcile.Action]int{}
		for _, r := range rs {
			n[r.Change.Action]++
		}
		resent := ""
		if r := n[reconcile.ResendInvite]; r > 0 {
			resent = fmt.Sprintf("%d resent, ", r)
		}
		if r := n[reconcile.Rename]; r > 0 {
			resent += fmt.Sprintf("%d renamed, ", r)
		}
		_, err = fmt.Fprintf(w, "%s %d invited, %s%d changed, %d removed.\n", c.paint(ansiBold+ansiGreen, "Apply complete!"),
			n[reconcile.Invite], resent,
			n[reconcile.UpdateInvite]+n[reconcile.ChangeRole],
			n[reconcile.CancelInvite]+n[reconcile.Remove])
	} else {
		_, err = fmt.Fprintf(w, "%s %d applied, %d failed, %d not attempted.\n", c.paint(ansiBold+ansiRed, "Apply failed:"),
			rs.Count(reconcile.Applied), rs.Count(reconcile.Failed), rs.Count(reconcile.NotAttempted))
	}
	return err
}
