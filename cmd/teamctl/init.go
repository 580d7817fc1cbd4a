package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/schema"
	"github.com/teamctl/teamctl/schema/codeowners"
	"go.yaml.in/yaml/v3"
)

// InitOptions are the inputs of teamctl init.
type InitOptions struct {
	App    *App
	Global *GlobalOptions
	GitHub bool // also write .github/workflows/teamctl.yml
	Dir    bool // write a team directory, one file per role
	Path   string
}

func newCmdInit(app *App, g *GlobalOptions) *cobra.Command {
	opts := &InitOptions{App: app, Global: g}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a starting team file, from the live workspace or a template",
		Long: `Init writes a starting team file at -f (default team.yaml). When the
workspace (-w, else $TEAMCTL_WORKSPACE, else the default file workspace)
has members, the file declares them with their roles, as teamctl export
writes it, and what the workspace cannot know (the invite note, the backup
admin, the workflows) is left commented out, marked TODO. Otherwise it is a
commented template to fill in.

teamctl plan right after init on a live workspace lists no changes. It
still exits 1 until the TODOs are filled in: validate reports what is
missing as errors (invite-note, backup-admin, and the rules that need
workflows), and apply refuses a team with errors.

With --github, init also writes .github/workflows/teamctl.yml at the root of
the git repository around the team file: the workflow that plans pull
requests and applies the reviewed plan on merge, through the teamctl GitHub
Action. It prints the CODEOWNERS lines to add.

With --dir, init writes a team directory instead (-f, default team.d): one
file per role (admins.yaml, operators.yaml, reviewers.yaml) and
workflows.yaml, so that each role's file can have its own approvers in
CODEOWNERS (teamctl codeowners).

Init never overwrites a file: when one it would write exists, it writes
nothing and exits 1, naming it.`,
		Example: `  teamctl init -w scim+https://callaro.example/scim/v2
  teamctl init -f team.yaml --github
  teamctl init --dir -f team.d --github`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Path = g.File
			if opts.Dir && !cmd.Flags().Changed("file") {
				opts.Path = defaultTeamDir
			}
			return runInit(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.GitHub, "github", false, "also write .github/workflows/teamctl.yml and print the CODEOWNERS lines to add")
	cmd.Flags().BoolVar(&opts.Dir, "dir", false, "write a team directory (default "+defaultTeamDir+"), one file per role, instead of one file")
	return cmd
}

// defaultTeamDir is where init --dir writes without -f.
const defaultTeamDir = "team.d"

func runInit(ctx context.Context, opts *InitOptions) error {
	app, g := opts.App, opts.Global
	path := opts.Path
	if err := checkInitPath(path, opts.Dir); err != nil {
		return err
	}
	// Write nothing when any file exists; O_EXCL below still guards the
	// moment between this check and the write.
	targets := []string{path}
	if opts.Dir {
		targets = nil
		for _, f := range render.TeamDir(&reconcile.Live{}, "") {
			targets = append(targets, filepath.Join(path, f.Name))
		}
	}
	var workflow, root string
	var repoFile string
	if opts.GitHub {
		var ok bool
		root, ok = codeowners.Root(filepath.Dir(filepath.Clean(path)))
		if !ok {
			return fmt.Errorf("init: %s is not in a git repository: --github writes .github/workflows at the repository's root; run git init first", path)
		}
		rel, err := codeowners.RepoPath(root, path)
		if err != nil {
			return fmt.Errorf("init: %w", err)
		}
		repoFile = rel
		workflow = filepath.Join(root, ".github", "workflows", "teamctl.yml")
		targets = append(targets, workflow)
	}
	for _, p := range targets {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("init: %s already exists: init never overwrites a file; remove it or pick another path with -f", p)
		}
	}

	url := g.WorkspaceURL(app)
	live, err := readLive(ctx, app, g, url)
	if err != nil {
		return err
	}
	people := declarable(live)
	var written []string // removed again if a later write fails
	if opts.Dir {
		if err := os.MkdirAll(path, 0o755); err != nil {
			return fmt.Errorf("init: %w", err)
		}
		for _, f := range render.TeamDir(live, scim.RedactURL(url)) {
			p := filepath.Join(path, f.Name)
			if err := createFile(p, app.redactBytes(f.Data)); err != nil {
				removeAll(written)
				return err
			}
			written = append(written, p)
		}
	} else {
		var team bytes.Buffer
		if people > 0 {
			// What export writes: the workspace's people, the rest TODO.
			err = exportYAML{&team}.Export(live, scim.RedactURL(url))
		} else {
			err = teamTemplate(&team, live.Name, schema.Today(app.Now()))
		}
		if err != nil {
			return err
		}
		// The workspace's names and emails are server text: the file is a
		// sink like any other (sinks.go).
		if err := createFile(path, app.redactBytes(team.Bytes())); err != nil {
			return err
		}
		written = append(written, path)
	}
	what := "a template (workspace " + scim.RedactURL(url) + " has no members)"
	if people > 0 {
		what = fmt.Sprintf("%d people of workspace %s", people, scim.RedactURL(url))
	}
	if opts.Dir {
		fmt.Fprintf(app.IO.ErrOut, "Wrote %s: %s, one file per role; fill in what is marked TODO, then run teamctl validate -f %s.\n", strings.Join(written, ", "), what, shellQuote(path))
	} else {
		fmt.Fprintf(app.IO.ErrOut, "Wrote %s: %s; fill in what is marked TODO, then run teamctl validate.\n", path, what)
	}
	if !opts.GitHub {
		return nil
	}

	branch, how := defaultBranch(ctx, root)
	var wf bytes.Buffer
	if err := githubWorkflow(&wf, repoFile, opts.Dir, branch); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(workflow), 0o755); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if err := createFile(workflow, wf.Bytes()); err != nil {
		removeAll(written) // written above, by this run: leave nothing half done
		return err
	}
	fmt.Fprintf(app.IO.ErrOut, "Wrote %s: set the repository variable TEAMCTL_WORKSPACE and the secret TEAMCTL_SCIM_TOKEN.\n", workflow)
	fmt.Fprintf(app.IO.ErrOut, "The workflow applies merges to %s (%s); edit its branches if they go elsewhere.\n", branch, how)
	return initCodeowners(app.IO.Out, repoFile, opts.Dir)
}

