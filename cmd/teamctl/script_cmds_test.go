package main

import (
	"context"
	"errors"
	"maps"
	"os/exec"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/teamctl/teamctl/reconcile/local"
)

// planCommands are the commands the plan_*.txtar scripts add to
// testscript's own.
func planCommands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"exits":    cmdExits,
		"holdlock": cmdHoldLock,
	}
}

// commands merges sets of script commands.
func commands(sets ...map[string]func(ts *testscript.TestScript, neg bool, args []string)) map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	all := map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	for _, s := range sets {
		maps.Copy(all, s)
	}
	return all
}

// cmdExits runs a program and checks its exit code, which `exec` and
// `! exec` cannot tell apart beyond zero and non-zero:
//
//	exits 2 teamctl plan --detailed-exitcode
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// cmdHoldLock takes the lock of a file workspace until the script ends,
// as an apply in another process would:
//
//	holdlock file:ws.json dana@acme.io
func cmdHoldLock(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 || !strings.HasPrefix(args[0], "file:") {
		ts.Fatalf("usage: holdlock file:PATH HOLDER")
	}
	ws := local.New(ts.MkAbs(strings.TrimPrefix(args[0], "file:")))
	release, err := ws.Lock(context.Background(), "actor "+args[1])
	ts.Check(err)
	ts.Defer(func() { release() })
}
