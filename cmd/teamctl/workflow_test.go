package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	On   map[string]yaml.Node `yaml:"on"`
	Jobs map[string]struct {
		If          string `yaml:"if"`
		Concurrency *struct {
			Group            string `yaml:"group"`
			CancelInProgress bool   `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestExampleWorkflow loads examples/github/teamctl.yml (actionlint, run by
// make test, checks it as GitHub would) and checks what actionlint cannot:
// that every teamctl command it runs exists with those flags, that the
// token comes from a secret through the environment only, and that applies
// share one queued concurrency group.
func TestExampleWorkflow(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "github", "teamctl.yml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, event := range []string{"pull_request", "push"} {
		if _, ok := wf.On[event]; !ok {
			t.Errorf("workflow does not run on %s", event)
		}
	}

	groups := map[string][]string{}
	var ran []string
	for name, job := range wf.Jobs {
		if c := job.Concurrency; c != nil {
			groups[c.Group] = append(groups[c.Group], name)
			if c.CancelInProgress {
				t.Errorf("job %s cancels an apply in progress", name)
			}
		}
		for _, step := range job.Steps {
			if strings.Contains(step.Run, "secrets.") {
				t.Errorf("step %q reads a secret inside its script; pass it through env", step.Name)
			}
			for key, value := range step.Env {
				if strings.Contains(key, "TOKEN") && key != "GH_TOKEN" && !regexp.MustCompile(`^\$\{\{ secrets\.\w+ \}\}$`).MatchString(value) {
					t.Errorf("step %q: %s = %q, want a secret", step.Name, key, value)
				}
			}
			for _, line := range strings.Split(step.Run, "\n") {
				if args := teamctlArgs(line); args != nil {
					ran = append(ran, args[0])
					checkCommandLine(t, args)
				}
			}
		}
	}
	if apply, ok := wf.Jobs["apply"]; !ok || apply.Concurrency == nil || len(groups[apply.Concurrency.Group]) != 1 {
		t.Errorf("the apply job needs a concurrency group of its own; groups: %v", groups)
	}
	for _, want := range []string{"validate", "plan", "apply"} {
		if !strings.Contains(strings.Join(ran, " "), want) {
			t.Errorf("workflow never runs teamctl %s", want)
		}
	}
}

// teamctlArgs returns the arguments of a script line that runs teamctl,
// without shell quotes and redirections, or nil.
func teamctlArgs(line string) []string {
	fields := strings.Fields(line)
	if len(fields) == 0 || fields[0] != "teamctl" {
		return nil
	}
	var args []string
	for _, f := range fields[1:] {
		if strings.HasPrefix(f, ">") || f == "|" || f == "&&" {
			break
		}
		args = append(args, strings.Trim(f, `"'`))
	}
	return args
}

// checkCommandLine finds the command args name and parses its flags, as
// teamctl would.
func checkCommandLine(t *testing.T, args []string) {
	t.Helper()
	root := newRootCmd(&App{Getenv: func(string) string { return "" }})
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root {
		t.Errorf("teamctl %s: no such command (%v)", strings.Join(args, " "), err)
		return
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Errorf("teamctl %s: %v", strings.Join(args, " "), err)
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
		t.Errorf("teamctl %s: %v", strings.Join(args, " "), err)
	}
}
