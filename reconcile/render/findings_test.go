package render_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/teamctl/teamctl/reconcile/render"
	"github.com/teamctl/teamctl/schema"
)

// someFindings covers both severities, a finding without a column, and text
// that the GitHub and terminal escapes must handle.
var someFindings = []schema.Finding{
	{Rule: "schema", Severity: schema.Error, Pos: schema.Pos{File: "team.yaml", Line: 6, Col: 12},
		Message: `admins[0].email: "dana@acme" is not an email address; write it as name@example.com`,
		Hint:    "fix the file so it matches the format: `teamctl schema` prints it, `teamctl init` writes a starting file"},
	{Rule: "backup-admin", Severity: schema.Error, Pos: schema.Pos{File: "team.d/admins, core.yaml", Line: 15, Col: 10},
		Message: "backup admin olivia@acme.io is declared as operator at team.yaml:11:5, not as admin",
		Hint:    "declare a second admin and name them under `backups: {admin: EMAIL}`"},
	{Rule: "least-privilege", Severity: schema.Warning, Pos: schema.Pos{File: "team.yaml", Line: 9},
		Message: "100% of admins\nidle \x1b[31mred\x1b[0m",
		Hint:    "give the admin a workflow to own or back up"},
}

func TestFindingsText(t *testing.T) {
	for _, tt := range []struct {
		name string
		fs   []schema.Finding
		opts render.Options
	}{
		{"findings", someFindings, render.Options{}},
		{"findings-color", someFindings, render.Options{Color: true}},
		{"findings-none", nil, render.Options{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render.FindingsText(&b, tt.fs, tt.opts); err != nil {
				t.Fatal(err)
			}
			if !tt.opts.Color && bytes.ContainsRune(b.Bytes(), 0x1b) {
				t.Errorf("FindingsText without colour wrote an escape character:\n%q", b.String())
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestFindingsJSON(t *testing.T) {
	for _, tt := range []struct {
		name      string
		fs        []schema.Finding
		wantValid bool
	}{
		{"findings-json", someFindings, false},
		{"findings-warning-json", someFindings[2:], true},
		{"findings-none-json", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render.FindingsJSON(&b, tt.fs); err != nil {
				t.Fatal(err)
			}
			var doc render.ValidateDocument
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			if doc.FormatVersion != "1" || doc.Valid != tt.wantValid || doc.Findings == nil {
				t.Errorf("document = %+v; want format_version 1, valid %v, findings not null", doc, tt.wantValid)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestFindingsGitHub(t *testing.T) {
	var b bytes.Buffer
	if err := render.FindingsGitHub(&b, someFindings); err != nil {
		t.Fatal(err)
	}
	golden(t, "findings-github", b.Bytes())
}
