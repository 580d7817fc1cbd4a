package main

import (
	"os"

	"github.com/rogpeppe/go-internal/testscript"
	"go.yaml.in/yaml/v3"
)

// workflowCommands are the script commands that run a workflow's own
// scripts (workflow_*.txtar), with fakes for what a runner has.
func workflowCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"workflow-step": cmdWorkflowStep,
	}
}

// cmdWorkflowStep writes the run script of a workflow's step (or, with
// job -, a composite action's) to a file, so that a script can run it with
// bash as the runner would:
//
//	workflow-step $EXAMPLES/github/teamctl-drift.yml drift 'Plan and check readiness' check.sh
//	workflow-step $ACTION - 'Find teamctl' install.sh
func cmdWorkflowStep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: workflow-step WORKFLOW|ACTION JOB|- STEP-NAME OUT")
	}
	data, err := os.ReadFile(args[0])
	ts.Check(err)
	var steps []step
	if args[1] == "-" {
		var a action
		ts.Check(yaml.Unmarshal(data, &a))
		steps = a.Runs.Steps
	} else {
		var wf workflow
		ts.Check(yaml.Unmarshal(data, &wf))
		job, ok := wf.Jobs[args[1]]
		if !ok {
			ts.Fatalf("workflow-step: %s has no job %s", args[0], args[1])
		}
		steps = job.Steps
	}
	for _, s := range steps {
		if s.Name == args[2] {
			if s.Run == "" {
				ts.Fatalf("workflow-step: step %q runs no script", args[2])
			}
			// A workflow step without shell: runs as bash -e {0} on
			// Linux; shell: bash adds pipefail.
			prelude := "set -e\n"
			if s.Shell == "bash" {
				prelude = "set -eo pipefail\n"
			}
			ts.Check(os.WriteFile(ts.MkAbs(args[3]), []byte(prelude+s.Run), 0o755))
			return
		}
	}
	ts.Fatalf("workflow-step: job %s has no step %q", args[1], args[2])
}
