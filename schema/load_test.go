package schema

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoadValid(t *testing.T) {
	team := loadString(t, validTeam)
	want := &Team{
		Version:       1,
		Workspace:     "acme-outbound",
		Launch:        &Date{Year: 2026, Month: 12, Day: 7},
		InviteNote:    "Welcome to Acme's Callaro workspace. On first login, open Campaigns.\n",
		InviteNotePos: Pos{"team.yaml", 4, 14},
		People: []Person{
			{Email: "dana@acme.io", Name: "Dana Ortiz", Role: Admin, Pos: Pos{"team.yaml", 7, 5}},
			{Email: "sam@acme.io", Role: Admin, Pos: Pos{"team.yaml", 9, 5}},
			{Email: "olivia@acme.io", Role: Operator, Pos: Pos{"team.yaml", 11, 5}},
			{Email: "rita@acme.io", Role: Reviewer, Pos: Pos{"team.yaml", 13, 5}},
		},
		BackupAdmins: []Ref{{Email: "sam@acme.io", Pos: Pos{"team.yaml", 15, 10}}},
		BackupsPos:   Pos{"team.yaml", 15, 10},
		Workflows: []Workflow{
			{Name: "billing", State: Live, Owner: &Ref{"dana@acme.io", Pos{"team.yaml", 18, 12}},
				Backups: []Ref{{"sam@acme.io", Pos{"team.yaml", 19, 15}}}, Pos: Pos{"team.yaml", 17, 5}},
			{Name: "Q1 outbound pilot", State: Live, Owner: &Ref{"olivia@acme.io", Pos{"team.yaml", 21, 12}},
				Backups: []Ref{{"sam@acme.io", Pos{"team.yaml", 22, 15}}}, Pos: Pos{"team.yaml", 20, 5}},
		},
		Approvers: &Approvers{Operators: []string{"@acme/sales-ops"}, Reviewers: []string{"@acme/sdr-leadership"}, Pos: Pos{"team.yaml", 23, 1}},
		Policy:    DefaultPolicy(),
		Files:     []string{"team.yaml"},
		Pos:       Pos{"team.yaml", 1, 1},
		Digest:    team.Digest,
	}
	if d := cmp.Diff(want, team); d != "" {
		t.Errorf("Load() mismatch (-want +got):\n%s", d)
	}
	if !strings.HasPrefix(team.Digest, "sha256:") || len(team.Digest) != len("sha256:")+64 {
		t.Errorf("Digest = %q, want sha256:<64 hex digits>", team.Digest)
	}
}

func TestLoadPolicy(t *testing.T) {
	team := loadString(t, validTeam+`policy:
  max_admins: 2
  prune: true
  max_removals: 0
  resend_expired: false
  expiry_warning_days: 0
  review_every_days:
    operator: 180
  review_warning_days: 7
  inactive_days: 60
  rules:
    approvers: off
    signed-in: error
`)
	want := Policy{
		MaxAdmins: 2, Prune: true, MaxRemovals: 0, ResendExpired: false, ExpiryWarningDays: 0,
		// A role not written keeps its default period.
		ReviewEveryDays: map[Role]int{Admin: DefaultAdminReviewDays, Operator: 180}, ReviewWarningDays: 7, InactiveDays: 60,
		Rules:   map[string]Severity{"approvers": Off, "signed-in": Error},
		RulePos: map[string]Pos{"approvers": {"team.yaml", 37, 5}, "signed-in": {"team.yaml", 38, 5}},
	}
	if d := cmp.Diff(want, team.Policy); d != "" {
		t.Errorf("Policy mismatch (-want +got):\n%s", d)
	}
}

