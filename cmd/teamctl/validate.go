package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// ValidateOptions is what validate needs, copied from the flags.
type ValidateOptions struct {
	IO     IOStreams
	File   string // team file or directory
	Output Format // text, json, markdown or github
	Color  bool
	GitHub *githubActions // nil outside GitHub Actions
	Now    time.Time      // the clock of rule access-expiry
	Strict bool           // --strict: warnings are errors
}

func newCmdValidate(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ValidateOptions{IO: app.IO, GitHub: newGitHubActions(app)}
	cmd := &cobra.Command{
		Use:   "validate [PATH]",
		Short: "Check the team file against the offline readiness rules",
		Long: `Check the team file against the readiness rules that need no workspace:
the format, duplicate people, a backup admin, the admin limit, operators and
reviewers present, workflow owners and backups, the invite note, least
privilege, access that has passed its until, approvers, CODEOWNERS and
look-alike emails.

Exit status: 0 when there are no error findings (warnings allowed), 1 when
there are, or when the team file cannot be read. With --strict, warnings
are reported as errors and fail too: for CI that wants a clean file.`,
		Example: `  teamctl validate -f examples/team.yaml
  teamctl validate -f examples/team.d -o json
  teamctl validate -o github     # annotations in GitHub Actions
  teamctl validate --strict      # warnings fail too`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File, opts.Output, opts.Color = g.File, g.Output, g.Color(app)
			opts.Now = app.Now()
			if len(args) == 1 {
				if cmd.Flags().Changed("file") {
					return fmt.Errorf("validate: give the team file either as an argument or with -f, not both")
				}
				opts.File = args[0]
			}
			return runValidate(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON, FormatMarkdown, FormatGitHub)
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "report warnings as errors, so that they fail too")
	return cmd
}

func runValidate(_ context.Context, opts *ValidateOptions) error {
	team, findings, err := loadTeam(opts.File, opts.Now)
	if err != nil {
		return err
	}
	noteSkipped(opts.IO.ErrOut, opts.File, team)
	if opts.Strict {
		findings = warningsAsErrors(findings)
	}
	if err := newFindingsView(opts.Output, opts.IO.Out, opts.Color).Findings(findings); err != nil {
		return err
	}
	if opts.Output != "github" { // -o github has already written them
		if err := opts.GitHub.Annotate(opts.IO.ErrOut, findings); err != nil {
			return err
		}
	}
	if err := opts.GitHub.AppendSummary(func(w io.Writer) error { return render.FindingsMarkdown(w, findings) }); err != nil {
		return err
	}
	if schema.HasErrors(findings) {
		return silentExit(exitError)
	}
	return nil
}

// warningsAsErrors returns findings with every warning made an error, as
// --strict asks: every view then says error, JSON valid is false, and the
// exit status is 1.
func warningsAsErrors(findings []schema.Finding) []schema.Finding {
	out := slices.Clone(findings)
	for i := range out {
		if out[i].Severity == schema.Warning {
			out[i].Severity = schema.Error
		}
	}
	return out
}
