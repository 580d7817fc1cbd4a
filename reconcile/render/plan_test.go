package render_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/planfile"
	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func days(n int) *time.Time {
	t := now.AddDate(0, 0, n)
	return &t
}

func person(email string, role schema.Role, line int) schema.Person {
	return schema.Person{Email: email, Role: role, Pos: schema.Pos{File: "team.yaml", Line: line, Col: 5}}
}

func member(email string, role schema.Role, status reconcile.Status, sent, expires int) reconcile.Member {
	m := reconcile.Member{Email: email, Role: role, Status: status}
	if status == reconcile.Invited {
		m.InvitedAt, m.InviteExpiresAt = days(sent), days(expires)
	}
	return m
}

// everyKind is a plan with every kind of change, a held change, pending
// invites and drift.
func everyKind(t testing.TB, prune bool) *reconcile.Plan {
	t.Helper()
	team := &schema.Team{
		Version: 1, Workspace: "acme-outbound", Files: []string{"team.yaml"}, Digest: "sha256:team",
		Policy:     schema.DefaultPolicy(),
		InviteNote: "On first login, open Campaigns and check\nthat you see the launch team.\n",
		People: []schema.Person{
			person("dana@acme.io", schema.Admin, 10),
			person("sam@acme.io", schema.Admin, 12),
			person("olivia@acme.io", schema.Operator, 15),
			person("omar@acme.io", schema.Operator, 16),
			person("max@acme.io", schema.Operator, 17),
			person("rita@acme.io", schema.Reviewer, 19),
			person("ray@acme.io", schema.Reviewer, 20),
			person("lee@acme.io", schema.Reviewer, 21),
		},
	}
	team.Policy.Prune = prune
	live := &reconcile.Live{Name: "acme-outbound", Members: []reconcile.Member{
		member("dana@acme.io", schema.Admin, reconcile.Active, 0, 0),
		member("lee@acme.io", schema.Admin, reconcile.Active, 0, 0),
		member("max@acme.io", schema.Admin, reconcile.Active, 0, 0),
		member("olivia@acme.io", schema.Operator, reconcile.Invited, -2, 5),
		member("omar@acme.io", schema.Reviewer, reconcile.Invited, -1, 6),
		member("ray@acme.io", schema.Reviewer, reconcile.Invited, -12, -5),
		member("sam@acme.io", schema.Operator, reconcile.Active, 0, 0),
		member("yan@acme.io", schema.Reviewer, reconcile.Invited, -3, 4),
		member("zed@acme.io", schema.Operator, reconcile.Active, 0, 0),
	}}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: now, Actor: "lee@acme.io"})
	if err != nil {
		t.Fatal(err)
	}
	plan.WorkspaceURL = "file:workspace.json"
	return plan
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, d)
	}
}

