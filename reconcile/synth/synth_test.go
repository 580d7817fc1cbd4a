package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/local"
	"github.com/teamctl/teamctl/reconcile/synth"
	"github.com/teamctl/teamctl/schema"
)

var now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// TestGenerate checks that a generated team loads and passes every rule,
// and that its plan against the generated workspace holds exactly the
// drift the generator put in, written to disk and read back.
func TestGenerate(t *testing.T) {
	for _, tc := range []struct {
		people int
		drift  float64
	}{
		{10, 0},
		{10, 0.5},
		{1000, synth.DefaultDrift},
		{2500, 0.2},
	} {
		t.Run(fmt.Sprintf("%d people, drift %v", tc.people, tc.drift), func(t *testing.T) {
			f, err := synth.Generate(synth.Options{People: tc.people, Drift: tc.drift, Seed: 7, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			teamPath, wsPath, err := f.Write(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			team, err := schema.Load(teamPath)
			if err != nil {
				t.Fatalf("Load() error: %v", err)
			}
			if got := len(team.People); got != tc.people {
				t.Errorf("Load() declares %d people, want %d", got, tc.people)
			}
			if fs := schema.Validate(team, now); len(fs) > 0 {
				t.Errorf("Validate() = %d findings, want none; first: %s: %s", len(fs), fs[0].Pos, fs[0].Message)
			}
			live, err := local.New(wsPath).Snapshot(context.Background())
			if err != nil {
				t.Fatalf("Snapshot() error: %v", err)
			}
			if d := cmp.Diff(f.Live, live); d != "" {
				t.Errorf("Snapshot() of the written workspace mismatch (-generated +read):\n%s", d)
			}
			plan, err := reconcile.Diff(team, live, reconcile.DiffOptions{Now: now})
			if err != nil {
				t.Fatalf("Diff() error: %v", err)
			}
			want := map[reconcile.Action]int{}
			for _, a := range reconcile.Actions {
				want[a] = f.Want[a]
			}
			if d := cmp.Diff(want, plan.Summary()); d != "" {
				t.Errorf("plan summary mismatch (-want +got):\n%s", d)
			}
			changed := 0
			for _, n := range f.Want {
				changed += n
			}
			if wantChanged := int(float64(tc.people)*tc.drift + 0.5); changed != wantChanged {
				t.Errorf("%d changes, want %d (drift %v of %d)", changed, wantChanged, tc.drift, tc.people)
			}
			if len(plan.Held) > 0 {
				t.Errorf("plan holds %d changes back, want none", len(plan.Held))
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	gen := func(seed uint64) *synth.Fixture {
		f, err := synth.Generate(synth.Options{People: 500, Drift: 0.1, Seed: seed, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b, c := gen(1), gen(1), gen(2)
	if !bytes.Equal(a.Team, b.Team) || !cmp.Equal(a.Live, b.Live) {
		t.Error("two runs with seed 1 differ")
	}
	if cmp.Equal(a.Live, c.Live) {
		t.Error("seeds 1 and 2 drift the same people")
	}
}

func TestGenerateRefuses(t *testing.T) {
	for name, opts := range map[string]synth.Options{
		"too few people": {People: 9, Now: now},
		"negative drift": {People: 100, Drift: -0.1, Now: now},
		"drift above 1":  {People: 100, Drift: 1.5, Now: now},
		"no clock":       {People: 100},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := synth.Generate(opts); err == nil {
				t.Error("Generate() succeeded, want an error")
			}
		})
	}
}

func TestWriteCreatesDirectory(t *testing.T) {
	f, err := synth.Generate(synth.Options{People: 10, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "a", "b")
	if _, _, err := f.Write(dir); err != nil {
		t.Fatalf("Write() error: %v", err)
	}
}
