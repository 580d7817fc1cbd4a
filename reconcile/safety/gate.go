package safety

import (
	"fmt"
)

// Gate re-checks an apply batch by batch against the state the workspace
// is in as far as the apply knows: the live state the plan was made from,
// with each step's outcome as it comes. It keeps a lower bound of the
// active admins: a step that takes an admin away is counted when it is
// admitted, before it goes out (it may succeed), and stays counted when
// it fails (it may have half succeeded); a promotion is counted only once
// applied.
type Gate struct {
	st      *State
	floor   int
	policy  Policy
	admins  int // the fewest active admins the workspace may hold now
	removed []string
	halted  error
}

// NewGate checks the whole plan against st as Check does, and returns a
// gate for its steps, or the error that must stop the apply before
// anything goes out: a malformed step, a plan over the removal budget, or
// a step Check would hold back (a plan that was not made by Check, or was
// made from another state).
func NewGate(st *State, steps []Step, p Policy) (*Gate, error) {
	verdicts, floor, err := Check(st, steps, p)
	if err != nil {
		return nil, err
	}
	for i, v := range verdicts {
		if v.Held() {
			return nil, fmt.Errorf("%s is not safe against the workspace as it is: %s", steps[i].Label, v.Why)
		}
	}
	return &Gate{st: st, floor: floor, policy: p, admins: st.Admins()}, nil
}

// Floor returns the fewest active admins the apply may leave at any step.
func (g *Gate) Floor() int { return g.floor }

// Halted returns why the gate stopped the apply, or nil.
func (g *Gate) Halted() error { return g.halted }

// Admit judges one step just before its batch goes out. It returns a
// verdict that holds the step back when it would take access from the
// actor or bring the admins below the floor given what has happened so
// far, and an error (the halt) when admitting it would pass the removal
// budget or the step is malformed: the apply must then attempt nothing
// more. After a halt every step is refused with the same error.
func (g *Gate) Admit(s Step) (Verdict, error) {
	if g.halted != nil {
		return Verdict{}, g.halted
	}
	if err := wellFormed(s); err != nil {
		g.halted = err
		return Verdict{}, err
	}
	if why := guard(g.st, s, g.policy.Actor); why != "" {
		return Verdict{Why: why}, nil
	}
	before := g.st.Get(s.Subject)
	if before.Admin() && !s.After.Admin() {
		if g.admins-1 < g.floor {
			return Verdict{Why: fmt.Sprintf("it would leave %d active admins, fewer than %d", g.admins-1, g.floor)}, nil
		}
		g.admins--
	}
	if TakesAway(before, s.After) { // a rename that keeps the role takes nothing
		g.removed = append(g.removed, s.Subject.Key)
		if len(g.removed) > g.policy.MaxRemovals {
			g.halted = &BudgetError{Max: g.policy.MaxRemovals, Who: g.removed}
			return Verdict{}, g.halted
		}
	}
	return Verdict{}, nil
}

// Settle records the outcome of an admitted step. An applied step leaves
// its subject holding what it said; a failed one leaves what both the
// state before and the state after grant, no more, since a failure may
// come after part of the change was made.
func (g *Gate) Settle(s Step, applied bool) {
	before := g.st.Get(s.Subject)
	after := s.After
	if !applied {
		after = meet(before, after)
	}
	if after.Admin() && !before.Admin() {
		g.admins++
	}
	if s.To != nil && applied {
		g.st.Set(s.Subject, Hold{})
		g.st.Set(*s.To, after)
		return
	}
	g.st.Set(s.Subject, after)
}

// meet is what a and b both grant: the lower status and the roles in both.
func meet(a, b Hold) Hold {
	m := Hold{Status: min(a.Status, b.Status)}
	for _, r := range a.Roles {
		for _, o := range b.Roles {
			if r == o {
				m.Roles = append(m.Roles, r)
			}
		}
	}
	return m
}
