package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/teamctl/teamctl/reconcile/review"
	"github.com/teamctl/teamctl/reconcile/safejson"
)

// ReviewText writes the access review for a terminal: a summary line,
// then each person with what their review needs (state, the workspace's
// word, the journal's), and the command that records the review.
func ReviewText(w io.Writer, r *review.Report) error {
	var b strings.Builder
	if len(r.People) == 0 {
		fmt.Fprintf(&b, "No access reviews due in %s on %s: nobody's review falls due within %s", field(r.Workspace), r.Today, plural(r.WarningDays, "day"))
		if r.InactiveDays > 0 {
			fmt.Fprintf(&b, ", and everyone signed in within %s", plural(r.InactiveDays, "day"))
		}
		b.WriteString(".\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "Access review of %s on %s: %s.\n", field(r.Workspace), r.Today, reviewCounts(r))
	for _, p := range r.People {
		who := p.Email
		if p.Name != "" {
			who += " (" + p.Name + ")"
		}
		fmt.Fprintf(&b, "\n  %s  %s  %s\n", field(who), p.Role, field(p.Pos.String()))
		if s := reviewState(p); s != "" {
			fmt.Fprintf(&b, "      review:     %s\n", s)
		}
		fmt.Fprintf(&b, "      workspace:  %s\n", field(workspaceWord(p)))
		fmt.Fprintf(&b, "      role given: %s\n", field(grantWord(p.Granted, r)))
	}
	if due := r.Reviewable(); len(due) > 0 {
		b.WriteString("\nConfirm that each person still needs their role, then record the review (today's date in reviewed:):\n")
		fmt.Fprintf(&b, "    teamctl review --mark %s\n", field(strings.Join(due, " ")))
		b.WriteString("or, for everyone listed as due:\n    teamctl review --mark --all-due\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// reviewCounts says "1 overdue, 2 never reviewed, 1 due soon, 1 inactive".
func reviewCounts(r *review.Report) string {
	states, inactive := r.Counts()
	var parts []string
	for _, s := range []struct {
		state review.State
		word  string
	}{{review.Overdue, "overdue"}, {review.Due, "due today"}, {review.Never, "never reviewed"}, {review.Soon, fmt.Sprintf("due within %s", plural(r.WarningDays, "day"))}} {
		if n := states[s.state]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.word))
		}
	}
	if inactive > 0 {
		parts = append(parts, fmt.Sprintf("%d inactive for %s or more", inactive, plural(r.InactiveDays, "day")))
	}
	return strings.Join(parts, ", ")
}

// reviewState says where a person's review stands: "overdue by 3 days
// (last reviewed 2026-08-27, every 90 days)".
func reviewState(p review.Person) string {
	every := "every " + plural(p.Period, "day")
	switch p.State {
	case review.Overdue:
		return fmt.Sprintf("overdue by %s (last reviewed %s, %s)", plural(-p.DaysLeft, "day"), p.Reviewed, every)
	case review.Due:
		return fmt.Sprintf("due today (last reviewed %s, %s)", p.Reviewed, every)
	case review.Never:
		return fmt.Sprintf("never reviewed (%s): due now", every)
	case review.Soon:
		return fmt.Sprintf("due in %s, on %s (last reviewed %s, %s)", plural(p.DaysLeft, "day"), p.Due, p.Reviewed, every)
	}
	return ""
}

// workspaceWord says what the workspace knows of a person: "active, last
// signed in 2026-12-01", "invited, last sign-in unknown". Unknown is never
// a guess.
func workspaceWord(p review.Person) string {
	if p.Status == review.NotInWorkspace {
		return p.Status
	}
	s := p.Status + ", " + signInWord(p)
	if p.InactiveDays > 0 {
		s += fmt.Sprintf(" (%s ago: inactive)", plural(p.InactiveDays, "day"))
	}
	return s
}

func signInWord(p review.Person) string {
	switch {
	case p.Status == review.NotInWorkspace:
		return "-"
	case !p.SignInKnown:
		return "last sign-in unknown"
	case p.LastSignIn == nil:
		return "never signed in"
	}
	return "last signed in " + p.LastSignIn.UTC().Format(time.DateOnly)
}

// signInCell is the last sign-in in a table cell: a date, "never" or
// "unknown".
func signInCell(p review.Person) string {
	switch {
	case p.Status == review.NotInWorkspace:
		return "-"
	case !p.SignInKnown:
		return "unknown"
	case p.LastSignIn == nil:
		return "never"
	}
	return p.LastSignIn.UTC().Format(time.DateOnly)
}

// grantWord says which apply gave the person their role.
func grantWord(g *review.Grant, r *review.Report) string {
	if g == nil {
		if !r.JournalRead {
			return "unknown: no journal at " + r.Journal
		}
		return "unknown: not in the journal"
	}
	s := fmt.Sprintf("%s applied %s", g.Action, g.Time.UTC().Format(time.DateOnly))
	if g.Actor != "" {
		s += " by " + g.Actor
	}
	s += " (apply " + g.Apply
	if g.Commit != "" {
		s += ", commit " + review.ShortCommit(g.Commit)
	}
	return s + ")"
}

// ReviewMarkerPrefix starts the hidden first line of a Markdown review, by
// which a workflow finds its own pull request or comment.
const ReviewMarkerPrefix = "<!-- teamctl-review: "

// ReviewMarkdown writes the access review as the body of a pull request:
// the summary and one table row per person, within MaxCommentSize bytes
// (past it, the rows left out are counted).
func ReviewMarkdown(w io.Writer, r *review.Report) error {
	var b strings.Builder
	b.WriteString(ReviewMarkerPrefix + markerText(r.Workspace) + " -->\n")
	fmt.Fprintf(&b, "### Access review: %d due\n\n", len(r.Reviewable()))
	if len(r.People) == 0 {
		fmt.Fprintf(&b, "Nobody's access review in **%s** falls due within %s of %s.\n", mdText(r.Workspace), plural(r.WarningDays, "day"), r.Today)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "Access review of **%s** on %s: %s. Confirm that each person still needs their role; "+
		"`teamctl review --mark` records the review as today's date in `reviewed:`.\n\n", mdText(r.Workspace), r.Today, mdText(reviewCounts(r)))
	b.WriteString("| person | role | review | workspace | last sign-in | role given |\n| :-- | :-- | :-- | :-- | :-- | :-- |\n")
	const noteRoom = 200
	for i, p := range r.People {
		who := p.Email
		if p.Name != "" {
			who += " (" + p.Name + ")"
		}
		state := reviewState(p)
		switch p.State {
		case review.Overdue:
			state = "❌ " + state
		case review.None:
			state = "not due"
		default:
			state = "⚠️ " + state
		}
		signIn := signInCell(p)
		if p.InactiveDays > 0 {
			signIn = "⚠️ " + signIn + fmt.Sprintf(" (%s ago)", plural(p.InactiveDays, "day"))
		}
		row := fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", mdText(who), p.Role, mdText(state), mdText(p.Status), mdText(signIn), mdText(grantWord(p.Granted, r)))
		if b.Len()+len(row)+noteRoom > MaxCommentSize {
			fmt.Fprintf(&b, "\n_and %d more people: run `teamctl review` for the whole list._\n", len(r.People)-i)
			break
		}
		b.WriteString(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type reviewDoc struct {
	FormatVersion     string            `json:"format_version"`
	Workspace         string            `json:"workspace"`
	Date              string            `json:"date"`
	ReviewWarningDays int               `json:"review_warning_days"`
	InactiveDays      int               `json:"inactive_days"`
	Journal           string            `json:"journal"`
	JournalRead       bool              `json:"journal_read"`
	People            []reviewPersonDoc `json:"people"`
	Summary           map[string]int    `json:"summary"`
}

type reviewPersonDoc struct {
	Email        string          `json:"email"`
	Name         string          `json:"name,omitempty"`
	Role         string          `json:"role"`
	File         string          `json:"file"`
	Line         int             `json:"line"`
	State        string          `json:"state"`
	PeriodDays   int             `json:"period_days"`
	Reviewed     *string         `json:"reviewed"`
	Due          *string         `json:"due"`
	DaysLeft     int             `json:"days_left"`
	Status       string          `json:"status"`
	SignInKnown  bool            `json:"sign_in_known"`
	LastSignIn   *string         `json:"last_sign_in"`
	InactiveDays int             `json:"inactive_days"`
	Granted      *reviewGrantDoc `json:"granted"`
}

type reviewGrantDoc struct {
	Time   string `json:"time"`
	Action string `json:"action"`
	Actor  string `json:"actor,omitempty"`
	Apply  string `json:"apply"`
	Commit string `json:"commit,omitempty"`
}

// ReviewJSON writes the access review as one JSON document
// (format_version 1).
func ReviewJSON(w io.Writer, r *review.Report) error {
	doc := reviewDoc{FormatVersion: "1", Workspace: r.Workspace, Date: r.Today.String(), ReviewWarningDays: r.WarningDays,
		InactiveDays: r.InactiveDays, Journal: r.Journal, JournalRead: r.JournalRead, People: []reviewPersonDoc{}, Summary: map[string]int{}}
	states, inactive := r.Counts()
	for s, n := range states {
		doc.Summary[string(s)] = n
	}
	doc.Summary["inactive"] = inactive
	for _, p := range r.People {
		pd := reviewPersonDoc{Email: p.Email, Name: p.Name, Role: string(p.Role), File: p.Pos.File, Line: p.Pos.Line,
			State: string(p.State), PeriodDays: p.Period, DaysLeft: p.DaysLeft, Status: p.Status, SignInKnown: p.SignInKnown,
			InactiveDays: p.InactiveDays}
		if p.State == review.None {
			pd.State = "not-due"
		}
		if p.Reviewed != nil {
			s := p.Reviewed.String()
			pd.Reviewed = &s
		}
		if p.Due != nil {
			s := p.Due.String()
			pd.Due = &s
		}
		if p.LastSignIn != nil {
			s := p.LastSignIn.UTC().Format(time.RFC3339)
			pd.LastSignIn = &s
		}
		if g := p.Granted; g != nil {
			pd.Granted = &reviewGrantDoc{Time: g.Time.UTC().Format(time.RFC3339), Action: g.Action, Actor: g.Actor, Apply: g.Apply, Commit: g.Commit}
		}
		doc.People = append(doc.People, pd)
	}
	enc := safejson.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
