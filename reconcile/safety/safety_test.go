package safety

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/schema"
)

var (
	admin    = Hold{Status: Active, Roles: []schema.Role{schema.Admin}}
	operator = Hold{Status: Active, Roles: []schema.Role{schema.Operator}}
	reviewer = Hold{Status: Active, Roles: []schema.Role{schema.Reviewer}}
	invAdmin = Hold{Status: Invited, Roles: []schema.Role{schema.Admin}}
	invRev   = Hold{Status: Invited, Roles: []schema.Role{schema.Reviewer}}
	susp     = Hold{Status: Suspended, Roles: []schema.Role{schema.Operator}}
	value    = Hold{Roles: []schema.Role{schema.Admin}}
	gone     = Hold{}
)

func person(k string) Subject { return Subject{Key: k} }

func state(holds map[string]Hold) *State {
	st := &State{}
	for k, h := range holds {
		st.Set(person(k), h)
	}
	return st
}

func step(k string, after Hold) Step {
	return Step{Subject: person(k), After: after, Label: "change " + k}
}

func TestTakesAway(t *testing.T) {
	tests := []struct {
		name          string
		before, after Hold
		want          bool
	}{
		{"remove an active member", operator, gone, true},
		{"deactivate", admin, Hold{Status: Suspended}, true},
		{"demote", admin, operator, true},
		{"demote to reviewer", operator, reviewer, true},
		{"promote", operator, admin, false},
		{"keep", reviewer, reviewer, false},
		{"cancel an invite", invAdmin, gone, true},
		{"narrow an invite", invAdmin, invRev, false},
		{"widen an invite", invRev, invAdmin, false},
		{"take a suspended member out of its group", susp, gone, true},
		{"take a member value out of its group", value, gone, true},
		{"invite a suspended member again", susp, invRev, false},
		{"invite someone new", gone, invRev, false},
		{"an active member made a pending invite", admin, invAdmin, true},
		{"nothing to nothing", gone, gone, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := TakesAway(tt.before, tt.after); got != tt.want {
				t.Errorf("TakesAway(%v, %v) = %v, want %v", tt.before, tt.after, got, tt.want)
			}
		})
	}
}

func TestStateCountsActiveAdmins(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": invAdmin, "c": {Status: Suspended, Roles: []schema.Role{schema.Admin}}, "d": {Status: Active, Roles: []schema.Role{schema.Reviewer, schema.Admin}}})
	if st.Admins() != 2 {
		t.Fatalf("Admins() = %d, want 2 (an active admin, and an active member whose roles include admin)", st.Admins())
	}
	st.Set(person("a"), operator)
	st.Set(person("b"), admin)
	st.Set(person("d"), gone)
	if st.Admins() != 1 {
		t.Errorf("Admins() after a demotion, an acceptance and a removal = %d, want 1", st.Admins())
	}
	if got := st.Get(person("d")); got.Status != None || len(got.Roles) != 0 {
		t.Errorf("Get() of a removed subject = %v, want nothing", got)
	}
}

func held(vs []Verdict) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Why)
	}
	return out
}

func TestFloor(t *testing.T) {
	tests := []struct {
		name  string
		live  map[string]Hold
		steps []Step
		floor int
		held  []bool
	}{
		{
			name:  "the only admin is never removed",
			live:  map[string]Hold{"a": admin},
			steps: []Step{step("a", gone)},
			floor: 1, held: []bool{true},
		},
		{
			name:  "a pending admin is no admin",
			live:  map[string]Hold{"a": admin},
			steps: []Step{step("b", invAdmin), step("a", reviewer)},
			floor: 1, held: []bool{false, true},
		},
		{
			name:  "a promotion first makes room for a removal",
			live:  map[string]Hold{"a": admin, "b": operator},
			steps: []Step{step("b", admin), step("a", gone)},
			floor: 1, held: []bool{false, false},
		},
		{
			name:  "the floor is the smaller of before and after",
			live:  map[string]Hold{"a": admin, "b": admin, "c": admin},
			steps: []Step{step("a", gone), step("b", operator)},
			floor: 1, held: []bool{false, false},
		},
		{
			name:  "a promotion after the removals does not lower the floor",
			live:  map[string]Hold{"a": admin, "b": admin, "c": operator},
			steps: []Step{step("a", gone), step("b", gone), step("c", admin)},
			floor: 1, held: []bool{false, true, false},
		},
		{
			name:  "member values are no admins",
			live:  map[string]Hold{"a": admin},
			steps: []Step{{Subject: Subject{Key: "a", Value: true}, After: gone, Label: "remove value a"}},
			floor: 1, held: []bool{false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := state(tt.live)
			for _, s := range tt.steps {
				if s.Subject.Value {
					st.Set(s.Subject, value)
				}
			}
			vs, floor, err := Check(st, tt.steps, Policy{MaxRemovals: 10})
			if err != nil {
				t.Fatal(err)
			}
			if floor != tt.floor {
				t.Errorf("floor = %d, want %d", floor, tt.floor)
			}
			var got []bool
			for _, v := range vs {
				got = append(got, v.Held())
			}
			if d := cmp.Diff(tt.held, got); d != "" {
				t.Errorf("held mismatch (-want +got):\n%s\nwhy: %q", d, held(vs))
			}
		})
	}
}

