package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/render"
)

// DiffOptions are the inputs of teamctl diff.
type DiffOptions struct {
	App    *App
	Global *GlobalOptions
}

func newCmdDiff(app *App, g *GlobalOptions) *cobra.Command {
	opts := &DiffOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "diff",
		Short: "Show the live and declared rosters as a unified diff",
		Long: `Diff writes who holds each role in the live workspace and in the team file,
both as canonical YAML (identities sorted within each role), as a unified
diff: - lines only live, + lines only declared. It exits 0 when they are the
same, 2 when they differ, 1 on error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDiff(cmd.Context(), opts) },
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON)
	return cmd
}

func runDiff(ctx context.Context, opts *DiffOptions) error {
	app, g := opts.App, opts.Global
	v := newDiffView(g.Output, app, g)
	g.findings = v
	url := g.WorkspaceURL(app)
	team, live, _, err := readTeamAndLive(ctx, app, g, url, false)
	if err != nil {
		return err
	}
	differ, err := v.Diff(render.NewRosters(team, live, url, g.File), render.LiveRoster(live), render.TeamRoster(team))
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	if differ {
		return silentExit(exitChanges)
	}
	return nil
}
