package interop_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// cliTeam is the team file the CLI test applies: olivia promoted, sam
// demoted, ana invited, zed (not declared) pruned.
const cliTeam = `version: 1
workspace: acme
invite_note: |
  Welcome to Acme's workspace. On first login, open Campaigns and reply
  in the launch channel with what you can see.
admins:
  - email: dana@acme.io
  - email: olivia@acme.io
operators:
  - email: ana@acme.io
reviewers:
  - email: sam@acme.io
backups:
  admin: olivia@acme.io
policy:
  prune: true
  rules:
    least-privilege: off
    approvers: off
`

// binary is the teamctl command, built once for the package's tests.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// teamctl returns the path of a teamctl built from this tree.
func teamctl(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "teamctl-interop-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "teamctl")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", binary.path, "../../../cmd/teamctl")
		if out, err := cmd.CombinedOutput(); err != nil {
			binary.err = errors.New("go build ./cmd/teamctl: " + err.Error() + "\n" + string(out))
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// run runs teamctl in dir against ws and returns its exit code and output.
func run(ctx context.Context, t *testing.T, dir string, ws workspace, args ...string) (int, string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, teamctl(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TEAMCTL_WORKSPACE="+ws.URL(), "TEAMCTL_SCIM_TOKEN="+ws.token, "NO_COLOR=1", "TEAMCTL_ACTOR=", "TEAMCTL_JOURNAL=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	t.Fatalf("teamctl %s: %v", strings.Join(args, " "), err)
	return 0, ""
}

// TestCLI runs the teamctl command as a user would: plan, apply, plan
// again, against each provider, and reads back what the provider holds.
// On a provider that hides members, apply must not say it is complete.
func TestCLI(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel() // each provider is a server of its own
			p.skipPending(t, "CLI")
			srv := start(t, p)
			ws := srv.take(t)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			c := newClient(ws)
			err := seed(ctx, c, []reconcile.Member{
				active("dana@acme.io", schema.Admin),
				active("sam@acme.io", schema.Admin),
				active("olivia@acme.io", schema.Operator),
				active("zed@acme.io", schema.Operator),
			})
			if err != nil {
				t.Fatalf("seed: %v", err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "team.yaml"), []byte(cliTeam), 0o600); err != nil {
				t.Fatal(err)
			}
			if code, out := run(ctx, t, dir, ws, "plan", "--detailed-exitcode"); code != 2 {
				t.Fatalf("teamctl plan --detailed-exitcode: exit %d, want 2 (changes):\n%s", code, out)
			}
			code, out := run(ctx, t, dir, ws, "apply", "--auto-approve", "--journal", filepath.Join(dir, "journal.jsonl"))
			if p.hidesMembers {
				t.Logf("teamctl apply: exit %d:\n%s", code, out)
				if code == 0 || strings.Contains(out, "Apply complete!") {
					t.Errorf("teamctl apply on a provider that shows no change: exit %d, want 1, and not complete:\n%s", code, out)
				}
				return
			}
			if code != 0 || !strings.Contains(out, "Apply complete!") {
				t.Fatalf("teamctl apply --auto-approve: exit %d, want 0 and \"Apply complete!\":\n%s", code, out)
			}
			want := []string{
				"ana@acme.io active operator",
				"dana@acme.io active admin",
				"olivia@acme.io active admin",
				"sam@acme.io active reviewer",
				"zed@acme.io inactive",
			}
			slices.Sort(want)
			if d := cmp.Diff(want, held(ctx, t, c)); d != "" {
				t.Errorf("after teamctl apply, the provider holds (-want +got):\n%s", d)
			}
			if code, out := run(ctx, t, dir, ws, "plan", "--detailed-exitcode"); code != 0 {
				t.Errorf("teamctl plan --detailed-exitcode after apply: exit %d, want 0 (no changes):\n%s", code, out)
			}
		})
	}
}
