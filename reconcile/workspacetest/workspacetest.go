// Package workspacetest is the contract every workspace backend passes: it
// seeds a workspace, applies each kind of change and reads it back. Run it
// from a backend's tests with a Factory that makes a fresh workspace.
package workspacetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// Factory returns a fresh workspace holding the seed members: their Email,
// Name, Role and Status (Active or Suspended; Invited where the backend has
// invitations). Each call must return a workspace of its own.
type Factory func(t *testing.T, seed []reconcile.Member) reconcile.Workspace

// Run runs the contract against workspaces made by newWorkspace.
func Run(t *testing.T, newWorkspace Factory) {
	t.Helper()
	for _, tc := range []struct {
		name string
		run  func(*testing.T, Factory)
	}{
		{"EmptySnapshot", testEmpty},
		{"SeededSnapshot", testSeeded},
		{"Invite", testInvite},
		{"ChangeRole", testChangeRole},
		{"Remove", testRemove},
		{"Rename", testRename},
		{"OneFailingChange", testOneFailing},
		{"ExecuteTwiceConverges", testTwice},
		{"CaseInsensitiveIdentity", testCase},
		{"LargeBatch", testLargeBatch},
		{"EmptyBatch", testEmptyBatch},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newWorkspace) })
	}
}

func member(email string, role schema.Role) reconcile.Member {
	return reconcile.Member{Email: email, Role: role, Status: reconcile.Active}
}

var team = []reconcile.Member{
	member("dana@acme.io", schema.Admin),
	member("sam@acme.io", schema.Admin),
	member("olivia@acme.io", schema.Operator),
	member("rita@acme.io", schema.Reviewer),
}

// roster is what the contract compares: identity, role and whether the
// member holds access ("present": active or invited, since backends differ
// on whether a new person is invited or at once active; "suspended").
func roster(t *testing.T, ws reconcile.Workspace) []string {
	t.Helper()
	live, err := ws.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("Snapshot() error: %v", err)
	}
	var out []string
	for i, m := range live.Members {
		if i > 0 && live.Members[i-1].Key() >= m.Key() {
			t.Errorf("Snapshot() members not sorted by key: %q before %q", live.Members[i-1].Key(), m.Key())
		}
		state := "present"
		switch m.Status {
		case reconcile.Suspended:
			state = "suspended"
		case reconcile.Active, reconcile.Invited:
		default:
			t.Errorf("member %s has status %q", m.Email, m.Status)
		}
		s := fmt.Sprintf("%s %s %s", m.Key(), m.Role, state)
		for _, r := range m.OtherRoles {
			s += " +" + string(r)
		}
		out = append(out, s)
	}
	return out
}

func want(lines ...string) []string { return lines }

func check(t *testing.T, ws reconcile.Workspace, wantRoster []string) {
	t.Helper()
	if d := cmp.Diff(wantRoster, roster(t, ws)); d != "" {
		t.Errorf("Snapshot() roster mismatch (-want +got):\n%s", d)
	}
}

// execute runs a batch and fails the test on any error.
func execute(t *testing.T, ws reconcile.Workspace, batch ...reconcile.Change) {
	t.Helper()
	errs := ws.Execute(context.Background(), batch)
	if len(errs) != len(batch) {
		t.Fatalf("Execute() returned %d errors for %d changes", len(errs), len(batch))
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("Execute() change %d (%s %s): %v", i, batch[i].Action, batch[i].Email, err)
		}
	}
}

// ids returns the backend identifiers of the live members, by key, as a
// plan would carry them.
func ids(t *testing.T, ws reconcile.Workspace) map[string]string {
	t.Helper()
	live, err := ws.Snapshot(context.Background())
	if err != nil {
		t.Fatalf("Snapshot() error: %v", err)
	}
	m := map[string]string{}
	for _, mem := range live.Members {
		m[mem.Key()] = mem.ID
	}
	return m
}

func invite(email string, role schema.Role) reconcile.Change {
	return reconcile.Change{Action: reconcile.Invite, Email: email, RoleAfter: role, Reason: reconcile.Reason{Kind: reconcile.ReasonDeclared}}
}

