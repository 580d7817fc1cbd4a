package main

import (
	"io"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/render"
)

// reportUnsentNote ends an apply on a workspace whose invitations do not
// carry the invite note (SCIM without note=): it says so on stderr and
// lists who was invited, and under GitHub Actions adds the note and the
// list to the job summary, so that an admin can send it. It does nothing
// when the workspace sent the note or nobody was invited.
func reportUnsentNote(app *App, ws reconcile.Workspace, plan *reconcile.Plan, results reconcile.Results) error {
	if plan.InviteNote == "" || reconcile.SendsInviteNote(ws) {
		return nil
	}
	var emails []string
	for _, r := range results {
		if r.Outcome == reconcile.Applied && r.Change.SendsNote() {
			emails = append(emails, r.Change.Email)
		}
	}
	if len(emails) == 0 {
		return nil
	}
	if err := render.NoteUnsentText(app.IO.ErrOut, plan.InviteNote, emails); err != nil {
		return err
	}
	return newGitHubActions(app).AppendSummary(func(w io.Writer) error {
		return render.NoteUnsentMarkdown(w, plan.Workspace, plan.InviteNote, emails)
	})
}
