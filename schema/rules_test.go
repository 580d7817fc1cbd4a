package schema

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// edit returns validTeam with each old string replaced by its new one.
func edit(pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(validTeam)
}

// ruleByID returns the registered rule with id.
func ruleByID(t *testing.T, id string) Rule {
	t.Helper()
	for _, r := range Rules() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %q", id)
	return Rule{}
}

func TestRules(t *testing.T) {
	tests := []struct {
		rule string
		name string
		src  string
		want []string // "line:col: message"
	}{
		{"duplicate-person", "passes", validTeam, nil},
		{"duplicate-person", "same role", edit("  - email: sam@acme.io\n", "  - email: sam@acme.io\n  - email: Sam@Acme.io\n"),
			[]string{"10:5: Sam@Acme.io is declared twice as admin (first at team.yaml:9:5)"}},
		{"duplicate-person", "two roles", edit("  - email: rita@acme.io\n", "  - email: rita@acme.io\n  - email: olivia@acme.io\n"),
			[]string{"14:5: olivia@acme.io is declared as reviewer here and as operator at team.yaml:11:5"}},

		{"backup-admin", "passes", validTeam, nil},
		{"backup-admin", "missing", edit("backups:\n  admin: sam@acme.io\n", ""),
			[]string{"1:1: no backup admin: billing, integrations and urgent fixes depend on one person; add `backups: {admin: EMAIL}`"}},
		{"backup-admin", "not an admin", edit("  admin: sam@acme.io", "  admin: olivia@acme.io"),
			[]string{"15:10: backup admin olivia@acme.io is declared as operator at team.yaml:11:5, not as admin"}},
		{"backup-admin", "not declared", edit("  admin: sam@acme.io", "  admin: [sam@acme.io, nobody@acme.io]"),
			[]string{"15:24: backup admin nobody@acme.io is not declared; declare them under admins"}},
		{"backup-admin", "one admin", edit("  - email: sam@acme.io\n", "", "sam@acme.io", "dana@acme.io"),
			[]string{"7:5: 1 admin declared; backup coverage needs at least 2 admins"}},

		{"admin-limit", "passes", validTeam, nil},
		{"admin-limit", "over the default", edit("  - email: sam@acme.io\n", "  - email: sam@acme.io\n  - email: a@acme.io\n  - email: b@acme.io\n"),
			[]string{"11:5: 4 admins declared, more than policy.max_admins (3)"}},
		{"admin-limit", "over the policy", validTeam + "policy:\n  max_admins: 1\n",
			[]string{"9:5: 2 admins declared, more than policy.max_admins (1)"}},

		{"operator-present", "passes", validTeam, nil},
		{"operator-present", "none", edit("operators:\n  - email: olivia@acme.io\n", "", "olivia@", "dana@"),
			[]string{"1:1: no operators declared: nobody can build or run campaigns"}},

		{"reviewer-present", "passes", validTeam, nil},
		{"reviewer-present", "empty list", edit("reviewers:\n  - email: rita@acme.io\n", "reviewers: []\n"),
			[]string{"1:1: no reviewers declared: nobody owns review and QA"}},

		{"workflow-owner", "passes", validTeam, nil},
		{"workflow-owner", "draft needs nothing", edit("approvers:", "  - name: later\n    state: draft\napprovers:"), nil},
		{"workflow-owner", "no owner, no backups", edit("approvers:", "  - name: outbound\n    state: pilot\napprovers:"),
			[]string{"23:5: pilot workflow \"outbound\" has no owner", "23:5: pilot workflow \"outbound\" has no backup"}},
		{"workflow-owner", "undeclared", edit("    owner: olivia@acme.io\n    backups: [sam@acme.io]", "    owner: oliva@acme.io\n    backups: [sam@acme.io, x@acme.io]"),
			[]string{
				"21:12: owner oliva@acme.io of workflow \"Q1 outbound pilot\" is not declared as admin, operator or reviewer; did you mean olivia@acme.io?",
				"22:28: backup x@acme.io of workflow \"Q1 outbound pilot\" is not declared as admin, operator or reviewer",
			}},
		{"workflow-owner", "owner is own backup", edit("    backups: [sam@acme.io]\n  - name: Q1", "    backups: [Dana@acme.io]\n  - name: Q1"),
			[]string{"19:15: Dana@acme.io owns workflow \"billing\" and cannot also be its backup"}},

		{"workflow-role", "passes", validTeam, nil},
		{"workflow-role", "operator owns billing", edit("    owner: dana@acme.io", "    owner: olivia@acme.io"),
			[]string{"18:12: owner olivia@acme.io of \"billing\" is declared as operator, but billing is an admin area"}},
		{"workflow-role", "reviewer backs up a campaign", edit("    owner: olivia@acme.io\n    backups: [sam@acme.io]", "    owner: olivia@acme.io\n    backups: [rita@acme.io]"),
			[]string{"22:15: backup rita@acme.io of \"Q1 outbound pilot\" is declared as reviewer; workflows are run by operators or admins"}},
		{"workflow-role", "admin area by any case", edit("name: billing", "name: Integrations", "    owner: dana@acme.io", "    owner: rita@acme.io"),
			[]string{"18:12: owner rita@acme.io of \"Integrations\" is declared as reviewer, but Integrations is an admin area"}},

		{"invite-note", "passes", validTeam, nil},
		{"invite-note", "missing", edit("invite_note: |\n  Welcome to Acme's Callaro workspace. On first login, open Campaigns.\n", ""),
			[]string{"1:1: no invite_note: invitees do not know what to verify on first login"}},
		{"invite-note", "too short", edit("  Welcome to Acme's Callaro workspace. On first login, open Campaigns.", "  Welcome!"),
			[]string{"4:14: invite_note has 8 characters, fewer than 20: say what invitees should check on first login"}},
		{"invite-note", "too long", edit("  Welcome to Acme's Callaro workspace. On first login, open Campaigns.", "  "+strings.Repeat("é", 1001)),
			[]string{"4:14: invite_note has 1001 characters, more than 1000: keep it short enough to be read"}},

		{"least-privilege", "passes", validTeam, nil},
		{"least-privilege", "idle admin", edit("  - email: sam@acme.io\n", "  - email: sam@acme.io\n  - email: ian@acme.io\n"),
			[]string{"10:5: admin ian@acme.io owns or backs up no workflow and is not the backup admin"}},

		{"approvers", "passes", validTeam, nil},
		{"approvers", "missing", edit("approvers:\n  operators: [\"@acme/sales-ops\"]\n  reviewers: [\"@acme/sdr-leadership\"]\n", ""),
			[]string{"1:1: no approvers: nobody is named to approve who runs campaigns (Sales Ops) or reviews calls (SDR leadership)"}},
		{"approvers", "reviewers missing", edit("  reviewers: [\"@acme/sdr-leadership\"]\n", "  admins: [\"@dana\"]\n"),
			[]string{"23:1: approvers.reviewers is empty: name who confirms reviewers (SDR leadership)"}},

		{"confusable-email", "passes", validTeam, nil},
		{"confusable-email", "cyrillic a", edit("  - email: rita@acme.io\n", "  - email: rita@acme.io\n  - email: ritа@acme.io\n"),
			[]string{`14:5: "rit\u0430@acme.io" looks like "rita@acme.io" (declared at team.yaml:13:5) but is another address`}},
		{"confusable-email", "rn and m", edit("  - email: rita@acme.io\n", "  - email: rita@acme.io\n  - email: rita@acrne.io\n  - email: rita@ame.io\n"),
			[]string{`14:5: "rita@acrne.io" looks like "rita@acme.io" (declared at team.yaml:13:5) but is another address`}},
		{"confusable-email", "digit zero", edit("  - email: rita@acme.io\n", "  - email: rita@acme.io\n  - email: rita@acme.i0\n"),
			[]string{`14:5: "rita@acme.i0" looks like "rita@acme.io" (declared at team.yaml:13:5) but is another address`}},
	}
	failing := map[string]bool{}
	for _, tt := range tests {
		failing[tt.rule] = failing[tt.rule] || len(tt.want) > 0
		t.Run(tt.rule+"/"+tt.name, func(t *testing.T) {
			team := loadString(t, tt.src)
			var got []string
			for _, f := range ruleByID(t, tt.rule).Check(team) {
				got = append(got, fmt.Sprintf("%d:%d: %s", f.Pos.Line, f.Pos.Col, f.Message))
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("%s findings mismatch (-want +got):\n%s", tt.rule, d)
			}
		})
	}
	for _, r := range Rules() {
		if r.Check != nil && !failing[r.ID] {
			t.Errorf("rule %s has no failing case in this table", r.ID)
		}
	}
}

