package scim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/schema"
)

// faultTeam declares dana and sam as admins (sam promoted), olivia as an
// operator (demoted from admin), and twenty new people; zed, a live
// reviewer, is not declared and prune is on.
func faultTeam() (*schema.Team, []reconcile.Member) {
	team := &schema.Team{Version: 1, Workspace: "acme-outbound", Policy: schema.Policy{MaxAdmins: 3, Prune: true, MaxRemovals: 5}}
	add := func(email string, role schema.Role) {
		team.People = append(team.People, schema.Person{Email: email, Role: role, Pos: schema.Pos{File: "team.yaml", Line: len(team.People) + 1}})
	}
	add("dana@acme.io", schema.Admin)
	add("sam@acme.io", schema.Admin)
	add("olivia@acme.io", schema.Operator)
	for i := range 20 {
		add(fmt.Sprintf("new%02d@acme.io", i), schema.Roles[1+i%2])
	}
	live := []reconcile.Member{
		member("dana@acme.io", schema.Admin),
		member("olivia@acme.io", schema.Admin),
		member("sam@acme.io", schema.Operator),
		member("zed@acme.io", schema.Reviewer),
	}
	return team, live
}

// holdings reads the server: for each userName key, the role groups it is
// in and whether it is active.
func holdings(srv *scimtest.Server) map[string]string {
	roleOf := map[string]schema.Role{"Admins": schema.Admin, "Operators": schema.Operator, "Reviewers": schema.Reviewer}
	byID := map[string][]string{}
	for _, g := range srv.Groups() {
		for _, id := range g.Members {
			byID[id] = append(byID[id], string(roleOf[g.DisplayName]))
		}
	}
	out := map[string]string{}
	for _, u := range srv.Users() {
		key := schema.Key(u.UserName)
		if _, dup := out[key]; dup {
			out[key] = "DUPLICATE"
			continue
		}
		roles := byID[u.ID]
		slices.Sort(roles)
		if !u.Active {
			// A deactivated user holds no access, whatever its groups: a
			// remove whose second step (leaving the groups) failed leaves
			// it so, and that is safe.
			out[key] = "inactive"
			continue
		}
		out[key] = strings.TrimSpace("active " + strings.Join(roles, " "))
	}
	return out
}

func declaredEnd(team *schema.Team) map[string]string {
	want := map[string]string{"zed@acme.io": "inactive"}
	for _, p := range team.People {
		want[p.Key()] = "active " + string(p.Role)
	}
	return want
}

// checkSafe holds at any point of an apply: no declared person who held a
// role lost every role group, and nobody holds a role broader than both
// what they held before and what they are declared.
func checkSafe(t *testing.T, team *schema.Team, before []reconcile.Member, got map[string]string) {
	t.Helper()
	declared := team.Index()
	held := map[string]schema.Role{}
	for _, m := range before {
		held[m.Key()] = m.Role
	}
	for key, h := range got {
		if h == "DUPLICATE" {
			t.Errorf("%s: two users", key)
			continue
		}
		fields := strings.Fields(h)
		roles := fields[1:]
		if p, ok := declared[key]; ok && held[key] != "" && (len(roles) == 0 || fields[0] != "active") {
			t.Errorf("%s, declared %s and holding %s before, now holds %q", key, p.Role, held[key], h)
		}
		for _, r := range roles {
			rank := schema.Role(r).Rank()
			if rank > declared[key].Role.Rank() && rank > held[key].Rank() {
				t.Errorf("%s holds %s, more than declared (%q) or held before (%q)", key, r, declared[key].Role, held[key])
			}
		}
	}
}

// apply plans against the live workspace and applies the plan, as the
// apply command does, through a fresh workspace (a new process).
func apply(t *testing.T, srv *scimtest.Server, team *schema.Team, mod func(*scim.Config)) (*reconcile.Plan, reconcile.Results) {
	t.Helper()
	ws := newWorkspace(t, srv, mod)
	live, err := ws.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot() error: %v", err)
	}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("Diff() error: %v", err)
	}
	return plan, reconcile.Apply(ctx, ws, plan, reconcile.ApplyOptions{})
}

