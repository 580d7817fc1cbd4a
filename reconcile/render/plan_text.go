package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// ANSI colours, used only when a renderer is asked for them.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

type painter bool

func (c painter) paint(code, s string) string {
	if !c {
		return s
	}
	return code + s + ansiReset
}

// PlanText writes the plan for people, in Terraform's habits: one line per
// change with a marker (+ invite, ~ change, - remove or cancel), what it
// does and why, grouped by phase in plan order; then what the safety rules
// held back, the pending invites with their age, the drift, and a summary
// line. Colour only when color is true.
func PlanText(w io.Writer, p *reconcile.Plan, color bool) error {
	return PlanTextWith(w, p, Options{Color: color})
}

// PendingShown is the most pending invites PlanText lists one by one;
// past it they are summarised in a line, unless Options.AllPending.
const PendingShown = 10

// PlanTextWith is PlanText with options: colour, and whether to list
// every pending invite.
func PlanTextWith(w io.Writer, p *reconcile.Plan, o Options) error {
	c := painter(o.Color)
	var b strings.Builder
	b.Grow(128 * (1 + len(p.Changes) + len(p.Held) + len(p.Pending) + len(p.Drift))) // a line each
	switch {
	case len(p.Changes) > 0 && p.Refused:
		fmt.Fprintf(&b, "teamctl refuses this plan (see why below); it would perform these actions on workspace %q, in this order:\n", p.Workspace)
	case len(p.Changes) > 0:
		fmt.Fprintf(&b, "teamctl will perform the following actions on workspace %q, in this order:\n", p.Workspace)
	}
	if len(p.Changes) > 0 {
		rows := make([]row, len(p.Changes))
		for i, ch := range p.Changes {
			rows[i] = changeRow(ch)
		}
		widths := columnWidths(rows)
		for i, ch := range p.Changes {
			if i == 0 || ch.Phase() != p.Changes[i-1].Phase() {
				fmt.Fprintf(&b, "\n  # %s\n", ch.Phase())
			}
			writeRow(&b, c, rows[i], widths)
		}
		b.WriteString("\n")
		noteText(&b, p)
	}
	if len(p.Held) > 0 {
		b.WriteString("Held back by the safety rules (not part of this plan):\n\n")
		rows := make([]row, len(p.Held))
		for i, h := range p.Held {
			rows[i] = changeRow(h.Change)
		}
		widths := columnWidths(rows)
		for i, h := range p.Held {
			writeRow(&b, c, rows[i], widths)
			fmt.Fprintf(&b, "      held back: %s\n", field(h.Why))
		}
		b.WriteString("\n")
	}
	// A plan with nothing to do says in a line what is pending; one with
	// changes lists a few pending invites beside them.
	if (len(p.Pending) > PendingShown || len(p.Changes) == 0) && len(p.Pending) > 0 && !o.AllPending {
		fmt.Fprintf(&b, "Pending invites: %s\n\n", pendingSummary(p))
	} else if len(p.Pending) > 0 {
		b.WriteString("Pending invites:\n\n")
		rows := make([]row, len(p.Pending))
		for i, q := range p.Pending {
			rows[i] = row{" ", q.Email, string(q.Role), inviteAge(q, p.CreatedAt)}
		}
		writeRows(&b, c, rows)
		b.WriteString("\n")
	}
	if len(p.Drift) > 0 {
		b.WriteString("Undeclared: live members the team file does not declare, left alone (policy.prune is off):\n\n")
		rows := make([]row, len(p.Drift))
		for i, d := range p.Drift {
			rows[i] = row{"?", d.Email, string(d.Role), string(d.Status)}
		}
		writeRows(&b, c, rows)
		b.WriteString("\n")
	}
	for _, h := range p.Hints {
		fmt.Fprintf(&b, "Hint: %s\n\n", field(RenameHintText(h)))
	}
	if len(p.Dangling) > 0 {
		b.WriteString("Dangling members: role-group members that are no user, left alone:\n\n")
		for _, d := range p.Dangling {
			fmt.Fprintf(&b, "  ? %s\n", field(danglingText(d)))
		}
		b.WriteString("\n")
	}
	switch {
	case len(p.Changes) > 0:
		fmt.Fprintf(&b, "%s %s\n", c.paint(ansiBold, "Plan:"), summaryCounts(p))
	case len(p.Held) > 0:
		fmt.Fprintf(&b, "%s %s held back by the safety rules (see above).\n", c.paint(ansiBold, "No changes can be made now:"), plural(len(p.Held), "change"))
	case len(p.Dangling) > 0 && len(p.Drift) == 0:
		fmt.Fprintf(&b, "%s The team file's people match the workspace; the list above shows %s.\n", c.paint(ansiBold, "No changes."), plural(len(p.Dangling), "dangling member"))
	case len(p.Drift) > 0:
		fmt.Fprintf(&b, "%s The team file's people match the workspace; the list above shows %s.\n", c.paint(ansiBold, "No changes."), plural(len(p.Drift), "undeclared member"))
	default:
		fmt.Fprintf(&b, "%s The workspace matches the team file.\n", c.paint(ansiBold, "No changes."))
	}
	switch {
	case p.Refused:
		fmt.Fprintf(&b, "\n%s the policy refuses it (below).\n", c.paint(ansiBold+ansiRed, "This plan cannot be applied:"))
	case !p.Applyable():
		fmt.Fprintf(&b, "\n%s the team file has errors (above); fix them and plan again.\n", c.paint(ansiBold+ansiRed, "This plan cannot be applied:"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// summaryCounts is Terraform's summary after "Plan:": invites, resent
// invites (when there are any), changes (of an invite or a role), removals
// (of a member or an invite), how admin access moves (when it does), and
// the changes held back, if any.
func summaryCounts(p *reconcile.Plan) string {
	s := p.Summary()
	resent := ""
	if n := s[reconcile.ResendInvite]; n > 0 {
		resent = fmt.Sprintf("%d to resend, ", n)
	}
	admin := ""
	if a := adminCounts(p.Changes); a != "" {
		admin = " Admin access: " + a + "."
	}
	held := ""
	if n := len(p.Held); n > 0 {
		held = fmt.Sprintf(" %d held back.", n)
	}
	renamed := ""
	if n := s[reconcile.Rename]; n > 0 {
		renamed = fmt.Sprintf("%d to rename, ", n)
	}
	return fmt.Sprintf("%d to invite, %s%s%d to change, %d to remove.%s%s",
		s[reconcile.Invite], resent, renamed,
		s[reconcile.UpdateInvite]+s[reconcile.ChangeRole],
		s[reconcile.CancelInvite]+s[reconcile.Remove], admin, held)
}

// pendingSummary says in a line what a long list of pending invites
// holds: "1990 not yet accepted, 12 expired, the oldest sent 20 days ago;
// list them with --pending".
func pendingSummary(p *reconcile.Plan) string {
	expired := 0
	var oldest *time.Time
	for _, q := range p.Pending {
		if q.Expired {
			expired++
		}
		if q.InvitedAt != nil && (oldest == nil || q.InvitedAt.Before(*oldest)) {
			oldest = q.InvitedAt
		}
	}
	s := fmt.Sprintf("%d not yet accepted, %d expired", len(p.Pending), expired)
	if oldest != nil {
		s += ", the oldest sent " + ago(p.CreatedAt, *oldest)
	}
	return s + "; list them with --pending."
}

// row is one line of a listing: a marker and three columns.
type row struct {
	mark, email, what, why string
}

func columnWidths(rows []row) [2]int {
	var w [2]int
	for _, r := range rows {
		// In runes, as writeRow pads: "→" and international addresses
		// are wider in bytes than on screen.
		w[0] = max(w[0], utf8.RuneCountInString(field(r.email)))
		w[1] = max(w[1], utf8.RuneCountInString(field(r.what)))
	}
	return w
}

// writeRow writes one row, its first two columns padded to w (in runes,
// as fmt pads), without trailing spaces. A plan lists every pending invite
// in a row: 100,000 rows for a roster just invited, so no fmt here.
func writeRow(b *strings.Builder, c painter, r row, w [2]int) {
	line := make([]byte, 0, w[0]+w[1]+len(r.why)+8)
	line = appendPadded(line, field(r.email), w[0])
	line = append(line, "  "...)
	line = appendPadded(line, field(r.what), w[1])
	line = append(line, "  "...)
	line = append(line, field(r.why)...)
	b.WriteString("  ")
	b.WriteString(c.paint(markColor[r.mark], r.mark))
	b.WriteByte(' ')
	b.Write(bytes.TrimRight(line, " "))
	b.WriteByte('\n')
}

// appendPadded appends s and spaces up to width runes.
func appendPadded(dst []byte, s string, width int) []byte {
	dst = append(dst, s...)
	for n := utf8.RuneCountInString(s); n < width; n++ {
		dst = append(dst, ' ')
	}
	return dst
}

// writeRows writes rows with their columns aligned.
func writeRows(b *strings.Builder, c painter, rows []row) {
	widths := columnWidths(rows)
	for _, r := range rows {
		writeRow(b, c, r, widths)
	}
}

var markColor = map[string]string{"+": ansiGreen, "~": ansiYellow, "-": ansiRed, "?": ansiYellow, " ": ""}

// changeMark is the marker of a change: + invite, ~ change, - remove or
// cancel, ? an action teamctl does not know.
func changeMark(a reconcile.Action) string {
	switch a {
	case reconcile.Invite:
		return "+"
	case reconcile.ResendInvite, reconcile.UpdateInvite, reconcile.ChangeRole, reconcile.Rename:
		return "~"
	case reconcile.CancelInvite, reconcile.Remove:
		return "-"
	}
	return "?"
}

// RenameHintText says that a member the plan removes (or leaves as
// drift) and one it invites may be one person renamed, and what to write
// if so.
func RenameHintText(h reconcile.RenameHint) string {
	return fmt.Sprintf("%s (not declared) and %s (invited) have the same name, %s, and role, %s: if their email changed, write `previously: [%s]` under %s, and the plan renames them in place, keeping their history",
		h.From, h.To, h.Name, h.Role, h.From, h.To)
}

// danglingText describes a role-group member that is no user.
func danglingText(d reconcile.Dangling) string {
	switch d.Kind {
	case reconcile.DanglingUser:
		return fmt.Sprintf("group %s holds member %s, the address of user %s, not its id; teamctl leaves it alone: put the user's id in the group, or take the address out, in the workspace", d.Group, d.Value, d.User)
	case reconcile.DanglingGroup:
		return fmt.Sprintf("group %s holds member %s, which is a group; teamctl leaves nested groups alone", d.Group, d.Value)
	case reconcile.DanglingUnconfirmed:
		return fmt.Sprintf("group %s holds member %s, which is no user the workspace listed, but it did not confirm the value names nothing (%s); teamctl leaves it alone", d.Group, d.Value, d.Detail)
	}
	return fmt.Sprintf("group %s holds member %s, which is no user (policy.prune is off)", d.Group, d.Value)
}

// changeRow describes a change in words: marker, person, what, why.
func changeRow(ch reconcile.Change) row {
	before := roles(ch.RoleBefore, ch.OtherRoles)
	r := row{mark: changeMark(ch.Action), email: ch.Email, why: ReasonLine(ch)}
	switch ch.Action {
	case reconcile.Invite:
		r.what = "invite as " + string(ch.RoleAfter)
		if ch.RoleBefore != "" {
			r.what = "invite again as " + string(ch.RoleAfter)
		}
	case reconcile.ResendInvite:
		r.what = "resend invite as " + string(ch.RoleAfter)
		if before != string(ch.RoleAfter) {
			r.what = "resend invite: " + before + " -> " + string(ch.RoleAfter)
		}
	case reconcile.UpdateInvite:
		r.what = "invite: " + before + " -> " + string(ch.RoleAfter)
	case reconcile.ChangeRole:
		r.what = before + " -> " + string(ch.RoleAfter)
	case reconcile.CancelInvite:
		r.what = "cancel invite as " + before
	case reconcile.Remove:
		r.what = strings.TrimSpace("remove " + before) // no role: a member that is no user
	case reconcile.Rename:
		// ~ old@acme.io → new@acme.io  rename
		r.email = ch.EmailBefore + " → " + ch.Email
		r.what = "rename"
		if before != string(ch.RoleAfter) {
			r.what = "rename, " + before + " -> " + string(ch.RoleAfter)
		}
	default:
		r.what = string(ch.Action)
	}
	return r
}

func roles(top schema.Role, others []schema.Role) string {
	s := string(top)
	for _, o := range others {
		s += "+" + string(o)
	}
	return s
}

// inviteAge says how old a pending invite is and when it expires,
// relative to now.
func inviteAge(q reconcile.Pending, now time.Time) string {
	var parts []string
	if q.InvitedAt != nil {
		parts = append(parts, "sent "+ago(now, *q.InvitedAt))
	} else {
		parts = append(parts, "sent at an unknown time")
	}
	if q.ExpiresAt != nil {
		secs := seconds(now, *q.ExpiresAt)
		switch {
		case secs < 0:
			parts = append(parts, "expired "+ago(now, *q.ExpiresAt))
		case secs < secondsPerDay:
			parts = append(parts, "expires today")
		default:
			days := int((secs + secondsPerDay - 1) / secondsPerDay) // rounded up: 6 days 23 hours is 7 days
			parts = append(parts, "expires in "+plural(days, "day"))
		}
	}
	if !q.Declared {
		parts = append(parts, "undeclared")
	}
	return strings.Join(parts, ", ")
}

// ago says how long before now then was, in whole days: "today", "3
// days ago"; "today" too for a time after now.
func ago(now, then time.Time) string {
	days := int(seconds(then, now) / secondsPerDay)
	if days < 1 {
		return "today"
	}
	return plural(days, "day") + " ago"
}

const secondsPerDay = 24 * 60 * 60

// seconds is the seconds from a to b, counted without time.Duration,
// which stops at about 292 years: a date 300 years away would otherwise
// be "106751 days" away.
func seconds(a, b time.Time) int64 { return b.Unix() - a.Unix() }

// plural says "1 day" or "2 days".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
