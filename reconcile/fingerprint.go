package reconcile

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/teamctl/teamctl/schema"
)

// Basis returns the state of every live member as a plan would depend on
// it, sorted by identity. Names, sign-in times and settings are left out:
// no change depends on them.
func Basis(live *Live) []MemberState {
	return basis(sortedMembers(live.Members))
}

// DependsOn returns the part of Basis the plan depends on (SPEC §9): the
// state of each person it changes, of the actor, and of every active admin
// (the floor), sorted by identity. The rest of the workspace may move
// without making the plan stale, and a saved plan records only this part.
func (p *Plan) DependsOn() []MemberState {
	relevant := make(map[string]bool, len(p.Changes)+1)
	for _, c := range p.Changes {
		relevant[c.Key()] = true
		if c.EmailBefore != "" {
			relevant[schema.Key(c.EmailBefore)] = true // a rename: the member it renames
		}
	}
	if p.Actor != "" {
		relevant[p.Actor] = true
	}
	var out []MemberState
	for _, s := range p.Basis {
		if relevant[s.Email] || s.activeAdmin() {
			out = append(out, s)
		}
	}
	return out
}

// basis is Basis of members sorted by identity, with their identities.
func basis(members []Member, keys []string) []MemberState {
	out := make([]MemberState, len(members))
	for i, m := range members {
		out[i] = MemberState{
			Email:           keys[i],
			Role:            m.Role,
			OtherRoles:      slices.Clone(m.OtherRoles),
			Status:          m.Status,
			InviteExpiresAt: m.InviteExpiresAt,
		}
		if len(out[i].OtherRoles) == 0 {
			out[i].OtherRoles = nil
		}
	}
	return out
}

