package reconcile

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teamctl/teamctl/schema"
)

// DiffOptions are the inputs of a plan besides the team and the live state.
type DiffOptions struct {
	// Actor is the email of whoever applies the plan (--actor,
	// TEAMCTL_ACTOR). A plan never demotes or removes the actor. Empty when
	// unknown.
	Actor string
	// Now is when the plan is made: it decides which invites have expired
	// and how old each pending invite is.
	Now time.Time
}

// ErrRefused marks a plan that breaks policy as a whole (max_removals).
var ErrRefused = errors.New("refused")

// SameWorkspace returns an error when the team file names another workspace
// than the live one (a backend that does not know its name, such as SCIM,
// matches any).
func SameWorkspace(team *schema.Team, live *Live) error {
	if live.Name != "" && team.Workspace != "" && live.Name != team.Workspace {
		return fmt.Errorf("the team file declares workspace %q but the live workspace is %q; check --workspace or the team file's workspace key", team.Workspace, live.Name)
	}
	return nil
}

// Diff plans the changes that turn live into the declared team, in the
// order and under the safety rules of SPEC §4. It is pure and
// deterministic, and runs in time linear in the people of both sides
// (plus sorting the live members, if the backend did not).
//
// Diff returns an error wrapping ErrRefused when the plan removes, cancels
// and demotes more people than policy.max_removals allows, with the plan it
// refused (every change listed, none held) so that it can be shown; and an
// error and no plan when the team file names another workspace than live.
func Diff(team *schema.Team, live *Live, opts DiffOptions) (*Plan, error) {
	if team == nil {
		return nil, errors.New("no team")
	}
	if live == nil {
		live = &Live{}
	}
	if err := SameWorkspace(team, live); err != nil {
		return nil, err
	}
	// Identities are computed once: every step below is a map lookup or a
	// pass over a slice, so the plan costs time linear in the people.
	members, keys := sortedMembers(live.Members)
	d := &differ{
		team:    team,
		now:     opts.Now,
		members: members,
		live:    make(map[string]int, len(members)),
		files:   describeFiles(team.Files),
	}
	for i, k := range keys {
		d.live[k] = i
	}
	// declared[i] says whether the file declares live member i; newcomers
	// holds the declared people not in the workspace. A person declared
	// twice is a duplicate-person finding: the first declaration wins.
	declared := make([]bool, len(members))
	// At least this many declared people are not in the workspace: a
	// roster invited afresh is 100,000 of them, so size up front.
	atLeast := max(0, len(team.People)-len(members))
	newcomers := make(map[string]bool, atLeast)
	d.changes = make([]Change, 0, atLeast)
	claimed := claims(live.Aliases)
	var conflicts []Held
	for _, p := range team.People {
		key := p.Key()
		i, ok := d.live[key]
		switch {
		case !ok && !newcomers[key]:
			newcomers[key] = true
			if a, ok := claimed[key]; ok {
				conflicts = append(conflicts, aliasConflict(p, a))
				continue
			}
			if j, ok := d.renamed(p, declared); ok {
				declared[j] = true
				d.rename(p, &members[j])
				continue
			}
			d.invite(p)
		case ok && !declared[i]:
			declared[i] = true
			d.declared(p, &members[i])
			if j, ok := d.renamed(p, declared); ok {
				// Both addresses are in the workspace: the rename is
				// planned for the safety kernel to hold back, naming
				// both, and the old account is left alone.
				declared[j] = true
				d.rename(p, &members[j])
			}
		}
	}
	plan := &Plan{
		Workspace:    team.Workspace,
		TeamDigest:   team.Digest,
		TeamMeaning:  team.Meaning(),
		CreatedAt:    opts.Now,
		Actor:        schema.Key(opts.Actor),
		ActiveAdmins: activeAdmins(members),
		Basis:        basis(members, keys),
	}
	for i, m := range members {
		if m.Status == Invited {
			plan.Pending = append(plan.Pending, Pending{
				Email: m.Email, Name: m.Name, Role: m.Role,
				InvitedAt: m.InvitedAt, ExpiresAt: m.InviteExpiresAt,
				Expired: m.Expired(opts.Now), Declared: declared[i],
			})
		}
		if declared[i] || (m.Status == Suspended && !m.InRoleGroup) {
			continue // a suspended member in no role group holds nothing
		}
		// A suspended member still in a role group (a removal that
		// stopped between deactivating and leaving the group) is drift,
		// and prune takes it out, as any undeclared member.
		if !team.Policy.Prune {
			plan.Drift = append(plan.Drift, Drift{Email: m.Email, Name: m.Name, Role: broadest(m), Status: m.Status, InvitedAt: m.InvitedAt})
			continue
		}
		d.undeclared(m)
	}

	// A value that spells a declared person's address is left alone even
	// when it names nobody yet: the plan may invite that person, and then
	// it would name them.
	var declaredKeys map[string]bool
	if len(live.Dangling) > 0 {
		declaredKeys = make(map[string]bool, len(team.People))
		for _, p := range team.People {
			declaredKeys[p.Key()] = true
		}
	}
	for _, dm := range live.Dangling {
		if team.Policy.Prune && dm.Kind == DanglingMissing && !declaredKeys[schema.Key(dm.Value)] {
			d.dangling = append(d.dangling, dm)
			continue
		}
		plan.Dangling = append(plan.Dangling, dm)
	}
	d.pruneDangling()

	// Phases in order; within a phase, declared people in file order, then
	// undeclared ones by identity (the order they were added).
	// Renames go first in their phase, before its role changes.
	slices.SortStableFunc(d.changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Phase(), b.Phase()), cmp.Compare(renameFirst(b), renameFirst(a)))
	})

	plan.Held = conflicts
	plan.MaxRemovals = team.Policy.MaxRemovals
	plan.InviteNote = strings.TrimSpace(team.InviteNote)
	if err := judge(plan, d.changes, team.Policy.MaxRemovals); err != nil {
		if errors.Is(err, ErrRefused) {
			// What was refused, for the user to see before the refusal.
			plan.Changes, plan.Refused = d.changes, true
			return plan, err
		}
		return nil, err
	}
	plan.Hints = renameHints(plan)
	for i := range plan.Changes {
		if plan.Changes[i].SendsNote() {
			plan.Changes[i].Note = plan.InviteNote
		}
	}
	plan.LiveFingerprint = Fingerprint(live.Name, plan.DependsOn())
	return plan, nil
}