// checkInitPath refuses a path init cannot write to: a directory (or a
// path ending in /) for a team file, a file for a team directory, or a
// directory that already holds team files.
func checkInitPath(path string, dir bool) error {
	fi, err := os.Stat(path)
	isDir := err == nil && fi.IsDir()
	switch {
	case !dir && (isDir || strings.HasSuffix(path, "/")):
		return fmt.Errorf("init: %s is a directory, and init writes one team file; to write one file per role there, run teamctl init --dir -f %s", path, shellQuote(path))
	case dir && err == nil && !isDir:
		return fmt.Errorf("init: %s is a file, and --dir writes a directory; pick another path with -f", path)
	case dir && isDir:
		for _, pat := range []string{"*.yaml", "*.yml"} {
			if m, _ := filepath.Glob(filepath.Join(path, pat)); len(m) > 0 {
				return fmt.Errorf("init: %s already holds team files (%s): init never adds to a team; remove them or pick another path with -f", path, filepath.Base(m[0]))
			}
		}
	}
	return nil
}

// removeAll removes the files init wrote before a later step failed.
func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}

// defaultBranch returns the branch that merges go to in the repository at
// root, and how it knows: origin's default branch where git recorded it
// (a clone does), else the current branch of a repository that has no
// other (one just made by git init), else main.
func defaultBranch(ctx context.Context, root string) (branch, how string) {
	git := func(args ...string) (string, bool) {
		out, err := exec.CommandContext(ctx, "git", append([]string{"-C", root}, args...)...).Output()
		return strings.TrimSpace(string(out)), err == nil
	}
	if ref, ok := git("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"); ok {
		if b, ok := strings.CutPrefix(ref, "refs/remotes/origin/"); ok && b != "" {
			return b, "origin's default branch"
		}
	}
	if ref, ok := git("symbolic-ref", "--quiet", "HEAD"); ok {
		b, isBranch := strings.CutPrefix(ref, "refs/heads/")
		branches, ok := git("for-each-ref", "--format=%(refname:short)", "refs/heads/")
		if isBranch && b != "" && ok && (branches == "" || branches == b) {
			return b, "the repository's only branch"
		}
	}
	return "main", "git names no default branch"
}

// declarable counts the members a team file declares: all but the
// suspended, as export writes them.
func declarable(l *reconcile.Live) int {
	n := 0
	for _, m := range l.Members {
		if m.Status != reconcile.Suspended {
			n++
		}
	}
	return n
}

// createFile writes data to a new file at path, and fails, naming it,
// when one exists: O_EXCL makes the check and the creation one step.
func createFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("init: %s already exists: init never overwrites a file; remove it or pick another path with -f", path)
	}
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("init: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("init: write %s: %w", path, err)
	}
	return nil
}

