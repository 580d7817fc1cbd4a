package reconcile_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/teamctl/teamctl/reconcile"
	"github.com/teamctl/teamctl/reconcile/planfile"
	"github.com/teamctl/teamctl/schema"
)

// fuzzStates are the states a member of a fuzzed workspace may move to.
var fuzzStates = []reconcile.Member{
	{Role: schema.Reviewer, Status: reconcile.Active},
	{Role: schema.Operator, Status: reconcile.Active},
	{Role: schema.Admin, Status: reconcile.Active},
	{Role: schema.Reviewer, Status: reconcile.Suspended},
	{Role: schema.Admin, Status: reconcile.Suspended},
	{Role: schema.Operator, Status: reconcile.Active, OtherRoles: []schema.Role{schema.Reviewer}},
	{Role: schema.Reviewer, Status: reconcile.Invited},
	{}, // gone from the workspace
}

// FuzzVerify saves a plan of a random team and workspace (through the plan
// file, as apply reads it), moves one person of the workspace to another
// state, and verifies the saved plan against the moved workspace. What a
// saved plan depends on is SPEC §9's list, nothing more, nothing less:
//
//   - a person it does not depend on (not changed, not the actor, not an
//     active admin), moved to any state but active admin: the plan still
//     applies, making exactly the saved changes;
//   - a person it changes, or its actor, whose state moved, or an active
//     admin who is no longer one: the plan is stale, and the error names
//     that person.
func FuzzVerify(f *testing.F) {
	f.Add([]byte{0x80, 0x00, 0x00, 0x81, 0x01, 0x00, 0x00, 0x01, 0x00, 0x82, 0x01, 0x00}, uint8(0), uint8(2), uint8(0), true)
	f.Add([]byte{0x80, 0x00, 0x00, 0x81, 0x00, 0x00, 0x02, 0x00, 0x00, 0x84, 0x02, 0x00}, uint8(1), uint8(4), uint8(7), false)
	f.Add([]byte{0x83, 0x00, 0x00, 0x84, 0x08, 0x05, 0x85, 0x0c, 0x00, 0x03, 0x02, 0x00, 0x86, 0x01, 0x00}, uint8(3), uint8(6), uint8(3), true)
	f.Add([]byte("\x80\x00\x00\x81\x00\x00\x82\x00\x00\x03\x00\x00\x04\x00\x00\x00\x02\x00\x85\x01\x00"), uint8(0), uint8(5), uint8(1), true)
	f.Fuzz(func(t *testing.T, data []byte, actorIndex, who, to uint8, prune bool) {
		team, l := fuzzInput(data, prune, true, 11)
		actor := ""
		if int(actorIndex) < len(fuzzPeople) {
			actor = fuzzPeople[actorIndex]
		}
		opts := reconcile.DiffOptions{Actor: actor, Now: now}
		made, err := reconcile.Diff(team, l, opts)
		if err != nil {
			return // refused: nothing to save
		}
		var file bytes.Buffer
		if err := planfile.Write(&file, made); err != nil {
			t.Fatal(err)
		}
		saved, err := planfile.Read(file.Bytes())
		if err != nil {
			t.Fatalf("planfile.Read() of what Write() wrote: %v", err)
		}

		// Move one person: a live member, or someone the workspace lacks.
		key := schema.Key(fuzzPeople[int(who)%len(fuzzPeople)])
		var was *reconcile.Member
		moved := &reconcile.Live{Name: l.Name}
		for _, m := range l.Members {
			if m.Key() == key {
				was = &m
				continue
			}
			moved.Members = append(moved.Members, m)
		}
		after := fuzzStates[int(to)%len(fuzzStates)]
		if after.Status != "" {
			after.Email = key
			if after.Status == reconcile.Invited {
				after.InvitedAt, after.InviteExpiresAt = days(-1), days(6)
			}
			moved.Members = append(moved.Members, after)
			slices.SortFunc(moved.Members, func(a, b reconcile.Member) int { return strings.Compare(a.Key(), b.Key()) })
		}
		if state(was) == state(&after) || after.Status == "" && was == nil {
			return // nothing moved
		}

		changed := key == made.Actor
		for _, c := range made.Changes {
			changed = changed || c.Key() == key || c.EmailBefore != "" && schema.Key(c.EmailBefore) == key
		}
		admin := func(m *reconcile.Member) bool {
			return m != nil && m.Status == reconcile.Active && (m.Role == schema.Admin || slices.Contains(m.OtherRoles, schema.Admin))
		}
		got, err := reconcile.Verify(saved, team, moved, opts)
		switch {
		case changed || admin(was) && !admin(&after):
			var stale *reconcile.StaleError
			if !errors.As(err, &stale) {
				t.Fatalf("Verify() after %s moved (%s -> %s), which the plan depends on: error = %v, want stale", key, state(was), state(&after), err)
			}
			if !slices.ContainsFunc(stale.Moved, func(s string) bool { return strings.HasPrefix(s, key+":") }) {
				t.Errorf("Verify() stale, but does not name %s, who moved:\n%s", key, err)
			}
		case !admin(was) && !admin(&after):
			if err != nil {
				t.Fatalf("Verify() after %s moved (%s -> %s), which the plan does not depend on: %v", key, state(was), state(&after), err)
			}
			if d := cmp.Diff(what(saved.Changes), what(got.Changes)); d != "" {
				t.Errorf("Verify() makes other changes than the saved plan (-saved +got):\n%s", d)
			}
		}
	})
}

// state describes a member's state, or "absent".
func state(m *reconcile.Member) string {
	if m == nil || m.Status == "" {
		return "absent"
	}
	return string(m.Status) + " " + string(m.Role) + strings.Join(append([]string{""}, rolesOf(m.OtherRoles)...), "+")
}

func rolesOf(rs []schema.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// what describes what changes do, not their words.
func what(cs []reconcile.Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c.Action) + " " + c.Key() + " " + string(c.RoleBefore) + "->" + string(c.RoleAfter)
	}
	return out
}
