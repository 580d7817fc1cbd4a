package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"sync"

	"github.com/hashicorp/go-multierror"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/schema"
)

// openWorkspace opens the workspace at url (SPEC §7). Nothing is read
// until the command takes a snapshot.
func openWorkspace(app *App, g *GlobalOptions, url string) (reconcile.Workspace, error) {
	scheme, rest, _ := strings.Cut(url, ":")
	switch scheme {
	case "scim+https", "scim+http":
		ws, err := openSCIM(app, g, url)
		if err != nil {
			return nil, err // not ws: a nil *scim.Workspace is a non-nil interface
		}
		return ws, nil
	case "file":
		if rest == "" {
			return nil, fmt.Errorf("workspace %q: no path; write file:PATH, such as file:.teamctl/workspace.json", url)
		}
		ws := local.New(rest)
		ws.Now = app.Now
		return ws, nil
	}
	// Shown without user:password@, as every workspace URL in an error.
	return nil, fmt.Errorf("workspace %q: unknown kind of workspace; use file:PATH or scim+https://HOST/PATH", scim.RedactURL(url))
}

// noteMissingWorkspace says on stderr that a file: workspace does not
// exist yet, so that a typo in -w does not quietly plan to invite
// everybody.
func noteMissingWorkspace(app *App, url string) {
	path, ok := strings.CutPrefix(url, "file:")
	if !ok || path == "" {
		return
	}
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(app.IO.ErrOut, "Note: workspace %s does not exist: planned as an empty workspace; apply will create it.\n", path)
	}
}

// readLive opens the workspace at url and reads it.
func readLive(ctx context.Context, app *App, g *GlobalOptions, url string) (*reconcile.Live, error) {
	ws, err := openWorkspace(app, g, url)
	if err != nil {
		return nil, err
	}
	return ws.Snapshot(ctx)
}

// readTeamAndLive loads the team file (see readTeamForPlan) while it
// reads the live workspace at url, and waits for both. So a user whose
// team file is broken and whose workspace is unreachable sees both errors
// at once, the team file's first. On a large roster loading and reading
// each take about as long as the other (teamctl help performance). With check,
// the team is checked against the offline rules from the moment it loads,
// while the read and whatever the caller does next go on; findings waits
// for the outcome (nil without check).
func readTeamAndLive(ctx context.Context, app *App, g *GlobalOptions, url string, check bool) (*schema.Team, *reconcile.Live, func() []schema.Finding, error) {
	var (
		team             *schema.Team
		live             *reconcile.Live
		teamErr, liveErr error
		group            multierror.Group
	)
	checked := make(chan []schema.Finding, 1)
	group.Go(func() error {
		t, err := readTeamForPlan(app, g)
		if err == nil && check {
			go func() { checked <- checkTeam(t, app.Now()) }()
		}
		team, teamErr = t, err
		return err
	})
	group.Go(func() error {
		live, liveErr = readLive(ctx, app, g, url)
		return liveErr
	})
	findings := func() []schema.Finding { return nil }
	if check {
		findings = sync.OnceValue(func() []schema.Finding { return <-checked })
	}
	if group.Wait().ErrorOrNil() == nil {
		noteSkipped(app.IO.ErrOut, g.File, team)
		return team, live, findings, nil
	}
	// The group holds the errors in the order they came; say them in a
	// fixed one. A team file whose findings were printed says nothing more.
	var errs []error
	for _, err := range []error{teamErr, liveErr} {
		var ec *exitCodeError
		if err != nil && !(errors.As(err, &ec) && ec.err == nil) {
			errs = append(errs, err)
		}
	}
	switch len(errs) {
	case 0:
		return nil, nil, nil, silentExit(exitError)
	case 1:
		return nil, nil, nil, errs[0]
	}
	return nil, nil, nil, &multierror.Error{Errors: errs, ErrorFormat: listErrors}
}

// listErrors formats several errors, one a line:
//
//	2 errors:
//	  - no team file at team.yaml; pass the file or directory with -f PATH
//	  - file workspace ws.json is corrupt: line 5: ...
func listErrors(errs []error) string {
	if len(errs) == 1 {
		return errs[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d errors:", len(errs))
	for _, err := range errs {
		b.WriteString("\n  - ")
		b.WriteString(err.Error())
	}
	return b.String()
}

// planTeam loads and checks the team file while it reads the live
// workspace at url (readTeamAndLive), and plans while the check may still
// run. A plan the policy refuses comes back with the refusal.
func planTeam(ctx context.Context, app *App, g *GlobalOptions, url string, opts reconcile.DiffOptions) (*schema.Team, []schema.Finding, *reconcile.Plan, error) {
	team, live, findings, err := readTeamAndLive(ctx, app, g, url, true)
	if err != nil {
		return nil, nil, nil, err
	}
	plan, err := reconcile.Diff(team, live, opts)
	fs := findings()
	if err != nil && plan != nil { // refused: the plan is there to be shown
		return team, fs, plan, fmt.Errorf("plan: %w", err)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("plan: %w", err)
	}
	return team, fs, plan, nil
}
