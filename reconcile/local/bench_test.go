package local_test

import (
	"context"
	"testing"

	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/synth"
)

// BenchmarkSnapshot reads the file workspace of each roster size.
func BenchmarkSnapshot(b *testing.B) {
	for _, n := range synth.Sizes {
		b.Run(synth.SizeName(n), func(b *testing.B) {
			_, path := synth.BenchFiles(b, n)
			ws := local.New(path)
			synth.PerPerson(b, n, func() {
				if _, err := ws.Snapshot(context.Background()); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
