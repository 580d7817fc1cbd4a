package reconcile_test

import (
	"fmt"
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// BenchmarkDiff100k plans a team of 100,000 people against a workspace
// where a tenth of them differ.
func BenchmarkDiff100k(b *testing.B) {
	const n = 100_000
	team := newTeam()
	team.Policy.MaxRemovals = n
	team.Policy.Prune = true
	l := &reconcile.Live{Name: "acme"}
	for i := range n {
		email := fmt.Sprintf("p%06d@x.io", i)
		team.People = append(team.People, person(email, schema.Roles[i%3], i+1))
		switch {
		case i%10 == 1:
			l.Members = append(l.Members, active(email, schema.Roles[(i+1)%3]))
		case i%10 != 2:
			l.Members = append(l.Members, active(email, schema.Roles[i%3]))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reconcile.Diff(team, l, reconcile.DiffOptions{Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}
