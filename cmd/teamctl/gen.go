package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/teamctl/teamctl/reconcile/synth"
)

// GenOptions is what gen needs, copied from the flags.
type GenOptions struct {
	IO     IOStreams
	People int
	Drift  float64
	Seed   uint64
	Out    string
	Now    time.Time
}

// newCmdGen is hidden from help: it exists to reproduce the performance
// figures of the performance help topic, not for everyday use.
func newCmdGen(app *App, _ *GlobalOptions) *cobra.Command {
	opts := &GenOptions{IO: app.IO}
	cmd := &cobra.Command{
		Use:    "gen --people N [--drift 0.05] [--seed 1] --out DIR",
		Short:  "Generate a synthetic team and workspace (for benchmarks)",
		Hidden: true,
		Long: `Generate a valid team file (DIR/team.yaml) of N people and a file
workspace (DIR/workspace.json) that differs from it for a share of them
(--drift), to measure teamctl on rosters of any size. The same seed gives
the same files; invite timestamps are relative to now.`,
		Example: `  teamctl gen --people 100000 --out /tmp/big
  teamctl plan -f /tmp/big/team.yaml -w file:/tmp/big/workspace.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Now = app.Now()
			return runGen(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.People, "people", 1000, "declared people, admins included")
	f.Float64Var(&opts.Drift, "drift", synth.DefaultDrift, "share of people whose live state differs from the file (0 to 1)")
	f.Uint64Var(&opts.Seed, "seed", 1, "random seed; the same seed gives the same files")
	f.StringVar(&opts.Out, "out", "", "directory to write team.yaml and workspace.json to (required)")
	return cmd
}

func runGen(_ context.Context, opts *GenOptions) error {
	if opts.Out == "" {
		return fmt.Errorf("gen: no output directory; add --out DIR")
	}
	if opts.People < synth.MinPeople {
		return fmt.Errorf("gen: --people %d: a generated team has at least %d people", opts.People, synth.MinPeople)
	}
	if !(opts.Drift >= 0 && opts.Drift <= 1) {
		return fmt.Errorf("gen: --drift %v: give a share between 0 and 1, such as 0.05", opts.Drift)
	}
	f, err := synth.Generate(synth.Options{People: opts.People, Drift: opts.Drift, Seed: opts.Seed, Now: opts.Now})
	if err != nil {
		return err
	}
	team, ws, err := f.Write(opts.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "Wrote %s (%d people) and %s (%d members).\n", team, opts.People, ws, len(f.Live.Members))
	return nil
}
