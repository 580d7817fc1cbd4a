package schema

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// writeFiles writes name → content into a new directory and makes it the
// working directory, so positions read "team.yaml:3:5".
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// loadString loads a one-file team and fails the test on any error.
func loadString(t *testing.T, src string) *Team {
	t.Helper()
	writeFiles(t, map[string]string{"team.yaml": src})
	team, err := Load("team.yaml")
	if err != nil {
		t.Fatalf("Load() error:\n%v", err)
	}
	return team
}

// diagnostics returns the lines of the Diagnostics that err is, failing the
// test when err is another kind of error.
func diagnostics(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ds Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("error is %T, not Diagnostics: %v", err, err)
	}
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.Error()
	}
	return lines
}

// validTeam is a small team that every rule accepts.
const validTeam = `version: 1
workspace: acme-outbound
launch: 2026-12-07
invite_note: |
  Welcome to Acme's Callaro workspace. On first login, open Campaigns.
admins:
  - email: dana@acme.io
    name: Dana Ortiz
  - email: sam@acme.io
operators:
  - email: olivia@acme.io
reviewers:
  - email: rita@acme.io
backups:
  admin: sam@acme.io
workflows:
  - name: billing
    owner: dana@acme.io
    backups: [sam@acme.io]
  - name: Q1 outbound pilot
    owner: olivia@acme.io
    backups: [sam@acme.io]
approvers:
  operators: ["@acme/sales-ops"]
  reviewers: ["@acme/sdr-leadership"]
`

// testNow is the clock of the tests that validate: the day the documented
// examples were run.
var testNow = time.Date(2026, time.November, 27, 12, 0, 0, 0, time.UTC)