func TestFaultsConverge(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts scimtest.Options
		cfg  func(*scim.Config)
		// exact: the first apply must reach the declared state by itself;
		// otherwise it may stop with failures, each reported.
		exact bool
	}{
		{name: "503EveryThirdWrite", opts: scimtest.Options{Faults: scimtest.Faults{FailWriteEvery: 3, RetryAfter: "0"}}, exact: true},
		{name: "429EverySecondWriteBulk", opts: scimtest.Options{Bulk: true, BulkMaxOperations: 5, Faults: scimtest.Faults{FailWriteEvery: 2, FailWriteStatus: 429, RetryAfter: "0"}}, exact: true},
		{name: "ResetEveryThirdRequest", opts: scimtest.Options{Faults: scimtest.Faults{ResetEvery: 3}}, exact: true},
		{name: "ResetsWithBulkAndETags", opts: scimtest.Options{Bulk: true, ETags: true, Faults: scimtest.Faults{ResetEvery: 2}}, exact: true},
		{name: "Timeouts", opts: scimtest.Options{ETags: true, Faults: scimtest.Faults{SlowEvery: 4, SlowDelay: 5 * time.Second}}, cfg: func(c *scim.Config) { c.Timeout = 150 * time.Millisecond }, exact: true},
		{name: "ListPage500Once", opts: scimtest.Options{PageSize: 2, Faults: scimtest.Faults{FailListPage: 2}}, exact: true},
		{name: "EveryOtherWriteFailsNoRetries", opts: scimtest.Options{Faults: scimtest.Faults{FailWriteEvery: 2}}, cfg: func(c *scim.Config) { c.Retry = scim.Retry{Attempts: 1} }},
		{name: "EveryWriteFailsNoRetries", opts: scimtest.Options{Faults: scimtest.Faults{FailWriteEvery: 1, FailWriteStatus: 429, RetryAfter: "0"}}, cfg: func(c *scim.Config) { c.Retry = scim.Retry{Attempts: 1} }},
		{name: "ResetsOneRetry", opts: scimtest.Options{Faults: scimtest.Faults{ResetEvery: 2}}, cfg: func(c *scim.Config) { c.Retry = scim.Retry{Attempts: 2, BaseDelay: time.Millisecond} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			team, before := faultTeam()
			srv := scimtest.New(t, tc.opts)
			seed(srv, before)
			want := declaredEnd(team)

			_, results := apply(t, srv, team, tc.cfg)
			got := holdings(srv)
			checkSafe(t, team, before, got)
			if tc.exact {
				if !results.OK() {
					for _, r := range results {
						if r.Err != nil {
							t.Errorf("%s %s: %s: %v", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
						}
					}
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("end state mismatch (-want +got):\n%s", d)
				}
			}
			for _, r := range results {
				if r.Outcome == reconcile.Failed && (r.Err == nil || !strings.Contains(r.Err.Error(), r.Change.Email)) {
					t.Errorf("failed change %s %s reported as %v; want the person named", r.Change.Action, r.Change.Email, r.Err)
				}
			}

			// A second apply, the faults gone, converges; a third plans nothing.
			srv.SetFaults(scimtest.Faults{})
			if _, results := apply(t, srv, team, nil); !results.OK() {
				t.Errorf("second apply: %d failed", results.Count(reconcile.Failed))
			}
			if d := cmp.Diff(want, holdings(srv)); d != "" {
				t.Errorf("after a second apply, end state mismatch (-want +got):\n%s", d)
			}
			if plan, _ := apply(t, srv, team, nil); len(plan.Changes) != 0 {
				t.Errorf("third plan has %d changes, want none", len(plan.Changes))
			}
		})
	}
}
