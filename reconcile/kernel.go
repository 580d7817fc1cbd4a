package reconcile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/teamctl/teamctl/reconcile/safety"
	"github.com/teamctl/teamctl/schema"
)

// This file hands plans and applies to the safety kernel
// (reconcile/safety): each change says what it leaves its subject
// holding, and the kernel judges it against the live state.

// Subject returns who the change is about, for the safety kernel: a person
// by identity, or, for the removal of a role-group member value that is no
// user, that exact value (never a person, even when it looks like an
// address).
func (c Change) Subject() safety.Subject {
	if c.Reason.Kind == ReasonDangling {
		// The value itself, exactly as the group holds it (a saved plan
		// keeps it as the change's Email).
		return safety.Subject{Key: cmp.Or(c.ID, c.Email), Value: true}
	}
	return safety.Subject{Key: c.Key()}
}

// Effect returns the change as the safety kernel sees it: its subject and
// what the subject holds once the change is made. Every action must say;
// an action it does not know is an error, so that a new kind of change is
// refused until it declares its effect.
func (c Change) Effect() (safety.Step, error) {
	s := safety.Step{Subject: c.Subject(), Label: string(c.Action) + " " + c.Email}
	switch c.Action {
	case Invite, UpdateInvite, ResendInvite:
		s.After = safety.Hold{Status: safety.Invited, Roles: []schema.Role{c.RoleAfter}}
	case ChangeRole:
		s.After = safety.Hold{Status: safety.Active, Roles: []schema.Role{c.RoleAfter}}
	case CancelInvite, Remove:
		s.After = safety.Hold{}
	case Rename:
		// The member's hold moves to the new identity: its status (a
		// pending invite stays pending), in the declared role.
		s.Subject = safety.Subject{Key: schema.Key(c.EmailBefore)}
		s.Label = "rename " + c.EmailBefore + " to " + c.Email
		s.To = &safety.Subject{Key: c.Key()}
		status := safety.Active
		if c.InvitedAt != nil {
			status = safety.Invited
		}
		s.After = safety.Hold{Status: status, Roles: []schema.Role{c.RoleAfter}}
	default:
		return s, fmt.Errorf("%w: %s: teamctl does not know what action %q leaves behind", safety.ErrMalformed, s.Label, c.Action)
	}
	return s, nil
}

// effects returns the effect of each change.
func effects(changes []Change) ([]safety.Step, error) {
	steps := make([]safety.Step, len(changes))
	for i, c := range changes {
		var err error
		if steps[i], err = c.Effect(); err != nil {
			return nil, err
		}
	}
	return steps, nil
}

// liveState is the live state a plan was made from, for the kernel: each
// member of basis, and each member value that changes take out of role
// groups (a value is no user, so the basis does not hold it).
func liveState(basis []MemberState, changes []Change) *safety.State {
	st := &safety.State{}
	for _, m := range basis {
		st.Set(safety.Subject{Key: m.Email}, safety.Hold{Status: kernelStatus(m.Status), Roles: heldRoles(m.Role, m.OtherRoles)})
	}
	for _, c := range changes {
		if s := c.Subject(); s.Value {
			st.Set(s, safety.Hold{Roles: heldRoles(c.RoleBefore, c.OtherRoles)})
		}
	}
	return st
}

func kernelStatus(s Status) safety.Status {
	switch s {
	case Active:
		return safety.Active
	case Invited:
		return safety.Invited
	case Suspended:
		return safety.Suspended
	}
	return safety.None
}

func heldRoles(role schema.Role, others []schema.Role) []schema.Role {
	var rs []schema.Role
	if role != "" {
		rs = append(rs, role)
	}
	for _, r := range others {
		if r != "" && !slices.Contains(rs, r) {
			rs = append(rs, r)
		}
	}
	return rs
}

// judge passes the planned changes through the kernel: it fills the plan's
// changes, its held changes and its admin floor, and returns an error
// wrapping ErrRefused when the plan takes access from more people than
// maxRemovals.
func judge(plan *Plan, changes []Change, maxRemovals int) error {
	steps, err := effects(changes)
	if err != nil {
		return err
	}
	st := liveState(plan.Basis, changes)
	verdicts, floor, err := safety.Check(st, steps, safety.Policy{MaxRemovals: maxRemovals, Actor: plan.Actor})
	if err != nil {
		return refusal(err)
	}
	plan.AdminFloor = floor
	plan.Changes = make([]Change, 0, len(changes))
	for i, c := range changes {
		if verdicts[i].Held() {
			plan.Held = append(plan.Held, Held{Change: c, Why: verdicts[i].Why})
			continue
		}
		plan.Changes = append(plan.Changes, c)
	}
	return nil
}

// refusal words a kernel error as a refused plan.
func refusal(err error) error {
	if b := (*safety.BudgetError)(nil); errors.As(err, &b) {
		return fmt.Errorf("%w: %w; raise policy.max_removals in the team file or declare fewer departures", ErrRefused, b)
	}
	return fmt.Errorf("%w: %w", ErrRefused, err)
}
