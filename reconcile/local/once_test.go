package local_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/schema"
)

// emails lists the members of the workspace file at path, read anew.
func emails(t *testing.T, path string) []string {
	t.Helper()
	live, err := local.New(path).Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range live.Members {
		out = append(out, m.Email+" "+string(m.Role)+" "+string(m.Status))
	}
	return out
}

// Under the lock, the Executes of an apply edit the document Snapshot read
// and write it again: they never read the file (nobody else may write it
// meanwhile), so an apply of 100,000 changes reads 22 MB once. Shown here
// by moving the file away after the Snapshot: the next Execute still
// writes every member. Without the lock, each Execute reads the file.
func TestExecuteUnderTheLockEditsWhatSnapshotRead(t *testing.T) {
	ws := newWorkspace(t, sample)
	if got := ws.BatchLimit(); got != 0 {
		t.Errorf("BatchLimit() = %d, want 0 (a whole phase at once)", got)
	}
	release, err := ws.Lock(context.Background(), "dana@acme.io")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Snapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(ws.Path(), ws.Path()+".away"); err != nil {
		t.Fatal(err)
	}
	invite := reconcile.Change{Action: reconcile.Invite, Email: "olivia@acme.io", RoleAfter: schema.Operator}
	if errs := ws.Execute(context.Background(), []reconcile.Change{invite}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	promote := reconcile.Change{Action: reconcile.ChangeRole, Email: "sam@acme.io", RoleBefore: schema.Operator, RoleAfter: schema.Admin}
	if errs := ws.Execute(context.Background(), []reconcile.Change{promote}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	want := []string{"Dana@acme.io admin active", "olivia@acme.io operator invited", "rita@acme.io reviewer invited", "sam@acme.io admin active"}
	if d := cmp.Diff(want, emails(t, ws.Path())); d != "" {
		t.Errorf("workspace after two Executes under the lock (-want +got):\n%s", d)
	}
	release()

	// Another hold of the lock, or none, reads the file again.
	if err := os.Rename(ws.Path()+".away", ws.Path()); err != nil {
		t.Fatal(err)
	}
	remove := reconcile.Change{Action: reconcile.Remove, Email: "Dana@acme.io", RoleBefore: schema.Admin}
	if errs := ws.Execute(context.Background(), []reconcile.Change{remove}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	want = []string{"rita@acme.io reviewer invited", "sam@acme.io operator active"}
	if d := cmp.Diff(want, emails(t, ws.Path())); d != "" {
		t.Errorf("workspace after an Execute outside the lock (-want +got):\n%s", d)
	}
}
