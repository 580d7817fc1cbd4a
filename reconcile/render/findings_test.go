package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
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
		t.Errorf("%s mismatch (-want +got):\n%s", name, d)
	}
}

// someFindings covers both severities, a finding without a column, and text
// that the GitHub and terminal escapes must handle.
var someFindings = []schema.Finding{
	{Rule: "schema", Severity: schema.Error, Pos: schema.Pos{File: "team.yaml", Line: 6, Col: 12},
		Message: `admins[0].email: "dana@acme" is not an email address; write it as name@example.com`,
		Hint:    "fix the file so it matches the format: `teamctl schema` prints it, examples/team.yaml shows it"},
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
		opts Options
	}{
		{"findings.txt", someFindings, Options{}},
		{"findings-color.txt", someFindings, Options{Color: true}},
		{"findings-none.txt", nil, Options{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := FindingsText(&b, tt.fs, tt.opts); err != nil {
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
		{"findings.json", someFindings, false},
		{"findings-warning.json", someFindings[2:], true},
		{"findings-none.json", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := FindingsJSON(&b, tt.fs); err != nil {
				t.Fatal(err)
			}
			var doc ValidateDocument
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
	if err := FindingsGitHub(&b, someFindings); err != nil {
		t.Fatal(err)
	}
	golden(t, "findings-github.txt", b.Bytes())
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, data, property string }{
		{"plain", "plain", "plain"},
		{"50% done", "50%25 done", "50%25 done"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"team.d/a, b: c.yaml", "team.d/a, b: c.yaml", "team.d/a%2C b%3A c.yaml"},
		{"%0A", "%250A", "%250A"},
		{"bell\a", `bell\a`, `bell\a`},
	}
	for _, tt := range tests {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.property {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.property)
		}
	}
}
