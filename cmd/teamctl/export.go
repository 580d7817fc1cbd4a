package main

import (
	"context"

	"github.com/spf13/cobra"
)

// ExportOptions are the inputs of teamctl export.
type ExportOptions struct {
	App    *App
	Global *GlobalOptions
}

func newCmdExport(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ExportOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the live workspace's people and roles as a team file",
		Long: `Export writes the live workspace's members and roles to stdout as a team
file, to start managing an existing workspace with teamctl. What the
workspace cannot know (the invite note, the backup admin, the workflows) is
left for you to fill in, marked TODO. teamctl plan on the exported file lists
no changes.`,
		Example: `  teamctl export -w file:.teamctl/workspace.json > team.yaml`,
		Args:    noArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runExport(cmd.Context(), opts) },
	}
	addFormatFlag(cmd, &g.Output, FormatYAML, FormatJSON)
	return cmd
}

func runExport(ctx context.Context, opts *ExportOptions) error {
	app, g := opts.App, opts.Global
	url := g.WorkspaceURL(app)
	live, err := readLive(ctx, app, g, url)
	if err != nil {
		return err
	}
	return newExportView(g.Output, app).Export(live, url)
}