// Fingerprint digests the live state a plan depends on: the workspace name
// and the state of each member of basis.
func Fingerprint(name string, basis []MemberState) string {
	h := sha256.New()
	fmt.Fprintf(h, "teamctl live v1\nworkspace %q\n", name)
	var line []byte // reused: one line per member, no allocation each
	for _, s := range basis {
		line = append(s.appendTo(line[:0]), '\n')
		h.Write(line)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// String describes the state in one line, such as
// "dana@acme.io active admin" or "rita@acme.io invited reviewer until
// 2026-12-01T00:00:00Z".
func (s MemberState) String() string { return string(s.appendTo(nil)) }

func (s MemberState) appendTo(b []byte) []byte {
	b = append(b, s.Email...)
	b = append(b, ' ')
	b = append(b, s.Status...)
	b = append(b, ' ')
	b = append(b, s.Role...)
	for _, r := range s.OtherRoles {
		b = append(b, '+')
		b = append(b, r...)
	}
	if s.InviteExpiresAt != nil {
		b = append(b, " until "...)
		b = s.InviteExpiresAt.UTC().AppendFormat(b, time.RFC3339)
	}
	return b
}

// StaleError says that what a saved plan depends on moved since it was
// made. Its first words, "the saved plan is stale", are stable: the GitHub
// Action looks for them to plan again.
type StaleError struct {
	// Moved are the facts that moved, one a line: "olivia@acme.io: was
	// invited operator, now active operator".
	Moved []string
	// Replan is the command that makes a new plan, to paste; the caller
	// sets it from the flags it was given. Empty: teamctl plan.
	Replan string
}

// mostMoved bounds the facts a StaleError lists.
const mostMoved = 20

func (e *StaleError) Error() string {
	var b strings.Builder
	b.WriteString("the saved plan is stale; since it was made:")
	for i, m := range e.Moved {
		if i == mostMoved {
			fmt.Fprintf(&b, "\n  and %d more", len(e.Moved)-mostMoved)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(m)
	}
	b.WriteString("\nplan again, review the new plan, and apply it: ")
	b.WriteString(cmp.Or(e.Replan, "teamctl plan"))
	return b.String()
}

// Verify checks a saved plan against the team and the live workspace as
// they are now, and returns the plan to apply: planned afresh from live,
// never taken from the saved file, and required to make exactly the saved
// changes, in the saved order. The plan depends only on what SPEC §9
// lists: the team's meaning, the actor, and the live state of each person
// it changes, of the actor and of every active admin (the floor); a
// dangling member it removes must still be one, in the same groups. Anything
// else may move: a change the workspace needs now that the saved plan
// lacks is left out (Plan.Unreviewed), since nobody reviewed it.
//
// When something it depends on moved, Verify returns a *StaleError that
// names every fact that moved.
func Verify(saved *Plan, team *schema.Team, live *Live, opts DiffOptions) (*Plan, error) {
	if saved.Workspace != team.Workspace {
		return nil, fmt.Errorf("the saved plan is for workspace %q, but the team file declares %q", saved.Workspace, team.Workspace)
	}
	stale := &StaleError{}
	switch {
	case saved.TeamMeaning != "":
		if saved.TeamMeaning != team.Meaning() {
			stale.Moved = append(stale.Moved, "the team file: what it declares changed (people, roles, workflows, policy or the invite note), not only its comments or layout")
		}
	case saved.TeamDigest != team.Digest:
		stale.Moved = append(stale.Moved, "the team file: it changed, and a plan saved by a teamctl before v1.2 depends on every byte of it")
	}
	switch a := schema.Key(opts.Actor); {
	case a == saved.Actor:
	case a == "":
		opts.Actor = saved.Actor // the actor the plan protects stays protected
	case saved.Actor == "":
		stale.Moved = append(stale.Moved, fmt.Sprintf("the actor: the plan was made without --actor, so it does not protect %s from demotion or removal; %s applies it now", printable(a), printable(a)))
	default:
		stale.Moved = append(stale.Moved, fmt.Sprintf("the actor: the plan was made for %s, and %s applies it now", printable(saved.Actor), printable(a)))
	}
	stale.Moved = append(stale.Moved, liveMoved(saved, live)...)
	if len(stale.Moved) > 0 {
		return nil, stale
	}
	// Plan afresh without the removal budget: changes the saved plan does
	// not make must not refuse the ones it does. The budget holds the
	// reviewed changes alone, below.
	unbounded := *team
	unbounded.Policy.MaxRemovals = math.MaxInt
	fresh, err := Diff(&unbounded, live, opts)
	if err != nil {
		return nil, err
	}
	fresh.MaxRemovals = team.Policy.MaxRemovals
	changes, unreviewed, moved := reviewed(saved.Changes, fresh)
	if len(moved) > 0 {
		stale.Moved = moved
		return nil, stale
	}
	// The reviewed changes alone, without the unreviewed ones, pass the
	// safety kernel again: a demotion the plan made safe by a promotion it
	// no longer makes is held, and the plan is stale.
	alone := *fresh
	alone.Held = nil
	if err := judge(&alone, changes, fresh.MaxRemovals); err != nil {
		return nil, err
	}
	for _, h := range alone.Held {
		stale.Moved = append(stale.Moved, fmt.Sprintf("%s: the plan has %s, held back now: %s", printable(h.Key()), describeChange(h.Change), printable(h.Why)))
	}
	if len(stale.Moved) > 0 {
		return nil, stale
	}
	fresh.Changes, fresh.AdminFloor, fresh.Unreviewed = alone.Changes, alone.AdminFloor, unreviewed
	fresh.WorkspaceURL = saved.WorkspaceURL
	return fresh, nil
}

// liveMoved returns what moved in the live state a saved plan depends on,
// one fact each, sorted: the people it changes and its actor, then the
// active admins it counted on for the floor. A new active admin is no
// fact: it only raises the floor's margin.
func liveMoved(saved *Plan, live *Live) []string {
	now := make(map[string]MemberState, len(live.Members))
	members, keys := sortedMembers(live.Members)
	relevant := make(map[string]bool, len(saved.Changes)+1)
	for _, c := range saved.Changes {
		relevant[c.Key()] = true
		if c.EmailBefore != "" {
			relevant[schema.Key(c.EmailBefore)] = true
		}
	}
	if saved.Actor != "" {
		relevant[saved.Actor] = true
	}
	for _, s := range basis(members, keys) {
		if relevant[s.Email] || s.activeAdmin() {
			now[s.Email] = s
		}
	}
	was := make(map[string]MemberState, len(saved.Basis))
	for _, s := range saved.Basis {
		was[s.Email] = s
	}
	var moved []string
	for k := range relevant {
		w, had := was[k]
		n, has := now[k]
		switch {
		case !had && has:
			moved = append(moved, fmt.Sprintf("%s: new in the workspace, %s", printable(k), describeState(n)))
		case had && !has:
			moved = append(moved, fmt.Sprintf("%s: gone from the workspace, was %s", printable(k), describeState(w)))
		case had && w.String() != n.String():
			moved = append(moved, fmt.Sprintf("%s: was %s", printable(k), describeMoved(w, n)))
		}
	}
	slices.Sort(moved)
	var floor []string
	for _, w := range saved.Basis {
		if relevant[w.Email] || !w.activeAdmin() {
			continue
		}
		if n, ok := now[w.Email]; !ok {
			if m, ok := lookup(members, keys, w.Email); ok {
				floor = append(floor, fmt.Sprintf("%s: was active admin, now %s; the plan counted on the active admins for the admin floor", printable(w.Email), describeState(m)))
			} else {
				floor = append(floor, fmt.Sprintf("%s: an active admin the plan counted on for the admin floor is gone from the workspace", printable(w.Email)))
			}
		} else if n.String() != w.String() {
			// Still an active admin, in another group as well: the
			// floor holds, but the member is not the one counted.
			floor = append(floor, fmt.Sprintf("%s: was %s, now %s; the plan counted on the active admins for the admin floor", printable(w.Email), describeState(w), describeState(n)))
		}
	}
	slices.Sort(floor)
	return append(moved, floor...)
}

// lookup returns the state of the member with identity key.
func lookup(members []Member, keys []string, key string) (MemberState, bool) {
	i, ok := slices.BinarySearch(keys, key)
	if !ok {
		return MemberState{}, false
	}
	return basis(members[i:i+1], keys[i:i+1])[0], true
}

func (s MemberState) activeAdmin() bool {
	if s.Status != Active {
		return false
	}
	return broadest(Member{Role: s.Role, OtherRoles: s.OtherRoles}) == schema.Admin
}

// reviewed matches each saved change with the change the fresh plan makes
// for the same person. It returns the fresh changes in the saved order,
// the fresh changes the saved plan lacks, and a fact for each saved change
// the workspace no longer needs, or needs otherwise.
func reviewed(saved []Change, fresh *Plan) (changes, unreviewed []Change, moved []string) {
	now := make(map[string]int, len(fresh.Changes))
	for i, c := range fresh.Changes {
		now[c.Key()] = i
	}
	held := make(map[string]Held, len(fresh.Held))
	for _, h := range fresh.Held {
		held[h.Key()] = h
	}
	used := make([]bool, len(fresh.Changes))
	for _, s := range saved {
		i, ok := now[s.Key()]
		switch {
		case ok && sameChange(s, fresh.Changes[i]):
			changes = append(changes, fresh.Changes[i])
			used[i] = true
		case ok:
			moved = append(moved, fmt.Sprintf("%s: the plan has %s, the workspace needs %s now", printable(s.Key()), describeChange(s), describeChange(fresh.Changes[i])))
		case hasHeld(held, s.Key()):
			moved = append(moved, fmt.Sprintf("%s: the plan has %s, held back now: %s", printable(s.Key()), describeChange(s), printable(held[s.Key()].Why)))
		default:
			moved = append(moved, fmt.Sprintf("%s: the plan has %s, no longer needed", printable(s.Key()), describeChange(s)))
		}
	}
	for i, c := range fresh.Changes {
		if !used[i] {
			unreviewed = append(unreviewed, c)
		}
	}
	return changes, unreviewed, moved
}

func hasHeld(m map[string]Held, k string) bool { _, ok := m[k]; return ok }

// sameChange reports whether two changes do the same: action, subject
// (a person, or exactly one member value that is no user), roles, and for
// a dangling member the groups it is taken out of. Their wording
// (reasons, positions) may differ.
func sameChange(s, n Change) bool {
	return s.Action == n.Action && s.Subject() == n.Subject() && schema.Key(s.EmailBefore) == schema.Key(n.EmailBefore) && s.RoleBefore == n.RoleBefore && s.RoleAfter == n.RoleAfter &&
		slices.Equal(s.OtherRoles, n.OtherRoles) &&
		(s.Reason.Kind != ReasonDangling || slices.Equal(s.Reason.Groups, n.Reason.Groups))
}

// describeMoved describes a state before and after, leaving out an invite
// expiry that did not move.
func describeMoved(w, n MemberState) string {
	if sameTime(w.InviteExpiresAt, n.InviteExpiresAt) {
		w.InviteExpiresAt, n.InviteExpiresAt = nil, nil // say only what moved
	}
	return describeState(w) + ", now " + describeState(n)
}

func sameTime(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

func describeState(s MemberState) string {
	d := string(s.Status) + " " + string(s.Role)
	for _, r := range s.OtherRoles {
		d += "+" + string(r)
	}
	if s.InviteExpiresAt != nil {
		d += " (invite expires " + s.InviteExpiresAt.UTC().Format(time.RFC3339) + ")"
	}
	return printable(d)
}

func describeChange(c Change) string {
	s := string(c.Action)
	switch {
	case c.Reason.Kind == ReasonDangling:
		s += " from " + strings.Join(c.Reason.Groups, ", ")
	case c.RoleBefore != "" && c.RoleAfter != "":
		s += fmt.Sprintf(" (%s to %s)", c.RoleBefore, c.RoleAfter)
	case c.RoleAfter != "":
		s += " (" + string(c.RoleAfter) + ")"
	case c.RoleBefore != "":
		s += " (" + string(c.RoleBefore) + ")"
	}
	return printable(s)
}

// printable quotes s, in ASCII, when it holds anything but printable
// characters: an email or a role read from a workspace must not start a
// line of its own or drive the terminal.
func printable(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) || unicode.Is(unicode.Bidi_Control, r) {
			return strconv.QuoteToASCII(s)
		}
	}
	return s
}
