package reconcile_test

import (
	"testing"

	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/synth"
	"github.com/teamctl/teamctl/schema"
)

// BenchmarkDiff plans each roster size against its workspace, where 5% of
// the people differ in every way a plan knows (invites, role changes,
// pending and expired invites, undeclared members with prune on).
func BenchmarkDiff(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		team, live := benchInput(b, n)
		synth.PerPerson(b, n, func() {
			if _, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: synth.BenchNow}); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// benchInput loads the generated team of n people and its live workspace.
func benchInput(b *testing.B, n int) (*schema.Team, *reconcile.Live) {
	b.Helper()
	path, _ := synth.BenchFiles(b, n)
	team, err := schema.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	return team, synth.BenchFixture(b, n).Live
}
