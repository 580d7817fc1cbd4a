// Package safety is teamctl's one safety kernel: the invariants of SPEC §4
// and §9 that every plan (fresh or saved) and every batch of an apply
// passes, whatever kind of change it is made of.
//
// The kernel never switches on a change's kind. A change is handed to it
// as a Step: who it is about and what that subject holds after it (a
// status and role groups). What the subject holds before comes from the
// kernel's own State, read from the live workspace, never from the
// change. From the two the kernel derives whether the step takes access
// away, whether it lowers the count of active admins, and whether it
// leaves someone active without a role. A new kind of change is safe by
// construction: it must say what it leaves behind, or it is refused.
//
// The invariants, and the tests that hold them:
//
//   - Admin floor: at no step may the workspace hold fewer active admins
//     than the smaller of its count before and after the plan, nor fewer
//     than one; a pending invite is not an active admin. Check holds a
//     step back; Gate.Admit counts a batch's admin removals before it goes
//     out and promotions only once applied. (TestFloor, TestGateFloor,
//     TestGateFailedStepsStayCounted, TestPropertyFileWorkspace,
//     TestPropertySCIM.)
//   - Actor guard: no step takes access from the identity that applies the
//     plan. (TestActorGuard, TestGateActor, TestPropertyFileWorkspace,
//     TestPropertySCIM.)
//   - Removal budget: every step that takes access away (a removal, a
//     cancelled invite, a demotion, a member value taken out of a role
//     group, a suspended member taken out of one) counts toward
//     policy.max_removals; a plan over it is refused, and an apply whose
//     admitted steps would pass it halts. (TestTakesAway, TestBudget,
//     TestGateBudgetHalts, reconcile's TestApplyRechecksThePlan, the
//     property tests, which count lost access from outside.)
//   - Nobody left without a role: a step that leaves its subject active or
//     invited leaves it in exactly one known role group. (TestRoleless,
//     reconcile's TestEveryActionHasAnEffect.)
//   - A rename lands on no address another live member holds.
//     (TestRenameTarget.)
//   - A plan changes each subject once, so that each step's "before" is
//     the live state. (TestOneStepASubject.)
//   - Nobody the plan does not name changes, and it converges: one more
//     apply leaves nothing to do but what the kernel held back.
//     (TestPropertyFileWorkspace, TestPropertySCIM; for member values,
//     reconcile/scim's TestDanglingAddressIsDrift and
//     TestSavedPlanDanglingTOCTOU.)
package safety

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/teamctl/teamctl/schema"
)

// Status is how far a subject is in the workspace, from holding nothing to
// active. The order is the order of access.
type Status int

const (
	None      Status = iota // not in the workspace
	Suspended               // deactivated: holds no access, may still be in role groups
	Invited                 // invitation sent: access once accepted
	Active                  // holds its roles
)

func (s Status) String() string {
	switch s {
	case Suspended:
		return "suspended"
	case Invited:
		return "invited"
	case Active:
		return "active"
	}
	return "none"
}

// Hold is what a subject holds: a status and the role groups it is in.
type Hold struct {
	Status Status
	Roles  []schema.Role
}

// broadest returns the rank of the broadest role of h; 0 for none.
func (h Hold) broadest() int {
	r := 0
	for _, role := range h.Roles {
		r = max(r, role.Rank())
	}
	return r
}

// Admin reports whether h is an active admin.
func (h Hold) Admin() bool {
	return h.Status == Active && slices.Contains(h.Roles, schema.Admin)
}

// TakesAway reports whether going from before to after takes access away:
// an active member that stops being active or holds a narrower role, a
// pending invite withdrawn, or a subject taken out of every role group it
// was in (a suspended member, a member value that is no user). A pending
// invite for another role takes nothing away: it grants nothing yet.
func TakesAway(before, after Hold) bool {
	if len(before.Roles) > 0 && len(after.Roles) == 0 {
		return true
	}
	if before.Status == Active {
		return after.Status != Active || after.broadest() < before.broadest()
	}
	if before.Status == Invited {
		return after.Status < Invited
	}
	return false
}

// Subject is who a step is about: a person, by identity (schema.Key), or a
// role-group member value that is no user, by the exact value.
type Subject struct {
	Key   string
	Value bool
}

func (s Subject) String() string {
	if s.Value {
		return "member value " + s.Key
	}
	return s.Key
}

// Step is the effect of one change: what its subject holds after it.
// Label names the change in messages ("remove dana@acme.io").
type Step struct {
	Subject Subject
	After   Hold
	// To, when set, moves the subject's hold to another identity (a
	// rename): the subject holds nothing after, To holds After.
	To    *Subject
	Label string
}

// State is what each subject holds in the live workspace. The zero value
// is an empty workspace.
type State struct {
	holds  map[Subject]Hold
	admins int
}

// Set records what s holds.
func (st *State) Set(s Subject, h Hold) {
	if st.holds == nil {
		st.holds = map[Subject]Hold{}
	}
	if st.holds[s].Admin() {
		st.admins--
	}
	if h.Admin() {
		st.admins++
	}
	if h.Status == None && len(h.Roles) == 0 {
		delete(st.holds, s)
		return
	}
	st.holds[s] = Hold{Status: h.Status, Roles: slices.Clone(h.Roles)}
}

// Get returns what s holds.
func (st *State) Get(s Subject) Hold { return st.holds[s] }

// Admins returns the number of active admins.
func (st *State) Admins() int { return st.admins }

