package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// step is one step of a workflow job or of the composite action.
type step struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	With  map[string]string `yaml:"with"`
	Env   map[string]string `yaml:"env"`
}

// workflow is the part of a GitHub Actions workflow the tests read.
type workflow struct {
	On   map[string]yaml.Node `yaml:"on"`
	Env  map[string]string    `yaml:"env"`
	Jobs map[string]struct {
		If          string `yaml:"if"`
		Concurrency *struct {
			Group            string `yaml:"group"`
			CancelInProgress bool   `yaml:"cancel-in-progress"`
		} `yaml:"concurrency"`
		Env         map[string]string `yaml:"env"`
		Environment string            `yaml:"environment"`
		Steps       []step            `yaml:"steps"`
	} `yaml:"jobs"`
}

// action is the part of action.yml the tests read.
type action struct {
	Inputs map[string]struct {
		Required bool `yaml:"required"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

// actionCommands are what the action's command input accepts.
var actionCommands = []string{"validate", "plan", "apply", "install"}

// actionRef is how the example workflows use the action at the root.
const actionRef = "teamctl/teamctl@v1"

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// sorted returns s sorted.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func readAction(t *testing.T) *action {
	t.Helper()
	var a action
	readYAML(t, filepath.Join("..", "..", "action.yml"), &a)
	return &a
}

// TestExampleWorkflow loads examples/github/teamctl.yml (actionlint, run by
// make test, checks it as GitHub would) and checks what actionlint cannot:
// that it validates, plans and applies through the action, and that
// applies share one queued concurrency group.
func TestExampleWorkflow(t *testing.T) {
	var wf workflow
	readYAML(t, filepath.Join("..", "..", "examples", "github", "teamctl.yml"), &wf)
	for _, event := range []string{"pull_request", "push"} {
		if _, ok := wf.On[event]; !ok {
			t.Errorf("workflow does not run on %s", event)
		}
	}
	groups := map[string][]string{}
	var commands []string
	for name, job := range wf.Jobs {
		if c := job.Concurrency; c != nil {
			groups[c.Group] = append(groups[c.Group], name)
			if c.CancelInProgress {
				t.Errorf("job %s cancels an apply in progress", name)
			}
		}
		for _, s := range job.Steps {
			if s.Uses == actionRef {
				commands = append(commands, s.With["command"])
			}
		}
	}
	// Every job that applies (on merge, and again after a stale plan) is
	// in one group, with no other job.
	apply, ok := wf.Jobs["apply"]
	if !ok || apply.Concurrency == nil {
		t.Fatalf("the apply job needs a concurrency group; groups: %v", groups)
	}
	if d := cmp.Diff([]string{"apply", "apply-again"}, sorted(groups[apply.Concurrency.Group])); d != "" {
		t.Errorf("the apply jobs' concurrency group mismatch (-want +got):\n%s", d)
	}
	again := wf.Jobs["apply-again"]
	if again.Environment == "" {
		t.Error("apply-again runs without an environment: nobody approves the plan made again")
	}
	if _, ok := wf.On["workflow_dispatch"]; !ok {
		t.Error("workflow does not run on workflow_dispatch: the plan made again after a stale plan cannot be applied")
	}
	for _, want := range []string{"validate", "plan", "apply"} {
		if !slices.Contains(commands, want) {
			t.Errorf("workflow never runs the action with command %s; it runs %v", want, commands)
		}
	}
}

// TestWorkflowsUseTheAction checks every example workflow: each use of the
// action passes only inputs that action.yml declares, every required one,
// and a command it knows; every teamctl line of a script exists with those
// flags; tokens come from secrets through env only.
func TestWorkflowsUseTheAction(t *testing.T) {
	a := readAction(t)
	paths, err := filepath.Glob(filepath.Join("..", "..", "examples", "github", "*.yml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example workflows (%v)", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var wf workflow
			readYAML(t, path, &wf)
			checkEnv(t, "workflow", wf.Env)
			for name, job := range wf.Jobs {
				checkEnv(t, "job "+name, job.Env)
				for _, s := range job.Steps {
					checkStep(t, s)
					if !strings.HasPrefix(s.Uses, "teamctl/teamctl@") {
						continue
					}
					if s.Uses != actionRef {
						t.Errorf("step %q uses %s, want %s", s.Name, s.Uses, actionRef)
					}
					for key := range s.With {
						if _, ok := a.Inputs[key]; !ok {
							t.Errorf("step %q: action.yml has no input %q", s.Name, key)
						}
					}
					for key, in := range a.Inputs {
						if _, ok := s.With[key]; in.Required && !ok {
							t.Errorf("step %q: the required input %q is missing", s.Name, key)
						}
					}
					if c := s.With["command"]; !slices.Contains(actionCommands, c) {
						t.Errorf("step %q: command %q is not one of %v", s.Name, c, actionCommands)
					}
				}
			}
		})
	}
}

// TestAction checks action.yml: a composite action whose scripts are bash,
// read inputs through env only (never ${{ }} inside a script, where a value
// would become shell), run teamctl commands and flags that exist, accept
// the commands the tests know, download the archive names .goreleaser.yaml
// writes, and pass shellcheck.
func TestAction(t *testing.T) {
	a := readAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"command", "file", "workspace", "version"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("action.yml lacks the input %q", in)
		}
	}
	var ran []string
	var scripts strings.Builder
	for _, s := range a.Runs.Steps {
		checkStep(t, s)
		if s.Run == "" {
			continue
		}
		if s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash (the same on every runner)", s.Name, s.Shell)
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q: an expression inside the script; pass it through env", s.Name)
		}
		for _, line := range strings.Split(s.Run, "\n") {
			if args := teamctlArgs(line); args != nil {
				ran = append(ran, args[0])
			}
		}
		// One file per step, as the runner runs them, for shellcheck.
		file := filepath.Join(t.TempDir(), strings.ReplaceAll(s.Name, " ", "-")+".sh")
		if err := os.WriteFile(file, []byte("#!/usr/bin/env bash\n"+s.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		scripts.WriteString(file + "\n")
	}
	for _, want := range []string{"version", "validate", "plan", "apply"} {
		if !slices.Contains(ran, want) {
			t.Errorf("action never runs teamctl %s; it runs %v", want, ran)
		}
	}
	install := a.Runs.Steps[0].Run
	want := `validate | plan | apply | install)`
	if strings.Join(actionCommands, " | ")+")" != want || !strings.Contains(install, want) {
		t.Errorf("the install step does not accept exactly %v", actionCommands)
	}
	for _, name := range []string{`archive="teamctl_${version#v}_${os}_${arch}.${ext}"`, "--pattern checksums.txt"} {
		if !strings.Contains(install, name) {
			t.Errorf("the install step lacks %s (the names in .goreleaser.yaml)", name)
		}
	}
	for name, out := range a.Outputs {
		if m := regexp.MustCompile(`steps\.([\w-]+)\.`).FindStringSubmatch(out.Value); m != nil &&
			!slices.ContainsFunc(a.Runs.Steps, func(s step) bool { return s.ID == m[1] }) {
			t.Errorf("output %s reads step %q, which does not exist", name, m[1])
		}
	}
	// An empty journal-branch turns the journal push off; the push runs
	// after a failed apply too (its journal says what went out).
	for _, s := range a.Runs.Steps {
		if s.Name == "Keep the journal" && (!strings.Contains(s.If, "inputs.journal-branch != ''") || !strings.HasPrefix(s.If, "always()")) {
			t.Errorf("step %q: if: %s; want it to run always(), unless journal-branch is empty", s.Name, s.If)
		}
	}
	shellcheck(t, strings.Fields(scripts.String()))
}

// shellcheck runs shellcheck on files. actionlint runs it on the
// workflows' scripts when it is on PATH; .ci/run installs it and sets
// TEAMCTL_SHELLCHECK=required, so that CI cannot skip it.
func shellcheck(t *testing.T, files []string) {
	t.Helper()
	bin, err := exec.LookPath("shellcheck")
	if err != nil {
		if os.Getenv("TEAMCTL_SHELLCHECK") == "required" {
			t.Fatalf("shellcheck is required and not on PATH: %v", err)
		}
		t.Skip("shellcheck is not on PATH (apt-get install shellcheck); .ci/run requires it")
	}
	out, err := exec.Command(bin, append([]string{"--shell=bash", "--severity=style"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// checkEnv fails where a token is not a secret.
func checkEnv(t *testing.T, where string, env map[string]string) {
	t.Helper()
	for key, value := range env {
		if strings.Contains(key, "TOKEN") && key != "GH_TOKEN" && !regexp.MustCompile(`^\$\{\{ secrets\.\w+ \}\}$`).MatchString(value) {
			t.Errorf("%s: %s = %q, want a secret", where, key, value)
		}
	}
}

// checkStep checks one step: secrets only through env, and every teamctl
// command line of its script.
func checkStep(t *testing.T, s step) {
	t.Helper()
	if strings.Contains(s.Run, "secrets.") {
		t.Errorf("step %q reads a secret inside its script; pass it through env", s.Name)
	}
	for key, value := range s.With {
		if strings.Contains(value, "secrets.") {
			t.Errorf("step %q passes a secret as input %q; pass it through env", s.Name, key)
		}
	}
	checkEnv(t, "step "+s.Name, s.Env)
	for _, line := range strings.Split(s.Run, "\n") {
		if args := teamctlArgs(line); args != nil {
			checkCommandLine(t, args)
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
		if strings.HasPrefix(f, ">") || strings.HasPrefix(f, "2>") || f == "|" || f == "&&" {
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