func changeRole(email, id string, from, to schema.Role) reconcile.Change {
	return reconcile.Change{Action: reconcile.ChangeRole, Email: email, ID: id, RoleBefore: from, RoleAfter: to, Reason: reconcile.Reason{Kind: reconcile.ReasonRole}}
}

func remove(email, id string, from schema.Role) reconcile.Change {
	return reconcile.Change{Action: reconcile.Remove, Email: email, ID: id, RoleBefore: from, Reason: reconcile.Reason{Kind: reconcile.ReasonUndeclared}}
}

func testEmpty(t *testing.T, f Factory) {
	ws := f(t, nil)
	check(t, ws, nil)
}

func testSeeded(t *testing.T, f Factory) {
	ws := f(t, team)
	check(t, ws, want(
		"dana@acme.io admin present",
		"olivia@acme.io operator present",
		"rita@acme.io reviewer present",
		"sam@acme.io admin present",
	))
	live, err := ws.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range live.Members {
		if m.Email != strings.TrimSpace(m.Email) || m.Email == "" {
			t.Errorf("member email %q is empty or not trimmed", m.Email)
		}
	}
}

func testInvite(t *testing.T, f Factory) {
	ws := f(t, team[:1])
	execute(t, ws,
		invite("olivia@acme.io", schema.Operator),
		invite("rita@acme.io", schema.Reviewer),
		invite("sam@acme.io", schema.Admin),
	)
	check(t, ws, want(
		"dana@acme.io admin present",
		"olivia@acme.io operator present",
		"rita@acme.io reviewer present",
		"sam@acme.io admin present",
	))
}

func testChangeRole(t *testing.T, f Factory) {
	ws := f(t, team)
	id := ids(t, ws)
	execute(t, ws,
		changeRole("olivia@acme.io", id["olivia@acme.io"], schema.Operator, schema.Admin),
		changeRole("sam@acme.io", id["sam@acme.io"], schema.Admin, schema.Reviewer),
	)
	check(t, ws, want(
		"dana@acme.io admin present",
		"olivia@acme.io admin present",
		"rita@acme.io reviewer present",
		"sam@acme.io reviewer present",
	))
}

func rename(from, to, id string, role, after schema.Role) reconcile.Change {
	return reconcile.Change{Action: reconcile.Rename, Email: to, EmailBefore: from, ID: id, RoleBefore: role, RoleAfter: after, Reason: reconcile.Reason{Kind: reconcile.ReasonPreviously}}
}

// testRename renames members in place: the same backend identifier under
// the new email, keeping the role (or taking the declared one); a second
// run finds the rename done; one onto an email another member holds fails
// and changes nothing; a saved plan's rename (no id) finds the member by
// its old email.
func testRename(t *testing.T, f Factory) {
	ws := f(t, team)
	id := ids(t, ws)
	batch := []reconcile.Change{
		rename("olivia@acme.io", "olivia.park@acme.com", id["olivia@acme.io"], schema.Operator, schema.Operator),
		rename("rita@acme.io", "rita@new.example", "", schema.Reviewer, schema.Operator),
	}
	execute(t, ws, batch...)
	check(t, ws, want(
		"dana@acme.io admin present",
		"olivia.park@acme.com operator present",
		"rita@new.example operator present",
		"sam@acme.io admin present",
	))
	if after := ids(t, ws); after["olivia.park@acme.com"] != id["olivia@acme.io"] {
		t.Errorf("olivia's identifier after the rename = %q, want %q kept", after["olivia.park@acme.com"], id["olivia@acme.io"])
	}
	execute(t, ws, batch...) // done already
	errs := ws.Execute(context.Background(), []reconcile.Change{rename("sam@acme.io", "dana@acme.io", id["sam@acme.io"], schema.Admin, schema.Admin)})
	if len(errs) != 1 || errs[0] == nil || !strings.Contains(errs[0].Error(), "dana@acme.io") || !strings.Contains(errs[0].Error(), "sam@acme.io") {
		t.Errorf("Execute() of a rename onto another member = %v, want an error naming both", errs)
	}
	check(t, ws, want(
		"dana@acme.io admin present",
		"olivia.park@acme.com operator present",
		"rita@new.example operator present",
		"sam@acme.io admin present",
	))
}