// initCodeowners prints the CODEOWNERS lines for a new team: one owner for
// the team file (or directory) and the workflow that applies it. A
// directory team can give each role's file its own approvers (teamctl
// codeowners).
func initCodeowners(w io.Writer, file string, dir bool) error {
	team := "/" + codeowners.EscapePath(file)
	if dir {
		team = strings.TrimSuffix(team, "/") + "/"
	}
	lines := []string{team, "/.github/workflows/teamctl.yml"}
	width := max(len(lines[0]), len(lines[1]))
	var b strings.Builder
	b.WriteString("# Add to .github/CODEOWNERS, below broader patterns (the last matching line\n")
	b.WriteString("# wins), with the team that approves changes to the roster.")
	if dir {
		b.WriteString(" Once approvers\n# are filled in, teamctl codeowners -f " + file + " gives each role's file its own.\n")
	} else {
		b.WriteString(" Split the team\n# into admins.yaml, operators.yaml and reviewers.yaml to give each role its\n")
		b.WriteString("# own approvers: teamctl codeowners -f DIR prints those lines.\n")
	}
	for _, l := range lines {
		fmt.Fprintf(&b, "%-*s @your-org/revops-admins\n", width, l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// plainPath is a string that YAML (and GitHub's path filters) read as
// itself.
var plainPath = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)

// yamlString writes s as a YAML scalar: bare when YAML reads it back as
// the same string, else quoted (a JSON string is a YAML double-quoted
// scalar), so that a workspace named 123 or true stays a string.
func yamlString(s string) string {
	var v any
	if plainPath.MatchString(s) && yaml.Unmarshal([]byte(s), &v) == nil && v == s {
		return s
	}
	return strconv.Quote(s)
}

// githubWorkflow writes the workflow init --github adds for the team at
// file (relative to the repository root; dir: a directory of team files).
// examples/github/teamctl.yml is this workflow for the directory team
// (a test checks that they agree).
// branch is the default branch: merges to it are applied.
func githubWorkflow(w io.Writer, file string, dir bool, branch string) error {
	paths := file
	if dir {
		paths = strings.TrimSuffix(file, "/") + "/**"
	}
	return workflowTemplate.Execute(w, map[string]string{
		"File":     yamlString(file),
		"Paths":    strconv.Quote(paths),
		"Branch":   branch,
		"Branches": "[" + yamlString(branch) + "]",
		"Ref":      "refs/heads/" + branch,
	})
}

// workflowTemplate uses [[ ]]: GitHub's expressions are ${{ }}.
var workflowTemplate = template.Must(template.New("teamctl.yml").Delims("[[", "]]").Parse(`# teamctl in GitHub Actions: copy to .github/workflows/teamctl.yml.
#
# On a pull request that touches the team: plan against the live
# workspace (findings become annotations on the changed lines), post the
# plan as one comment that later pushes update in place, and keep the
# saved plan as an artifact. Pull requests from forks get no secrets:
# they are validated offline instead.
#
# On merge to [[.Branch]]: fetch the plan saved for the merged pull request and
# apply exactly that plan, then comment the result (each change applied,
# failed or not attempted, and the apply id) on the pull request and keep
# the apply's journal lines on the teamctl-journal branch. teamctl refuses
# a plan that depends on something that moved since it was reviewed (a
# person it changes, an admin of the floor, the actor, what the team file
# declares); then the job plans again, posts the new plan on the pull
# request and fails with a link to it. Applying that new plan is the
# apply-again job: run this workflow by hand with the run id the comment
# names, and a reviewer of the teamctl-apply environment approves it. One
# concurrency group queues every apply: two never race.
#
# Set up: the repository variable TEAMCTL_WORKSPACE (for example
# scim+https://callaro.example/scim/v2) and the secret TEAMCTL_SCIM_TOKEN;
# an environment named teamctl-apply with required reviewers (Settings →
# Environments). Protect [[.Branch]] and require branches to be up to date before
# merging, so that the team reviewed is the team merged.
name: teamctl

on:
  pull_request:
    paths:
      - [[.Paths]]
      - ".github/workflows/teamctl.yml"
  push:
    branches: [[.Branches]]
    paths:
      - [[.Paths]]
  workflow_dispatch:
    inputs:
      plan-run-id:
        description: "The run that planned again after a stale plan (its comment on the pull request names it)"
        required: true
        type: string

permissions:
  contents: read

jobs:
  validate:
    if: github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name != github.repository
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: teamctl/teamctl@v1
        with:
          command: validate
          file: [[.File]]

  plan:
    if: github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write # the sticky plan comment
    steps:
      - uses: actions/checkout@v4
      - uses: teamctl/teamctl@v1
        with:
          command: plan
          file: [[.File]]
          workspace: ${{ vars.TEAMCTL_WORKSPACE }}
        env:
          TEAMCTL_SCIM_TOKEN: ${{ secrets.TEAMCTL_SCIM_TOKEN }}

  apply:
    if: github.event_name == 'push' && github.ref == '[[.Ref]]'
    runs-on: ubuntu-latest
    # One group for every apply of this repository, queued, never cancelled:
    # an apply half done is worse than one that waits.
    concurrency:
      group: teamctl-apply-${{ github.repository }}
      cancel-in-progress: false
    permissions:
      contents: write # the journal branch
      actions: read # download the plan saved by the pull request's run
      pull-requests: write # the result, or the new plan, on the pull request
    steps:
      - uses: actions/checkout@v4
      - uses: teamctl/teamctl@v1
        with:
          command: apply
          file: [[.File]]
          workspace: ${{ vars.TEAMCTL_WORKSPACE }}
        env:
          TEAMCTL_SCIM_TOKEN: ${{ secrets.TEAMCTL_SCIM_TOKEN }}

  # After a stale plan: apply the plan that run made again, once a reviewer
  # of the teamctl-apply environment approves. It too is refused if it went
  # stale meanwhile, and plans again.
  apply-again:
    if: github.event_name == 'workflow_dispatch' && github.ref == '[[.Ref]]'
    runs-on: ubuntu-latest
    environment: teamctl-apply
    concurrency:
      group: teamctl-apply-${{ github.repository }}
      cancel-in-progress: false
    permissions:
      contents: write # the journal branch
      actions: read # download the plan the stale run made again
      pull-requests: write # the result on the pull request
    steps:
      - uses: actions/checkout@v4
      - uses: teamctl/teamctl@v1
        with:
          command: apply
          file: [[.File]]
          workspace: ${{ vars.TEAMCTL_WORKSPACE }}
          plan-run-id: ${{ inputs.plan-run-id }}
        env:
          TEAMCTL_SCIM_TOKEN: ${{ secrets.TEAMCTL_SCIM_TOKEN }}
`))

// teamTemplate writes the commented template of a team file, for a
// workspace with nobody in it yet (name: the workspace's, if it has one).
// The admins' access is reviewed on today, the day the file is written.
func teamTemplate(w io.Writer, name string, today schema.Date) error {
	ws := "my-workspace # TODO: the live workspace's name"
	if name != "" {
		ws = yamlString(name)
	}
	_, err := fmt.Fprintf(w, teamTemplateText, ws, today, today)
	return err
}

const teamTemplateText = `# Team file written by teamctl init: who holds which role in a Callaro
# workspace. Fill in what is marked TODO, then run teamctl validate; teamctl
# plan shows what apply would change. teamctl help team-file describes every
# key; teamctl schema prints the JSON Schema.
version: 1
workspace: %s

# TODO: what invitees verify on first login (20 to 1000 characters).
# invite_note: |
#   Welcome to our Callaro workspace. On first login, open Campaigns
#   (operators) or Call Review (reviewers) and say hello in #launch.

# TODO: invite one or two admins first (settings, integrations, billing,
# recovery; at most 3), then the campaign operators, then the reviewers.
# admins:
#   - email: dana@example.com
#     name: Dana Ortiz
#     reviewed: %s # the day their access was last confirmed (teamctl review)
#   - email: sam@example.com
#     reviewed: %s
# operators:
#   - email: olivia@example.com
# reviewers:
#   - email: rita@example.com

# TODO: name the backup admin, one of the admins above.
# backups:
#   admin: sam@example.com

# TODO: list each live workflow (billing, integrations, each campaign) with
# its owner and at least one backup.
# workflows:
#   - name: billing
#     owner: dana@example.com
#     backups: [sam@example.com]
#   - name: Q1 outbound pilot
#     owner: olivia@example.com
#     backups: [sam@example.com]

# Optional: who approves changes to each role (teamctl codeowners).
# approvers:
#   admins: ["@your-org/revops-admins"]
#   operators: ["@your-org/sales-ops"]
#   reviewers: ["@your-org/sdr-leadership"]
`