type differ struct {
	team    *schema.Team
	now     time.Time
	members []Member       // live members, sorted by identity
	live    map[string]int // identity → index in members
	files   string         // describes the team files, for undeclared people
	changes []Change
	// dangling are the member values confirmed to name nothing, which
	// prune takes out of their groups.
	dangling []Dangling
	// declaredKeys are the declared people by identity, built the first
	// time a rename needs them.
	declaredKeys map[string]schema.Person
}

// renameFirst is 1 for a rename, which sorts it before the other changes
// of its phase (compared the other way round), 0 for the rest.
func renameFirst(c Change) int {
	if c.Action == Rename {
		return 1
	}
	return 0
}

// renamed returns the live member that p was before a rename: one of
// p.Previously that the workspace holds, not yet matched to anyone, that
// nobody declares, and not suspended (a suspended member holds nothing to
// keep).
func (d *differ) renamed(p schema.Person, matched []bool) (int, bool) {
	for _, r := range p.Previously {
		k := r.Key()
		j, ok := d.live[k]
		if !ok || matched[j] || d.members[j].Status == Suspended {
			continue
		}
		if d.declaredKeys == nil {
			d.declaredKeys = d.team.Index()
		}
		if _, taken := d.declaredKeys[k]; !taken {
			return j, true
		}
	}
	return 0, false
}