// TestLoadPolicyBooleans: every spelling YAML reads as a boolean passes
// validation and is read as that boolean; "yes" and "on" (YAML 1.1) are
// text, refused with an error, never read as false.
func TestLoadPolicyBooleans(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"true", true}, {"True", true}, {"TRUE", true},
		{"false", false}, {"False", false}, {"FALSE", false},
	} {
		t.Run(tt.text, func(t *testing.T) {
			team := loadString(t, validTeam+"policy:\n  prune: "+tt.text+"\n  resend_expired: "+tt.text+"\n")
			if team.Policy.Prune != tt.want || team.Policy.ResendExpired != tt.want {
				t.Errorf("prune: %s, resend_expired: %s read as %v and %v, want %v", tt.text, tt.text, team.Policy.Prune, team.Policy.ResendExpired, tt.want)
			}
		})
	}
	for _, text := range []string{"yes", "On", "1"} {
		t.Run(text, func(t *testing.T) {
			writeFiles(t, map[string]string{"team.yaml": validTeam + "policy:\n  prune: " + text + "\n"})
			_, err := Load("team.yaml")
			got := strings.Join(diagnostics(t, err), "\n")
			if !strings.Contains(got, "policy.prune: expected") {
				t.Errorf("prune: %s: diagnostics %q, want an error that it is no boolean", text, got)
			}
		})
	}
}

func TestLoadDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "empty file",
			src:  "",
			want: []string{"team.yaml:1:1: the file is empty; a team file is a map that starts with `version: 1` (teamctl init writes one)"},
		},
		{
			name: "comments only",
			src:  "# nothing yet\n",
			want: []string{"team.yaml:1:1: the file is empty; a team file is a map that starts with `version: 1` (teamctl init writes one)"},
		},
		{
			name: "a list",
			src:  "- dana@acme.io\n",
			want: []string{"team.yaml:1:1: the file is a list, but a team file is a map of keys (version, workspace, admins, ...); teamctl init writes one"},
		},
		{
			name: "a scalar",
			src:  "hello\n",
			want: []string{`team.yaml:1:1: the file is a single value, but a team file is a map of keys (version, workspace, admins, ...); teamctl init writes one`},
		},
		{
			name: "a number, never quoted",
			src:  "12345678\n",
			want: []string{`team.yaml:1:1: the file is a single value, but a team file is a map of keys (version, workspace, admins, ...); teamctl init writes one`},
		},
		{
			name: "tab indentation",
			src:  "version: 1\nworkspace: x\nadmins:\n\t- email: a@b.io\n",
			want: []string{"team.yaml:4:1: a tab indents this line; YAML indents with spaces only, so replace the tab with spaces"},
		},
		{
			name: "tab on the line after a good one",
			src:  "version: 1\nworkspace: x\nadmins:\n  - email: a@b.io\n\t- email: c@b.io\n",
			want: []string{"team.yaml:5:1: a tab indents this line; YAML indents with spaces only, so replace the tab with spaces"},
		},
		{
			name: "tab after blank lines",
			src:  "version: 1\nworkspace: x\nadmins:\n  - email: a@b.io\n\n\n\t- email: c@b.io\n",
			want: []string{"team.yaml:7:1: a tab indents this line; YAML indents with spaces only, so replace the tab with spaces"},
		},
		{
			name: "parser error on the line that breaks the block, not the block's start",
			src:  "version: 1\nworkspace: x\n\nadmins:\n  - email: a@b.io\n  name: x\n",
			want: []string{"team.yaml:6:1: invalid YAML: did not find expected '-' indicator; check the indentation and quoting here"},
		},
		{
			name: "parser error after a blank line",
			src:  "version: 1\nworkspace: x\nadmins:\n  - email: a@b.io\n\n   bad: [x\n",
			want: []string{"team.yaml:6:1: invalid YAML: did not find expected '-' indicator; check the indentation and quoting here"},
		},
		{
			name: "syntax error",
			src:  "version: 1\nworkspace: [x\n",
			want: []string{"team.yaml:2:1: invalid YAML: did not find expected ',' or ']'; check the indentation and quoting here"},
		},
		{
			name: "two documents",
			src:  "version: 1\nworkspace: x\n---\nversion: 1\n",
			want: []string{"team.yaml:3:1: the file holds a second YAML document after `---`; a team file is one document, so split the team into files of a directory instead"},
		},
		{
			name: "NUL byte",
			src:  "version: 1\nwork\x00space: x\n",
			want: []string{"team.yaml:2:5: the file holds a NUL byte, so it looks binary; a team file is YAML text"},
		},
		{
			name: "invalid UTF-8",
			src:  "version: 1\nworkspace: \xff\n",
			want: []string{"team.yaml:2:12: the file is not UTF-8 text (byte 0xff); save it as UTF-8"},
		},
		{
			name: "raw terminal escape",
			src:  "version: 1\nworkspace: a\x1b[2Jb\n",
			want: []string{`team.yaml:2:13: the file holds the control character U+001B; remove it (write \e or \x1b in double quotes if it is really meant)`},
		},
		{
			name: "escaped terminal escape in a name",
			src:  "version: 1\nworkspace: x\nadmins:\n  - email: a@b.io\n    name: \"\\e]0;pwned\\a\"\n",
			want: []string{"team.yaml:5:11: admins[0].name: holds the control character U+001B; remove it"},
		},
		{
			name: "bidi override in a name",
			src:  "version: 1\nworkspace: x\nadmins:\n  - email: a@b.io\n    name: \"\\u202eevil\"\n",
			want: []string{"team.yaml:5:11: admins[0].name: holds the control character U+202E; remove it"},
		},
		{
			name: "alias",
			src:  "version: 1\nworkspace: &w x\ninvite_note: *w\n",
			want: []string{"team.yaml:3:14: invite_note: YAML aliases (*w) are not supported; write the value out in full"},
		},
		{
			name: "missing version and workspace",
			src:  "launch: 2026-12-07\n",
			want: []string{"team.yaml:1:1: version: required: add `version: 1`"},
		},
		{
			name: "missing workspace",
			src:  "version: 1\n",
			want: []string{"team.yaml:1:1: workspace: required: add `workspace: NAME` with the live workspace's name"},
		},
		{
			name: "wrong types and values",
			src: `version: 2
workspace: 12
launch: 2026-13-07
invite_note: [a]
admins:
  - email: dana@acme
    name: Dana
    role: admin
  - email: "sam@acme.io"
    email: sam@acme.io
  -
operators: olivia@acme.io
reviewers:
  - emial: rita@acme.io
workflows:
  - name: billing
    state: running
approvers:
  operators: [acme/sales-ops]
policy:
  max_admins: 0
  prune: yes
  rules:
    approvers: info
    schema: off
    backup-admn: off
extra: 1
`,
			want: []string{
				"team.yaml:1:10: version: 2 is not supported: only 1 exists",
				"team.yaml:2:12: workspace: expected text, found the number 12; put it in quotes",
				`team.yaml:3:9: launch: "2026-13-07" is not a date; write YYYY-MM-DD, such as 2026-12-07`,
				"team.yaml:4:14: invite_note: expected text, found a list",
				`team.yaml:6:12: admins[0].email: "dana@acme" is not an email address; write it as name@example.com`,
				`team.yaml:8:5: admins[0]: unknown key "role"; known keys: email, name, until, previously, reviewed`,
				"team.yaml:10:5: admins[1].email: repeated key (first at line 9); keep one of them",
				"team.yaml:11:4: admins[2]: empty list entry; fill it in or remove the `-`",
				`team.yaml:12:12: operators: expected a list of entries (- email: ...), found the text "olivia@acme.io"`,
				`team.yaml:14:5: reviewers[0]: unknown key "emial"; did you mean "email"?`,
				"team.yaml:14:5: reviewers[0].email: required: add `email: dana@acme.io`",
				`team.yaml:17:12: workflows[0].state: "running" is not one of live, pilot, draft`,
				`team.yaml:19:15: approvers.operators[0]: "acme/sales-ops" is neither a GitHub @user or @org/team nor an email address`,
				"team.yaml:21:15: policy.max_admins: must be at least 1, not 0",
				`team.yaml:22:10: policy.prune: expected true or false, found the text "yes"`,
				`team.yaml:24:16: policy.rules.approvers: "info" is not one of off, warning, error`,
				"team.yaml:25:5: policy.rules.schema: the schema rule cannot be tuned: a file that does not match the format has no team; remove this line",
				`team.yaml:26:5: policy.rules: unknown rule "backup-admn"; did you mean "backup-admin"?`,
				`team.yaml:27:1: unknown key "extra"; known keys: version, workspace, launch, invite_note, admins, operators, reviewers, backups, workflows, approvers, policy`,
			},
		},
		{
			name: "until",
			src: `version: 1
workspace: x
admins:
  - email: dana@acme.io
    until: 2027-02-30
operators:
  - email: olivia@acme.io
    until: 31.01.2027
reviewers:
  - email: rita@acme.io
    until: 2027-01-31T18:00:00Z
  - email: ron@acme.io
    until: [2027-01-31]
  - email: ria@acme.io
    until: 20270131
policy:
  expiry_warning_days: -1
`,
			want: []string{
				`team.yaml:5:12: admins[0].until: "2027-02-30" is not a date; write YYYY-MM-DD, such as 2026-12-07`,
				`team.yaml:8:12: operators[0].until: "31.01.2027" is not a date; write YYYY-MM-DD, such as 2026-12-07`,
				`team.yaml:11:12: reviewers[0].until: "2027-01-31T18:00:00Z" is not a date; write YYYY-MM-DD, such as 2026-12-07`,
				`team.yaml:13:12: reviewers[1].until: expected a date (YYYY-MM-DD), found a list`,
				`team.yaml:15:12: reviewers[2].until: expected a date (YYYY-MM-DD), found the number 20270131; put it in quotes`,
				"team.yaml:17:24: policy.expiry_warning_days: must be at least 0, not -1",
			},
		},
		{
			name: "emails",
			src: `version: 1
workspace: x
admins:
  - email: "Dana Ortiz <dana@acme.io>"
  - email: "dana@@acme.io"
  - email: "dana@acme..io"
  - email: "da na@acme.io"
  - email: "dana\u200b@acme.io"
  - email: ""
  - email: 42
`,
			want: []string{
				`team.yaml:4:12: admins[0].email: "Dana Ortiz <dana@acme.io>" is not an email address; write it as name@example.com`,
				`team.yaml:5:12: admins[1].email: "dana@@acme.io" is not an email address; write it as name@example.com`,
				`team.yaml:6:12: admins[2].email: "dana@acme..io" is not an email address; write it as name@example.com`,
				`team.yaml:7:12: admins[3].email: "da na@acme.io" is not an email address; write it as name@example.com`,
				`team.yaml:8:12: admins[4].email: holds the invisible character U+200B; remove it`,
				`team.yaml:9:12: admins[5].email: is empty; write an email address such as name@example.com`,
				`team.yaml:10:12: admins[6].email: expected an email address, found the number 42; put it in quotes`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, map[string]string{"team.yaml": tt.src})
			team, err := Load("team.yaml")
			if err == nil {
				t.Fatalf("Load() = %+v, want diagnostics", team)
			}
			if d := cmp.Diff(tt.want, diagnostics(t, err)); d != "" {
				t.Errorf("Load() diagnostics mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestLoadKeepsEmailSpelling(t *testing.T) {
	team := loadString(t, strings.Replace(validTeam, "rita@acme.io", "  Rita@Acme.IO ", 1))
	p := team.ByRole(Reviewer)[0]
	if p.Email != "Rita@Acme.IO" || p.Key() != "rita@acme.io" {
		t.Errorf("reviewer Email, Key = %q, %q; want %q, %q", p.Email, p.Key(), "Rita@Acme.IO", "rita@acme.io")
	}
}

func TestLoadDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"admins.yaml": `version: 1
workspace: acme-outbound
admins:
  - email: dana@acme.io
`,
		"operators.yml": `version: 1
operators:
  - email: olivia@acme.io
`,
		"notes.txt": "not part of the team",
	})
	team, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Person{
		{Email: "dana@acme.io", Role: Admin, Pos: Pos{filepath.Join(dir, "admins.yaml"), 4, 5}},
		{Email: "olivia@acme.io", Role: Operator, Pos: Pos{filepath.Join(dir, "operators.yml"), 3, 5}},
	}
	if d := cmp.Diff(want, team.People); d != "" {
		t.Errorf("People mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{filepath.Join(dir, "admins.yaml"), filepath.Join(dir, "operators.yml")}, team.Files); d != "" {
		t.Errorf("Files mismatch (-want +got):\n%s", d)
	}
	// The digest does not depend on the directory's name.
	again, err := Load(".")
	if err != nil {
		t.Fatal(err)
	}
	if again.Digest != team.Digest {
		t.Errorf("Digest of the same files differs: %s and %s", again.Digest, team.Digest)
	}
}

