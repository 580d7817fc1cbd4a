package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
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
	return nil, fmt.Errorf("workspace %q: unknown kind of workspace; use file:PATH or scim+https://HOST/PATH", url)
}

// readLive opens the workspace at url and reads it.
func readLive(ctx context.Context, app *App, g *GlobalOptions, url string) (*reconcile.Live, error) {
	ws, err := openWorkspace(app, g, url)
	if err != nil {
		return nil, err
	}
	return ws.Snapshot(ctx)
}

// planTeam loads the team file (see loadTeamForPlan), reads the live
// workspace at url and plans, with the stages that do not depend on each
// other running at the same time: the team file is loaded while the
// workspace is read, and checked against the offline rules while the plan
// is made. On a large roster each stage takes about as long as another
// (README, Performance). A team file that does not load wins: the read is
// cancelled and its outcome dropped.
func planTeam(ctx context.Context, app *App, g *GlobalOptions, url string, opts reconcile.DiffOptions) (*schema.Team, []schema.Finding, *reconcile.Plan, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type read struct {
		live *reconcile.Live
		err  error
	}
	done := make(chan read, 1)
	go func() {
		live, err := readLive(ctx, app, g, url)
		done <- read{live, err}
	}()
	team, err := readTeamForPlan(app, g)
	if err != nil {
		cancel()
		<-done // no read outlives the command
		return nil, nil, nil, err
	}
	checked := make(chan []schema.Finding, 1)
	go func() { checked <- checkTeam(team) }()
	r := <-done
	var plan *reconcile.Plan
	if err = r.err; err == nil {
		plan, err = reconcile.Diff(team, r.live, opts)
	}
	findings := <-checked
	if err != nil {
		return nil, nil, nil, err
	}
	return team, findings, plan, nil
}
