package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/teamctl/teamctl/reconcile/safety"
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
// passed to ws.Execute as one batch (or several; see below). It goes on
// past a failed change where later changes do not depend on it.
//
// Every change passes the safety kernel (reconcile/safety) twice: the
// whole plan once more before anything goes out, against the live state
// it was made from (a plan over policy.max_removals, one that removes the
// actor or the last admins, or one with a change the kernel does not know,
// sends nothing), and each change again just before its batch, against
// that state as the results so far left it. A change whose safety
// depended on a change that failed (a promotion that made room for a
// demotion) is not attempted; a halt of the kernel stops the apply.
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
	gate, steps, err := openGate(plan)
	if err != nil {
		stop := fmt.Errorf("apply refused: %w", err)
		for _, c := range plan.Changes {
			results = append(results, Result{Change: c, Outcome: NotAttempted, Err: stop})
		}
		return results
	}
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
	next := 0      // index in steps of the first change of the batch
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
			v, err := gate.Admit(steps[next+i])
			switch {
			case err != nil:
				stop = fmt.Errorf("apply stopped: %w", err)
				out[i].Err = stop
				continue
			case v.Held() && len(failedPromotions) > 0:
				out[i].Err = fmt.Errorf("%s, because %s failed", v.Why, joinEmails(failedPromotions))
				continue
			case v.Held():
				out[i].Err = errors.New(v.Why)
				continue
			}
			batch = append(batch, c)
			at = append(at, i)
		}
		if stop != nil {
			// A halt stops the batch it came in too: nothing admitted
			// before it goes out.
			for _, j := range at {
				gate.Settle(steps[next+j], false)
				out[j].Err = stop
			}
			batch, at = nil, nil
		}
		if len(batch) > 0 && opts.Starting != nil {
			if err := opts.Starting(batch); err != nil {
				stop = fmt.Errorf("apply stopped: %w", err)
				for _, j := range at {
					out[j].Err = stop
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
				r, step := &out[at[j]], steps[next+at[j]]
				gate.Settle(step, err == nil)
				if err == nil {
					r.Outcome = Applied
					continue
				}
				r.Outcome, r.Err = Failed, err
				if h := (*HaltError)(nil); errors.As(err, &h) && stop == nil {
					stop = fmt.Errorf("apply stopped: %w", h.Err)
				}
				if step.After.Admin() {
					failedPromotions = append(failedPromotions, c.Email)
				}
			}
		}
		next += len(chunk)
		if opts.Progress != nil {
			opts.Progress(out)
		}
		results = append(results, out...)
	}
	return results
}

// openGate passes the plan through the safety kernel once more, against
// the live state it was made from, and returns the gate that re-checks
// each batch, with the kernel's view of each change.
func openGate(plan *Plan) (*safety.Gate, []safety.Step, error) {
	steps, err := effects(plan.Changes)
	if err != nil {
		return nil, nil, err
	}
	st := liveState(plan.Basis, plan.Changes)
	if st.Admins() != plan.ActiveAdmins {
		return nil, nil, fmt.Errorf("the plan counts %d active admins, but the state it was made from holds %d; run teamctl plan again", plan.ActiveAdmins, st.Admins())
	}
	gate, err := safety.NewGate(st, steps, safety.Policy{MaxRemovals: plan.MaxRemovals, Actor: plan.Actor})
	if err != nil {
		return nil, nil, err
	}
	return gate, steps, nil
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