func TestLoadDirectoryConflicts(t *testing.T) {
	writeFiles(t, map[string]string{
		"a.yaml": `version: 1
workspace: acme-outbound
admins:
  - email: dana@acme.io
workflows:
  - name: billing
policy:
  max_admins: 2
`,
		"b.yaml": `version: 1
workspace: other
operators:
  - email: Dana@Acme.io
workflows:
  - name: Billing
policy:
  max_admins: 2
  rules:
    approvers: off
`,
	})
	_, err := Load(".")
	want := []string{
		"b.yaml:2:12: workspace: already declared at a.yaml:2:12; declare it in one file only",
		`b.yaml:4:5: operators[0]: "Dana@Acme.io" is already declared at a.yaml:4:5 (as admin); declare each person in one file only`,
		`b.yaml:6:5: workflows[0].name: workflow "Billing" is already declared at a.yaml:6:5; declare each workflow once`,
		"b.yaml:8:15: policy.max_admins: already declared at a.yaml:8:15; declare it in one file only",
	}
	if d := cmp.Diff(want, diagnostics(t, err)); d != "" {
		t.Errorf("Load() diagnostics mismatch (-want +got):\n%s", d)
	}
}

func TestLoadIOErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{"notes.txt": "x"})
	_, err := Load(filepath.Join(dir, "missing.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want fs.ErrNotExist", err)
	}
	_, err = Load(dir)
	if err == nil || !strings.Contains(err.Error(), "holds no *.yaml or *.yml files") {
		t.Errorf("Load(empty dir) error = %v, want one about no team files", err)
	}
}