func TestPlanText(t *testing.T) {
	noChanges := &reconcile.Plan{Workspace: "acme-outbound", CreatedAt: now}
	unappliable := everyKind(t, false)
	unappliable.Findings = []schema.Finding{{Rule: "backup-admin", Severity: schema.Error, Message: "no backup admin"}}
	driftOnly := &reconcile.Plan{Workspace: "acme-outbound", CreatedAt: now, Drift: []reconcile.Drift{
		{Email: "eve@acme.io", Role: schema.Operator, Status: reconcile.Active},
		{Email: "fay@acme.io", Role: schema.Reviewer, Status: reconcile.Invited},
	}}
	heldOnly := everyKind(t, true)
	heldOnly.Changes = nil
	// A roster just invited: nothing to do, many invites pending.
	manyPending := &reconcile.Plan{Workspace: "acme-outbound", CreatedAt: now}
	for i := range 2000 {
		sent := now.AddDate(0, 0, -(i % 9))
		expires := sent.AddDate(0, 0, 7)
		manyPending.Pending = append(manyPending.Pending, reconcile.Pending{
			Email: fmt.Sprintf("p%04d@acme.io", i), Role: schema.Reviewer,
			InvitedAt: &sent, ExpiresAt: &expires, Expired: expires.Before(now), Declared: true,
		})
	}
	tests := []struct {
		name string
		plan *reconcile.Plan
		opts render.Options
	}{
		{"plan_every_kind", everyKind(t, true), render.Options{}},
		{"plan_drift", everyKind(t, false), render.Options{}},
		{"plan_no_changes", noChanges, render.Options{}},
		{"plan_no_changes_drift", driftOnly, render.Options{}},
		{"plan_no_changes_held", heldOnly, render.Options{}},
		{"plan_many_pending", manyPending, render.Options{}},
		{"plan_color", everyKind(t, true), render.Options{Color: true}},
		{"plan_unappliable", unappliable, render.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render.PlanTextWith(&b, tt.plan, tt.opts); err != nil {
				t.Fatal(err)
			}
			if !tt.opts.Color && strings.Contains(b.String(), "\x1b[") {
				t.Error("PlanText() wrote colour when not asked")
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestResultsText(t *testing.T) {
	plan := everyKind(t, true)
	var rs reconcile.Results
	for i, c := range plan.Changes {
		r := reconcile.Result{Change: c, Outcome: reconcile.Applied}
		switch i {
		case 1:
			r.Outcome, r.Err = reconcile.Failed, errors.New("service unavailable")
		case len(plan.Changes) - 1:
			r.Outcome, r.Err = reconcile.NotAttempted, errors.New("apply stopped: context canceled")
		}
		rs = append(rs, r)
	}
	var b bytes.Buffer
	if err := render.ResultsText(&b, rs, false); err != nil {
		t.Fatal(err)
	}
	if err := render.ApplySummary(&b, rs, false); err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		rs[i].Outcome, rs[i].Err = reconcile.Applied, nil
	}
	if err := render.ApplySummary(&b, rs, false); err != nil {
		t.Fatal(err)
	}
	golden(t, "apply_results", b.Bytes())
}

func TestPlanJSON(t *testing.T) {
	plan := everyKind(t, true)
	plan.Findings = []schema.Finding{{Rule: "approvers", Severity: schema.Warning, Pos: schema.Pos{File: "team.yaml", Line: 30, Col: 1}, Message: "no approvers for reviewers", Hint: "add approvers.reviewers"}}
	var b bytes.Buffer
	if err := planfile.Write(&b, plan); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		FormatVersion   string           `json:"format_version"`
		Workspace       string           `json:"workspace"`
		WorkspaceURL    string           `json:"workspace_url"`
		TeamDigest      string           `json:"team_digest"`
		LiveFingerprint string           `json:"live_fingerprint"`
		CreatedAt       string           `json:"created_at"`
		Actor           string           `json:"actor"`
		Applyable       bool             `json:"applyable"`
		Changes         []map[string]any `json:"changes"`
		Held            []map[string]any `json:"held"`
		Drift           []map[string]any `json:"drift"`
		Pending         []map[string]any `json:"pending_invites"`
		Summary         map[string]int   `json:"summary"`
		Findings        []map[string]any `json:"findings"`
		Live            []map[string]any `json:"live"`
		Checksum        string           `json:"checksum"`
	}
	dec := json.NewDecoder(&b)
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	check := func(field string, got, want any) {
		t.Helper()
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", field, d)
		}
	}
	check("format_version", doc.FormatVersion, "1")
	check("workspace", doc.Workspace, "acme-outbound")
	check("workspace_url", doc.WorkspaceURL, "file:workspace.json")
	check("team_digest", doc.TeamDigest, "sha256:team")
	check("live_fingerprint", doc.LiveFingerprint, plan.LiveFingerprint)
	check("created_at", doc.CreatedAt, "2026-11-26T12:00:00Z")
	check("actor", doc.Actor, "lee@acme.io")
	check("applyable", doc.Applyable, true)
	check("summary", doc.Summary, map[string]int{"invite": 1, "update-invite": 1, "resend-invite": 1, "change-role": 2, "cancel-invite": 1, "remove": 1, "rename": 0})
	check("changes[0]", doc.Changes[0], map[string]any{
		"action": "change-role", "email": "sam@acme.io", "role_before": "operator", "role_after": "admin",
		"reason": "declared as admin", "reason_code": "declared-role", "file": "team.yaml", "line": float64(12), "column": float64(5),
	})
	check("changes[1]", doc.Changes[1], map[string]any{
		"action": "update-invite", "email": "omar@acme.io", "role_before": "reviewer", "role_after": "operator",
		"reason": "declared as operator; the pending invite is for reviewer", "reason_code": "declared-invite-role", "file": "team.yaml", "line": float64(16), "column": float64(5),
		"invited_at": "2026-11-25T12:00:00Z",
	})
	check("changes[6]", doc.Changes[6], map[string]any{
		"action": "remove", "email": "zed@acme.io", "role_before": "operator", "role_after": nil,
		"reason": "undeclared: not in team.yaml (policy.prune)", "reason_code": "undeclared", "reason_files": "team.yaml", "file": nil, "line": nil,
	})
	check("held[0].held_because", doc.Held[0]["held_because"], "lee@acme.io applies this plan, and a plan never demotes or removes who applies it; let another admin apply it")
	check("pending_invites[0]", doc.Pending[0], map[string]any{
		"email": "olivia@acme.io", "role": "operator", "invited_at": "2026-11-24T12:00:00Z",
		"invite_expires_at": "2026-12-01T12:00:00Z", "expired": false, "declared": true,
	})
	check("findings[0]", doc.Findings[0], map[string]any{
		"rule": "approvers", "severity": "warning", "file": "team.yaml", "line": float64(30), "column": float64(1),
		"message": "no approvers for reviewers", "hint": "add approvers.reviewers",
	})
	check("live[0]", doc.Live[0], map[string]any{"email": "dana@acme.io", "role": "admin", "status": "active"})
	if !strings.HasPrefix(doc.Checksum, "sha256:") {
		t.Errorf("checksum = %q, want a sha256 digest", doc.Checksum)
	}
	check("drift", len(doc.Drift), 0)
}

func TestReadPlanJSON(t *testing.T) {
	plan := everyKind(t, false)
	var b bytes.Buffer
	if err := planfile.Write(&b, plan); err != nil {
		t.Fatal(err)
	}
	saved := b.Bytes()

	got, err := planfile.Read(saved)
	if err != nil {
		t.Fatalf("ReadPlanJSON() error = %v", err)
	}
	// A saved plan keeps the live state of whom it depends on, no more.
	want := *plan
	want.Basis = plan.DependsOn()
	if d := cmp.Diff(&want, got); d != "" {
		t.Errorf("ReadPlanJSON() round trip mismatch (-want +got):\n%s", d)
	}

	// Reformatting keeps the checksum.
	var compact bytes.Buffer
	if err := json.Compact(&compact, saved); err != nil {
		t.Fatal(err)
	}
	if _, err := planfile.Read(compact.Bytes()); err != nil {
		t.Errorf("ReadPlanJSON() of the compacted plan: %v", err)
	}

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"tampered", bytes.Replace(saved, []byte(`"role_after": "admin"`), []byte(`"role_after": "reviewer"`), 1), "modified after teamctl wrote it"},
		{"truncated", saved[:len(saved)/2], "truncated"},
		{"empty", nil, "truncated"},
		{"other format", bytes.Replace(saved, []byte(`"format_version": "1"`), []byte(`"format_version": "2"`), 1), `format_version "2" is not "1"`},
		{"not a plan", []byte(`{"valid": true}`), "no format_version"},
		{"no checksum", bytes.Replace(saved, []byte(`"checksum": "sha256:`), []byte(`"checksum": "x`), 1), "checksum mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := planfile.Read(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadPlanJSON() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestPlanTextEscapes(t *testing.T) {
	plan := &reconcile.Plan{Workspace: "acme", CreatedAt: now, Drift: []reconcile.Drift{
		{Email: "eve@acme.io\x1b[2J", Name: "Eve", Role: schema.Operator, Status: reconcile.Active},
	}}
	var b bytes.Buffer
	if err := render.PlanText(&b, plan, false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "\x1b") || !strings.Contains(b.String(), `eve@acme.io\x1b[2J`) {
		t.Errorf("PlanText() did not escape a control character:\n%q", b.String())
	}
}

func TestPlanTextNoteEscaped(t *testing.T) {
	note := "Open Campaigns\x1b[2J\nthen \u202eCall Review\u202c"
	plan := &reconcile.Plan{Workspace: "acme", CreatedAt: now, InviteNote: note, Changes: []reconcile.Change{
		{Action: reconcile.Invite, Email: "eve@acme.io", RoleAfter: schema.Operator, Note: note},
	}}
	var b bytes.Buffer
	if err := render.PlanText(&b, plan, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.ContainsAny(out, "\x1b\u202e") || strings.Count(out, "Open Campaigns") != 1 || !strings.Contains(out, "    | then ") {
		t.Errorf("PlanText() did not show the note once, escaped:\n%q", out)
	}
}

// TestPlanDangling checks that role-group members that are no user are
// listed in every format, and that a saved plan keeps them.
func TestPlanDangling(t *testing.T) {
	p := &reconcile.Plan{Workspace: "acme", CreatedAt: now, Dangling: []reconcile.Dangling{{Group: "Admins", Role: schema.Admin, Value: "bulkId:op-0"}}}
	const want = "group Admins holds member bulkId:op-0, which is no user (policy.prune is off)"
	var text, md, js bytes.Buffer
	if err := render.PlanText(&text, p, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "  ? "+want+"\n") || !strings.Contains(text.String(), "No changes. The team file's people match the workspace; the list above shows 1 dangling member.") {
		t.Errorf("PlanText() =\n%s\nwant it to list %q", text.String(), want)
	}
	if err := render.PlanMarkdown(&md, p, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "- "+strings.NewReplacer("(", `\(`, ")", `\)`).Replace(want)) {
		t.Errorf("PlanMarkdown() =\n%s\nwant it to list %q", md.String(), want)
	}
	if err := planfile.Write(&js, p); err != nil {
		t.Fatal(err)
	}
	got, err := planfile.Read(js.Bytes())
	if err != nil {
		t.Fatalf("ReadPlanJSON() error = %v", err)
	}
	if d := cmp.Diff(p.Dangling, got.Dangling); d != "" {
		t.Errorf("ReadPlanJSON() Dangling mismatch (-want +got):\n%s", d)
	}
}
