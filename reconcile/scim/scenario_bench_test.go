package scim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/scim"
	"github.com/teamctl/teamctl/reconcile/scimtest"
	"github.com/teamctl/teamctl/reconcile/synth"
	"github.com/teamctl/teamctl/schema"
)

// scenarioLatency is the time the server takes over every request in the
// scenarios: a SaaS provider across the internet.
const scenarioLatency = 50 * time.Millisecond

// scenarioPeople is the roster of the scenarios: the smallest with ten
// pages of users, so that the one request of discovery weighs under 10%
// of the reads.
const scenarioPeople = 1000

// BenchmarkScenario plans and applies the generated roster of 1,000 people
// (5% drift, prune on) against the SCIM test server with 50ms of latency a
// request, as `teamctl plan` and `teamctl apply --auto-approve` do, each
// from a fresh start. It reports:
//
//   - reads/min: the GET requests of the plan against the minimum,
//     ceil(users/page) + ceil(groups/page);
//   - writes/min (Bulk): the write requests of the apply against the
//     minimum, the sum over the plan's phases of
//     ceil(operations/maxOperations), where a phase's operations are its
//     user requests and one membership edit per group it adds to or
//     removes from (phases run in order: SPEC §4);
//   - naive/apply (no Bulk): the wall time of a serial client that makes
//     one request per member, on the same workspace, over the wall time of
//     the apply.
func BenchmarkScenario(b *testing.B) {
	for _, tc := range []struct {
		name  string
		opts  scimtest.Options
		naive bool
	}{
		{"bulk", scimtest.Options{Bulk: true}, false},
		{"no-bulk", scimtest.Options{}, true},
	} {
		b.Run(tc.name+"/"+synth.SizeName(scenarioPeople), func(b *testing.B) {
			fx := synth.BenchFixture(b, scenarioPeople)
			path, _ := synth.BenchFiles(b, scenarioPeople)
			team, err := schema.Load(path)
			if err != nil {
				b.Fatal(err)
			}
			opts := tc.opts
			opts.Faults.Latency = scenarioLatency
			var planTime, applyTime, naiveTime time.Duration
			var reads, readMin, writes, writeMin, readBack int
			for b.Loop() {
				b.StopTimer()
				srv := scimtest.New(b, opts)
				seed(srv, fx.Live.Members)
				readMin += ceilDiv(len(srv.Users()), 100) + ceilDiv(len(srv.Groups()), 100)
				b.StartTimer()

				start := time.Now()
				_, plan := scenarioPlan(b, srv, team)
				planTime += time.Since(start)
				planReads := srv.Counts()["GET /Users"] + srv.Counts()["GET /Groups"] + srv.Counts()["GET /ServiceProviderConfig"]
				reads += planReads

				srv.ResetCounts()
				start = time.Now()
				ws, plan := scenarioPlan(b, srv, team)
				for _, r := range reconcile.Apply(ctx, ws, plan, reconcile.ApplyOptions{}) {
					if r.Outcome != reconcile.Applied {
						b.Fatalf("%s %s: %s: %v", r.Change.Action, r.Change.Email, r.Outcome, r.Err)
					}
				}
				applyTime += time.Since(start)
				c := srv.Counts()
				applyReads := c["GET /Users"] + c["GET /Groups"] + c["GET /ServiceProviderConfig"]
				writes += c["total"] - applyReads
				// apply reads as plan did, then reads back what each batch
				// wrote: the difference is the read-back (SPEC §8).
				readBack += applyReads - planReads
				writeMin += minWrites(plan)

				b.StopTimer()
				checkConverged(b, srv, team)
				if tc.naive {
					naiveSrv := scimtest.New(b, opts)
					seed(naiveSrv, fx.Live.Members)
					start = time.Now()
					naive := &naiveClient{base: naiveSrv.BaseURL, token: naiveSrv.Token(), groups: map[schema.Role]string{schema.Admin: "Admins", schema.Operator: "Operators", schema.Reviewer: "Reviewers"}}
					if err := naive.reconcile(team); err != nil {
						b.Fatal(err)
					}
					naiveTime += time.Since(start)
					checkConverged(b, naiveSrv, team)
					naiveSrv.Close()
				}
				srv.Close()
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(planTime.Seconds()/n, "plan-s")
			b.ReportMetric(applyTime.Seconds()/n, "apply-s")
			b.ReportMetric(float64(reads)/n, "reads")
			b.ReportMetric(float64(reads)/float64(readMin), "reads/min")
			b.ReportMetric(float64(writes)/n, "writes")
			b.ReportMetric(float64(readBack)/n, "readback-reads")
			if opts.Bulk {
				b.ReportMetric(float64(writes)/float64(writeMin), "writes/min")
			}
			if tc.naive {
				b.ReportMetric(naiveTime.Seconds()/n, "naive-s")
				b.ReportMetric(naiveTime.Seconds()/applyTime.Seconds(), "naive/apply")
			}
		})
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// scenarioPlan opens the workspace afresh, reads it and plans, as a new
// teamctl process does.
func scenarioPlan(b *testing.B, srv *scimtest.Server, team *schema.Team) (*scim.Workspace, *reconcile.Plan) {
	b.Helper()
	ws, err := scim.New(scim.Config{URL: srv.URL, Token: srv.Token()})
	if err != nil {
		b.Fatal(err)
	}
	live, err := ws.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: synth.BenchNow})
	if err != nil {
		b.Fatal(err)
	}
	return ws, plan
}

// checkConverged fails unless a new plan against srv has no changes.
func checkConverged(b *testing.B, srv *scimtest.Server, team *schema.Team) {
	b.Helper()
	if _, plan := scenarioPlan(b, srv, team); len(plan.Changes) > 0 {
		b.Fatalf("after apply, a plan still has %d changes, first %s %s", len(plan.Changes), plan.Changes[0].Action, plan.Changes[0].Email)
	}
}

// minWrites is the fewest Bulk requests (of up to 1000 operations, the
// test server's maxOperations) that carry out the plan: phase by phase,
// one operation per user created, reactivated or deactivated, and one per
// group that gains or loses members.
func minWrites(plan *reconcile.Plan) int {
	total := 0
	for _, phase := range plan.Phases() {
		ops := 0
		type edit struct {
			role schema.Role
			add  bool
		}
		edits := map[edit]bool{}
		for _, c := range phase {
			switch c.Action {
			case reconcile.Invite, reconcile.Remove, reconcile.CancelInvite:
				ops++ // the user: created or (re)activated, or deactivated
			}
			if c.RoleAfter != "" && c.RoleAfter != c.RoleBefore {
				edits[edit{c.RoleAfter, true}] = true
			}
			for _, r := range append([]schema.Role{c.RoleBefore}, c.OtherRoles...) {
				if r != "" && r != c.RoleAfter {
					edits[edit{r, false}] = true
				}
			}
		}
		total += ceilDiv(ops+len(edits), 1000)
	}
	return total
}

// naiveClient is what membership tools that make one request per member
// do, serially: look each declared person up, read the role groups, then
// for each difference send one request per member and group: create the
// user, add it to its group, take it out of another, deactivate it.
type naiveClient struct {
	base, token string
	groups      map[schema.Role]string // role → group name
}

func (c *naiveClient) do(method, path string, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	var doc map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// find returns the first resource a filtered list answers, or nil.
func (c *naiveClient) find(path, filter string) (map[string]any, error) {
	doc, err := c.do(http.MethodGet, path+"?filter="+url.QueryEscape(filter), nil)
	if err != nil {
		return nil, err
	}
	list, _ := doc["Resources"].([]any)
	if len(list) == 0 {
		return nil, nil
	}
	first, _ := list[0].(map[string]any)
	return first, nil
}

func (c *naiveClient) member(group, op, id string) error {
	patch := map[string]any{"op": op, "path": "members", "value": []map[string]any{{"value": id}}}
	if op == "remove" {
		patch = map[string]any{"op": op, "path": fmt.Sprintf("members[value eq %q]", id)}
	}
	_, err := c.do(http.MethodPatch, "/Groups/"+group, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": []any{patch},
	})
	return err
}

func (c *naiveClient) setActive(id string, active bool) error {
	_, err := c.do(http.MethodPatch, "/Users/"+id, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "replace", "path": "active", "value": active}},
	})
	return err
}

