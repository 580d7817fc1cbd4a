package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema/codeowners"
)

// CodeownersOptions is what codeowners needs, copied from the flags.
type CodeownersOptions struct {
	IO   IOStreams
	File string // the team directory
}

func newCmdCodeowners(app *App, g *GlobalOptions) *cobra.Command {
	opts := &CodeownersOptions{IO: app.IO}
	return &cobra.Command{
		Use:   "codeowners",
		Short: "Print CODEOWNERS lines that make each role's approvers own its team file",
		Long: `Print the CODEOWNERS lines of a directory team, from its approvers: the
file that declares the admins is owned by approvers.admins, the operators
file by approvers.operators (Sales Ops), the reviewers file by
approvers.reviewers (SDR leadership). Files that declare nobody, such as
workflows or policy, are owned by approvers.admins. Paths are anchored at the
root of the git repository that holds the team.

A team in a single file, or a file that declares people of two roles, is an
error: CODEOWNERS owns whole files. validate warns (rule codeowners) when the
repository's CODEOWNERS disagrees with these lines.

Exit status: 0 when the lines were printed, 1 otherwise.`,
		Example: `  teamctl codeowners -f team >> .github/CODEOWNERS
  teamctl validate -f team     # warns when CODEOWNERS disagrees`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.File = g.File
			return runCodeowners(cmd.Context(), opts)
		},
	}
}

func runCodeowners(_ context.Context, opts *CodeownersOptions) error {
	team, findings, err := readTeam(opts.File)
	if err != nil {
		return err
	}
	if team == nil { // the file does not match the format
		if err := render.FindingsText(opts.IO.ErrOut, findings, render.Options{}); err != nil {
			return err
		}
		return silentExit(exitError)
	}
	root, ok := codeowners.Root(filepath.Dir(team.Files[0]))
	if !ok {
		return fmt.Errorf("codeowners: %s is not inside a git repository; CODEOWNERS paths start at the repository root, so run teamctl on a team inside one", opts.File)
	}
	entries, err := codeowners.Entries(team, root)
	if err != nil {
		return err
	}
	return codeowners.Write(opts.IO.Out, entries)
}
