package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/planfile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/schema"
)

// ApplyOptions are the inputs of teamctl apply.
type ApplyOptions struct {
	App         *App
	Global      *GlobalOptions
	PlanFile    string // a saved plan; empty to plan now and ask
	AutoApprove bool
	Actor       string
	LockTimeout time.Duration
	Journal     string // --journal; see journalPath
}

func newCmdApply(app *App, g *GlobalOptions) *cobra.Command {
	opts := &ApplyOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "apply [PLANFILE]",
		Short: "Make the workspace match the team file",
		Long: `Apply carries out a plan: a saved one (teamctl plan --out PLANFILE), or one
made now and shown first. On a terminal apply asks for "yes" before it
changes anything; elsewhere it needs --auto-approve.

A saved plan is applied only if nothing it depends on moved: what the team
file declares (not its comments or layout), the live state of each person it
changes, the active admins (the floor), the actor. Otherwise apply names what
moved, one fact a line, and asks you to plan again. Anything else may move
meanwhile (people accepting invites, signing in); a change the workspace
needs now that the plan does not make is left alone, and named. A file: workspace stays locked for the whole
apply; SCIM has no lock, so run one apply at a time (a CI concurrency group).

Each change's outcome is appended to the journal (see teamctl journal).
Ctrl-C lets the batch in flight finish, then stops and reports; a second
Ctrl-C stops at once.`,
		Example: `  teamctl plan --out plan.json && teamctl apply plan.json
  teamctl apply                  # plan, show, ask
  teamctl apply --auto-approve   # in CI, on merge`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.PlanFile = args[0]
				if strings.HasSuffix(args[0], ".yaml") || strings.HasSuffix(args[0], ".yml") {
					return fmt.Errorf("apply: %s looks like a team file, not a saved plan; pass the team file with -f (teamctl apply -f %s), or a plan saved by teamctl plan --out", args[0], shellQuote(args[0]))
				}
			}
			var err error
			if opts.Actor, err = actor(app, "apply", opts.Actor); err != nil {
				return err
			}
			return runApply(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON)
	f := cmd.Flags()
	f.BoolVar(&opts.AutoApprove, "auto-approve", false, "apply without asking for confirmation")
	f.StringVar(&opts.Actor, "actor", "", "`EMAIL` of who applies, never demoted or removed (default $TEAMCTL_ACTOR)")
	f.DurationVar(&opts.LockTimeout, "lock-timeout", local.DefaultLockWait, "how long to wait for another apply to release the workspace")
	f.StringVar(&opts.Journal, "journal", "", journalFlagUsage)
	return cmd
}

func runApply(ctx context.Context, opts *ApplyOptions) error {
	app, g := opts.App, opts.Global
	v := newApplyView(g.Output, app, g)
	g.findings = v
	if opts.PlanFile == "" && !opts.AutoApprove && g.Output == FormatJSON {
		return errors.New("apply: -o json writes the apply document alone, so there is no plan to show and ask about; pass --auto-approve, or apply a saved plan (teamctl plan --out plan.json, then teamctl apply -o json plan.json)")
	}
	if opts.PlanFile == "" && !opts.AutoApprove && !app.IO.InTTY {
		return errors.New("apply: not on a terminal, so there is nobody to confirm; pass --auto-approve, or apply a saved plan (teamctl plan --out plan.json, then teamctl apply plan.json)")
	}
	var saved *reconcile.Plan
	if opts.PlanFile != "" {
		var err error
		if saved, err = readSavedPlan("apply", opts.PlanFile); err != nil {
			return err
		}
	}
	team, findings, err := loadTeamForPlan(app, g)
	if err != nil {
		return err
	}
	if schema.HasErrors(findings) {
		if err := v.Findings(findings); err != nil {
			return err
		}
		return errors.New("apply: the team file has error findings (above); fix them and plan again")
	}
	url := g.WorkspaceURL(app)
	if saved != nil && saved.WorkspaceURL != url {
		made, here := scim.RedactURL(saved.WorkspaceURL), scim.RedactURL(url) // never a URL's password
		return fmt.Errorf("apply: the plan was made for workspace %s, not %s; pass -w %s or plan again", made, here, made)
	}
	ws, err := openWorkspace(app, g, url)
	if err != nil {
		return err
	}
	if lw, ok := ws.(*local.Workspace); ok {
		lw.NewName = team.Workspace // named by the apply that creates it
	}
	holder := "actor " + opts.Actor
	if opts.Actor == "" {
		holder = "actor unknown (no --actor or TEAMCTL_ACTOR)"
	}
	lockCtx, cancel := context.WithTimeout(ctx, opts.LockTimeout)
	release, err := reconcile.Lock(lockCtx, ws, holder)
	cancel()
	if err != nil {
		return err
	}
	defer release()

	live, err := ws.Snapshot(ctx)
	if err != nil {
		return err
	}
	dopts := reconcile.DiffOptions{Actor: opts.Actor, Now: app.Now()}
	var plan *reconcile.Plan
	if saved != nil {
		if plan, err = reconcile.Verify(saved, team, live, dopts); err != nil {
			var stale *reconcile.StaleError
			if errors.As(err, &stale) {
				stale.Replan = planCommand(g, opts.PlanFile)
				if opts.Actor != "" && opts.Actor != app.Getenv("TEAMCTL_ACTOR") {
					stale.Replan += " --actor " + shellQuote(opts.Actor) // a flag, gone when they plan
				}
			}
			return fmt.Errorf("apply: %w", err)
		}
		plan.Findings = findings
		noteUnreviewed(app, plan.Unreviewed)
	} else {
		if plan, err = reconcile.Diff(team, live, dopts); err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		plan.WorkspaceURL, plan.Findings = url, findings
		noteMissingWorkspace(app, url)
		if err := v.Plan(plan); err != nil {
			return err
		}
	}
	if len(plan.Changes) == 0 {
		return v.Done(render.ApplyReport{Plan: plan, Verified: true})
	}
	if saved == nil && !opts.AutoApprove {
		ok, err := confirm(app, plan.Workspace)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(app.IO.Out, "\nApply cancelled.")
			return silentExit(exitError)
		}
	}
	return applyPlan(ctx, opts, v, ws, plan)
}

