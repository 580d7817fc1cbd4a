package reconcile_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/schema"
)

// reviewers declares n reviewers and one admin, dana, who is active.
func reviewers(n int) (*schema.Team, *memory) {
	team := newTeam(person("dana@acme.io", schema.Admin, 3))
	for i := range n {
		team.People = append(team.People, person(fmt.Sprintf("r%02d@acme.io", i), schema.Reviewer, 10+i))
	}
	return team, newMemory(now, active("dana@acme.io", schema.Admin))
}

func TestApplySplitsAPhaseIntoBatches(t *testing.T) {
	team, ws := reviewers(12)
	var sizes []int
	rs := reconcile.Apply(context.Background(), ws, mustDiff(t, team, ws, ""), reconcile.ApplyOptions{
		BatchSize: 5,
		Progress:  func(rs []reconcile.Result) { sizes = append(sizes, len(rs)) },
	})
	if !rs.OK() {
		t.Fatalf("Apply() = %q", outcomes(rs))
	}
	if d := cmp.Diff([]int{5, 5, 2}, sizes); d != "" {
		t.Errorf("Progress calls mismatch (-want +got):\n%s", d)
	}
	var batches []int
	for _, b := range ws.batches {
		batches = append(batches, len(b))
	}
	if d := cmp.Diff([]int{5, 5, 2}, batches); d != "" {
		t.Errorf("Execute batches mismatch (-want +got):\n%s", d)
	}
}

// interrupting cancels its context (as Ctrl-C does) when the first batch
// reaches the backend, before the backend has done any of it.
type interrupting struct {
	*memory
	cancel func()
}

func (w *interrupting) Execute(ctx context.Context, batch []reconcile.Change) []error {
	w.cancel()
	return w.memory.Execute(ctx, batch)
}

// An interrupt (Ctrl-C) while a batch is in flight lets that batch finish
// in full, the backend never seeing the cancellation, and attempts nothing
// more; every change is accounted for.
func TestApplyInterruptedFinishesTheBatchInFlight(t *testing.T) {
	team, mem := reviewers(12)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	ws := &interrupting{mem, func() { cancel(errors.New("interrupt signal received")) }}
	rs := reconcile.Apply(ctx, ws, mustDiff(t, team, mem, ""), reconcile.ApplyOptions{BatchSize: 5})
	if got := rs.Count(reconcile.Applied); got != 5 {
		t.Errorf("Apply() applied %d changes, want the 5 of the batch in flight:\n%q", got, outcomes(rs))
	}
	if got := rs.Count(reconcile.NotAttempted); got != 7 {
		t.Errorf("Apply() left %d changes not attempted, want 7", got)
	}
	for _, r := range rs[5:] {
		if want := "apply stopped: interrupt signal received"; r.Err == nil || r.Err.Error() != want {
			t.Errorf("%s: error %v, want %q", r.Change.Email, r.Err, want)
		}
	}
	if len(mem.batches) != 1 {
		t.Errorf("Apply() ran %d batches, want 1", len(ws.batches))
	}
	// The next apply picks up where this one stopped.
	rs = reconcile.Apply(context.Background(), mem, mustDiff(t, team, mem, ""), reconcile.ApplyOptions{BatchSize: 5})
	if !rs.OK() || len(rs) != 7 {
		t.Errorf("second Apply() = %q, want the 7 remaining changes applied", outcomes(rs))
	}
}

func TestApplyStartingSeesEachBatchBeforeTheWorkspace(t *testing.T) {
	team, ws := reviewers(7)
	var events []string
	starting := func(b []reconcile.Change) error {
		events = append(events, fmt.Sprintf("start %d (executed %d)", len(b), len(ws.batches)))
		return nil
	}
	progress := func(rs []reconcile.Result) { events = append(events, fmt.Sprintf("done %d", len(rs))) }
	reconcile.Apply(context.Background(), ws, mustDiff(t, team, ws, ""), reconcile.ApplyOptions{BatchSize: 5, Starting: starting, Progress: progress})
	want := []string{"start 5 (executed 0)", "done 5", "start 2 (executed 1)", "done 2"}
	if d := cmp.Diff(want, events); d != "" {
		t.Errorf("Starting and Progress calls mismatch (-want +got):\n%s", d)
	}
}

// When the journal cannot record a batch before it goes out, nothing more
// is done: no change is ever made without a trace.
func TestApplyStopsWhenStartingFails(t *testing.T) {
	team, ws := reviewers(7)
	calls := 0
	starting := func([]reconcile.Change) error {
		if calls++; calls == 2 {
			return errors.New("journal: no space left on device")
		}
		return nil
	}
	rs := reconcile.Apply(context.Background(), ws, mustDiff(t, team, ws, ""), reconcile.ApplyOptions{BatchSize: 3, Starting: starting})
	if got := rs.Count(reconcile.Applied); got != 3 {
		t.Errorf("Apply() applied %d, want the 3 of the first batch:\n%q", got, outcomes(rs))
	}
	for _, r := range rs[3:] {
		if r.Outcome != reconcile.NotAttempted || r.Err == nil || r.Err.Error() != "apply stopped: journal: no space left on device" {
			t.Errorf("%s: %s: %v, want not attempted because the journal failed", r.Change.Email, r.Outcome, r.Err)
		}
	}
	if len(ws.batches) != 1 {
		t.Errorf("Apply() ran %d batches, want 1", len(ws.batches))
	}
}