func testRemove(t *testing.T, f Factory) {
	ws := f(t, team)
	id := ids(t, ws)
	execute(t, ws, remove("rita@acme.io", id["rita@acme.io"], schema.Reviewer))
	got := roster(t, ws)
	for _, line := range got {
		if strings.HasPrefix(line, "rita@acme.io ") && !strings.Contains(line, "suspended") {
			t.Errorf("after remove, rita still holds access: %q", line)
		}
	}
	for _, keep := range []string{"dana@acme.io admin present", "sam@acme.io admin present", "olivia@acme.io operator present"} {
		if !contains(got, keep) {
			t.Errorf("after removing rita, %q is missing from %q", keep, got)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func testOneFailing(t *testing.T, f Factory) {
	ws := f(t, team)
	batch := []reconcile.Change{
		invite("ana@acme.io", schema.Operator),
		changeRole("ghost@acme.io", "", schema.Operator, schema.Admin), // not in the workspace
		invite("ben@acme.io", schema.Reviewer),
	}
	errs := ws.Execute(context.Background(), batch)
	if len(errs) != len(batch) {
		t.Fatalf("Execute() returned %d errors for %d changes", len(errs), len(batch))
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("Execute() errors = %v; want only the second change to fail", errs)
	}
	if errs[1] == nil {
		t.Errorf("Execute() of a change-role for someone not in the workspace succeeded")
	} else if !strings.Contains(errs[1].Error(), "ghost@acme.io") {
		t.Errorf("Execute() error %q does not name the person", errs[1])
	}
	check(t, ws, want(
		"ana@acme.io operator present",
		"ben@acme.io reviewer present",
		"dana@acme.io admin present",
		"olivia@acme.io operator present",
		"rita@acme.io reviewer present",
		"sam@acme.io admin present",
	))
}

func testTwice(t *testing.T, f Factory) {
	ws := f(t, team)
	id := ids(t, ws)
	batch := []reconcile.Change{
		invite("ana@acme.io", schema.Admin),
		changeRole("olivia@acme.io", id["olivia@acme.io"], schema.Operator, schema.Reviewer),
		remove("rita@acme.io", id["rita@acme.io"], schema.Reviewer),
	}
	execute(t, ws, batch...)
	first := roster(t, ws)
	// Running it again (a retry after a lost answer, a crash) is done
	// already: no error, no change.
	execute(t, ws, batch...)
	if d := cmp.Diff(first, roster(t, ws)); d != "" {
		t.Errorf("executing the batch again changed the workspace (-first +second):\n%s", d)
	}
}

func testCase(t *testing.T, f Factory) {
	ws := f(t, []reconcile.Member{member("Dana@Acme.io", schema.Admin), member("sam@acme.io", schema.Admin)})
	execute(t, ws, changeRole("dana@acme.io", "", schema.Admin, schema.Operator))
	// Inviting a member under another spelling does not make a second one.
	execute(t, ws, invite("DANA@ACME.IO", schema.Operator), invite(" Sam@Acme.IO", schema.Admin))
	check(t, ws, want(
		"dana@acme.io operator present",
		"sam@acme.io admin present",
	))
	live, err := ws.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(live.Members) == 0 {
		t.Fatalf("Snapshot() has no members after seeding two")
	}
	if live.Members[0].Email != "Dana@Acme.io" {
		t.Errorf("Snapshot() email = %q, want the workspace's own spelling %q", live.Members[0].Email, "Dana@Acme.io")
	}
}

func testLargeBatch(t *testing.T, f Factory) {
	ws := f(t, team[:1])
	var batch []reconcile.Change
	var wantRoster []string
	for i := range 25 {
		email := fmt.Sprintf("user%02d@acme.io", i)
		role := schema.Roles[1+i%2]
		batch = append(batch, invite(email, role))
		wantRoster = append(wantRoster, fmt.Sprintf("%s %s present", email, role))
	}
	execute(t, ws, batch...)
	check(t, ws, append([]string{"dana@acme.io admin present"}, wantRoster...))
}

func testEmptyBatch(t *testing.T, f Factory) {
	ws := f(t, team[:1])
	if errs := ws.Execute(context.Background(), nil); len(errs) != 0 {
		t.Errorf("Execute(nil) = %v, want no errors", errs)
	}
}