// noteUnreviewed says, on stderr, which changes the workspace needs now
// that the saved plan does not make: they are left out, since nobody
// reviewed them.
func noteUnreviewed(app *App, changes []reconcile.Change) {
	if len(changes) == 0 {
		return
	}
	const most = 5
	var b strings.Builder
	for i, c := range changes {
		if i == most {
			fmt.Fprintf(&b, "\n  and %d more", len(changes)-most)
			break
		}
		fmt.Fprintf(&b, "\n  %s %s", c.Action, render.Printable(c.Email))
	}
	fmt.Fprintf(app.IO.ErrOut, "Note: the workspace moved since the plan was made, in ways the plan does not depend on; it now also needs %s, which the saved plan does not make and this apply leaves alone:%s\nPlan again to review them.\n", pluralChanges(len(changes)), b.String())
}

func pluralChanges(n int) string {
	if n == 1 {
		return "1 change"
	}
	return fmt.Sprintf("%d changes", n)
}

// readSavedPlan reads a plan file written by teamctl plan --out, for the
// command verb.
func readSavedPlan(verb, path string) (*reconcile.Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", verb, err)
	}
	plan, err := planfile.Read(data)
	if err != nil {
		return nil, fmt.Errorf("%s: plan file %s: %w", verb, path, err)
	}
	return plan, nil
}

// applyPlan carries out an approved plan on the locked workspace ws: each
// batch is journaled before it goes out, its results are printed as they
// come, and a summary follows.
func applyPlan(ctx context.Context, opts *ApplyOptions, v applyView, ws reconcile.Workspace, plan *reconcile.Plan) error {
	app, g := opts.App, opts.Global
	jw, err := openJournal(app, g, journalPath(app, g, opts.Journal), opts.Actor, plan)
	if err != nil {
		return err
	}
	defer jw.Close()
	var journalErr, viewErr error
	prog := newProgress(app, len(plan.Changes), pacedWrites(ws))
	results := reconcile.Apply(ctx, ws, plan, reconcile.ApplyOptions{
		Starting: func(batch []reconcile.Change) error {
			if err := jw.Start(batch); err != nil {
				return err // no change goes out before the journal holds it
			}
			prog.Start(len(batch))
			return nil
		},
		Progress: func(rs []reconcile.Result) {
			if err := jw.Write(rs); err != nil && journalErr == nil {
				journalErr = err
			}
			prog.Clear()
			if err := v.Results(rs); err != nil && viewErr == nil {
				viewErr = err
			}
			prog.Update(rs)
		},
	})
	prog.Clear()
	report := render.ApplyReport{Plan: plan, Results: results, ApplyID: jw.ID(), Verified: reconcile.Verified(ws, results)}
	if err := cmp.Or(viewErr, v.Done(report)); err != nil {
		return err
	}
	if err := reportUnsentNote(app, ws, plan, results); err != nil {
		return err
	}
	if journalErr != nil {
		return fmt.Errorf("apply: the changes above were made, but the journal %s could not record them: %w", jw.Path(), journalErr)
	}
	if !results.OK() {
		return silentExit(exitError)
	}
	return nil
}

// pacedWrites returns how to ask ws the writes a second it is paced at
// (a SCIM workspace under a rate limit), or nil.
func pacedWrites(ws reconcile.Workspace) func() float64 {
	p, ok := ws.(interface {
		Pace() (reads, writes scim.PaceStats)
	})
	if !ok {
		return nil
	}
	return func() float64 {
		_, w := p.Pace()
		return w.Rate
	}
}

// confirm asks on the terminal whether to apply; only "yes" approves.
func confirm(app *App, workspace string) (bool, error) {
	fmt.Fprintf(app.IO.Out, "\nDo you want to apply these changes to workspace %q?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", workspace)
	line, err := bufio.NewReader(app.IO.In).ReadString('\n')
	if err != nil && line == "" {
		return false, nil // end of input: not approved
	}
	return strings.TrimSpace(line) == "yes", nil
}
