package interop_test

import (
	"context"
	"os"
	"path"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/workspacetest"
)

// providers are the independent SCIM servers the contract runs against.
// pending names the contract subtests a provider does not pass today and
// the finding (in the README, Tested providers) that says why.
var providers = []provider{
	{name: "Better Auth SCIM", script: "betterauth.mjs", pkg: "@better-auth/scim"},
}

// retry keeps teamctl's retries short against a local server.
var retry = scim.Retry{Attempts: 4, BaseDelay: 10 * time.Millisecond, MaxDelay: time.Second, MaxElapsed: 10 * time.Second}

// newWorkspace returns teamctl's workspace for ws, with its trace in the
// test log when the test fails, or always with INTEROP_TRACE=1.
func newWorkspace(t *testing.T, ws workspace) *scim.Workspace {
	t.Helper()
	trace := &lockedBuffer{}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("INTEROP_TRACE") == "1" {
			t.Logf("teamctl's trace of %s:\n%s", ws.base, trace)
		}
	})
	w, err := scim.New(scim.Config{URL: ws.URL(), Token: ws.token, Retry: retry, Timeout: 20 * time.Second, Debug: trace})
	if err != nil {
		t.Fatalf("scim.New() error: %v", err)
	}
	return w
}

func TestContract(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			srv := start(t, p)
			workspacetest.Run(t, func(t *testing.T, members []reconcile.Member) reconcile.Workspace {
				if why, ok := p.pending[path.Base(t.Name())]; ok {
					t.Skipf("pending: %s", why)
				}
				ws := srv.take(t)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				if err := seed(ctx, newClient(ws), members); err != nil {
					t.Fatalf("seed %s: %v", p.name, err)
				}
				return newWorkspace(t, ws)
			})
		})
	}
}
