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

// testApp returns an App whose stdout claims to be a terminal, with env as
// its environment.
func testApp(env map[string]string) (*App, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &App{
		IO:     IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutTTY: true, ErrTTY: true},
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) },
	}, &out, &errOut
}

func TestValidateColor(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "team.yaml")
	if err := os.WriteFile(file, []byte("version: 1\nworkspace: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		env       map[string]string
		args      []string
		wantColor bool
	}{
		{"terminal", nil, nil, true},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, nil, false},
		{"--no-color", nil, []string{"--no-color"}, false},
		{"json", nil, []string{"-o", "json"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app, out, errOut := testApp(tt.env)
			code := execute(context.Background(), app, append([]string{"validate", "-f", file}, tt.args...))
			if code != exitError {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, exitError, errOut)
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tt.wantColor {
				t.Errorf("colour = %v, want %v; stdout:\n%q", got, tt.wantColor, out)
			}
		})
	}
}

func TestValidateUsage(t *testing.T) {
	app, _, errOut := testApp(nil)
	code := execute(context.Background(), app, []string{"validate", "-f", "a.yaml", "b.yaml"})
	if code != exitError || !strings.Contains(errOut.String(), "either as an argument or with -f, not both") {
		t.Errorf("execute(validate -f a b) = %d, stderr %q; want 1 and a usage error", code, errOut)
	}
}