// Policy is what a plan is checked against besides the live state.
type Policy struct {
	// MaxRemovals is the most steps that take access away
	// (policy.max_removals).
	MaxRemovals int
	// Actor is the identity that applies the plan; empty when unknown.
	Actor string
}

// Verdict is the kernel's answer for one step: Why is empty when the step
// may go out, else why it is held back.
type Verdict struct {
	Why string
}

// Held reports whether the step is held back.
func (v Verdict) Held() bool { return v.Why != "" }

// BudgetError is a plan, or an apply, whose steps take access from more
// subjects than policy.max_removals allows.
type BudgetError struct {
	Max int
	Who []string // the subjects, in plan order
}

func (e *BudgetError) Error() string {
	return fmt.Sprintf("it removes, cancels or demotes %d people, more than policy.max_removals (%d): %s", len(e.Who), e.Max, listSome(e.Who, 10))
}

// ErrMalformed marks a step the kernel cannot judge: it leaves a subject
// active or invited without exactly one known role.
var ErrMalformed = errors.New("malformed change")

// wellFormed returns an error when s leaves its subject active or invited
// in no role, in more than one, or in a role that does not exist.
func wellFormed(s Step) error {
	a := s.After
	if a.Status < Invited {
		if len(a.Roles) > 0 {
			return fmt.Errorf("%w: %s leaves %s %s but in role groups %v", ErrMalformed, s.Label, s.Subject, a.Status, a.Roles)
		}
		return nil
	}
	if len(a.Roles) != 1 || a.Roles[0].Rank() == 0 {
		return fmt.Errorf("%w: %s leaves %s %s with roles %v; a member holds exactly one role", ErrMalformed, s.Label, s.Subject, a.Status, a.Roles)
	}
	if s.Subject.Value || (s.To != nil && s.To.Value) {
		return fmt.Errorf("%w: %s gives access to a member value that is no user", ErrMalformed, s.Label)
	}
	return nil
}

// Floor returns the fewest active admins the workspace may hold at any
// step of steps from st: the smaller of the counts before and after, and
// never fewer than one.
func Floor(st *State, steps []Step) int {
	before := st.Admins()
	after := before
	for _, s := range steps {
		after += adminDelta(st.Get(s.Subject), s)
	}
	return max(1, min(before, after))
}

// adminDelta is how s moves the count of active admins from a subject that
// holds before.
func adminDelta(before Hold, s Step) int {
	d := 0
	if before.Admin() {
		d--
	}
	if s.After.Admin() {
		d++
	}
	return d
}

// Check judges a whole plan against the live state st: it returns one
// verdict per step, holding back every step that would take access from
// the actor, land a rename on another member's address, or bring the
// active admins below the floor, stepping through the plan in order. It
// returns a *BudgetError when the steps it lets through take access from
// more subjects than p.MaxRemovals, and an error wrapping ErrMalformed for
// a step it cannot judge. st is left as it was.
func Check(st *State, steps []Step, p Policy) (verdicts []Verdict, floor int, err error) {
	verdicts = make([]Verdict, len(steps))
	seen := make(map[Subject]bool, len(steps))
	for _, s := range steps {
		if err := wellFormed(s); err != nil {
			return nil, 0, err
		}
		for _, sub := range []*Subject{&s.Subject, s.To} {
			if sub == nil {
				continue
			}
			if seen[*sub] {
				return nil, 0, fmt.Errorf("%w: %s is the second change of %s in one plan; a plan changes each subject once", ErrMalformed, s.Label, *sub)
			}
			seen[*sub] = true
		}
	}
	var kept []Step
	for i, s := range steps {
		if why := guard(st, s, p.Actor); why != "" {
			verdicts[i].Why = why
			continue
		}
		kept = append(kept, s)
	}
	floor = Floor(st, kept)
	admins := st.Admins()
	budget := &BudgetError{Max: p.MaxRemovals}
	for i, s := range steps {
		if verdicts[i].Held() {
			continue
		}
		before := st.Get(s.Subject)
		d := adminDelta(before, s)
		if d < 0 && admins+d < floor {
			verdicts[i].Why = fmt.Sprintf("it would leave %d active admins, fewer than %d; it waits until a declared admin has accepted the invite", admins+d, floor)
			continue
		}
		admins += d
		if TakesAway(before, s.After) { // a rename that keeps the role takes nothing
			budget.Who = append(budget.Who, s.Subject.Key)
		}
	}
	if len(budget.Who) > p.MaxRemovals {
		return nil, 0, budget
	}
	return verdicts, floor, nil
}

// guard returns why s may not go out whatever the admin count: it takes
// access from the actor, or renames onto an address another member holds.
func guard(st *State, s Step, actor string) string {
	before := st.Get(s.Subject)
	if actor != "" && !s.Subject.Value && s.Subject.Key == actor && (TakesAway(before, s.After) || s.To != nil) {
		return s.Subject.Key + " applies this plan, and a plan never demotes or removes who applies it; let another admin apply it"
	}
	if s.To != nil && *s.To != s.Subject {
		if h := st.Get(*s.To); h.Status != None || len(h.Roles) > 0 {
			return fmt.Sprintf("%s cannot be renamed to %s: the workspace already holds %s (%s), and a rename never lands on another member", s.Subject.Key, s.To.Key, s.To.Key, h.Status)
		}
	}
	return ""
}

// listSome joins the first n of items with commas and says how many more
// there are: "a, b, c and 4 more".
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
