package local_test

import (
	"context"
	"testing"

	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/synth"
)

// BenchmarkSnapshot reads the file workspace of each roster size.
func BenchmarkSnapshot(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		_, path := synth.BenchFiles(b, n)
		ws := local.New(path)
		synth.PerPerson(b, n, func() {
			if _, err := ws.Snapshot(context.Background()); err != nil {
				b.Fatal(err)
			}
		})
	})
}
