package main

// Views, after Terraform's internal/command/views: each command picks its
// view once, from its typed format (newPlanView(format, ...)), and then
// only talks to the view. Human, JSON and markdown are implementations of
// the command's one small interface; the renderers in reconcile/render
// make the text.

import (
	"fmt"
	"io"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/reconcile/planfile"
	"github.com/teamctl/teamctl/reconcile/readiness"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/reconcile/review"
	"github.com/teamctl/teamctl/schema"
)

// findingsView writes findings: all validate writes, and what plan, apply,
// diff and readiness say of a team file that does not load.
type findingsView interface {
	Findings(fs []schema.Finding) error
}

func newFindingsView(f Format, w io.Writer, color bool) findingsView {
	switch f {
	case FormatJSON:
		return findingsJSON{w}
	case FormatMarkdown:
		return findingsMarkdown{w}
	case FormatGitHub:
		return findingsGitHub{w}
	}
	return findingsText{w, color}
}

type findingsText struct {
	w     io.Writer
	color bool
}

func (v findingsText) Findings(fs []schema.Finding) error {
	return render.FindingsText(v.w, fs, render.Options{Color: v.color})
}

type findingsJSON struct{ w io.Writer }

func (v findingsJSON) Findings(fs []schema.Finding) error { return render.FindingsJSON(v.w, fs) }

type findingsMarkdown struct{ w io.Writer }

func (v findingsMarkdown) Findings(fs []schema.Finding) error {
	return render.FindingsMarkdown(v.w, fs)
}

type findingsGitHub struct{ w io.Writer }

func (v findingsGitHub) Findings(fs []schema.Finding) error {
	return writeCommands(v.w, func(w io.Writer) error { return render.FindingsGitHub(w, fs) })
}

// planView is what teamctl plan writes.
type planView interface {
	findingsView
	// Plan writes the plan with its findings.
	Plan(p *reconcile.Plan, team *schema.Team) error
	// Saved tells where the plan was saved and how to apply it.
	Saved(path, applyCommand string)
}

// newPlanView picks plan's view; allPending lists every pending invite in
// text (plan --pending), not only a summary of many.
func newPlanView(f Format, app *App, g *GlobalOptions, allPending bool) planView {
	out := app.IO.Out
	switch f {
	case FormatJSON:
		return planJSON{findingsJSON{out}}
	case FormatMarkdown:
		return &planMarkdown{findingsMarkdown: findingsMarkdown{out}, app: app}
	}
	return planText{findingsText{out, g.Color(app)}, allPending}
}

type planText struct {
	findingsText
	allPending bool
}

func (v planText) Plan(p *reconcile.Plan, _ *schema.Team) error {
	if len(p.Findings) > 0 {
		if err := v.Findings(p.Findings); err != nil {
			return err
		}
		fmt.Fprintln(v.w)
	}
	return render.PlanTextWith(v.w, p, render.Options{Color: v.color, AllPending: v.allPending})
}

func (v planText) Saved(path, applyCommand string) {
	fmt.Fprintf(v.w, "\nSaved the plan to %s. To apply exactly these changes, run:\n    %s\n", path, applyCommand)
}

type planJSON struct{ findingsJSON }

func (v planJSON) Plan(p *reconcile.Plan, _ *schema.Team) error { return planfile.Write(v.w, p) }
func (planJSON) Saved(string, string)                           {}

// planMarkdown writes the plan as a pull-request comment, cut to fit one
// when it must be; under GitHub Actions a cut plan is also written whole
// to the job log, where the cut says it is, and cut records that it was.
type planMarkdown struct {
	findingsMarkdown
	app *App
	cut bool
}

func (v *planMarkdown) Plan(p *reconcile.Plan, team *schema.Team) (err error) {
	v.cut, err = render.PlanMarkdownWith(v.w, p, team, render.MarkdownOptions{Whole: wholePlan(v.app)})
	if err != nil || !v.cut {
		return err
	}
	return logWholePlan(v.app, p)
}
func (*planMarkdown) Saved(string, string) {}

// applyView is what teamctl apply writes.
type applyView interface {
	findingsView
	// Plan shows a plan made now, before asking to apply it.
	Plan(p *reconcile.Plan) error
	// Results reports the outcomes of a batch as it completes.
	Results(rs []reconcile.Result) error
	// Done reports the apply as a whole; r.Results is empty when there
	// was nothing to do.
	Done(r render.ApplyReport) error
}

func newApplyView(f Format, app *App, g *GlobalOptions) applyView {
	if f == FormatJSON {
		// stdout carries the apply document alone; findings go to stderr.
		return applyJSON{findingsText{app.IO.ErrOut, false}, app.IO.Out}
	}
	return &applyText{planText: planText{findingsText: findingsText{app.IO.Out, g.Color(app)}}}
}

type applyText struct {
	planText
	shown   bool // the plan was shown: it said "No changes" itself
	started bool // results were reported
}

func (v *applyText) Plan(p *reconcile.Plan) error {
	v.shown = true
	return v.planText.Plan(p, nil)
}

func (v *applyText) Results(rs []reconcile.Result) error {
	if !v.started {
		v.started = true
		fmt.Fprintln(v.w)
	}
	return render.ResultsText(v.w, rs, v.color)
}

func (v *applyText) Done(r render.ApplyReport) error {
	if len(r.Results) == 0 {
		if !v.shown {
			fmt.Fprintln(v.w, "No changes. The workspace matches the team file.")
		}
		return nil
	}
	fmt.Fprintln(v.w)
	return render.ApplySummary(v.w, r.Results, v.color)
}

type applyJSON struct {
	findingsText // to stderr
	out          io.Writer
}