func TestLoadLimits(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the first diagnostic
	}{
		{"too large", "version: 1\nworkspace: " + strings.Repeat("x", MaxSize), "team.yaml:1:1: the file is larger than the " + byteSize(MaxSize) + " limit of a team (all files together); remove what is not part of the team"},
		{"deep nesting", "workspace: " + strings.Repeat("[", 20000), "team.yaml:1:1: invalid YAML: exceeded max depth of 10000; check the indentation and quoting here"},
		{"billion laughs", billionLaughs, `team.yaml:3:1: unknown key "a"; known keys: version, workspace, launch, invite_note, admins, operators, reviewers, backups, workflows, approvers, policy`},
		{"many errors", "version: 1\nworkspace: x\nadmins: [" + strings.Repeat("1,", 10000) + "]\n", `team.yaml:3:10: admins[0]: expected a map of keys, found the number 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeFiles(t, map[string]string{"team.yaml": tt.src})
			_, err := Load("team.yaml")
			got := diagnostics(t, err)
			if len(got) == 0 || got[0] != tt.want {
				t.Fatalf("Load() diagnostics start %q, want %q", got, tt.want)
			}
			if len(got) > maxDiagnostics+1 {
				t.Errorf("Load() gave %d diagnostics, more than %d", len(got), maxDiagnostics+1)
			}
			if len(got) == maxDiagnostics+1 && !regexp.MustCompile(`: too many errors: 100 are shown, [1-9][0-9]* more were found before checking stopped; fix the ones above first$`).MatchString(got[maxDiagnostics]) {
				t.Errorf("Load() gave %d diagnostics, the last %q, want it to say there are too many", len(got), got[maxDiagnostics])
			}
		})
	}
}

const billionLaughs = `version: 1
workspace: x
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
admins: *h
`

func TestLoadNotRegular(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := Load("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Load(/dev/zero) error = %v, want not a regular file", err)
	}
}

func TestLoadDirectorySymlink(t *testing.T) {
	dir := writeFiles(t, map[string]string{"shared.txt": validTeam})
	if err := os.Mkdir("team.d", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(".git", 0o755); err != nil { // links are followed within the repository
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "shared.txt"), filepath.Join("team.d", "team.yaml")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	team, err := Load("team.d")
	if err != nil {
		t.Fatal(err)
	}
	if len(team.People) != 4 {
		t.Errorf("Load(symlinked file) declared %d people, want 4", len(team.People))
	}
}