// rename plans giving the live member m the email of p, in place,
// keeping its status and invite, in p's role.
func (d *differ) rename(p schema.Person, m *Member) {
	c := Change{Action: Rename, Email: p.Email, EmailBefore: m.Email, Name: p.Name, RoleAfter: p.Role, Pos: p.Pos,
		ID: m.ID, Reason: Reason{Kind: ReasonPreviously}}
	c.RoleBefore = broadest(*m)
	c.OtherRoles = others(*m, c.RoleBefore)
	if m.Status == Invited {
		c.InvitedAt = copyTime(m.InvitedAt)
		if c.InvitedAt == nil {
			c.InvitedAt = &time.Time{} // pending, sent at an unknown time
		}
	}
	d.changes = append(d.changes, c)
}

// invite plans the invite of a declared person the workspace lacks.
func (d *differ) invite(p schema.Person) {
	d.changes = append(d.changes, Change{Action: Invite, Email: p.Email, Name: p.Name, RoleAfter: p.Role, Pos: p.Pos, Reason: Reason{Kind: ReasonDeclared}})
}

// claims returns the first alias of each address, by identity.
func claims(aliases []Alias) map[string]Alias {
	if len(aliases) == 0 {
		return nil
	}
	m := make(map[string]Alias, len(aliases))
	for _, a := range aliases {
		if k := schema.Key(a.Email); !hasAlias(m, k) {
			m[k] = a
		}
	}
	return m
}

func hasAlias(m map[string]Alias, k string) bool { _, ok := m[k]; return ok }

// aliasConflict holds back the invite of p, whose address the account of
// a carries without being p: inviting would make a second account for the
// address, or, where the provider takes the address for the account's,
// fail; adopting the account would give p's role to whoever holds it. The
// account is quoted in ASCII, so that a look-alike shows (\u212a).
func aliasConflict(p schema.Person, a Alias) Held {
	c := Change{Action: Invite, Email: p.Email, Name: p.Name, RoleAfter: p.Role, Pos: p.Pos, Reason: Reason{Kind: ReasonDeclared}}
	return Held{Change: c, Why: fmt.Sprintf("the workspace account %+q (id %s) carries the address %s but is not it (an account is its userName alone, letters compared in ASCII); teamctl never adopts another account: give the account the right userName, or take the address off it, in the workspace", a.Account, a.ID, a.Email)}
}

// declared plans the change, if any, for a declared person who is the live
// member m.
func (d *differ) declared(p schema.Person, m *Member) {
	if m.Status == Active && m.Role == p.Role && len(m.OtherRoles) == 0 {
		return // in sync, as nearly everyone is: nothing to build
	}
	c := Change{Email: p.Email, Name: p.Name, RoleAfter: p.Role, Pos: p.Pos}
	c.ID = m.ID
	c.RoleBefore = broadest(*m)
	c.OtherRoles = others(*m, c.RoleBefore)
	wrongRole := c.RoleBefore != p.Role || len(c.OtherRoles) > 0
	switch m.Status {
	case Suspended:
		c.Action = Invite
		c.Reason.Kind = ReasonSuspended
	case Invited:
		c.InvitedAt = m.InvitedAt
		switch {
		case m.Expired(d.now) && d.team.Policy.ResendExpired:
			c.Action = ResendInvite
			c.Reason = Reason{Kind: ReasonInviteExpired, Expired: copyTime(m.InviteExpiresAt)}
		case wrongRole:
			c.Action = UpdateInvite
			c.Reason.Kind = ReasonInviteRole
		default:
			return
		}
	default: // Active
		if !wrongRole {
			return
		}
		c.Action = ChangeRole
		c.Reason.Kind = ReasonRole
	}
	d.changes = append(d.changes, c)
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	c := *t
	return &c
}

