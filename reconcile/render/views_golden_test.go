package render_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/journal"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// TestViewGoldens pins the documents and tables of the views that have no
// golden of their own elsewhere: apply -o json, diff -o json, export -o
// json, journal text and JSON lines.
func TestViewGoldens(t *testing.T) {
	plan := everyKind(t, true)
	var results reconcile.Results
	for i, c := range plan.Changes {
		r := reconcile.Result{Change: c, Outcome: reconcile.Applied}
		switch i {
		case 1:
			r.Outcome, r.Err = reconcile.Failed, errors.New("scim: 503 Service Unavailable")
		case 2:
			r.Outcome, r.Err = reconcile.NotAttempted, errors.New("apply stopped: interrupted")
		}
		results = append(results, r)
	}
	team := &schema.Team{People: []schema.Person{
		{Email: "dana@acme.io", Role: schema.Admin},
		{Email: "ana@acme.io", Role: schema.Operator},
		{Email: "rita@acme.io", Role: schema.Reviewer},
	}}
	live := &reconcile.Live{Name: "acme", Members: []reconcile.Member{
		{Email: "ana@acme.io", Name: "Ana Ruiz", Role: schema.Admin, Status: reconcile.Active},
		{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active},
		{Email: "rita@acme.io", Role: schema.Reviewer, Status: reconcile.Invited},
		{Email: "sam@acme.io", Role: schema.Operator, OtherRoles: []schema.Role{schema.Admin}, Status: reconcile.Active},
		{Email: "old@acme.io", Role: schema.Reviewer, Status: reconcile.Suspended},
	}}
	at := time.Date(2026, 11, 26, 9, 30, 1, 0, time.UTC)
	recs := []journal.Record{
		{Time: at, Apply: "3f9c0b7a1d2e4f60", Actor: "sam@acme.io", User: "sam", Host: "ci-7", Workspace: "acme", WorkspaceURL: "file:.teamctl/workspace.json",
			Action: "change-role", Email: "ana@acme.io", RoleBefore: "operator", RoleAfter: "admin", Reason: "team.yaml:7: declared as admin", ReasonCode: "declared-role", Result: "applied"},
		{Time: at.Add(time.Second), Apply: "3f9c0b7a1d2e4f60", Workspace: "acme", WorkspaceURL: "file:.teamctl/workspace.json",
			Action: "invite", Email: "rita@acme.io", RoleAfter: "reviewer", Result: "failed", Error: "scim: 503"},
		{Time: at.Add(time.Minute), Apply: "dead", Actor: "sam@acme.io", Workspace: "acme",
			Action: "invite", Email: "zoe@acme.io", RoleAfter: "admin", Result: journal.Started},
	}
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"apply.json", func(b *bytes.Buffer) error {
			return render.ApplyJSON(b, render.ApplyReport{Plan: plan, Results: results, ApplyID: "3f9c0b7a1d2e4f60"})
		}},
		{"apply_nothing.json", func(b *bytes.Buffer) error {
			return render.ApplyJSON(b, render.ApplyReport{Plan: &reconcile.Plan{Workspace: "acme", WorkspaceURL: "file:ws.json"}, Verified: true})
		}},
		{"diff.json", func(b *bytes.Buffer) error {
			return render.DiffJSON(b, render.NewRosters(team, live, "file:ws.json", "team.yaml"))
		}},
		{"export.json", func(b *bytes.Buffer) error { return render.TeamFileJSON(b, live) }},
		{"journal.txt", func(b *bytes.Buffer) error { return render.JournalText(b, recs) }},
		{"journal.jsonl", func(b *bytes.Buffer) error { return render.JournalJSON(b, recs) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}
