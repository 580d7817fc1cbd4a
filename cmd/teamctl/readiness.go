package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/readiness"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
	"github.com/teamctl/teamctl/schema/suggest"
)

// ReadinessOptions are the inputs of teamctl readiness.
type ReadinessOptions struct {
	App    *App
	Global *GlobalOptions
	Rules  []string // check only these rules; all when empty
}

func newCmdReadiness(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ReadinessOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "readiness [RULE...]",
		Short: "Check the launch checklist against the team file and the live workspace",
		Long: `Readiness runs the final checklist of a launch ("Inviting Your Team") on the
team file and the live workspace together: every offline rule of validate,
and the live rules: the workspace settings are complete (settings-complete),
everyone accepted the invitation and signed in (signed-in; a warning, an
error from seven days before the team's launch date), each person holds the
declared role (in-sync), and nobody in the workspace is missing from the
file (unmanaged).

Each check passes, fails, warns, is off (policy.rules), or is unknown when
the workspace cannot tell (sign-ins over SCIM, for example): an unknown is
never a pass. Name rules to check only those.

Exit status: 0 when ready (warnings and unknown warnings allowed), 1 when a
check fails, a check that is an error is unknown, or the input is unusable.`,
		Example: `  teamctl readiness -f team.yaml -w file:.teamctl/workspace.json
  teamctl readiness signed-in in-sync      # only these two checks
  teamctl readiness -o markdown > readiness.md`,
		ValidArgsFunction: completeRuleIDs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Rules = args
			return runReadiness(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON, FormatMarkdown)
	return cmd
}

func runReadiness(ctx context.Context, opts *ReadinessOptions) error {
	app, g := opts.App, opts.Global
	v := newReadinessView(g.Output, app, g)
	g.findings = v
	known := schema.RuleIDs()
	for _, r := range opts.Rules {
		if !slices.Contains(known, r) && looksLikeTeamFile(r) {
			return fmt.Errorf("readiness: %s is not a rule; to check the team file %s, pass it with -f: teamctl readiness -f %s", r, r, shellQuote(r))
		}
		if !slices.Contains(known, r) {
			if best, ok := suggest.Closest(r, known); ok {
				return fmt.Errorf("readiness: unknown rule %q; did you mean %s?", r, best)
			}
			return fmt.Errorf("readiness: unknown rule %q; rules are %s", r, strings.Join(known, ", "))
		}
	}
	team, live, checked, err := readTeamAndLive(ctx, app, g, g.WorkspaceURL(app), true)
	if err != nil {
		return err
	}
	findings := checked()
	if err := reconcile.SameWorkspace(team, live); err != nil {
		return fmt.Errorf("readiness: %w", err)
	}
	report := readiness.Evaluate(team, live, findings, app.Now())
	if len(opts.Rules) > 0 {
		report.Checks = slices.DeleteFunc(report.Checks, func(c readiness.Check) bool { return !slices.Contains(opts.Rules, c.Rule) })
	}

	if err := v.Report(report, team); err != nil {
		return err
	}
	gh := newGitHubActions(app)
	if err := gh.AppendSummary(func(w io.Writer) error { return render.ReadinessMarkdown(w, report, team) }); err != nil {
		return err
	}
	if !report.Ready() {
		return silentExit(exitError)
	}
	return nil
}
