package main

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// githubActions is what teamctl does for a GitHub Actions job: append
// reports to the job summary, set step outputs, and annotate findings. It
// is nil outside Actions, and every method of a nil *githubActions does
// nothing, so that commands call them unconditionally.
type githubActions struct {
	summary string // $GITHUB_STEP_SUMMARY: a file the job summary is read from
	output  string // $GITHUB_OUTPUT: a file of step outputs
	redact  func(string) string
}

// newGitHubActions returns the Actions context when GITHUB_ACTIONS is
// "true", else nil.
func newGitHubActions(app *App) *githubActions {
	if app.Getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	set := app.secrets
	if set == nil {
		set = newSecretSet(secrets(app.Getenv))
	}
	return &githubActions{summary: app.Getenv("GITHUB_STEP_SUMMARY"), output: app.Getenv("GITHUB_OUTPUT"), redact: set.String}
}

// AppendSummary adds the Markdown report that write renders to the job
// summary.
func (gh *githubActions) AppendSummary(write func(io.Writer) error) error {
	if gh == nil || gh.summary == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString("\n")
	if err := write(&b); err != nil {
		return err
	}
	return appendFile(gh.summary, b.String(), "GITHUB_STEP_SUMMARY", gh.redact)
}

// Annotate writes findings as workflow commands, which the runner turns
// into annotations on the lines of the pull request. Errors come first:
// GitHub shows only ten annotations of each kind per step. Commands go to
// stderr (w), which the runner reads as it reads stdout, so that stdout
// keeps only the product (a plan, a JSON document).
func (gh *githubActions) Annotate(w io.Writer, fs []schema.Finding) error {
	if gh == nil || len(fs) == 0 {
		return nil
	}
	fs = slices.Clone(fs)
	slices.SortStableFunc(fs, func(a, b schema.Finding) int {
		return cmp.Compare(severityRank(b.Severity), severityRank(a.Severity))
	})
	return writeCommands(w, func(w io.Writer) error { return render.FindingsGitHub(w, fs) })
}

func severityRank(s schema.Severity) int {
	if s == schema.Error {
		return 1
	}
	return 0
}

// logWholePlan writes the whole plan, as text, to the job log in the group
// wholePlan names, under GitHub Actions; elsewhere it does nothing.
func logWholePlan(app *App, p *reconcile.Plan) error {
	if app.Getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	return logGroup(app.IO.ErrOut, wholePlanGroup, func(w io.Writer) error {
		return render.PlanTextWith(w, p, render.Options{AllPending: true})
	})
}

// logGroup writes what write writes to w, the job log, folded in a group
// titled title (our own words: no escaping).
func logGroup(w io.Writer, title string, write func(io.Writer) error) error {
	command := func(text string) error {
		return writeCommands(w, func(w io.Writer) error { _, err := io.WriteString(w, text); return err })
	}
	if err := command("::group::" + title + "\n"); err != nil {
		return err
	}
	if err := write(w); err != nil {
		return err
	}
	return command("::endgroup::\n")
}

// stepOutput is one output of the step: name=value.
type stepOutput struct{ name, value string }

// SetOutputs writes step outputs in the file protocol of $GITHUB_OUTPUT. A
// value with a line break is written between delimiters that cannot occur
// in it (name<<DELIMITER ... DELIMITER), as GitHub's toolkit does.
func (gh *githubActions) SetOutputs(outs ...stepOutput) error {
	if gh == nil || gh.output == "" {
		return nil
	}
	var b strings.Builder
	for _, o := range outs {
		if !strings.ContainsAny(o.value, "\r\n") {
			fmt.Fprintf(&b, "%s=%s\n", o.name, o.value)
			continue
		}
		delim := "ghadelimiter_" + randomHex()
		for strings.Contains(o.value, delim) {
			delim = "ghadelimiter_" + randomHex()
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.name, delim, o.value, delim)
	}
	return appendFile(gh.output, b.String(), "GITHUB_OUTPUT", gh.redact)
}

func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// appendFile appends text, redacted, to the file the runner named in env
// (the runner creates it; so does appendFile, for runs outside a runner).
func appendFile(path, text, env string, redact func(string) string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("github actions: open $%s: %w", env, err)
	}
	if _, err := io.WriteString(f, redact(text)); err != nil {
		f.Close()
		return fmt.Errorf("github actions: write $%s: %w", env, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("github actions: write $%s: %w", env, err)
	}
	return nil
}

// maxSummarySize is what teamctl adds to a job summary at most: GitHub
// takes 1 MiB from a step, and the step may add its own lines.
const maxSummarySize = 1<<20 - 16<<10

// wholePlanGroup is the title of the group of the job log that holds the
// whole plan, when a comment or the job summary could not.
const wholePlanGroup = "teamctl plan: the whole plan"

// wholePlan says where the whole plan is, for a Markdown plan cut to fit:
// under Actions, the log of the run (the group reportPlanToActions
// writes); elsewhere, teamctl plan.
func wholePlan(app *App) string {
	if app.Getenv("GITHUB_ACTIONS") == "true" {
		return fmt.Sprintf("The whole plan is in the log of the workflow run that made this report, in the group %q.", wholePlanGroup)
	}
	return "Run `teamctl plan` for the whole plan."
}

// reportPlanToActions does, under GitHub Actions, what a plan step owes the
// job: annotate the findings, add the Markdown plan to the job summary, and
// set the outputs has_changes and one count per kind of change (invite,
// update_invite, resend_invite, change_role, cancel_invite, remove), for
// later steps' conditions. When the summary had to be cut, the whole plan
// goes to the log, where the cut note says it is, unless the plan on
// stdout was cut and put it there already (logged).
func reportPlanToActions(app *App, p *reconcile.Plan, team *schema.Team, logged bool) error {
	gh := newGitHubActions(app)
	if gh == nil {
		return nil
	}
	if err := gh.Annotate(app.IO.ErrOut, p.Findings); err != nil {
		return err
	}
	summaryCut := false
	err := gh.AppendSummary(func(w io.Writer) (err error) {
		summaryCut, err = render.PlanMarkdownWith(w, p, team, render.MarkdownOptions{Limit: maxSummarySize, Whole: wholePlan(app)})
		return err
	})
	if err != nil {
		return err
	}
	if summaryCut && !logged {
		if err := logWholePlan(app, p); err != nil {
			return err
		}
	}
	outs := []stepOutput{{"has_changes", strconv.FormatBool(len(p.Changes) > 0)}}
	sum := p.Summary()
	for _, a := range reconcile.Actions {
		outs = append(outs, stepOutput{strings.ReplaceAll(string(a), "-", "_"), strconv.Itoa(sum[a])})
	}
	return gh.SetOutputs(outs...)
}
