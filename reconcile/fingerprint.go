package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teamctl/teamctl/schema"
)

// Basis returns what a plan depends on of each live member, sorted by
// identity. Names, sign-in times and settings are left out: no change
// depends on them.
func Basis(live *Live) []MemberState {
	return basis(sortedMembers(live.Members))
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
// and each member's state. An empty workspace has a fingerprint too, so
// that a first plan is refused once someone else has populated the
// workspace.
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

// StaleError says that the live workspace moved since a plan was made.
type StaleError struct {
	Moved []string // "olivia@acme.io: was invited operator, now active operator", sorted
}

func (e *StaleError) Error() string {
	msg := "the saved plan is stale: the live workspace changed since it was made"
	if len(e.Moved) > 0 {
		const most = 10
		moved := e.Moved
		if len(moved) > most {
			moved = append(slices.Clip(moved[:most]), fmt.Sprintf("and %d more", len(e.Moved)-most))
		}
		msg += " (" + strings.Join(moved, "; ") + ")"
	}
	return msg + "; run teamctl plan again"
}

// CheckFresh returns a *StaleError when live is not the state plan was made
// from, naming the people whose state moved.
func CheckFresh(plan *Plan, live *Live) error {
	basis := Basis(live)
	if Fingerprint(live.Name, basis) == plan.LiveFingerprint {
		return nil
	}
	stale := &StaleError{}
	was := make(map[string]MemberState, len(plan.Basis))
	for _, s := range plan.Basis {
		was[s.Email] = s
	}
	for _, s := range basis {
		w, ok := was[s.Email]
		delete(was, s.Email)
		switch {
		case !ok:
			stale.Moved = append(stale.Moved, fmt.Sprintf("%s: new, %s", s.Email, describeState(s)))
		case w.String() != s.String():
			if sameTime(w.InviteExpiresAt, s.InviteExpiresAt) {
				w.InviteExpiresAt, s.InviteExpiresAt = nil, nil // say only what moved
			}
			stale.Moved = append(stale.Moved, fmt.Sprintf("%s: was %s, now %s", s.Email, describeState(w), describeState(s)))
		}
	}
	for _, w := range was {
		stale.Moved = append(stale.Moved, fmt.Sprintf("%s: gone, was %s", w.Email, describeState(w)))
	}
	slices.Sort(stale.Moved)
	if len(stale.Moved) == 0 && live.Name != plan.Workspace {
		stale.Moved = append(stale.Moved, fmt.Sprintf("workspace name is now %q", live.Name))
	}
	return stale
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
	return d
}

// Verify checks a saved plan against the team and the live workspace as
// they are now, and returns the plan to apply: planned afresh from live,
// never taken from the saved file, and required to make exactly the saved
// changes. It refuses a plan made from another team file, for another
// actor, from a live state that moved since, or whose changes differ now.
func Verify(saved *Plan, team *schema.Team, live *Live, opts DiffOptions) (*Plan, error) {
	if saved.Workspace != team.Workspace {
		return nil, fmt.Errorf("the saved plan is for workspace %q, but the team file declares %q", saved.Workspace, team.Workspace)
	}
	if saved.TeamDigest != team.Digest {
		return nil, fmt.Errorf("the saved plan is stale: the team file changed since it was made (digest %s, now %s); run teamctl plan again", saved.TeamDigest, team.Digest)
	}
	if a := schema.Key(opts.Actor); a != saved.Actor {
		switch {
		case a != "" && saved.Actor == "":
			return nil, fmt.Errorf("the saved plan was made without --actor, so it does not protect %s from demotion or removal; run teamctl plan --actor %s again", a, a)
		case a != "":
			return nil, fmt.Errorf("the saved plan was made for actor %s, not %s; apply it with --actor %s or run teamctl plan again", saved.Actor, a, saved.Actor)
		}
		opts.Actor = saved.Actor
	}
	if err := CheckFresh(saved, live); err != nil {
		return nil, err
	}
	fresh, err := Diff(team, live, opts)
	if err != nil {
		return nil, err
	}
	if err := sameChanges(saved.Changes, fresh.Changes); err != nil {
		return nil, fmt.Errorf("the saved plan is stale: %w; run teamctl plan again", err)
	}
	fresh.WorkspaceURL = saved.WorkspaceURL
	return fresh, nil
}

// sameChanges reports the first difference between two lists of changes,
// comparing what a change does (action, person, roles), not its wording.
func sameChanges(saved, now []Change) error {
	for i := range max(len(saved), len(now)) {
		switch {
		case i >= len(now):
			return fmt.Errorf("%s %s is no longer needed", saved[i].Action, saved[i].Email)
		case i >= len(saved):
			return fmt.Errorf("%s %s is needed now", now[i].Action, now[i].Email)
		}
		s, n := saved[i], now[i]
		if s.Action != n.Action || s.Key() != n.Key() || s.RoleBefore != n.RoleBefore || s.RoleAfter != n.RoleAfter || !slices.Equal(s.OtherRoles, n.OtherRoles) {
			return fmt.Errorf("the plan had %s, now %s", describeChange(s), describeChange(n))
		}
	}
	return nil
}

func describeChange(c Change) string {
	s := string(c.Action) + " " + c.Email
	switch {
	case c.RoleBefore != "" && c.RoleAfter != "":
		s += fmt.Sprintf(" (%s to %s)", c.RoleBefore, c.RoleAfter)
	case c.RoleAfter != "":
		s += " (" + string(c.RoleAfter) + ")"
	case c.RoleBefore != "":
		s += " (" + string(c.RoleBefore) + ")"
	}
	return s
}