func TestActorGuard(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": admin, "c": admin, "inv": invRev, "s": susp})
	steps := []Step{step("a", operator), step("b", gone), step("c", admin)}
	for _, actor := range []string{"a", "b"} {
		vs, _, err := Check(st, steps, Policy{MaxRemovals: 10, Actor: actor})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vs {
			if want := steps[i].Subject.Key == actor; v.Held() != want {
				t.Errorf("actor %s: %s held = %v (%q), want %v", actor, steps[i].Label, v.Held(), v.Why, want)
			}
		}
		if !strings.Contains(held(vs)[map[string]int{"a": 0, "b": 1}[actor]], actor+" applies this plan") {
			t.Errorf("actor %s: why = %q, want it to name the actor", actor, held(vs))
		}
	}
	// Every kind of taking away is guarded: a cancelled invite, a
	// suspended member out of its group; a promotion is not.
	for _, tt := range []struct {
		s    Step
		want bool
	}{{step("inv", gone), true}, {step("s", gone), true}, {step("inv", invAdmin), false}} {
		vs, _, err := Check(st, []Step{tt.s}, Policy{MaxRemovals: 10, Actor: tt.s.Subject.Key})
		if err != nil {
			t.Fatal(err)
		}
		if vs[0].Held() != tt.want {
			t.Errorf("%v of the actor: held = %v, want %v", tt.s.After, vs[0].Held(), tt.want)
		}
	}
	// A member value that spells the actor's address is not the actor.
	st.Set(Subject{Key: "a", Value: true}, value)
	vs, _, err := Check(st, []Step{{Subject: Subject{Key: "a", Value: true}, After: gone}}, Policy{MaxRemovals: 10, Actor: "a"})
	if err != nil || vs[0].Held() {
		t.Errorf("removal of member value %q with actor %q: held %v, err %v; want it to go out", "a", "a", held(vs), err)
	}
}

func TestBudget(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": admin, "c": operator, "d": invRev, "e": susp})
	st.Set(Subject{Key: "v", Value: true}, value)
	steps := []Step{
		step("a", operator), // a demotion
		step("c", gone),     // a removal
		step("d", gone),     // a cancelled invite
		step("e", gone),     // a suspended member out of its group
		{Subject: Subject{Key: "v", Value: true}, After: gone, Label: "remove v"},
		step("f", invAdmin), // an invite: not counted
		step("b", admin),    // no change: not counted
	}
	if _, _, err := Check(st, steps, Policy{MaxRemovals: 5}); err != nil {
		t.Fatalf("Check() with max_removals 5: %v", err)
	}
	_, _, err := Check(st, steps, Policy{MaxRemovals: 4})
	var b *BudgetError
	if !errors.As(err, &b) {
		t.Fatalf("Check() with max_removals 4: error = %v, want a *BudgetError", err)
	}
	if d := cmp.Diff([]string{"a", "c", "d", "e", "v"}, b.Who); d != "" {
		t.Errorf("BudgetError.Who mismatch (-want +got):\n%s", d)
	}
	if want := "removes, cancels or demotes 5 people, more than policy.max_removals (4): a, c, d, e, v"; !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q, want it to contain %q", err, want)
	}
	// Held steps are not counted: the actor's removal stays out.
	if _, _, err := Check(st, steps, Policy{MaxRemovals: 4, Actor: "c"}); err != nil {
		t.Errorf("Check() with the actor's removal held: %v", err)
	}
}

