package schema

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// meaningBase is a team file; the cases below rewrite it without changing
// what it declares, or change one thing it declares.
const meaningBase = validTeam + `policy:
  max_removals: 5
  rules:
    approvers: off
`

func TestMeaning(t *testing.T) {
	base := loadString(t, meaningBase)
	same := map[string]string{
		"comments and blank lines": "# the roster\n" + meaningBase + "\n# end\n",
		"key order and flow style": `workspace: acme-outbound
version: 1
reviewers: [{email: rita@acme.io}]
operators:
    - {email: olivia@acme.io}
admins:
  - name: "Dana Ortiz"
    email: 'dana@acme.io'
  - email: sam@acme.io
invite_note: "Welcome to Acme's Callaro workspace. On first login, open Campaigns."
launch: 2026-12-07
workflows:
  - {name: Q1 outbound pilot, owner: olivia@acme.io, backups: [sam@acme.io]}
  - owner: dana@acme.io
    name: billing
    backups:
      - sam@acme.io
backups: {admin: sam@acme.io}
approvers: {reviewers: ["@acme/sdr-leadership"], operators: ["@acme/sales-ops"]}
policy: {rules: {approvers: off}, max_removals: 5}
`,
		"entries reordered": replaceOnce(t, meaningBase, "  - email: dana@acme.io\n    name: Dana Ortiz\n  - email: sam@acme.io\n", "  - email: sam@acme.io\n  - email: dana@acme.io\n    name: Dana Ortiz\n"),
		// max_removals 5 is the default: writing it says what leaving it
		// out says.
		"a default written out": replaceOnce(t, meaningBase, "  max_removals: 5\n", ""),
	}
	for name, src := range same {
		t.Run(name, func(t *testing.T) {
			team := loadString(t, src)
			if team.Digest == base.Digest {
				t.Fatal("Digest() did not change: the case tests nothing")
			}
			if got, want := team.Meaning(), base.Meaning(); got != want {
				t.Errorf("Meaning() = %s, want %s (unchanged)", got, want)
			}
		})
	}

	differs := map[string][2]string{
		"roles":         {"olivia@acme.io\nreviewers:\n  - email: rita@acme.io", "rita@acme.io\nreviewers:\n  - email: olivia@acme.io"},
		"the launch":    {"launch: 2026-12-07", "launch: 2026-12-08"},
		"an until":      {"  - email: rita@acme.io\n", "  - email: rita@acme.io\n    until: 2099-01-01\n"},
		"a person":      {"operators:\n  - email: olivia@acme.io\n", "operators:\n  - email: olivia@acme.io\n  - email: omar@acme.io\n"},
		"a name":        {"name: Dana Ortiz", "name: Dana Ortiz-Lee"},
		"the note":      {"open Campaigns.", "open Campaigns, please."},
		"the policy":    {"max_removals: 5", "max_removals: 2"},
		"a rule":        {"approvers: off", "approvers: error"},
		"a workflow":    {"name: Q1 outbound pilot", "name: Q1 outbound pilot\n    state: pilot"},
		"an email case": {"olivia@acme.io", "Olivia@acme.io"},
	}
	for name, edit := range differs {
		t.Run(name, func(t *testing.T) {
			team := loadString(t, replaceOnce(t, meaningBase, edit[0], edit[1]))
			if team.Meaning() == base.Meaning() {
				t.Errorf("Meaning() did not change when %s changed", name)
			}
		})
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	i := strings.Index(s, old)
	if i < 0 {
		t.Fatalf("%q is not in the team file", old)
	}
	return s[:i] + new + s[i+len(old):]
}

// TestMeaningSkipsOnlyLayout lists the fields Meaning leaves out, so that a
// new field is counted unless it is a position.
func TestMeaningSkipsOnlyLayout(t *testing.T) {
	var skipped []string
	var walk func(reflect.Type, map[reflect.Type]bool)
	walk = func(t reflect.Type, seen map[reflect.Type]bool) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || t == posType || t == timeType {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			if layoutField(t, f) {
				if f.Type != posType {
					skipped = append(skipped, t.Name()+"."+f.Name)
				}
				continue
			}
			walk(f.Type, seen)
		}
	}
	walk(reflect.TypeFor[Team](), map[reflect.Type]bool{})
	want := map[string]bool{"Team.Files": true, "Team.Digest": true, "Policy.RulePos": true}
	for _, s := range skipped {
		if !want[s] {
			t.Errorf("Meaning() skips %s, which is not a position", s)
		}
		delete(want, s)
	}
	for s := range want {
		t.Errorf("Meaning() no longer skips %s", s)
	}
}

// BenchmarkMeaning digests a team of 100,000 people declared out of
// identity order: Diff takes it once per plan.
func BenchmarkMeaning(b *testing.B) {
	t := &Team{Version: 1, Workspace: "acme", InviteNote: "Welcome to the team, please sign in.", Policy: DefaultPolicy()}
	for i := range 100000 {
		t.People = append(t.People, Person{
			Email: fmt.Sprintf("person%06d@acme.io", (i*7919)%100000), Name: fmt.Sprintf("Person %d", i),
			Role: Roles[i%3], Pos: Pos{File: "team.yaml", Line: i + 3, Col: 5},
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		t.Meaning()
	}
}