func TestRulesRegistry(t *testing.T) {
	seen := map[string]bool{}
	for i, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule %s registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Holds == "" || r.Hint == "" || r.Severity == "" {
			t.Errorf("rule %s lacks Title, Holds, Hint or Severity", r.ID)
		}
		if r.ID != RuleSchema && r.Seed == "" {
			t.Errorf("rule %s does not name the sentence it enforces", r.ID)
		}
		if r.Live && r.Check != nil {
			t.Errorf("live rule %s has a Check; Validate sees no workspace", r.ID)
		}
		if (i == 0) != (r.ID == RuleSchema) {
			t.Errorf("rule %s at %d: schema comes first, and only there", r.ID, i)
		}
	}
}

func TestRuleIDs(t *testing.T) {
	wantLive := []string{RuleSettingsComplete, RuleSignedIn, RuleInSync, RuleUnmanaged, RuleInactiveAccess}
	if d := cmp.Diff(wantLive, LiveRuleIDs()); d != "" {
		t.Errorf("LiveRuleIDs() mismatch (-want +got):\n%s", d)
	}
	ids := RuleIDs()
	if !slices.IsSorted(ids) || slices.Contains(ids, RuleSchema) || len(ids) != len(Rules())-1 {
		t.Errorf("RuleIDs() = %v, want every rule but schema, sorted", ids)
	}
	for _, id := range ids {
		if r, ok := LookupRule(id); !ok || r.ID != id {
			t.Errorf("LookupRule(%q) = %v, %v", id, r.ID, ok)
		}
	}
	if _, ok := LookupRule("no-such-rule"); ok {
		t.Error("LookupRule(no-such-rule) found a rule")
	}
}