// dangling plans, with prune on, the removal of each role-group member
// value that names no user: one change a value, out of every group that
// holds it. Its roles before are the roles of those groups: the value is
// nobody, so it moves no admin count, but taking it out of a role group
// is a change that takes something away, and counts toward
// policy.max_removals.
func (d *differ) pruneDangling() {
	ds := d.dangling
	groups := map[string][]string{}
	roles := map[string][]schema.Role{}
	var values []string
	for _, dm := range ds {
		if _, ok := groups[dm.Value]; !ok {
			values = append(values, dm.Value)
		}
		groups[dm.Value] = append(groups[dm.Value], dm.Group)
		if !slices.Contains(roles[dm.Value], dm.Role) {
			roles[dm.Value] = append(roles[dm.Value], dm.Role)
		}
	}
	slices.Sort(values)
	for _, v := range values {
		held := roles[v]
		slices.SortFunc(held, func(a, b schema.Role) int { return cmp.Compare(b.Rank(), a.Rank()) })
		c := Change{Action: Remove, Email: v, ID: v, RoleBefore: held[0], Reason: Reason{Kind: ReasonDangling, Groups: groups[v]}}
		if len(held) > 1 {
			c.OtherRoles = held[1:]
		}
		d.changes = append(d.changes, c)
	}
}

// undeclared plans the removal of a live member the file does not declare
// (prune is on).
func (d *differ) undeclared(m Member) {
	c := Change{Email: m.Email, Name: m.Name, RoleBefore: broadest(m), ID: m.ID, Reason: Reason{Kind: ReasonUndeclared, Files: d.files}}
	c.OtherRoles = others(m, c.RoleBefore)
	switch m.Status {
	case Invited:
		c.Action = CancelInvite
		c.InvitedAt = m.InvitedAt
	case Suspended:
		c.Action = Remove
		c.Reason.Kind = ReasonUndeclaredSuspended
	default:
		c.Action = Remove
	}
	d.changes = append(d.changes, c)
}

func activeAdmins(members []Member) int {
	n := 0
	for _, m := range members {
		if m.Status == Active && broadest(m) == schema.Admin {
			n++
		}
	}
	return n
}

// broadest returns the broadest role a member holds, counting OtherRoles.
func broadest(m Member) schema.Role {
	r := m.Role
	for _, o := range m.OtherRoles {
		if o.Rank() > r.Rank() {
			r = o
		}
	}
	return r
}

// others returns the roles m holds besides top, broadest first, without
// repeats.
func others(m Member, top schema.Role) []schema.Role {
	if len(m.OtherRoles) == 0 {
		return nil
	}
	var out []schema.Role
	for _, r := range append([]schema.Role{m.Role}, m.OtherRoles...) {
		if r != top && r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b schema.Role) int { return cmp.Compare(b.Rank(), a.Rank()) })
	return out
}

// sortedMembers returns the members sorted by identity, copying only when
// the backend did not sort them, and the identity of each. Identities are
// computed once a member: on a large workspace they are a good part of
// the cost of a plan.
func sortedMembers(ms []Member) ([]Member, []string) {
	keys := make([]string, len(ms))
	for i, m := range ms {
		keys[i] = m.Key()
	}
	return SortMembers(ms, keys)
}

// SortMembers returns ms sorted by identity, keys[i] being the identity of
// ms[i], with the keys in the same order; equal identities keep their
// order. It returns ms and keys themselves when they are sorted already,
// else sorted copies: the caller's slices are never reordered. Backends
// use it to list Live.Members in the order Live promises.
func SortMembers(ms []Member, keys []string) ([]Member, []string) {
	if slices.IsSorted(keys) {
		return ms, keys
	}
	order := make([]int, len(ms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	sorted, sortedKeys := make([]Member, len(ms)), make([]string, len(ms))
	for i, j := range order {
		sorted[i], sortedKeys[i] = ms[j], keys[j]
	}
	return sorted, sortedKeys
}

func describeFiles(files []string) string {
	switch len(files) {
	case 0:
		return "the team file"
	case 1:
		return files[0]
	}
	return "the team files"
}
