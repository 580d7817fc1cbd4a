package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Outcome is what became of one change of an applied plan.
type Outcome string

const (
	Applied      Outcome = "applied"
	Failed       Outcome = "failed"
	NotAttempted Outcome = "not attempted"
)

// Result is the outcome of one change.
type Result struct {
	Change  Change
	Outcome Outcome
	// Err is why the change failed or was not attempted; nil when applied.
	Err error
}

// Results are the outcomes of a plan's changes, in plan order.
type Results []Result

// Count returns how many changes had outcome o.
func (rs Results) Count(o Outcome) int {
	n := 0
	for _, r := range rs {
		if r.Outcome == o {
			n++
		}
	}
	return n
}

// OK reports whether every change was applied.
func (rs Results) OK() bool { return rs.Count(Applied) == len(rs) }

// DefaultBatchSize is the most changes Apply passes to one Execute.
const DefaultBatchSize = 25

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Starting, when set, is called with each batch just before it goes
	// to the workspace, so that a journal can record what is in flight
	// before a crash could hide it. An error stops the apply: the batch
	// and everything after it are not attempted.
	Starting func([]Change) error
	// Progress, when set, is called with the results of each batch as it
	// completes, so that a command can report (and journal) as it goes.
	Progress func([]Result)
	// BatchSize bounds the changes of one phase passed to one Execute, and
	// so how much is in flight when apply is interrupted. When zero, the
	// workspace's own BatchLimit if it is a Batcher, else DefaultBatchSize.
	BatchSize int
}

// Batcher is implemented by workspaces that say how many changes one
// Execute should carry. A workspace whose every Execute costs as much as a
// whole-document write (the file workspace) takes a whole phase at once,
// so that an apply writes it a bounded number of times, not once per
// DefaultBatchSize changes.
type Batcher interface {
	// BatchLimit returns the most changes of one phase to pass to one
	// Execute; 0 for no limit: the whole phase.
	BatchLimit() int
}

// Locker is implemented by workspaces that can keep a second apply out
// while one runs. Callers hold the lock from reading the live state to the
// end of Apply, so that nobody changes the workspace in between.
type Locker interface {
	// Lock waits a bounded time for the lock and returns the function that
	// releases it. holder describes who takes it (an actor, a host), for
	// the error another apply gets.
	Lock(ctx context.Context, holder string) (release func() error, err error)
}

// Lock takes ws's lock when ws is a Locker; otherwise it does nothing.
func Lock(ctx context.Context, ws Workspace, holder string) (release func() error, err error) {
	if l, ok := ws.(Locker); ok {
		return l.Lock(ctx, holder)
	}
	return func() error { return nil }, nil
}

// Apply carries the plan out through ws, one phase at a time, each phase
// passed to ws.Execute as one batch (or several; see below). It goes on past a failed change where
// later changes do not depend on it. The only dependency between changes
// of different people is the admin floor: before a demotion or removal of
// an active admin, Apply recounts the active admins from the actual results
// so far, and does not attempt a change whose safety depended on a
// promotion that failed.
//
// A phase larger than the batch size (ApplyOptions.BatchSize) is passed in
// several batches. When ctx is cancelled (Ctrl-C), Apply lets the batch in
// flight finish (the backend never sees the cancellation, so no request is
// cut off halfway and every result is known) and attempts nothing more:
// the remaining changes are reported as not attempted.
//
// When Execute fails a change with a *HaltError (a workspace that does not
// show what it accepted), Apply attempts nothing after that batch.
//
// Apply returns one result per change, in plan order.
func Apply(ctx context.Context, ws Workspace, plan *Plan, opts ApplyOptions) Results {
	results := make(Results, 0, len(plan.Changes))
	admins := plan.ActiveAdmins
	var failedPromotions []string
	size := opts.BatchSize
	if b, ok := ws.(Batcher); ok && size <= 0 {
		size = b.BatchLimit()
		if size <= 0 {
			size = len(plan.Changes) // no limit: each phase whole
		}
	}
	if size <= 0 {
		size = DefaultBatchSize
	}
	var batches [][]Change
	for _, phase := range plan.Phases() {
		batches = slices.AppendSeq(batches, slices.Chunk(phase, size))
	}
	inFlight := context.WithoutCancel(ctx)
	var stop error // why nothing more is attempted
	for _, chunk := range batches {
		out := make([]Result, len(chunk))
		batch := make([]Change, 0, len(chunk)) // the changes of chunk that are attempted
		at := make([]int, 0, len(chunk))       // index in out of each change of batch
		for i, c := range chunk {
			out[i] = Result{Change: c, Outcome: NotAttempted}
			if stop == nil && ctx.Err() != nil {
				stop = fmt.Errorf("apply stopped: %w", context.Cause(ctx))
			}
			if stop != nil {
				out[i].Err = stop
				continue
			}
			if d := c.AdminDelta(); d < 0 {
				if admins+d < plan.AdminFloor {
					out[i].Err = fmt.Errorf("it would leave %d active admins, fewer than %d, because %s failed", admins+d, plan.AdminFloor, joinEmails(failedPromotions))
					continue
				}
				admins += d // counted before the batch runs: it may succeed
			}
			batch = append(batch, c)
			at = append(at, i)
		}
		if len(batch) > 0 && opts.Starting != nil {
			if err := opts.Starting(batch); err != nil {
				stop = fmt.Errorf("apply stopped: %w", err)
				for j, c := range batch {
					out[at[j]].Err = stop
					if d := c.AdminDelta(); d < 0 {
						admins -= d
					}
				}
				batch = nil
			}
		}
		if len(batch) > 0 {
			errs := ws.Execute(inFlight, batch)
			for j, c := range batch {
				var err error
				if j < len(errs) {
					err = errs[j]
				} else {
					err = errors.New("the workspace returned no result for this change")
				}
				r, d := &out[at[j]], c.AdminDelta()
				if err == nil {
					r.Outcome = Applied
					if d > 0 {
						admins += d
					}
					continue
				}
				r.Outcome, r.Err = Failed, err
				if h := (*HaltError)(nil); errors.As(err, &h) && stop == nil {
					stop = fmt.Errorf("apply stopped: %w", h.Err)
				}
				switch {
				case d < 0:
					admins -= d // counted before the batch: the admin is still one
				case d > 0:
					failedPromotions = append(failedPromotions, c.Email)
				}
			}
		}
		if opts.Progress != nil {
			opts.Progress(out)
		}
		results = append(results, out...)
	}
	return results
}

func joinEmails(emails []string) string {
	switch len(emails) {
	case 0:
		return "an earlier change"
	case 1:
		return "the promotion of " + emails[0]
	}
	return fmt.Sprintf("the promotions of %s and %d more", emails[0], len(emails)-1)
}
