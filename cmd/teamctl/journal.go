package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	osuser "os/user"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/schema"
)

// journalPath returns the journal's path: the flag, else $TEAMCTL_JOURNAL,
// else the default for the workspace (journal.PathFor).
func journalPath(app *App, g *GlobalOptions, flag string) string {
	if flag != "" {
		return flag
	}
	if p := app.Getenv(journal.Env); p != "" {
		return p
	}
	return journal.PathFor(g.WorkspaceURL(app))
}

const journalFlagUsage = "append what apply does to the journal at `PATH` (default $TEAMCTL_JOURNAL, else journal.jsonl next to a file: workspace, else " + journal.DefaultPath + ")"

// openJournal opens the journal an apply of plan appends to. It is opened
// before the first change, so that an apply that could not keep its
// record changes nothing.
func openJournal(app *App, g *GlobalOptions, path, actor string, plan *reconcile.Plan) (*journal.Writer, error) {
	host, _ := os.Hostname()
	user := cmp.Or(app.Getenv("USER"), app.Getenv("USERNAME"))
	if u, err := osuser.Current(); user == "" && err == nil {
		user = u.Username // CI containers often run without $USER
	}
	url := g.WorkspaceURL(app)
	// The token is never in a record; should a server echo it into an
	// error, the journal redacts it.
	var secrets []string
	if strings.HasPrefix(url, "scim") {
		cfg, _ := scim.ConfigFromEnv(url, app.Getenv)
		secrets = append(secrets, cfg.Token)
	}
	w, err := journal.Open(path, journal.Apply{
		Actor: schema.Key(actor), User: user, Host: host,
		Workspace: plan.Workspace, WorkspaceURL: url, TeamDigest: plan.TeamDigest,
		// The commit the apply ran from, for "from which commit" in
		// teamctl review.
		Commit:  app.Getenv("GITHUB_SHA"),
		Secrets: secrets,
		Redact:  app.redact, // the one secret set of every sink
		Explain: render.ReasonLine,
		Now:     app.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("apply: %w; nothing was changed (set --journal or %s to a writable file)", err, journal.Env)
	}
	return w, nil
}

// journalTime reads a --since or --until value: a date (the start of the
// day in UTC; with end, the start of the next day, so that the day is
// included) or an RFC 3339 time. Empty is no bound.
func journalTime(flag, s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if end {
			t = t.Add(time.Nanosecond) // --until includes the instant named
		}
		return t, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("journal: %s %q is not a date or a time; write 2026-11-26, or 2026-11-26T09:30:00Z", flag, s)
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// JournalOptions are the inputs of teamctl journal.
type JournalOptions struct {
	App     *App
	Global  *GlobalOptions
	Journal string
	Email   string
	Role    string
	Apply   string // only the records of this apply (its id, or a prefix of it)
	Since   string // only records at or after this date or time
	Until   string // only records before the end of this date, or this time
}

func newCmdJournal(app *App, g *GlobalOptions) *cobra.Command {
	opts := &JournalOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "Show what applies did: who changed whose access, and when",
		Long: `Every apply appends one record per change to the journal (JSON lines): the
time, the actor, the workspace, the change and its result. journal prints
them, oldest first, filtered by person and by the role given. A change
shown as in flight was sent when its apply ended without an outcome (a
crash): check the workspace.`,
		Example: `  teamctl journal --email ana@acme.io --role admin   # who gave Ana admin, and when
  teamctl journal -o json | jq -r 'select(.result == "failed") | .email'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runJournal(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON)
	f := cmd.Flags()
	f.StringVar(&opts.Journal, "journal", "", "read the journal at `PATH` (default as apply: $TEAMCTL_JOURNAL, else next to a file: workspace, else "+journal.DefaultPath+")")
	f.StringVar(&opts.Email, "email", "", "only the changes of the person with this `EMAIL` (either email of someone renamed)")
	f.StringVar(&opts.Role, "role", "", "only the changes that give `ROLE` (admin, operator or reviewer)")
	f.StringVar(&opts.Apply, "apply", "", "only the changes of the apply with this `ID` (or the start of it)")
	f.StringVar(&opts.Since, "since", "", "only the changes at or after `WHEN` (2026-11-26, or 2026-11-26T09:30:00Z)")
	f.StringVar(&opts.Until, "until", "", "only the changes up to `WHEN` (a date includes the whole day)")
	return cmd
}

// readJournal reads the journal at path and settles it (journal.Settle);
// found is false when there is no journal there. Lines that are not
// records are a warning on stderr: a line cut short by a crash must not
// hide the rest.
func readJournal(app *App, path string) (recs []journal.Record, found bool, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	recs, err = journal.Read(data)
	if err != nil {
		fmt.Fprintf(app.IO.ErrOut, "Warning: %s: %s\n", path, render.Printable(err.Error()))
	}
	return journal.Settle(recs), true, nil
}

func runJournal(_ context.Context, opts *JournalOptions) error {
	app, g := opts.App, opts.Global
	if opts.Role != "" && schema.Role(opts.Role).Rank() == 0 {
		return fmt.Errorf("journal: --role %q is not admin, operator or reviewer", opts.Role)
	}
	since, err := journalTime("--since", opts.Since, false)
	if err != nil {
		return err
	}
	until, err := journalTime("--until", opts.Until, true)
	if err != nil {
		return err
	}
	path := journalPath(app, g, opts.Journal)
	recs, found, err := readJournal(app, path)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if !found {
		return fmt.Errorf("journal: no journal at %s: nothing was applied there yet (or pass --journal PATH)", path)
	}
	var out []journal.Record
	for _, r := range recs {
		if opts.Email != "" && schema.Key(r.Email) != schema.Key(opts.Email) && schema.Key(r.EmailBefore) != schema.Key(opts.Email) {
			continue
		}
		if opts.Role != "" && r.RoleAfter != opts.Role {
			continue
		}
		if opts.Apply != "" && !strings.HasPrefix(r.Apply, opts.Apply) {
			continue
		}
		if !since.IsZero() && r.Time.Before(since) || !until.IsZero() && !r.Time.Before(until) {
			continue
		}
		r.WorkspaceURL = scim.RedactURL(r.WorkspaceURL)
		out = append(out, r)
	}
	return newJournalView(g.Output, app).Records(out)
}
