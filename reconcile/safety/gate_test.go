package safety

import (
	"errors"
	"strings"
	"testing"
)

func TestGateRefusesWhatCheckHolds(t *testing.T) {
	st := state(map[string]Hold{"a": admin})
	_, err := NewGate(st, []Step{step("a", gone)}, Policy{MaxRemovals: 5})
	if err == nil || !strings.Contains(err.Error(), "fewer than 1") {
		t.Errorf("NewGate() of the only admin's removal: error = %v, want the floor", err)
	}
	_, err = NewGate(state(map[string]Hold{"a": admin, "b": admin}), []Step{step("a", gone)}, Policy{MaxRemovals: 0})
	var b *BudgetError
	if !errors.As(err, &b) {
		t.Errorf("NewGate() over budget: error = %v, want a *BudgetError", err)
	}
}

func TestGateFloor(t *testing.T) {
	// Two admins; the plan promotes c, then removes a and b. The floor is
	// 1. When c's promotion fails, only one of the removals may go out.
	st := state(map[string]Hold{"a": admin, "b": admin, "c": operator})
	steps := []Step{step("c", admin), step("a", gone), step("b", gone)}
	g, err := NewGate(st, steps, Policy{MaxRemovals: 5})
	if err != nil {
		t.Fatal(err)
	}
	if g.Floor() != 1 {
		t.Fatalf("Floor() = %d, want 1", g.Floor())
	}
	mustAdmit(t, g, steps[0])
	g.Settle(steps[0], false)
	mustAdmit(t, g, steps[1])
	v, err := g.Admit(steps[2])
	if err != nil || !v.Held() {
		t.Fatalf("Admit() of the last admin's removal after a failed promotion = %q, %v; want it held", v.Why, err)
	}
	if !strings.Contains(v.Why, "leave 0 active admins, fewer than 1") {
		t.Errorf("why = %q", v.Why)
	}

	// The same plan whose promotion succeeds lets both go.
	st = state(map[string]Hold{"a": admin, "b": admin, "c": operator})
	g, _ = NewGate(st, steps, Policy{MaxRemovals: 5})
	mustAdmit(t, g, steps[0])
	g.Settle(steps[0], true)
	mustAdmit(t, g, steps[1])
	mustAdmit(t, g, steps[2])
}

// TestGateFailedStepsStayCounted: a removal of an admin that failed may
// have half happened (deactivated, still in the group), so it is counted
// as gone; a later removal must respect that.
func TestGateFailedStepsStayCounted(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": admin, "c": admin})
	steps := []Step{step("a", gone), step("b", operator)}
	g, err := NewGate(st, steps, Policy{MaxRemovals: 5})
	if err != nil {
		t.Fatal(err)
	}
	mustAdmit(t, g, steps[0])
	g.Settle(steps[0], false)
	if st.Get(person("a")).Admin() {
		t.Errorf("after a failed removal, a is still counted an admin: %v", st.Get(person("a")))
	}
	mustAdmit(t, g, steps[1])
	g.Settle(steps[1], true)
	if st.Admins() != 1 {
		t.Errorf("Admins() = %d, want 1", st.Admins())
	}
}

func TestGateActor(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": admin})
	g, err := NewGate(st, nil, Policy{MaxRemovals: 5, Actor: "a"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := g.Admit(step("a", operator))
	if err != nil || !v.Held() || !strings.Contains(v.Why, "a applies this plan") {
		t.Errorf("Admit() of the actor's demotion = %q, %v; want it held naming the actor", v.Why, err)
	}
}

// TestGateBudgetHalts: once the admitted steps pass the budget, the gate
// halts, and stays halted for every step after, whatever it is.
func TestGateBudgetHalts(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": operator, "c": operator, "d": reviewer})
	g, err := NewGate(st, []Step{step("b", gone)}, Policy{MaxRemovals: 1})
	if err != nil {
		t.Fatal(err)
	}
	mustAdmit(t, g, step("b", gone))
	_, err = g.Admit(step("c", gone))
	var b *BudgetError
	if !errors.As(err, &b) || len(b.Who) != 2 {
		t.Fatalf("Admit() past the budget: error = %v, want a *BudgetError naming 2", err)
	}
	if g.Halted() == nil {
		t.Error("Halted() = nil after a halt")
	}
	if _, err := g.Admit(step("d", Hold{Status: Invited, Roles: admin.Roles})); err == nil {
		t.Error("Admit() after a halt let an invite through")
	}
}

func mustAdmit(t *testing.T, g *Gate, s Step) {
	t.Helper()
	v, err := g.Admit(s)
	if err != nil || v.Held() {
		t.Fatalf("Admit(%s) = %q, %v; want it admitted", s.Label, v.Why, err)
	}
}