// reconcile makes the workspace match the team, prune included.
func (c *naiveClient) reconcile(team *schema.Team) error {
	groupID := map[schema.Role]string{}
	inGroup := map[schema.Role]map[string]bool{}
	for _, r := range schema.Roles {
		g, err := c.find("/Groups", fmt.Sprintf("displayName eq %q", c.groups[r]))
		if err != nil || g == nil {
			return fmt.Errorf("group %s: %v", c.groups[r], err)
		}
		groupID[r], _ = g["id"].(string)
		inGroup[r] = map[string]bool{}
		ms, _ := g["members"].([]any)
		for _, m := range ms {
			if mm, ok := m.(map[string]any); ok {
				id, _ := mm["value"].(string)
				inGroup[r][id] = true
			}
		}
	}
	declared := map[string]bool{}
	for _, p := range team.People {
		u, err := c.find("/Users", fmt.Sprintf("userName eq %q", p.Email))
		if err != nil {
			return err
		}
		var id string
		if u == nil {
			created, err := c.do(http.MethodPost, "/Users", map[string]any{
				"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
				"userName": p.Email, "displayName": p.Name, "active": true,
				"emails": []map[string]any{{"value": p.Email, "primary": true}},
			})
			if err != nil {
				return err
			}
			id, _ = created["id"].(string)
		} else {
			id, _ = u["id"].(string)
			if active, _ := u["active"].(bool); !active {
				if err := c.setActive(id, true); err != nil {
					return err
				}
			}
		}
		declared[id] = true
		if !inGroup[p.Role][id] {
			if err := c.member(groupID[p.Role], "add", id); err != nil {
				return err
			}
		}
		for _, r := range schema.Roles {
			if r != p.Role && inGroup[r][id] {
				if err := c.member(groupID[r], "remove", id); err != nil {
					return err
				}
			}
		}
	}
	for _, r := range schema.Roles {
		for id := range inGroup[r] {
			if declared[id] {
				continue
			}
			if err := c.setActive(id, false); err != nil {
				return err
			}
			if err := c.member(groupID[r], "remove", id); err != nil {
				return err
			}
		}
	}
	return nil
}
