package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
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
		"jsondoc":  cmdJSONDoc,
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

// cmdJSONDoc checks that a file (stdout, say) holds exactly one JSON
// document and nothing else:
//
//	jsondoc stdout
func cmdJSONDoc(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: jsondoc FILE")
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(ts.ReadFile(args[0]))))
	var v any
	if err := dec.Decode(&v); err != nil {
		ts.Fatalf("%s: not a JSON document: %v", args[0], err)
	}
	if _, ok := v.(map[string]any); !ok {
		ts.Fatalf("%s: not a JSON object", args[0])
	}
	if err := dec.Decode(&v); err != io.EOF {
		ts.Fatalf("%s: more than one JSON document (%v)", args[0], err)
	}
}
