package interop_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// newcomers is how many people the round trip invites: more than one page
// of the 100 users teamctl asks for at a time.
const newcomers = 110

// TestRoundTrip plans a team against a seeded provider, applies the plan
// with reconcile.Apply, and checks what the provider itself then holds,
// read straight from it; a second plan must have nothing to do.
func TestRoundTrip(t *testing.T) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel() // each provider is a server of its own
			p.skipPending(t, "RoundTrip")
			srv := start(t, p)
			ws := srv.take(t)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			c := newClient(ws)
			err := seed(ctx, c, []reconcile.Member{
				{Email: "dana@acme.io", Role: schema.Admin, Status: reconcile.Active},
				{Email: "sam@acme.io", Role: schema.Admin, Status: reconcile.Active},
				{Email: "olivia@acme.io", Role: schema.Operator, Status: reconcile.Active},
				{Email: "rita@acme.io", Role: schema.Reviewer, Status: reconcile.Active},
				{Email: "zed@acme.io", Role: schema.Operator, Status: reconcile.Active},
			})
			if err != nil {
				t.Fatalf("seed: %v", err)
			}

			team := &schema.Team{Version: 1, Workspace: "acme", Policy: schema.DefaultPolicy(), Files: []string{"team.yaml"}, Digest: "sha256:team"}
			team.Policy.Prune = true
			declare := func(email string, role schema.Role) {
				team.People = append(team.People, schema.Person{Email: email, Role: role, Pos: schema.Pos{File: "team.yaml", Line: len(team.People) + 2, Col: 5}})
			}
			declare("dana@acme.io", schema.Admin)
			declare("olivia@acme.io", schema.Admin)  // promoted
			declare("sam@acme.io", schema.Reviewer)  // demoted
			declare("rita@acme.io", schema.Reviewer) // kept
			declare("ana@acme.io", schema.Operator)  // invited
			for i := range newcomers {               // invited, past one page
				declare(fmt.Sprintf("user%03d@acme.io", i), schema.Reviewer)
			}
			// zed@acme.io is not declared: prune deactivates him.

			w := newWorkspace(t, ws)
			plan := diff(ctx, t, team, w)
			if got, want := plan.Summary(), map[reconcile.Action]int{reconcile.Invite: newcomers + 1, reconcile.ChangeRole: 2, reconcile.Remove: 1}; !sameCounts(got, want) {
				t.Fatalf("first plan = %v, want %v", got, want)
			}
			rs := reconcile.Apply(ctx, w, plan, reconcile.ApplyOptions{})
			for _, r := range rs {
				if r.Outcome != reconcile.Applied {
					t.Errorf("apply %s %s: %s: %v", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
				}
			}

			want := []string{
				"ana@acme.io active operator",
				"dana@acme.io active admin",
				"olivia@acme.io active admin",
				"rita@acme.io active reviewer",
				"sam@acme.io active reviewer",
			}
			for i := range newcomers {
				want = append(want, fmt.Sprintf("user%03d@acme.io active reviewer", i))
			}
			want = append(want, "zed@acme.io inactive")
			slices.Sort(want)
			if d := cmp.Diff(want, held(ctx, t, c)); d != "" {
				t.Errorf("after apply, the provider holds (-want +got):\n%s", d)
			}

			// A fresh workspace, as the next run of teamctl would have.
			again := diff(ctx, t, team, newWorkspace(t, ws))
			if len(again.Changes) != 0 || len(again.Drift) != 0 {
				t.Errorf("second plan has %d changes and %d drift, want none: %v %v", len(again.Changes), len(again.Drift), again.Changes, again.Drift)
			}
		})
	}
}

func diff(ctx context.Context, t *testing.T, team *schema.Team, ws reconcile.Workspace) *reconcile.Plan {
	t.Helper()
	live, err := ws.Snapshot(ctx)
	if err != nil {
		t.Fatalf("Snapshot() error: %v", err)
	}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: time.Now()})
	if err != nil {
		t.Fatalf("Diff() error: %v", err)
	}
	return plan
}

func sameCounts(got, want map[reconcile.Action]int) bool {
	for _, a := range reconcile.Actions {
		if got[a] != want[a] {
			return false
		}
	}
	return true
}

// held reads, straight from the provider, each user's userName, whether it
// is active, and the role groups it is a member of: "email active role...";
// and "(no user) role..." for a member value that is no user.
func held(ctx context.Context, t *testing.T, c *client) []string {
	t.Helper()
	type resource struct {
		ID          string `json:"id"`
		UserName    string `json:"userName"`
		DisplayName string `json:"displayName"`
		Active      *bool  `json:"active"`
		Members     []struct {
			Value string `json:"value"`
		} `json:"members"`
	}
	list := func(path string) []resource {
		var all []resource
		for start := 1; ; {
			var page struct {
				TotalResults int        `json:"totalResults"`
				Resources    []resource `json:"Resources"`
			}
			if err := c.send(ctx, http.MethodGet, fmt.Sprintf("%s?startIndex=%d&count=100", path, start), nil, &page); err != nil {
				t.Fatalf("read the provider: %v", err)
			}
			all = append(all, page.Resources...)
			start += len(page.Resources)
			if len(page.Resources) == 0 || start > page.TotalResults {
				return all
			}
		}
	}
	roles := map[string][]string{}
	for _, g := range list("/Groups") {
		// Read each group alone too: some providers list groups without
		// their members.
		var one resource
		at := "/Groups/" + g.ID
		if c.ws.members != "" {
			at = c.ws.members + g.ID
		}
		if err := c.send(ctx, http.MethodGet, at, nil, &one); err != nil {
			t.Fatalf("read the provider: %v", err)
		}
		for _, r := range schema.Roles {
			if roleGroups[r] == g.DisplayName {
				for _, m := range one.Members {
					roles[m.Value] = append(roles[m.Value], string(r))
				}
			}
		}
	}
	var out []string
	for _, u := range list("/Users") {
		state := "active"
		if u.Active != nil && !*u.Active {
			state = "inactive"
		}
		rs := roles[u.ID]
		delete(roles, u.ID)
		slices.Sort(rs)
		out = append(out, strings.Join(append([]string{strings.ToLower(u.UserName), state}, rs...), " "))
	}
	// A member that is no user: "(no user) ROLE...".
	for _, rs := range roles {
		slices.Sort(rs)
		out = append(out, strings.Join(append([]string{"(no user)"}, rs...), " "))
	}
	slices.Sort(out)
	return out
}
