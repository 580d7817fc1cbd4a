package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
)

// openWorkspace opens the workspace at url (SPEC §7). Nothing is read
// until the command takes a snapshot.
func openWorkspace(app *App, g *GlobalOptions, url string) (reconcile.Workspace, error) {
	scheme, rest, _ := strings.Cut(url, ":")
	switch scheme {
	case "scim+https", "scim+http":
		ws, err := openSCIM(app, g, url)
		if err != nil {
			return nil, err
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