func TestValidate(t *testing.T) {
	reviewed := edit("    name: Dana Ortiz\n", "    name: Dana Ortiz\n    reviewed: 2026-11-01\n", "  - email: sam@acme.io\n", "  - email: sam@acme.io\n    reviewed: 2026-10-01\n")
	if got := Validate(loadString(t, reviewed), testNow); len(got) != 0 {
		t.Errorf("Validate(valid team) = %v, want no findings", got)
	}

	src := edit("backups:\n  admin: sam@acme.io\n", "", "  - email: sam@acme.io\n", "  - email: sam@acme.io\n  - email: ian@acme.io\n") +
		"policy:\n  rules:\n    least-privilege: error\n    approvers: off\n    access-review: off\n"
	got := Validate(loadString(t, src), testNow)
	want := []Finding{
		{Rule: "backup-admin", Severity: Error, Pos: Pos{"team.yaml", 1, 1},
			Message: "no backup admin: billing, integrations and urgent fixes depend on one person; add `backups: {admin: EMAIL}`",
			Hint:    "name one of your admins (sam@acme.io, ian@acme.io) under `backups: {admin: EMAIL}`"},
		{Rule: "least-privilege", Severity: Error, Pos: Pos{"team.yaml", 10, 5},
			Message: "admin ian@acme.io owns or backs up no workflow and is not the backup admin",
			Hint:    "give ian@acme.io a workflow to own or back up, or make them an operator or reviewer"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Validate() mismatch (-want +got):\n%s", d)
	}
}

// TestMisspeltPeople: a reference one typo away from a declared person
// says whom it most likely means, and the person it meant is not called
// an idle admin on top.
func TestMisspeltPeople(t *testing.T) {
	tests := []struct {
		name       string
		from, to   string
		want       []string // message: hint
		wantNoIdle string   // an admin least-privilege must not flag
	}{
		{
			name: "workflow owner",
			from: "owner: dana@acme.io", to: "owner: dnaa@acme.io",
			want:       []string{`owner dnaa@acme.io of workflow "billing" is not declared as admin, operator or reviewer; did you mean dana@acme.io?: fix the spelling of dnaa@acme.io, or declare them`},
			wantNoIdle: "dana@acme.io",
		},
		{
			name: "backup admin",
			from: "admin: sam@acme.io", to: "admin: sma@acme.io",
			want:       []string{`backup admin sma@acme.io is not declared; declare them under admins; did you mean sam@acme.io?: fix the spelling of sma@acme.io, or declare them`},
			wantNoIdle: "sam@acme.io",
		},
		{
			name: "nobody near",
			from: "owner: dana@acme.io", to: "owner: zed@globex.com",
			want: []string{`owner zed@globex.com of workflow "billing" is not declared as admin, operator or reviewer: declare zed@globex.com in the team file, or name someone it declares`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(validTeam, tt.from, tt.to, 1)
			if src == validTeam {
				t.Fatalf("%q not in the valid team", tt.from)
			}
			var got []string
			for _, f := range Validate(loadString(t, src), testNow) {
				if f.Rule == "least-privilege" && tt.wantNoIdle != "" && strings.Contains(f.Message, tt.wantNoIdle) {
					t.Errorf("least-privilege flags %s, whom a misspelling meant: %s", tt.wantNoIdle, f.Message)
				}
				if f.Rule == "workflow-owner" || f.Rule == "backup-admin" {
					got = append(got, f.Message+": "+f.Hint)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestDiagnosticsFindings(t *testing.T) {
	ds := Diagnostics{{Pos: Pos{"team.yaml", 3, 5}, Path: "admins[0].email", Message: `"x" is not an email address`}}
	want := []Finding{{Rule: "schema", Severity: Error, Pos: Pos{"team.yaml", 3, 5},
		Message: `admins[0].email: "x" is not an email address`, Hint: ruleByID(t, "schema").Hint}}
	if d := cmp.Diff(want, ds.Findings()); d != "" {
		t.Errorf("Findings() mismatch (-want +got):\n%s", d)
	}
}