func (applyJSON) Plan(*reconcile.Plan) error        { return nil }
func (applyJSON) Results([]reconcile.Result) error  { return nil }
func (v applyJSON) Done(r render.ApplyReport) error { return render.ApplyJSON(v.out, r) }

// diffView is what teamctl diff writes; differ reports whether the rosters
// differ.
type diffView interface {
	findingsView
	Diff(r render.Rosters, live, declared string) (differ bool, err error)
}

func newDiffView(f Format, app *App, g *GlobalOptions) diffView {
	if f == FormatJSON {
		return diffJSON{findingsJSON{app.IO.Out}}
	}
	return diffText{findingsText{app.IO.Out, g.Color(app)}, app.IO.ErrOut}
}

type diffText struct {
	findingsText
	errOut io.Writer
}

// Diff writes the unified diff on stdout; when there is none, it says so
// on stderr, so that stdout stays an (empty) diff.
func (v diffText) Diff(r render.Rosters, live, declared string) (bool, error) {
	differ, err := render.UnifiedDiff(v.w, "live "+r.WorkspaceURL, "declared "+r.File, live, declared, v.color)
	if err == nil && !differ {
		fmt.Fprintln(v.errOut, "No differences: the live workspace holds the people and roles the team file declares.")
	}
	return differ, err
}

type diffJSON struct{ findingsJSON }

func (v diffJSON) Diff(r render.Rosters, _, _ string) (bool, error) {
	return len(r.Moves()) > 0, render.DiffJSON(v.w, r)
}

// exportView is what teamctl export writes.
type exportView interface {
	Export(live *reconcile.Live, url string) error
}

func newExportView(f Format, app *App) exportView {
	if f == FormatJSON {
		return exportJSON{app.IO.Out}
	}
	return exportYAML{app.IO.Out}
}

type exportYAML struct{ w io.Writer }

func (v exportYAML) Export(l *reconcile.Live, url string) error { return render.TeamFile(v.w, l, url) }

type exportJSON struct{ w io.Writer }

func (v exportJSON) Export(l *reconcile.Live, _ string) error { return render.TeamFileJSON(v.w, l) }

// readinessView is what teamctl readiness writes.
type readinessView interface {
	findingsView
	Report(r *readiness.Report, team *schema.Team) error
}

func newReadinessView(f Format, app *App, g *GlobalOptions) readinessView {
	out := app.IO.Out
	switch f {
	case FormatJSON:
		return readinessJSON{findingsJSON{out}}
	case FormatMarkdown:
		return readinessMarkdown{findingsMarkdown{out}}
	}
	return readinessText{findingsText{out, g.Color(app)}}
}

type readinessText struct{ findingsText }

func (v readinessText) Report(r *readiness.Report, _ *schema.Team) error {
	return render.ReadinessText(v.w, r, v.color)
}

type readinessJSON struct{ findingsJSON }

func (v readinessJSON) Report(r *readiness.Report, _ *schema.Team) error {
	return render.ReadinessJSON(v.w, r)
}

type readinessMarkdown struct{ findingsMarkdown }

func (v readinessMarkdown) Report(r *readiness.Report, team *schema.Team) error {
	return render.ReadinessMarkdown(v.w, r, team)
}

// journalView is what teamctl journal writes.
type journalView interface {
	Records(recs []journal.Record) error
}

func newJournalView(f Format, app *App) journalView {
	if f == FormatJSON {
		return journalJSON{app.IO.Out}
	}
	return journalText{app.IO.Out, app.IO.ErrOut}
}

type journalText struct{ w, errOut io.Writer }

func (v journalText) Records(recs []journal.Record) error {
	if len(recs) == 0 {
		fmt.Fprintln(v.errOut, "No journal records match.")
		return nil
	}
	return render.JournalText(v.w, recs)
}

type journalJSON struct{ w io.Writer }

// Records writes one JSON document a line (JSON lines), as the journal
// keeps them.
func (v journalJSON) Records(recs []journal.Record) error {
	return render.JournalJSON(v.w, recs)
}

// reviewView is what teamctl review writes.
type reviewView interface {
	findingsView
	Review(r *review.Report) error
}

func newReviewView(f Format, app *App, g *GlobalOptions) reviewView {
	out := app.IO.Out
	switch f {
	case FormatJSON:
		return reviewJSON{findingsJSON{out}}
	case FormatMarkdown:
		return reviewMarkdown{findingsMarkdown{out}}
	}
	return reviewText{findingsText{out, g.Color(app)}}
}

type reviewText struct{ findingsText }

func (v reviewText) Review(r *review.Report) error { return render.ReviewText(v.w, r) }

type reviewJSON struct{ findingsJSON }

func (v reviewJSON) Review(r *review.Report) error { return render.ReviewJSON(v.w, r) }

type reviewMarkdown struct{ findingsMarkdown }

func (v reviewMarkdown) Review(r *review.Report) error { return render.ReviewMarkdown(v.w, r) }

// expireView is what teamctl expire writes.
type expireView interface {
	findingsView
	// Expired reports the people whose access ended: taken out (or to be,
	// without write) or left in; written names the files written.
	Expired(ended []schema.Ended, today schema.Date, write bool, written []string) error
}

func newExpireView(f Format, app *App, g *GlobalOptions) expireView {
	if f == FormatJSON {
		return expireJSON{findingsJSON{app.IO.Out}}
	}
	return expireText{findingsText{app.IO.Out, g.Color(app)}}
}

type expireText struct{ findingsText }

func (v expireText) Expired(ended []schema.Ended, _ schema.Date, write bool, written []string) error {
	return render.ExpireText(v.w, ended, write, written)
}

type expireJSON struct{ findingsJSON }

func (v expireJSON) Expired(ended []schema.Ended, today schema.Date, write bool, _ []string) error {
	return render.ExpireJSON(v.w, ended, today, write)
}
