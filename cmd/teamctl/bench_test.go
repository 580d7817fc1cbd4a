package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/teamctl/teamctl/reconcile/synth"
)

// BenchmarkPlan runs the whole `teamctl plan` command on the file:
// workspace for each roster size (5% drift): load, validate, read the
// workspace, diff and print the plan. Compare it with BenchmarkYAMLDecode
// in package schema, the floor: decoding the same team file alone.
func BenchmarkPlan(b *testing.B) {
	synth.EachSize(b, func(b *testing.B, n int) {
		team, ws := synth.BenchFiles(b, n)
		app := &App{
			IO:     IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard},
			Getenv: func(string) string { return "" },
			Now:    func() time.Time { return synth.BenchNow },
		}
		args := []string{"plan", "-f", team, "-w", "file:" + ws}
		synth.PerPerson(b, n, func() {
			if code := execute(context.Background(), app, args); code != exitOK {
				b.Fatalf("teamctl plan exited %d", code)
			}
		})
	})
}
