package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/planfile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/schema"
)

// PlanOptions are the inputs of teamctl plan.
type PlanOptions struct {
	App              *App
	Global           *GlobalOptions
	Out              string // --out: also save the plan here, for apply
	DetailedExitcode bool
	Pending          bool // list every pending invite, not a summary of many
	Actor            string
}

func newCmdPlan(app *App, g *GlobalOptions) *cobra.Command {
	opts := &PlanOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show the changes that make the workspace match the team file",
		Long: `Plan checks the team file, reads the live workspace and prints the ordered
changes that make the workspace match the file: admins first, then operators,
then reviewers, then demotions, cancellations and removals. Nothing changes
until apply.

With --out, the plan is also saved as JSON; apply PLANFILE applies exactly
those changes, and refuses if what they depend on moved since: what the team
file declares, the people they change, the active admins, the actor.`,
		Example: `  teamctl plan -f team.yaml -w file:.teamctl/workspace.json
  teamctl plan --out plan.json && teamctl apply plan.json
  teamctl plan --detailed-exitcode   # 0 no changes, 2 changes, 1 error`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if opts.Actor, err = actor(app, "plan", opts.Actor); err != nil {
				return err
			}
			return runPlan(cmd.Context(), opts)
		},
	}
	addFormatFlag(cmd, &g.Output, FormatText, FormatJSON, FormatMarkdown)
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "", "also save the plan as JSON to `FILE`, for apply")
	f.BoolVar(&opts.Pending, "pending", false, fmt.Sprintf("list every pending invite (text output summarises them past %d, or when nothing changes)", render.PendingShown))
	f.BoolVar(&opts.DetailedExitcode, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	f.StringVar(&opts.Actor, "actor", "", "`EMAIL` of who applies the plan, never demoted or removed (default $TEAMCTL_ACTOR)")
	return cmd
}

func runPlan(ctx context.Context, opts *PlanOptions) error {
	app, g := opts.App, opts.Global
	if opts.Out != "" {
		if err := outClash(app, g, opts.Out); err != nil {
			return err
		}
	}
	v := newPlanView(g.Output, app, g, opts.Pending)
	g.findings = v
	url := g.WorkspaceURL(app)
	team, findings, plan, err := planTeam(ctx, app, g, url, reconcile.DiffOptions{Actor: opts.Actor, Now: app.Now()})
	if errors.Is(err, reconcile.ErrRefused) && plan != nil {
		// Show what was refused, then why: never saved, never applied.
		plan.WorkspaceURL, plan.Findings = url, findings
		if verr := v.Plan(plan, team); verr != nil {
			return verr
		}
		return err
	}
	if err != nil {
		return err
	}
	plan.WorkspaceURL, plan.Findings = url, findings
	noteMissingWorkspace(app, url)
	if err := v.Plan(plan, team); err != nil {
		return err
	}
	md, _ := v.(*planMarkdown)
	if err := reportPlanToActions(app, plan, team, md != nil && md.cut); err != nil {
		return err
	}
	if opts.Out != "" {
		if err := savePlan(app, g, v, plan, opts.Out); err != nil {
			return err
		}
	}
	switch {
	case schema.HasErrors(findings):
		return silentExit(exitError)
	case opts.DetailedExitcode && len(plan.Changes) > 0:
		return silentExit(exitChanges)
	}
	return nil
}

// savePlan writes plan as JSON to path, for apply, unless the team file has
// errors: such a plan could never be applied.
func savePlan(app *App, g *GlobalOptions, v planView, plan *reconcile.Plan, path string) error {
	if !plan.Applyable() {
		fmt.Fprintf(app.IO.ErrOut, "The plan was not saved to %s: the team file has errors.\n", path)
		return nil
	}
	var b bytes.Buffer
	if err := planfile.WriteRedacted(&b, plan, app.redactBytes); err != nil {
		return err
	}
	if err := writePlanFile(path, b.Bytes()); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	v.Saved(path, applyCommand(g, path))
	return nil
}

// outClash refuses a --out that names what plan reads or apply records:
// the team file (or a YAML file of the team directory, which the next
// load would read as part of the team), the file: workspace, or the
// journal. Saving the plan there would replace it.
func outClash(app *App, g *GlobalOptions, out string) error {
	clash := func(what, path string) error {
		return fmt.Errorf("plan: --out %s is %s %s; save the plan to a file of its own, such as --out plan.json", out, what, path)
	}
	if info, err := os.Stat(g.File); err == nil && info.IsDir() {
		ext := strings.ToLower(filepath.Ext(out))
		if (ext == ".yaml" || ext == ".yml") && resolvePath(filepath.Dir(out)) == resolvePath(g.File) {
			return clash("a file of the team directory", g.File)
		}
	} else if samePath(out, g.File) {
		return clash("the team file", g.File)
	}
	if ws, ok := strings.CutPrefix(g.WorkspaceURL(app), "file:"); ok && ws != "" && samePath(out, ws) {
		return clash("the workspace", ws)
	}
	if j := journalPath(app, g, ""); samePath(out, j) {
		return clash("the journal", j)
	}
	return nil
}

