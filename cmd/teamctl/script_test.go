package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected files in testdata/script")

// TestMain lets the scripts run teamctl as a real process: `exec teamctl`
// runs run(), which builds the App from the process's own streams,
// environment and clock, exactly as the installed binary does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"teamctl": func() { os.Exit(run()) },
	})
}

// TestScript runs the end-to-end scripts in testdata/script. Scripts are
// named by area: validate_*.txtar, plan_*.txtar, ...
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update, // go test -update rewrites the files that cmp compares with
		// scim-start, scim-user, ... (scim_script_test.go); exits, holdlock (script_cmds_test.go); dates (script_dates_test.go)
		Cmds: commands(scimCommands(), planCommands(), dateCommands(), workflowCommands()),
		Setup: func(env *testscript.Env) error {
			scimSetup(env)
			// The repository's examples, for scripts that check them.
			dir, err := filepath.Abs(filepath.Join("..", "..", "examples"))
			env.Setenv("EXAMPLES", dir)
			return err
		},
	})
}
