package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const applyTeam = `version: 1
workspace: acme
invite_note: Welcome! Open Campaigns or Call Review on first login and say hello in #launch.
admins:
  - email: dana@acme.io
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
approvers:
  operators: ["@acme/sales-ops"]
  reviewers: ["@acme/sdr-leadership"]
`

// TestApplyConfirm runs apply on a terminal: only "yes" applies.
func TestApplyConfirm(t *testing.T) {
	tests := []struct {
		input    string
		wantCode int
		want     string
		applied  bool
	}{
		{"yes\n", exitOK, "Apply complete! 4 invited, 0 changed, 0 removed.", true},
		{"y\n", exitError, "Apply cancelled.", false},
		{"", exitError, "Apply cancelled.", false},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSpace(tt.input), func(t *testing.T) {
			dir := t.TempDir()
			team := filepath.Join(dir, "team.yaml")
			if err := os.WriteFile(team, []byte(applyTeam), 0o644); err != nil {
				t.Fatal(err)
			}
			ws := filepath.Join(dir, "ws.json")
			var out, errOut bytes.Buffer
			app := &App{
				IO:     IOStreams{In: strings.NewReader(tt.input), Out: &out, ErrOut: &errOut, InTTY: true},
				Getenv: func(string) string { return "" },
				Now:    func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) },
			}
			code := execute(context.Background(), app, []string{"apply", "-f", team, "-w", "file:" + ws})
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, &errOut)
			}
			for _, want := range []string{"Plan: 4 to invite", "Only 'yes' will be accepted to approve.", tt.want} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, &out)
				}
			}
			if _, err := os.Stat(ws); (err == nil) != tt.applied {
				t.Errorf("workspace file exists = %v, want %v", err == nil, tt.applied)
			}
		})
	}
}