// samePath reports whether a and b name one file: the same file when
// both exist, else the same place once links in their directories are
// followed.
func samePath(a, b string) bool {
	ia, erra := os.Stat(a)
	ib, errb := os.Stat(b)
	if erra == nil && errb == nil {
		return os.SameFile(ia, ib)
	}
	return resolvePath(a) == resolvePath(b)
}

// resolvePath is path made absolute, with the links of its directory
// followed (the file itself may not exist yet).
func resolvePath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}

// writePlanFile writes a saved plan, 0600 (it lists the roster): into a
// temporary file beside path, renamed over it, so that no link at path is
// followed and no file linked to it is overwritten. A symbolic link or
// anything but a regular file at path is refused.
func writePlanFile(path string, data []byte) (err error) {
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() {
		what := "not a regular file"
		if info.Mode()&fs.ModeSymlink != 0 {
			what = "a symbolic link"
		}
		return fmt.Errorf("%s is %s; teamctl writes a saved plan only as a file of its own, so remove it or choose another --out", path, what)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // 0600
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// applyCommand is the command that applies the plan saved at path, to
// paste: it carries -f and -w when they are not the defaults.
func applyCommand(g *GlobalOptions, path string) string {
	return strings.Join(append(commandArgs(g, "apply"), shellQuote(path)), " ")
}

// commandArgs is teamctl verb with -f and -w when they are not the
// defaults, quoted for a shell.
func commandArgs(g *GlobalOptions, verb string) []string {
	args := []string{"teamctl", verb}
	if g.File != defaultTeamFile {
		args = append(args, "-f", shellQuote(g.File))
	}
	// $TEAMCTL_WORKSPACE is the user's own default, there when they paste.
	if g.Workspace != "" && g.Workspace != defaultWorkspace {
		args = append(args, "-w", shellQuote(scim.RedactURL(g.Workspace)))
	}
	return args
}

// planCommand is the command that plans again and saves the plan at
// path, to paste: it carries -f and -w when they are not the defaults.
func planCommand(g *GlobalOptions, path string) string {
	return strings.Join(append(commandArgs(g, "plan"), "--out", shellQuote(path)), " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and -_./:@+=,%.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@+=,%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// loadTeamForPlan loads the team file and checks the offline rules. A file
// that does not load has no plan: its problems are printed as findings, in
// the output format asked for, and the command exits 1.
func loadTeamForPlan(app *App, g *GlobalOptions) (*schema.Team, []schema.Finding, error) {
	team, err := readTeamForPlan(app, g)
	if err != nil {
		return nil, nil, err
	}
	noteSkipped(app.IO.ErrOut, g.File, team)
	return team, checkTeam(team, app.Now()), nil
}

// readTeamForPlan is loadTeamForPlan without the offline rules.
func readTeamForPlan(app *App, g *GlobalOptions) (*schema.Team, error) {
	team, findings, err := readTeam(g.File)
	if err != nil {
		return nil, err
	}
	if team == nil {
		if err := writeFindings(app, g, findings); err != nil {
			return nil, err
		}
		return nil, silentExit(exitError)
	}
	return team, nil
}

// writeFindings prints findings through the command's view, else as text
// on stdout.
func writeFindings(app *App, g *GlobalOptions, fs []schema.Finding) error {
	v := g.findings
	if v == nil {
		v = newFindingsView(g.Output, app.IO.Out, g.Color(app))
	}
	return v.Findings(fs)
}

// actor returns the identity that applies plans: --actor, else
// $TEAMCTL_ACTOR, checked as the team file's emails are: an actor that is
// no address would match nobody, and its guard would protect nobody.
func actor(app *App, cmd, flag string) (string, error) {
	from, a := "--actor", flag
	if a == "" {
		from, a = "$TEAMCTL_ACTOR", app.Getenv("TEAMCTL_ACTOR")
	}
	if a == "" {
		return "", nil
	}
	if err := schema.CheckEmail(a); err != nil {
		return "", fmt.Errorf("%s: %s %w", cmd, from, err)
	}
	return a, nil
}
