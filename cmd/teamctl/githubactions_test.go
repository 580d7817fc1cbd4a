package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

func TestGitHubActionsOutputs(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "output")
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": out}
	gh := newGitHubActions(&App{Getenv: func(k string) string { return env[k] }})
	if err := gh.SetOutputs(stepOutput{"has_changes", "true"}, stepOutput{"note", "two\nlines"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// A value with a line break goes between delimiters it does not contain.
	want := regexp.MustCompile(`^has_changes=true\nnote<<(ghadelimiter_[0-9a-f]{32})\ntwo\nlines\n(ghadelimiter_[0-9a-f]{32})\n$`)
	m := want.FindStringSubmatch(string(data))
	if m == nil || m[1] != m[2] {
		t.Errorf("GITHUB_OUTPUT = %q, want name=value and a delimited multi-line value", data)
	}
}

func TestGitHubActionsOutside(t *testing.T) {
	gh := newGitHubActions(&App{Getenv: func(string) string { return "" }})
	if gh != nil {
		t.Fatalf("newGitHubActions outside Actions = %+v, want nil", gh)
	}
	// Every method of a nil context does nothing.
	called := false
	if err := gh.AppendSummary(func(io.Writer) error { called = true; return nil }); err != nil || called {
		t.Errorf("AppendSummary outside Actions: err %v, rendered %v", err, called)
	}
	if err := gh.SetOutputs(stepOutput{"a", "b"}); err != nil {
		t.Error(err)
	}
	if err := gh.Annotate(io.Discard, nil); err != nil {
		t.Error(err)
	}
}