func TestRoleless(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": admin})
	for _, s := range []Step{
		step("a", Hold{Status: Active}),
		step("a", Hold{Status: Invited}),
		step("a", Hold{Status: Active, Roles: []schema.Role{schema.Admin, schema.Operator}}),
		step("a", Hold{Status: Active, Roles: []schema.Role{"owner"}}),
		step("a", Hold{Status: Suspended, Roles: []schema.Role{schema.Admin}}),
		{Subject: Subject{Key: "v", Value: true}, After: reviewer, Label: "grant v"},
	} {
		_, _, err := Check(st, []Step{s}, Policy{MaxRemovals: 10})
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("Check(%v) error = %v, want ErrMalformed", s.After, err)
		}
		g, _ := NewGate(st, nil, Policy{MaxRemovals: 10})
		if _, err := g.Admit(s); !errors.Is(err, ErrMalformed) {
			t.Errorf("Admit(%v) error = %v, want ErrMalformed", s.After, err)
		}
	}
}

func TestRenameTarget(t *testing.T) {
	st := state(map[string]Hold{"old": operator, "old2": reviewer, "taken": susp, "a": admin})
	to := func(k string) *Subject { s := person(k); return &s }
	steps := []Step{
		{Subject: person("old"), After: operator, To: to("new"), Label: "rename old"},
		{Subject: person("old2"), After: reviewer, To: to("taken"), Label: "rename old2"},
	}
	vs, _, err := Check(st, steps, Policy{MaxRemovals: 0})
	if err != nil {
		t.Fatalf("Check() of renames with max_removals 0: %v (a rename takes nothing away)", err)
	}
	if vs[0].Held() || !vs[1].Held() {
		t.Errorf("held = %q, want the rename onto a free address to go out and the one onto taken held", held(vs))
	}
	g, err := NewGate(st, steps[:1], Policy{})
	if err != nil {
		t.Fatal(err)
	}
	g.Settle(steps[0], true)
	if st.Get(person("old")).Status != None || st.Get(person("new")).Status != Active {
		t.Errorf("after the rename: old %v, new %v; want the hold moved", st.Get(person("old")), st.Get(person("new")))
	}
}

func TestOneStepASubject(t *testing.T) {
	st := state(map[string]Hold{"a": admin, "b": admin, "c": operator})
	_, _, err := Check(st, []Step{step("c", admin), step("c", gone)}, Policy{MaxRemovals: 0})
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("Check() of two steps on one subject: error = %v, want ErrMalformed", err)
	}
	// A rename's new address is a subject of the plan too: removing it in
	// the same plan would take away what the rename moved there, unseen
	// by a check that reads each subject's "before" from the live state.
	to := person("new")
	_, _, err = Check(st, []Step{{Subject: person("c"), After: operator, To: &to, Label: "rename c"}, step("new", gone)}, Policy{MaxRemovals: 0})
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("Check() of a rename and a removal of its new address: error = %v, want ErrMalformed", err)
	}
	// A member value and a person that spell the same are two subjects.
	st.Set(Subject{Key: "c", Value: true}, value)
	if _, _, err := Check(st, []Step{step("c", reviewer), {Subject: Subject{Key: "c", Value: true}, After: gone}}, Policy{MaxRemovals: 2}); err != nil {
		t.Errorf("Check() of a person and a member value of the same spelling: %v", err)
	}
}

// TestBudgetNamesTheFirstTen: the refusal names ten subjects and says how
// many more.
func TestBudgetNamesTheFirstTen(t *testing.T) {
	st := &State{}
	var steps []Step
	for i := range 12 {
		k := string(rune('a' + i))
		st.Set(person(k), operator)
		steps = append(steps, step(k, gone))
	}
	_, _, err := Check(st, steps, Policy{MaxRemovals: 11})
	if want := "(11): a, b, c, d, e, f, g, h, i, j and 2 more"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Check() error = %v, want it to end %q", err, want)
	}
}

// TestMalformedNamesTheSubject: a step that leaves a member value in a role
// group names the value as a value, not as a person.
func TestMalformedNamesTheSubject(t *testing.T) {
	v := Subject{Key: "bulkId:op-0", Value: true}
	_, _, err := Check(&State{}, []Step{{Subject: v, After: Hold{Roles: []schema.Role{schema.Admin}}, Label: "keep"}}, Policy{})
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "member value bulkId:op-0") {
		t.Errorf("Check() error = %v, want ErrMalformed naming the member value", err)
	}
}
