package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/reconcile/review"
	"github.com/teamctl/teamctl/schema"
	"github.com/teamctl/teamctl/schema/edit"
)

// ReviewOptions are the inputs of teamctl review.
type ReviewOptions struct {
	App     *App
	Global  *GlobalOptions
	Journal string
	// Mark writes today's date into reviewed: of Emails, or with AllDue
	// of everyone whose review is due or soon due.
	Mark   bool
	AllDue bool
	Emails []string
}

func newCmdReview(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ReviewOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "review [--mark EMAIL... | --mark --all-due]",
		Short: "List whose access is due for review, and record reviews in the team file",
		Long: `Review lists the people whose access review is overdue, due, never made,
or due within policy.review_warning_days (rule access-review), and those who
have not signed in for policy.inactive_days (rule inactive-access). For each
it shows what the workspace says (status and last sign-in, or unknown where
the workspace cannot tell) and what the journal says (the apply that gave
them their role: when, by whom, from which commit).

With --mark, review records a review instead: it writes today's date into
reviewed: of the people named (or, with --all-due, of everyone the list
shows as due), changing those lines of the team file and nothing else, so
that the pull request that carries the change is the review. People the
team file does not declare are refused, by name, and nothing is written.`,
		Example: `  teamctl review                          # who is due, with the evidence
  teamctl review -o markdown > review.md  # a pull request body
  teamctl review --mark dana@acme.io      # record that Dana's access was confirmed today
  teamctl review --mark --all-due         # record it for everyone due`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Emails = args
			if opts.AllDue {
				opts.Mark = true
			}
			if !opts.Mark && len(args) > 0 {
				return noArgs(cmd, args)
			}
			return runReview(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON, FormatMarkdown)
	f := cmd.Flags()
	f.BoolVar(&opts.Mark, "mark", false, "write today's date into reviewed: of the people named (EMAIL arguments) or, with --all-due, of everyone due")
	f.BoolVar(&opts.AllDue, "all-due", false, "with --mark: everyone whose review is overdue, due, never made or due soon")
	f.StringVar(&opts.Journal, "journal", "", "read the journal at `PATH` (default as apply: $TEAMCTL_JOURNAL, else next to a file: workspace, else "+journal.DefaultPath+")")
	return cmd
}

func runReview(ctx context.Context, opts *ReviewOptions) error {
	app, g := opts.App, opts.Global
	if opts.Mark {
		return markReviewed(app, g, opts)
	}
	v := newReviewView(g.Output, app, g)
	g.findings = v
	team, live, _, err := readTeamAndLive(ctx, app, g, g.WorkspaceURL(app), false)
	if err != nil {
		return err
	}
	path := journalPath(app, g, opts.Journal)
	recs, found, err := readJournal(app, path)
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	r := review.Build(team, live, recs, app.Now())
	r.Journal, r.JournalRead = path, found
	return v.Review(r)
}

// markReviewed writes today's date into reviewed: of the people opts
// names, or of everyone due.
func markReviewed(app *App, g *GlobalOptions, opts *ReviewOptions) error {
	if g.Output != FormatText {
		return fmt.Errorf("review: --mark edits the team file and reports in text; -o %s is for the list (teamctl review -o %s)", g.Output, g.Output)
	}
	switch {
	case opts.AllDue && len(opts.Emails) > 0:
		return fmt.Errorf("review: --all-due marks everyone due; name people (--mark EMAIL...) or use --all-due, not both")
	case !opts.AllDue && len(opts.Emails) == 0:
		return fmt.Errorf("review: --mark needs the emails of the people reviewed, or --all-due")
	}
	team, err := readTeamForPlan(app, g)
	if err != nil {
		return err
	}
	today := schema.Today(app.Now())
	var keys []string
	if opts.AllDue {
		for _, r := range schema.Reviews(team, today) {
			keys = append(keys, r.Person.Key())
		}
		if len(keys) == 0 {
			fmt.Fprintf(app.IO.ErrOut, "No access reviews due: nobody's review falls due within %d days; nothing to mark.\n", team.Policy.ReviewWarningDays)
			return nil
		}
	} else {
		for _, e := range opts.Emails {
			keys = append(keys, schema.Key(e))
		}
	}
	files, err := edit.Open(team.Files)
	if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	var nd *edit.NotDeclaredError
	if err := files.SetDate(keys, "reviewed", today); errors.As(err, &nd) {
		return fmt.Errorf("review: %s %s not in the team file %s; --mark takes the emails of declared people, and nothing was written", strings.Join(nd.Emails, ", "), isAre(len(nd.Emails)), g.File)
	} else if err != nil {
		return fmt.Errorf("review: %w", err)
	}
	if err := files.Write(); err != nil {
		return fmt.Errorf("review: %w", err)
	}
	idx := team.Index()
	var names []string
	for _, k := range unique(keys) {
		names = append(names, idx[k].Email)
	}
	fmt.Fprintf(app.IO.Out, "Marked %s reviewed on %s: %s\n", countPeople(len(names)), today, someOf(names, maxNamed))
	for _, d := range files.Changed() {
		fmt.Fprintf(app.IO.Out, "Wrote %s.\n", d.Path)
	}
	return nil
}

// maxNamed is the most people a line names; an --all-due of a large team
// marks tens of thousands.
const maxNamed = 20

// someOf joins the first n of names and says how many more there are.
func someOf(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// countPeople says "1 person" or "3 people".
func countPeople(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

func unique(keys []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
