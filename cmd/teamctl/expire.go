package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/schema"
	"github.com/teamctl/teamctl/schema/edit"
)

// ExpireOptions are the inputs of teamctl expire.
type ExpireOptions struct {
	App    *App
	Global *GlobalOptions
	Write  bool // take the people out of the team file, not only list them
}

func newCmdExpire(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ExpireOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "expire [--write]",
		Short: "Take the people whose until has passed out of the team file",
		Long: `Expire lists the people whose until (the last day of their access) has
passed, and with --write takes them out of the team file or directory,
changing their lines and nothing else (comments and layout stay). The edited
file goes through review like any other change: teamctl never removes anyone
from the workspace on its own, the apply of the merged file does.

Someone who owns or backs up a workflow, or is the backup admin, is not
taken out: expire names what they cover and leaves them in the file, and
exits 1, so that a person picks who takes over first.

Exit status: 0 when everyone whose access ended was taken out (or would be,
without --write) or nobody's has; 1 when someone was left in, or on error.`,
		Example: `  teamctl expire             # who would be taken out
  teamctl expire --write     # take them out of the team file`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExpire(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON)
	cmd.Flags().BoolVar(&opts.Write, "write", false, "take the people whose until has passed out of the team file")
	return cmd
}

func runExpire(_ context.Context, opts *ExpireOptions) error {
	app, g := opts.App, opts.Global
	v := newExpireView(g.Output, app, g)
	g.findings = v
	team, err := readTeamForPlan(app, g)
	if err != nil {
		return err
	}
	today := schema.Today(app.Now())
	ended := schema.EndedAccess(team, today)
	var takeOut []string
	for _, x := range ended {
		if len(x.Covers) == 0 {
			takeOut = append(takeOut, x.Person.Key())
		}
	}
	var written []string
	if opts.Write && len(takeOut) > 0 {
		files, err := edit.Open(team.Files)
		if err != nil {
			return fmt.Errorf("expire: %w", err)
		}
		if err := files.Remove(takeOut); err != nil {
			return fmt.Errorf("expire: %w", err)
		}
		if err := files.Write(); err != nil {
			return fmt.Errorf("expire: %w", err)
		}
		for _, d := range files.Changed() {
			written = append(written, d.Path)
		}
	}
	if err := v.Expired(ended, today, opts.Write, written); err != nil {
		return err
	}
	if len(takeOut) < len(ended) {
		return silentExit(exitError)
	}
	return nil
}
