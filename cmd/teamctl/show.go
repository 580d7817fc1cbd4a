package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/scim"
)

// ShowOptions are the inputs of teamctl show.
type ShowOptions struct {
	App      *App
	Global   *GlobalOptions
	PlanFile string
	Pending  bool // list every pending invite, not a summary of many
}

func newCmdShow(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ShowOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Print a saved plan, without reading the workspace",
		Long: `Show prints a plan saved by teamctl plan --out, as plan printed it: the
same text, markdown or JSON. It reads nothing else: not the team file, not
the workspace, no token. A plan edited or cut short since it was saved is
refused, as apply refuses it.

Whether the plan still applies is for apply to say: it reads the workspace
again and names anything the plan depends on that moved since.`,
		Example: `  teamctl show plan.json
  teamctl show -o markdown plan.json >> "$GITHUB_STEP_SUMMARY"
  teamctl show -o json plan.json | jq '.changes[] | select(.role_after == "admin")'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("show: takes one argument, the saved plan (teamctl plan --out PLANFILE); got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.PlanFile = args[0]
			return runShow(opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON, FormatMarkdown)
	cmd.Flags().BoolVar(&opts.Pending, "pending", false, fmt.Sprintf("list every pending invite (past %d, text output summarises them)", render.PendingShown))
	return cmd
}

func runShow(opts *ShowOptions) error {
	app, g := opts.App, opts.Global
	plan, err := readSavedPlan("show", opts.PlanFile)
	if err != nil {
		return err
	}
	if g.Output == FormatText {
		fmt.Fprintln(app.IO.Out, savedPlanHeader(plan))
		fmt.Fprintln(app.IO.Out)
	}
	return newPlanView(g.Output, app, g, opts.Pending).Plan(plan, nil)
}

// savedPlanHeader says what a saved plan is for, when it was made and for
// whom, in one line: what it quotes from the file cannot start another.
func savedPlanHeader(p *reconcile.Plan) string {
	s := fmt.Sprintf("Saved plan for workspace %q", p.Workspace)
	if p.WorkspaceURL != "" {
		s += " at " + scim.RedactURL(p.WorkspaceURL)
	}
	s += ", made " + p.CreatedAt.UTC().Format(time.DateTime) + " UTC"
	if p.Actor != "" {
		s += " for actor " + p.Actor
	}
	return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(render.Printable(s)) + "."
}
