package local_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// TestApplyConverges applies plans for random teams to a real file
// workspace: afterwards, a new plan has no changes.
func TestApplyConverges(t *testing.T) {
	roles := []schema.Role{schema.Admin, schema.Operator, schema.Reviewer}
	ctx := context.Background()
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 2))
		ws := newWorkspace(t, missing)
		ws.NewName = "acme"
		team := &schema.Team{Version: 1, Workspace: "acme", Policy: schema.DefaultPolicy(), Files: []string{"team.yaml"}}
		team.Policy.MaxRemovals = 100
		for round := range 3 {
			team.People = nil
			for i := range 8 {
				if r.IntN(3) > 0 {
					team.People = append(team.People, schema.Person{Email: fmt.Sprintf("p%d@x.io", i), Role: roles[r.IntN(3)], Pos: schema.Pos{File: "team.yaml", Line: i + 1}})
				}
			}
			team.Policy.Prune = r.IntN(2) == 0
			l, err := ws.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			plan, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
			if err != nil {
				t.Fatalf("seed %d round %d: Diff() error = %v", seed, round, err)
			}
			if rs := reconcile.Apply(ctx, ws, plan, reconcile.ApplyOptions{}); !rs.OK() {
				t.Fatalf("seed %d round %d: Apply() failed: %+v", seed, round, rs)
			}
			l, err = ws.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			again, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) != 0 {
				t.Fatalf("seed %d round %d: changes left after Apply(): %+v", seed, round, again.Changes)
			}
		}
	}
}
